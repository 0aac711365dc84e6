"""The loader's shared rules, exercised through the generic CSV and JSONL importers."""

import csv
import gzip
import io
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import ingest
from chrysalide.ingest.collect import Member
from chrysalide.store import Store

HEADER = "message_id,thread_id,author,posted_at,text,reply_to,title\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_bytes(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def table(store, sql):
    return store.con.execute(sql).fetchall()


def test_valid_rows_land_with_threads_members_and_replies(store, tmp_path):
    path = write(
        tmp_path,
        "forum.csv",
        HEADER
        + "1,t1,Alice,2017-08-01 10:00,J'ai un nodule,,Nodule\n"
        + "2,t1,Bob,2017-08-01 12:30,Courage !,1,\n"
        + "3,t2,Alice,2017-08-02 09:00,Autre sujet,,Levo\n",
    )
    report = ingest(store, path)
    assert (report.imported, report.rejected, report.duplicates) == (3, 0, 0)
    assert report.source_id == "forum"
    rows = table(
        store, "SELECT native_id, position_in_thread, reply_to_id IS NOT NULL FROM messages ORDER BY native_id"
    )
    assert rows == [("1", 0, False), ("2", 1, True), ("3", 0, False)]
    assert table(store, "SELECT count(*) FROM threads") == [(2,)]
    assert table(store, "SELECT title FROM threads ORDER BY started_at") == [("Nodule",), ("Levo",)]
    starters = table(
        store,
        "SELECT t.starter_id = m.member_id FROM threads t JOIN messages m ON m.thread_id = t.thread_id AND m.position_in_thread = 0",
    )
    assert starters == [(True,), (True,)]
    assert table(store, "SELECT count(*) FROM members") == [(2,)]


def test_bad_records_are_rejected_with_reasons_and_good_ones_land(store, tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "1,t1,Alice,2017-08-01,ok,,\n"
        + "2,t1,Bob,2017-08-01,,,\n"  # empty text
        + "1,t1,Alice,2017-08-01,other content,,\n"  # same id, different content
        + "1,t1,Alice,2017-08-01,ok,,\n"  # exact duplicate
        + "3,t1\n"  # wrong field count
        + "4,t1,Carol,yesterday-ish,undated,,\n"  # unreadable date: kept
        + "5,t1,Dan,2017-08-03,reply to nothing,99,\n",  # missing parent: kept as root
    )
    report = ingest(store, path)
    assert (report.imported, report.rejected, report.duplicates) == (3, 3, 1)
    reasons = dict(table(store, "SELECT record_no, reason FROM rejects"))
    assert reasons[3] == "empty text"
    assert "different content" in reasons[4] and "record 2" in reasons[4]
    assert reasons[6] == "line 6: expected 7 fields, found 2"
    assert table(store, "SELECT posted_at FROM messages WHERE native_id = '4'") == [(None,)]
    assert table(store, "SELECT reply_to_id, meta->>'reply_to_native' FROM messages WHERE native_id = '5'") == [
        (None, "99")
    ]
    assert any("not a date" in w or "yesterday" in w for w in report.warnings)


def test_reimport_changes_nothing(store, tmp_path):
    path = write(tmp_path, "f.csv", HEADER + "1,t1,Alice,2017-08-01,ok,,\n2,t1,Bob,2017-08-01,,,\n")
    ingest(store, path)
    snapshot = {
        t: table(store, f"SELECT * FROM {t} ORDER BY ALL") for t in ("messages", "members", "threads", "rejects")
    }
    again = ingest(store, path)
    assert (again.imported, again.duplicates) == (0, 1)
    assert snapshot == {t: table(store, f"SELECT * FROM {t} ORDER BY ALL") for t in snapshot}


def test_reimport_with_new_rows_adds_only_them_and_reorders_threads(store, tmp_path):
    path = write(tmp_path, "f.csv", HEADER + "2,t1,Bob,2017-08-02,second,,\n")
    ingest(store, path)
    path.write_text(HEADER + "2,t1,Bob,2017-08-02,second,,\n1,t1,Alice,2017-08-01,first,,\n")
    report = ingest(store, path)
    assert (report.imported, report.duplicates) == (1, 1)
    assert table(store, "SELECT text FROM messages ORDER BY position_in_thread") == [("first",), ("second",)]
    starter = table(store, "SELECT m.text FROM threads t JOIN messages m ON m.member_id = t.starter_id")
    assert starter == [("first",)]


