"""The phpbb importer on hand-made MySQL dumps (tests/data/phpbb): mapping, roles, encodings, cuts."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.errors import InputError
from chrysalide.ingest.formats import phpbb_sqldump
from chrysalide.ingest.formats.phpbb import PhpbbImporter
from chrysalide.ingest.formats.phpbb_sqldump import DumpReader, Row
from chrysalide.ingest.records import MemberRecord, MessageRecord, Reject, ThreadRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "phpbb"


def _read(path: Path, **options: str) -> tuple[list, list, list, list]:
    recs = list(PhpbbImporter(**options).read(path))
    return (
        [r for r in recs if isinstance(r, MemberRecord)],
        [r for r in recs if isinstance(r, ThreadRecord)],
        [r for r in recs if isinstance(r, MessageRecord)],
        [r for r in recs if isinstance(r, Reject)],
    )


def test_positional_dump() -> None:
    members, threads, messages, rejects = _read(DATA / "phpbb31_positional.sql")
    assert [(m.author_id, m.name, m.role) for m in members] == [
        ("2", "admin", "admin"),  # founder
        ("3", "Marie", "moderator"),  # GLOBAL_MODERATORS member
        ("4", "Jo & Co", "member"),  # pending in ADMINISTRATORS: not admin
    ]  # ANONYMOUS and the bot are no members
    assert [(t.native_id, t.title, t.board, t.starter_id) for t in threads] == [
        ("1", "Bienvenue", "Thyroïde & traitements", "2"),
        ("2", "Je me présente", "Présentations", None),  # starter deleted; topic 3 is a moved shadow
    ]
    by_id = {m.native_id: m for m in messages}
    assert sorted(by_id) == ["1", "2", "3", "4", "6", "7"]
    assert by_id["1"].text == "Bonjour à tous ! :)\nLisez les règles ; merci."
    assert by_id["1"].author_role == "admin" and by_id["1"].posted_at == 1262347200
    two = by_id["2"]
    assert two.text == "Merci, j'ai une question sur le Levothyrox. Voir http://example.org/levo?a=1&b=2"
    assert (two.quoted_text, two.quoted_authors, two.author, two.author_id) == (
        "Bonjour à tous !",
        ["admin"],
        "Marie",
        "3",
    )
    guest = by_id["3"]
    assert (guest.author_status, guest.author, guest.author_id) == ("guest", "Visiteur", None)
    assert guest.text == 'Un invité écrit <script>alert(1)</script> et "cite" l\'avis.'
    deleted = by_id["4"]
    assert (deleted.author_status, deleted.author) == ("deleted", "ancien")
    assert deleted.text == "Mon compte a été supprimé mais\\mon message reste."
    assert by_id["6"].reply_to == "4" and by_id["6"].quoted_text == "Mon compte a été supprimé"
    assert by_id["6"].text == "Bienvenue quand même :-)\nà bientôt"
    assert by_id["7"].posted_at == -1 and by_id["7"].text == "ligne un\nligne deux"
    assert all(m.thread_id in ("1", "2") and m.board for m in messages)
    # Record numbers: rows of forums (2) and groups (5) come first in the dump.
    assert [m.record_no for m in messages] == [8, 9, 10, 11, 13, 14]
    assert [(r.record_no, r.reason) for r in rejects] == [
        (12, "post 5 is not public (soft-deleted)"),
        (15, "row of phpbb_posts has 7 values, expected 14"),
    ]


def test_column_list_dump_with_prefix_forum() -> None:
    members, threads, messages, rejects = _read(DATA / "forum_columns.sql")
    assert [(m.name, m.role) for m in members] == [("Founder", "admin"), ("Lucie", "member")]
    assert [(t.title, t.board, t.starter_id) for t in threads] == [('Fatigue "chronique"', "Général", "7")]
    texts = {m.native_id: m for m in messages}
    assert texts["100"].text == "Je suis très fatiguée.\n- sommeil\n- poids"
    assert texts["101"].text == "Avez-vous vu votre TSH ? [image]"
    assert texts["101"].quoted_authors == ["Lucie"]
    assert texts["103"].author_status == "guest" and texts["103"].text == "Moi aussi -- et vous ?"
    assert [r.reason for r in rejects] == ["post 102 is not public (unapproved)"]


def test_latin1_dump_and_forced_prefix() -> None:
    members, threads, messages, _ = _read(DATA / "latin1_phpbb3.sql", table_prefix="phpbb3_")
    assert members[0].name == "Jürgen"
    assert threads[0].title == "Schilddrüse"
    assert messages[0].text == "Größere Müdigkeit seit der Erhöhung auf 75µg, Ärztin sagt «abwarten»."
    assert _read(DATA / "latin1_phpbb3.sql")[2] == messages  # detected prefix gives the same
    with pytest.raises(InputError, match="no table nope_posts"):
        _read(DATA / "latin1_phpbb3.sql", table_prefix="nope_")


def test_truncated_dump_keeps_rows_before_the_cut() -> None:
    _, _, messages, rejects = _read(DATA / "truncated.sql")
    assert [m.native_id for m in messages] == ["1", "2", "3", "4"]
    last = rejects[-1]
    assert last.record_no == 13
    assert last.reason.startswith("input truncated after record 12: the dump ends inside INSERT INTO phpbb_posts")


def test_gzip_and_cut_gzip(tmp_path: Path) -> None:
    data = (DATA / "phpbb31_positional.sql").read_bytes()
    whole = tmp_path / "dump.sql.gz"
    whole.write_bytes(gzip.compress(data))
    assert PhpbbImporter.sniff(whole)
    assert _read(whole) == _read(DATA / "phpbb31_positional.sql")
    cut = tmp_path / "cut.sql.gz"
    cut.write_bytes(gzip.compress(data)[: len(gzip.compress(data)) * 2 // 3])
    _, _, messages, rejects = _read(cut)
    assert rejects and "input truncated" in rejects[-1].reason


def test_tiny_chunks_give_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _read(DATA / "phpbb31_positional.sql")
    monkeypatch.setattr(phpbb_sqldump, "CHUNK", 3)
    assert _read(DATA / "phpbb31_positional.sql") == expected


def test_sniff_and_unusable_dumps(tmp_path: Path) -> None:
    assert PhpbbImporter.sniff(DATA / "forum_columns.sql")
    assert not PhpbbImporter.sniff(DATA)  # no .bb/.meta pairs there
    other = tmp_path / "shop.sql"
    other.write_text("CREATE TABLE `orders` (`id` int);\nINSERT INTO `orders` VALUES (1);\n")
    assert not PhpbbImporter.sniff(other)
    with pytest.raises(InputError, match="no phpBB posts table"):
        list(PhpbbImporter().read(other))
    nocols = tmp_path / "nocols.sql"
    nocols.write_text("INSERT INTO `phpbb_posts` VALUES (1,1,1,2,0,'x');\nINSERT INTO `phpbb_topics` VALUES (1);\n")
    with pytest.raises(InputError, match="no CREATE TABLE and no column list") as caught:
        list(PhpbbImporter().read(nocols))
    assert str(caught.value).startswith(f"{nocols}: statement 2: table phpbb_topics has")  # the lookups are read first


def test_malformed_row_is_a_reject_and_reading_goes_on(tmp_path: Path) -> None:
    dump = tmp_path / "bad.sql"
    dump.write_text(
        "INSERT INTO phpbb_posts (post_id, topic_id, poster_id, post_text) VALUES (1, 1, 1, 'ok'), (2, 1, 1, oops);\n"
        "INSERT INTO phpbb_topics (topic_id, topic_title) VALUES (1, 't');\n"
        "INSERT INTO phpbb_posts (post_id, topic_id, poster_id, post_text) VALUES (3, 1, 1, 'after');\n"
    )
    _, threads, messages, rejects = _read(dump)
    assert [m.text for m in messages] == ["ok", "after"]
    assert len(threads) == 1
    assert len(rejects) == 1 and "unexpected b'oops'" in rejects[0].reason


def _sql_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "''").replace("\n", "\\n").replace("\0", "\\0")
    return f"'{escaped}'"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=5), st.integers())
def test_string_values_round_trip(values: list[str], number: int) -> None:
    sql = f"INSERT INTO `t` VALUES ({number},{','.join(_sql_string(v) for v in values)},NULL);"
    rows = [e for e in DumpReader(io.BytesIO(sql.encode("utf-8")), lambda t: True).events() if isinstance(e, Row)]
    assert rows[0].values == [number, *values, None]


def test_regression_doubled_double_quote_inside_single_quoted_string():
    """Found by hypothesis in a clean clone: '""' was read as one double quote; in MySQL a doubled quote
    escapes only the string's own delimiter."""
    sql = b'INSERT INTO `t` VALUES (0,\'""\',\'it\'\'s\',"say ""hi""");'
    rows = [e for e in DumpReader(io.BytesIO(sql), lambda t: True).events() if isinstance(e, Row)]
    assert rows[0].values == [0, '""', "it's", 'say "hi"']
