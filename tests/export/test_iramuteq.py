"""IRaMuTeQ corpus: export, read_corpus, the importer, and the round trip (hypothesis)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import ingest
from chrysalide.ingest.formats.iramuteq import IramuteqImporter
from chrysalide.ingest.records import MessageRecord, Reject
from chrysalide.report.export.iramuteq import (
    export_iramuteq,
    format_text,
    read_corpus,
    sanitize_name,
    sanitize_text,
    sanitize_value,
)


def test_export_writes_one_text_per_consented_message(filled, tmp_path):
    out = tmp_path / "corpus.txt"
    report = export_iramuteq(filled, out)
    assert (report.texts, report.left_out_no_consent) == (2, 4)
    lines = out.read_text(encoding="utf-8").split("\n")
    # Only the variables an IRaMuTeQ analysis contrasts; no journeys run: the member group is unknown (NA).
    assert lines[0] == "**** *board_thyroide *year_2017 *stage_individual *group_NA"
    assert report.variables == ["board", "year", "stage", "group"]
    assert sum(line.startswith("****") for line in lines) == 2  # the message's own "****" line was defused
    frame = read_corpus(out)
    assert list(frame["stage"]) == ["individual", "community"]
    assert frame.loc[1, "text"] == "Merci pour vos réponses   vraiment\n  pas une nouvelle ligne IRaMuTeQ"
    # The address, scrubbed to "[email]" by the export, is no word of the corpus (read off message 101 by hand).
    assert frame.loc[0, "text"] == "Bonjour à tous,\nje viens d'être diagnostiquée. Écrivez-moi à 🙂"


def test_all_pseudonymised_exports_every_member_not_excluded(filled, tmp_path):
    out = tmp_path / "corpus.txt"
    export_iramuteq(filled, out, quotes="all-pseudonymised", ids=True)
    frame = read_corpus(out)
    assert sorted(frame["msg"].astype(int)) == [101, 102, 103, 105, 106, 107]
    assert set(frame["member"]) == {"M-aaaa000001", "M-bbbb000002", "M-cccc000003", "guest"}
    assert frame.set_index("msg").loc["107", "stage"] == "societal"
    assert frame.set_index("msg").loc["106", "stage"] == "none"
    assert frame.set_index("msg").loc["106", "group"] == "guest"
    # HTML tags dropped, the character reference and '*' / '$' never reach IRaMuTeQ.
    assert frame.set_index("msg").loc["103", "text"] == "Moi aussi j'ai eu un nodule, courage  alert(1)  & co"


def test_an_answer_to_an_excluded_member_names_no_message(filled, tmp_path):
    """Regression (patient.info): with ids, ``*reply_`` still gave the id of the excluded member's message answered.
    By hand: 103 (member 3) answers 104 (member 4, refused: excluded), 102 answers 101."""
    filled.con.execute("UPDATE messages SET reply_to_id = 104 WHERE message_id = 103")
    filled.con.execute("UPDATE messages SET reply_to_id = 101 WHERE message_id = 102")
    out = tmp_path / "corpus.txt"
    export_iramuteq(filled, out, quotes="all-pseudonymised", ids=True)
    heads = {line.split()[1]: line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("****")}
    assert "*reply_101" in heads["*msg_102"] and "*reply_NA" in heads["*msg_103"]
    assert "*reply_104" not in out.read_text()


def test_consented_export_without_any_consent_is_refused(store, tmp_path):
    from export_store import fill

    fill(store).con.execute("DELETE FROM consent")
    out = tmp_path / "corpus.txt"
    with pytest.raises(ConfigError, match="all-pseudonymised"):
        export_iramuteq(store, out)
    assert not out.exists()


def test_sanitizers_follow_iramuteq_rules():
    assert sanitize_name("Board Name_2") == "boardname2"
    assert sanitize_value("vie quotidienne *top*") == "vie-quotidienne-top"
    assert sanitize_value("Thyroïde & cœur") == "Thyroide-coeur"  # ASCII only
    assert sanitize_value(None) == "NA" and sanitize_value("***") == "NA"
    assert sanitize_text("**** x\n*y $5\n  -*theme\r\nok\n\n") == "  x\n y  5\n  - theme\nok"
    assert sanitize_text("<p>a <b>b</b></p> &amp; &eacute;") == " a  b   & é"


_value = st.text(max_size=15)
_variables = st.dictionaries(st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True), _value, max_size=5)
_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_variables, _texts), min_size=1, max_size=5))
def test_round_trip(items):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.txt"
        path.write_text("".join(format_text(v, t) for v, t in items), encoding="utf-8", newline="")
        frame = read_corpus(path)
    assert len(frame) == len(items)
    for (variables, text), row in zip(items, frame.to_dict("records"), strict=True):
        assert row["text"] == sanitize_text(text)
        for name, value in variables.items():
            column = f"{name}_var" if name in ("uci", "line", "text") else name
            assert row[column] == sanitize_value(value)
    assert sanitize_text(sanitize_text(items[0][1])) == sanitize_text(items[0][1])


def test_read_corpus_refuses_non_corpus(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("just text\n", encoding="utf-8")
    with pytest.raises(InputError, match="before the first"):
        read_corpus(path)


def test_importer_reads_records_and_rejects(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text(
        "stray line\n**** *msg_7 *member_alice *thread_t1 *date_2017-03-01 *lang_fr *x_y\nBonjour\n\n"
        "**** *member_guest\nSalut\n",
        encoding="utf-8",
    )
    assert IramuteqImporter.sniff(path) is False  # first line is not a header
    records = list(IramuteqImporter().read(path))
    assert isinstance(records[0], Reject) and records[0].record_no == 1
    first, second = records[1], records[2]
    assert isinstance(first, MessageRecord)
    assert (first.record_no, first.native_id, first.thread_id, first.author, first.text) == (
        2,
        "7",
        "t1",
        "alice",
        "Bonjour",
    )
    assert first.posted_at == "2017-03-01" and first.meta["iramuteq"]["x"] == "y"
    assert (second.author, second.author_status, second.native_id) == (None, "guest", None)


ROUND_TRIP_CSV = """message_id,thread_id,author,posted_at,text,reply_to,board
a1,t1,alice,2017-03-01T10:00:00,"Bonjour, j'ai un nodule <b>depuis</b> mars *** aidez-moi",,Thyroïde & co
a2,t1,bob,2017-03-01T11:30:05,Bienvenue ! Courage $$ à toi,a1,Thyroïde & co
a3,t1,alice,2017-03-02T08:00:00,Merci Bob,a2,Thyroïde & co
b1,t2,carol,2018-05-02T09:15:00,Levothyrox nouvelle formule : effets,,vie quotidienne
b2,t2,alice,2018-05-02T09:20:00,Pareil pour moi,b1,vie quotidienne
b3,t2,bob,2018-05-03T12:00:00,Nous devrions écrire à l'ARS,b1,vie quotidienne
"""


def _messages(store):
    return store.con.execute(
        "SELECT m.message_id, m.native_id, m.posted_at, t.native_id AS thread, p.native_id AS parent,"
        " m.reply_to_id, m.thread_id, t.board FROM messages m JOIN threads t USING (thread_id)"
        " LEFT JOIN messages p ON p.message_id = m.reply_to_id"
    ).df()


def test_export_then_ingest_keeps_threads_dates_and_replies(tmp_path):
    from chrysalide.store import Store

    source = tmp_path / "forum.csv"
    source.write_text(ROUND_TRIP_CSV, encoding="utf-8")
    out = tmp_path / "corpus.txt"
    with Store(tmp_path / "a.duckdb") as first:
        ingest(first, source)
        export_iramuteq(first, out, quotes="all-pseudonymised", ids=True)
        before = _messages(first)
    assert IramuteqImporter.sniff(out)
    with Store(tmp_path / "b.duckdb") as second:
        report = ingest(second, out)  # auto-detected
        after = _messages(second)
        members = second.count("members")
    assert (report.importer, report.imported, report.rejected, report.warning_count) == ("iramuteq", 6, 0, 0)
    assert members == 3
    # The corpus's ids are the first store's internal ids: every message comes back with its date (to the
    # second), its thread and the message it answers.
    by_native = after.set_index("native_id")
    for row in before.itertuples():
        back = by_native.loc[str(row.message_id)]
        assert back["posted_at"] == row.posted_at
        assert back["thread"] == str(row.thread_id)
        expected_parent = None if pd.isna(row.reply_to_id) else str(int(row.reply_to_id))
        assert (None if pd.isna(back["parent"]) else back["parent"]) == expected_parent
    assert sorted(set(after["board"])) == ["Thyroide-co", "vie-quotidienne"]
    assert before["reply_to_id"].notna().sum() == 4


PRIVACY_CSV = """message_id,thread_id,author,text
1,t1,karen2727,"Brain fog since March, my page https://www.facebook.com/helen.dupont"
2,t1,bob_77,"Welcome karen2727! Mail me at bob@example.org or call 06 12 34 56 78 and see @jovana_2 too"
3,t1,jovana_2,"Pacing helps u/bob_77, www.nhs.uk/conditions/long-covid"
"""


def _iramuteq_forms(text: str) -> list[str]:
    """The forms IRaMuTeQ counts with its default cleaning: lower case, characters outside its list of kept ones
    (letters, digits, ``_``, apostrophe) become spaces, apostrophes and hyphens separate forms."""
    return re.sub(r"[^\w']+|_*'_*", " ", text.lower().replace("-", " ")).replace("'", " ").split()


def test_privacy_marks_are_no_words_of_the_corpus(tmp_path):
    """Regression: the corpus kept the marks ingest writes ("[profile-url]", "[email]", "[phone]", "@[user]"),
    links and pseudonyms, which IRaMuTeQ counted as words ("profile", "url", "email", "user", a pseudonym's
    digits), so its classes differed from ours. Expected texts: the raw messages by hand, less what was scrubbed."""
    from chrysalide.store import Store

    source = tmp_path / "forum.csv"
    source.write_text(PRIVACY_CSV, encoding="utf-8")
    with Store(tmp_path / "a.duckdb") as store:
        ingest(store, source)
        stored = " ".join(t for (t,) in store.con.execute("SELECT text FROM messages").fetchall())
        export_iramuteq(store, tmp_path / "corpus.txt", quotes="all-pseudonymised")
    assert all(mark in stored for mark in ("[profile-url]", "[email]", "[phone]", "@M-", "u/M-"))
    texts = list(read_corpus(tmp_path / "corpus.txt")["text"])
    assert texts == [
        "Brain fog since March, my page",
        "Welcome! Mail me at or call and see too",
        "Pacing helps,",
    ]
    forms = {f for t in texts for f in _iramuteq_forms(t)}
    assert not forms & {"profile", "url", "email", "phone", "user", "https", "www", "facebook", "nhs", "m"}