def test_latin1_and_bom_and_semicolons(store, tmp_path):
    latin = write(
        tmp_path,
        "latin.csv",
        HEADER.replace(",", ";") + "1;t1;Zoé;25/03/2010 14:05;Très inquiète, à l'aide;;Thyroïde\n",
        "cp1252",
    )
    bom = write(tmp_path, "bom.csv", "\ufeff" + HEADER + "1,t1,Zoé,2010-03-25,Ça va mieux,,\n")
    ingest(store, latin)
    ingest(store, bom)
    texts = sorted(r[0] for r in table(store, "SELECT text FROM messages"))
    assert texts == ["Très inquiète, à l'aide", "Ça va mieux"]


def test_names_are_pseudonymised_everywhere(store, tmp_path):
    path = write(
        tmp_path,
        "f.csv",
        HEADER
        + "1,t1,Sophie_T,2017-08-01,Bonjour,,Sophie_T a peur\n2,t1,marc75,2017-08-01,Merci @Sophie_T et sophie_t,1,\n",
    )
    ingest(store, path)
    dump = json.dumps(
        table(store, "SELECT * FROM messages")
        + table(store, "SELECT * FROM members")
        + table(store, "SELECT * FROM threads"),
        default=str,
    )
    assert "Sophie" not in dump and "sophie" not in dump and "marc75" not in dump
    assert store.key_path.exists()


def test_keep_names_opt_out_and_no_mixing(store, tmp_path):
    path = write(tmp_path, "f.csv", HEADER + "1,t1,Alice,2017-08-01,Hi,,\n")
    ingest(store, path, keep_names=True)
    assert table(store, "SELECT pseudonym FROM members") == [("Alice",)]
    with pytest.raises(ConfigError, match="keep-names"):
        ingest(store, path)


def test_guests_and_deleted_authors_belong_to_no_member(store, tmp_path):
    path = write(
        tmp_path,
        "f.csv",
        HEADER + "1,t1,Guest,2017-08-01,hello,,\n2,t1,[deleted],2017-08-01,[removed],,\n3,t1,,2017-08-01,anon,,\n",
    )
    report = ingest(store, path)
    assert report.imported == 3
    assert table(store, "SELECT count(*) FROM members") == [(0,)]
    statuses = sorted(r[0] for r in table(store, "SELECT meta->>'author_status' FROM messages"))
    assert statuses == ["deleted", "guest", "missing"]  # an empty author says nothing of a deleted account


def test_placeholder_authors_are_missing_authors_not_one_member(store, tmp_path):
    # Regression: the Fiv.fr export's four posts by "N/A" made one member of four unknown people.
    placeholders = ["N/A", "n/a", "NA", "null", "None", "-", " "]
    rows = [f"{i},t1,{name},2017-08-01,message {i},," for i, name in enumerate(placeholders)]
    path = write(tmp_path, "f.csv", HEADER + "\n".join([*rows, "99,t1,Nadia,2017-08-01,hello,,"]) + "\n")
    report = ingest(store, path)
    assert report.imported == len(placeholders) + 1
    assert table(store, "SELECT count(*) FROM members") == [(1,)]
    statuses = table(store, "SELECT meta->>'author_status', count(*) FROM messages GROUP BY ALL ORDER BY 1")
    assert statuses == [("missing", len(placeholders)), (None, 1)]


def test_a_placeholder_is_no_name_of_a_member_known_by_id():
    member = Member()
    for name in ("N/A", "Nadia", "null", "Nadia"):
        member.add_name(name)
    assert member.names == ["Nadia"]


def test_map_renames_columns_and_missing_text_column_is_a_clear_error(store, tmp_path):
    path = write(tmp_path, "f.csv", "id,topic,user,date,body\n1,t1,Alice,2017-08-01,Bonjour\n")
    with pytest.raises(InputError, match="missing required text"):
        ingest(store, path)
    report = ingest(
        store,
        path,
        mapping={"message_id": "id", "thread_id": "topic", "author": "user", "posted_at": "date", "text": "body"},
    )
    assert report.imported == 1
    with pytest.raises(ConfigError, match="unknown field"):
        ingest(store, path, mapping={"body_text": "body"})


def test_map_to_a_column_the_csv_lacks_is_refused_and_nothing_imported(store, tmp_path):
    # Regression: --map posted_at=Datum on a file whose column is "Date" imported every message undated.
    path = write(tmp_path, "fiv.csv", "Utilisateur,Date,Contenu\nCara,2024-06-10T12:15:13+00:00,Bonjour\n")
    with pytest.raises(InputError) as caught:
        ingest(store, path, mapping={"author": "Utilisateur", "posted_at": "Datum", "text": "Contenu"})
    message = str(caught.value)
    assert "fiv.csv" in message and "posted_at=Datum" in message and "'Datum'" in message
    assert "Utilisateur, Date, Contenu" in message
    assert store.count("messages") == 0 and store.count("members") == 0


