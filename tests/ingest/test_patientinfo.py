"""The ``patientinfo`` importer: nested replies, tree-path ids, guests; and the real corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrysalide.errors import InputError
from chrysalide.ingest.formats.patientinfo import PatientInfoImporter, board_of
from chrysalide.ingest.loader import ingest

TINY = Path(__file__).resolve().parents[1] / "data" / "patientinfo" / "tiny.json"
REAL = "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json"
URL = "https://patient.info/forums/discuss/knee-swelling-after-infection-100"


def test_tree_becomes_messages_with_path_ids() -> None:
    assert PatientInfoImporter.sniff(TINY)
    records = list(PatientInfoImporter().read(TINY))
    assert [(r.record_no, r.native_id, r.reply_to) for r in records] == [
        (1, URL, None),
        (2, f"{URL}#r1", URL),
        (3, f"{URL}#r2", URL),
        (4, f"{URL}#r2.1", f"{URL}#r2"),
        (5, "https://patient.info/forums/discuss/red-eye-again-200", None),
    ]
    start, guest = records[0], records[1]
    assert (start.title, start.thread_id, start.board) == (
        "Knee swelling after infection",
        URL,
        "reactive-arthritis-1981",
    )
    assert start.posted_at == "2020-03-25T20:57+00:00" and start.author == "marie12"
    assert (guest.author, guest.author_status) == (None, "guest")
    assert records[4].board == "scleritis-and-episcleritis-2084"  # trailing slash in the group url


def test_board_of() -> None:
    assert board_of("https://patient.info/forums/discuss/browse/reactive-arthritis-1981") == "reactive-arthritis-1981"


def test_malformed_nodes_are_rejects_and_bad_documents_raise(tmp_path: Path) -> None:
    doc = {"https://patient.info/forums/discuss/browse/g-1": [
        {"title": "no url", "user": "a", "post": "x", "date posted": "2020-01-01T00:00+00:00"},
        {"title": "t", "user": "a", "post": "x", "date posted": "2020-01-01T00:00+00:00", "url": "u1",
         "replies": [5, {"user": "b", "post": "y", "replies": "oops"}]},
        "not a thread",
    ], "https://patient.info/forums/discuss/browse/g-2": "not a list"}  # fmt: skip
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    records = list(PatientInfoImporter().read(path))
    kinds = [(type(r).__name__, r.record_no) for r in records]
    assert kinds == [("Reject", 1), ("MessageRecord", 2), ("Reject", 3), ("MessageRecord", 4), ("Reject", 5),
                     ("Reject", 6), ("Reject", 7)]  # fmt: skip
    bad = tmp_path / "bad.json"
    bad.write_text('{"https://patient.info/x": [')
    with pytest.raises(InputError):
        list(PatientInfoImporter().read(bad))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(posts=st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=6))
def test_any_text_round_trips_and_ids_are_stable(tmp_path: Path, posts: list[str]) -> None:
    node: dict = {"user": "u", "post": posts[-1], "date posted": "2020-01-01T00:00+00:00"}
    for text in reversed(posts[:-1]):  # a reply chain as deep as the list
        node = {"user": "u", "post": text, "date posted": "2020-01-01T00:00+00:00", "replies": [node]}
    thread = {**node, "title": "t", "url": "https://patient.info/forums/discuss/t-1"}
    path = tmp_path / "rt.json"
    path.write_text(json.dumps({"https://patient.info/forums/discuss/browse/g-1": [thread]}))
    first = list(PatientInfoImporter().read(path))
    assert [r.text for r in first] == posts
    assert [r.native_id for r in first] == [r.native_id for r in PatientInfoImporter().read(path)]
    assert all(r.reply_to == p.native_id for p, r in zip(first, first[1:], strict=False))


def _walk(nodes: list, out: list) -> None:
    for node in nodes:
        out.append(node)
        _walk(node.get("replies") or [], out)


@pytest.mark.corpora
def test_real_corpus_counts(store, corpora: Path) -> None:
    path = corpora / REAL
    doc = json.loads(path.read_text(encoding="utf-8"))
    nodes: list = []
    threads = [t for group in doc.values() for t in group]
    _walk(threads, nodes)
    named = {n["user"] for n in nodes if n["user"] != "Guest"}
    report = ingest(store, path)  # auto-detected
    assert report.importer == "patientinfo"
    assert (report.imported, report.rejected, report.duplicates) == (len(nodes), 0, 0)
    row = store.con.execute(
        "SELECT count(*), count(DISTINCT thread_id), count(DISTINCT member_id), count(reply_to_id) FROM messages"
    ).fetchone()
    assert row == (len(nodes), len(threads), len(named), len(nodes) - len(threads))
    guests = store.con.execute("SELECT count(*) FROM messages WHERE member_id IS NULL").fetchone()[0]
    assert guests == sum(n["user"] == "Guest" for n in nodes)
    before = store.con.execute("SELECT count(*), sum(hash(message_id, text)) FROM messages").fetchone()
    again = ingest(store, path)
    assert (again.imported, again.duplicates) == (0, len(nodes))
    assert store.con.execute("SELECT count(*), sum(hash(message_id, text)) FROM messages").fetchone() == before


@pytest.mark.corpora
def test_real_corpus_text_is_clean_and_keeps_its_source_form(store, corpora: Path) -> None:
    """Issue 12: 212 posts kept <p> tags and 205 kept entities; counted here from the JSON itself."""
    path = corpora / REAL
    nodes: list = []
    _walk([t for group in json.loads(path.read_text(encoding="utf-8")).values() for t in group], nodes)
    html = sum("<p>" in n["post"] for n in nodes)
    entities = sum(bool(re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-z]+);", n["post"])) for n in nodes)
    bbcode = sum("[i:" in n["post"] or "[b]" in n["post"] for n in nodes)
    assert html == 212 and bbcode > 0
    report = ingest(store, path)
    assert (report.cleaned["html"], report.cleaned["entities"]) == (html, entities)
    left = store.con.execute(
        "SELECT count(*) FILTER (text LIKE '%<p>%'), count(*) FILTER (text LIKE '%&#39;%'),"
        " count(*) FILTER (text LIKE '%[i:%' OR text LIKE '%[b]%'), count(*) FILTER (text LIKE '%didn''t%') FROM messages"
    ).fetchone()
    assert left[:3] == (0, 0, 0) and left[3] >= sum("didn&#39;t" in n["post"] for n in nodes) > 0
    changed = {n["post"] for n in nodes if "<" in n["post"] or "&" in n["post"] or "[" in n["post"]}
    sources = store.con.execute("SELECT count(*) FROM message_sources").fetchone()[0]
    assert 0 < sources <= len(changed)
    assert (
        store.con.execute("SELECT count(*) FROM message_sources WHERE source_text LIKE '%<p>%'").fetchone()[0] == html
    )
