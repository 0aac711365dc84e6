"""IRaMuTeQ corpus: export, read_corpus, the importer, and the round trip (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.errors import InputError
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
    assert lines[0] == (
        # Under --quotes consented the thread is the store's id, not the source's (t10), which links to a post.
        "**** *msg_101 *member_M-aaaa000001 *thread_10 *board_thyroide *year_2017 *month_2017-03"
        " *stage_individual *lang_fr *position_first"
    )
    assert sum(line.startswith("****") for line in lines) == 2  # the message's own "****" line was defused
    frame = read_corpus(out)
    assert list(frame["msg"]) == ["101", "105"]
    assert frame.loc[1, "text"] == "Merci pour vos réponses *** vraiment\n pas une nouvelle ligne IRaMuTeQ"
    assert "[email]" in frame.loc[0, "text"]


def test_all_pseudonymised_exports_every_member_not_excluded(filled, tmp_path):
    out = tmp_path / "corpus.txt"
    export_iramuteq(filled, out, quotes="all-pseudonymised")
    frame = read_corpus(out)
    assert sorted(frame["msg"].astype(int)) == [101, 102, 103, 105, 106, 107]
    assert set(frame["member"]) == {"M-aaaa000001", "M-bbbb000002", "M-cccc000003", "guest"}
    assert frame.set_index("msg").loc["107", "stage"] == "societal"
    assert frame.set_index("msg").loc["106", "stage"] == "none"


def test_sanitizers_follow_iramuteq_rules():
    assert sanitize_name("Board Name_2") == "boardname2"
    assert sanitize_value("vie quotidienne *top*") == "vie-quotidienne-top"
    assert sanitize_value(None) == "NA" and sanitize_value("***") == "NA"
    assert sanitize_text("**** x\n*y\n  -*theme\r\nok\n\n") == " x\ny\n  -theme\nok"


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


def test_export_then_ingest(filled, tmp_path, store_factory=None):
    from chrysalide.store import Store

    out = tmp_path / "corpus.txt"
    export_iramuteq(filled, out, quotes="all-pseudonymised")
    assert IramuteqImporter.sniff(out)
    target = Store(tmp_path / "other.duckdb")
    report = ingest(target, out)  # auto-detected
    assert (report.importer, report.imported, report.rejected) == ("iramuteq", 6, 0)
    assert target.count("threads") == 2 and target.count("members") == 3
    target.close()