@pytest.mark.parametrize("array", [False, True])
def test_map_to_a_json_key_no_record_has_is_refused_one_some_records_have_is_not(store, tmp_path, array):
    objects = [{"id": "1", "body": "first post"}, {"id": "2", "body": "a reply", "parent": "1"}]
    path = tmp_path / ("f.json" if array else "f.jsonl")
    path.write_text(json.dumps(objects) if array else "".join(json.dumps(o) + "\n" for o in objects))
    mapping = {"message_id": "id", "text": "body", "reply_to": "parent"}
    with pytest.raises(InputError) as caught:
        ingest(store, path, mapping={**mapping, "posted_at": "when"})
    message = str(caught.value)
    assert path.name in message and "posted_at=when" in message and "id, body, parent" in message
    assert store.count("messages") == 0
    report = ingest(store, path, mapping=mapping)  # "parent": in the second record only
    assert report.imported == 2
    assert table(store, "SELECT native_id FROM messages WHERE reply_to_id IS NOT NULL") == [("2",)]


def test_header_only_is_an_input_without_records(store, tmp_path):
    with pytest.raises(InputError, match="no records"):
        ingest(store, write(tmp_path, "h.csv", HEADER))
    assert store.count("messages") == 0 and store.count("runs") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("missing.csv", None, "no such file"), ("empty.csv", b"", "empty"), ("bin.csv", b"\x00\x01\x02garbage", "binary")],
)
def test_unusable_inputs_are_input_errors(store, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        ingest(store, path)


def test_unknown_extension_needs_a_format(store, tmp_path):
    path = write(tmp_path, "f.xyz", "whatever\n")
    with pytest.raises(InputError, match="cannot tell the format"):
        ingest(store, path)


def test_jsonl_gz_with_malformed_line_and_truncation(store, tmp_path):
    lines = [
        json.dumps({"message_id": i, "thread_id": "t", "author": "A", "posted_at": 1502000000 + i, "text": f"m{i}"})
        for i in range(50)
    ]
    lines.insert(10, "{not json")
    blob = gzip.compress(("\n".join(lines) + "\n").encode())
    whole = tmp_path / "f.jsonl.gz"
    whole.write_bytes(blob)
    report = ingest(store, whole)
    assert (report.imported, report.rejected) == (50, 1)
    assert "invalid JSON" in table(store, "SELECT reason FROM rejects")[0][0]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(blob[: len(blob) // 2])
    with Store(tmp_path / "cut.duckdb") as other:  # its messages are the whole file's: a store of their own
        report = ingest(other, cut)
        assert 0 < report.imported < 50
        assert any("truncated" in r[0] for r in table(other, "SELECT reason FROM rejects WHERE source_id = 'cut'"))


@pytest.mark.parametrize("n", [3, 10, 30])
def test_a_small_gz_cut_short_lands_its_whole_lines(store, tmp_path, n):
    """Regression: gzip's reader dropped what it had decoded in the read that met the cut, so a small file cut short
    was refused as unreadable, where its first lines were whole."""
    lines = "".join(json.dumps({"message_id": f"{n}-{i}", "text": f"message number {i}"}) + "\n" for i in range(n))
    blob = gzip.compress(lines.encode())
    cut = blob[: len(blob) - 10]
    whole_lines = zlib.decompressobj(wbits=31).decompress(cut).count(b"\n")  # what zlib itself can decode
    assert 0 < whole_lines < n
    report = ingest(store, write_bytes(tmp_path, f"cut{n}.jsonl.gz", cut))
    assert (report.imported, report.rejected) == (whole_lines, 1)


def test_gz_members_one_after_another_and_zero_padding_are_read(store, tmp_path):
    parts = [[{"message_id": f"{m}-{i}", "text": f"member {m} line {i}"} for i in range(3)] for m in range(2)]
    blob = b"".join(gzip.compress("".join(json.dumps(r) + "\n" for r in part).encode()) for part in parts)
    report = ingest(store, write_bytes(tmp_path, "members.jsonl.gz", blob + b"\x00" * 16))
    assert (report.imported, report.rejected) == (6, 0)
    with pytest.raises(InputError, match=r"plain.jsonl.gz: cannot read or decompress"):
        ingest(store, write_bytes(tmp_path, "plain.jsonl.gz", b'{"text": "not compressed"}\n'))


def test_json_array_file(store, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"message_id": "x", "thread_id": "t", "author": "A", "text": "hi"}, 3]))
    report = ingest(store, path)
    assert (report.imported, report.rejected) == (1, 1)


def test_what_follows_a_json_array_is_read_not_dropped(store, tmp_path):
    """Regression: a file written in batches ("[...]" per line) or an array followed by JSON Lines landed its first
    array only, with no reject and no warning."""
    batches = [[{"text": f"batch {b} item {i}"} for i in range(n)] for b, n in ((1, 2), (2, 2), (3, 1))]
    path = write(tmp_path, "batches.jsonl", "".join(json.dumps(batch) + "\n" for batch in batches))
    report = ingest(store, path)
    want = sorted(item["text"] for batch in batches for item in batch)
    assert (report.imported, report.rejected) == (len(want), 0)
    assert sorted(r[0] for r in table(store, "SELECT text FROM messages")) == want
    mixed = write(tmp_path, "mixed.jsonl", '[{"text": "a"}]\n{"text": "b"}\n{"text": "c"}\nnot json\n')
    report = ingest(store, mixed)
    assert (report.imported, report.rejected) == (3, 1)
    assert table(store, "SELECT record_no, reason FROM rejects WHERE source_id = 'mixed'") == [
        (4, "item 4: invalid JSON")
    ]
    assert ingest(store, mixed).imported == 0 and ingest(store, path).imported == 0


def _deep(levels):
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("one_line", [False, True])
def test_an_item_too_deep_or_broken_costs_that_item_in_an_object_of_messages(store, tmp_path, one_line):
    """Regression: in ``{"messages": [...]}`` one item nested too deeply (or broken) refused the whole file; a top-level
    array kept its good items. Both now reject that item, name it and land the others."""
    for name, opening, closing in (
        ("object", '{"forum": "x", "messages": [', '], "exported": "2026"}'),
        ("array", "[", "]"),
    ):
        good = [{"message_id": f"{name}{i}", "thread_id": "t", "text": f"message {i}"} for i in range(4)]
        items = [json.dumps(good[0]), '{"message_id": "deep", "text": ' + _deep(100_000) + "}", json.dumps(good[1])]
        items += ['{"message_id": "broken", "text": "no end', json.dumps(good[2]), json.dumps(good[3])]
        if one_line:  # a broken item is skipped to the end of its line: there, only the too-deep one can be
            items = [i for i in items if "broken" not in i]
        path = write(tmp_path, f"{name}.json", opening + (", " if one_line else ",\n").join(items) + closing)
        report = ingest(store, path)
        assert (report.imported, report.rejected) == (len(good), len(items) - len(good)), name
        rows = table(store, f"SELECT record_no, reason FROM rejects WHERE source_id = '{name}' ORDER BY 1")
        assert rows[0] == (2, "item 2: JSON nested too deeply")
        if not one_line:
            assert rows[1] == (4, "item 4: invalid JSON")
        texts = table(store, f"SELECT text FROM messages WHERE native_id LIKE '{name}%' ORDER BY 1")
        assert [t[0] for t in texts] == [g["text"] for g in good]


def test_an_object_of_messages_is_read_as_its_array_one_line_or_pretty_printed(store, tmp_path):
    """Regression: ``{"messages": [...]}``, documented, was read as JSON Lines: its one line a record without text."""
    for name, indent in (("one_line", None), ("pretty", 2)):
        messages = [{"message_id": f"{name}{i}", "text": f"{name} text {i}"} for i in range(3)]
        text = json.dumps({"forum": "x", "messages": messages, "exported": "2026"}, indent=indent)
        report = ingest(store, write(tmp_path, f"{name}.json", text))
        assert (report.imported, report.rejected) == (3, 0), name
    lines = write(
        tmp_path, "lines.jsonl", "".join(json.dumps({"text": f"line {i}", "messages": 2}) + "\n" for i in range(2))
    )
    assert ingest(store, lines).imported == 2  # JSON Lines whose records have a "messages" field stay lines
    listed = "".join(json.dumps({"text": f"listed {i}", "messages": [i]}) + "\n" for i in range(3))
    assert ingest(store, write(tmp_path, "listed.jsonl", listed)).imported == 3  # a list there too: more lines follow


def test_an_object_without_a_readable_messages_array_is_refused_naming_the_file(store, tmp_path):
    path = write(tmp_path, "o.json", '{"forum": "x", "posts": [{"text": "a"}, ')
    with pytest.raises(InputError, match="o.json: none of its 1 records .*invalid JSON"):
        ingest(store, path)
    assert store.count("messages") == 0


def test_a_field_of_the_wrong_type_is_named_as_users_name_it(store, tmp_path):
    """Regression: the reasons said "field 'native_id'" for message_id and "found WrongType" for a date."""
    lines = [
        {"message_id": ["a"], "text": "one"},
        {"message_id": "b", "text": "two", "posted_at": True},
        {"message_id": "c", "text": "three", "posted_at": {"d": 1}},
        {"message_id": "d", "text": "four"},
    ]
    path = write(tmp_path, "typed.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    assert ingest(store, path).imported == 1
    assert table(store, "SELECT record_no, reason FROM rejects ORDER BY record_no") == [
        (1, "field 'message_id': expected an id (text or integer), found a list"),
        (2, "field 'posted_at': expected a date or a number, found a boolean"),
        (3, "field 'posted_at': expected a date or a number, found an object"),
    ]


def test_a_json_text_given_piece_by_piece_is_joined_one_piece_a_line(store, tmp_path):
    """Doctissimo's sentence-level annotations keep each post as its sentences; a bad piece is a reject naming it."""
    posts = [
        {"post_id": 1, "sentences": [{"text": "Bonjour,", "niveau1": "fonction_phatique"}, {"text": "Merci."}]},
        {"post_id": 2, "sentences": ["Une ligne.", "Une autre."]},
        {"post_id": 3, "sentences": ["Une ligne.", 7]},
        {"post_id": 4, "sentences": [{"label": "x"}]},
        {"post_id": 5, "sentences": []},
    ]
    path = tmp_path / "posts.json"
    path.write_text(json.dumps(posts))
    report = ingest(store, path, mapping={"message_id": "post_id", "text": "sentences"})
    assert (report.imported, report.rejected) == (2, 3)
    texts = table(store, "SELECT native_id, text FROM messages ORDER BY record_no")
    assert texts == [("1", "Bonjour,\nMerci."), ("2", "Une ligne.\nUne autre.")]
    assert table(store, "SELECT record_no, reason FROM rejects ORDER BY record_no") == [
        (3, "field 'text': expected text, found a list whose item 2 is a number"),
        (4, "field 'text': expected text, found a list whose item 1 is an object without a 'text' string"),
        (5, "empty text"),
    ]


def test_a_plain_text_file_is_no_csv_and_the_error_names_its_first_line(store, tmp_path):
    """Doctissimo's corpus_brut.txt: posts one after another, separated by lines of '='."""
    path = write(tmp_path, "corpus.txt", "\nBonjour,\nJ'ai une question.\n\n" + "=" * 72 + "\n\nHello\n")
    with pytest.raises(InputError) as caught:
        ingest(store, path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 2: 'Bonjour,' is no header row") and "plain text" in message
    prose = write(tmp_path, "prose.csv", "I have had this for years and nobody listens\nsecond line\n")
    with pytest.raises(InputError, match="line 1: 'I have had this for years and nobody listens' is no header row"):
        ingest(store, prose)
    assert store.count("messages") == 0


def test_interrupted_import_leaves_database_as_it_was(tmp_path, monkeypatch):
    import chrysalide.ingest.writer as writer

    store = Store(tmp_path / "db.duckdb")
    path = write(tmp_path, "f.csv", HEADER + "1,t1,Alice,2017-08-01,ok,,\n")

    def boom(_store):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_order_threads", boom)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, path)
    assert table(store, "SELECT count(*) FROM messages") == [(0,)]
    assert table(store, "SELECT status FROM runs") == [("failed",)]


texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=300
).filter(lambda t: t.strip() != "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=8))
def test_any_text_round_trips_through_csv(tmp_path_factory, bodies):
    folder = tmp_path_factory.mktemp("rt")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["message_id", "thread_id", "author", "text"])
    for i, body in enumerate(bodies):
        writer.writerow([i, "t", "Alice", body])
    path = folder / "rt.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    with Store(folder / "db.duckdb") as store:
        report = ingest(store, path, keep_names=True)
        assert report.imported == len(bodies)
        stored = [r[0] for r in store.con.execute("SELECT text FROM messages ORDER BY record_no").fetchall()]
    # Files with CR-only or mixed line endings are read with universal newlines: any line break (\r\n, a
    # lone \r) inside a text arrives as \n; everything else round-trips unchanged.
    assert stored == [b.replace("\r\n", "\n").replace("\r", "\n") for b in bodies]
