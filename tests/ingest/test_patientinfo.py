"""The ``patientinfo`` importer: nested replies, tree-path ids, guests; and the real corpus."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrysalide.errors import InputError
from chrysalide.ingest.formats.patientinfo import PatientInfoImporter, board_of
from chrysalide.ingest.loader import ingest
from chrysalide.ingest.records import POSTED_AT_SOURCE

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


# The shapes of the real file (threads 29914 and 670941): a request dated by a later activity (2020) before its
# 2010 answer, and a reply dated 2020 above its own 2018 replies. The thread start of the second is earlier than
# all its replies and keeps its date.
LATE = TINY.with_name("late.json")


def test_a_message_dated_after_a_reply_to_it_is_dated_by_its_earliest_reply(tmp_path: Path) -> None:
    path = tmp_path / "late.json"
    shutil.copyfile(LATE, path)
    got = {r.native_id.rsplit("/", 1)[1]: (r.posted_at, r.meta) for r in PatientInfoImporter().read(path)}
    assert got == {
        "recurrent-1": ("2010-06-17T19:09+00:00", {POSTED_AT_SOURCE: "2020-03-25T20:57+00:00"}),
        "recurrent-1#r1": ("2010-06-17T19:09+00:00", {}),
        "recurrent-1#r1.1": ("2010-06-17T21:09+00:00", {}),
        "fasting-2": ("2018-07-29T12:58+00:00", {}),
        "fasting-2#r1": ("2018-08-29T04:54+00:00", {POSTED_AT_SOURCE: "2020-03-25T21:12+00:00"}),
        "fasting-2#r1.1": ("2018-08-29T04:54+00:00", {}),
        "fasting-2#r1.2": ("2019-01-26T00:49+00:00", {}),
    }


def test_the_import_warns_about_each_redated_message_and_counts_them(store, tmp_path: Path) -> None:
    path = tmp_path / "late.json"
    shutil.copyfile(LATE, path)
    report = ingest(store, path)
    assert report.redated == 2 and report.warning_count == 2
    first = report.warnings[0]
    for part in ("'late.json'", "'https://patient.info/forums/discuss/recurrent-1'", "'2020-03-25T20:57+00:00'",
                 "'2010-06-17T19:09+00:00'"):  # fmt: skip
        assert part in first
    stored = store.con.execute(
        "SELECT native_id, posted_at, json_extract_string(meta, '$.posted_at_source') FROM messages"
        " WHERE json_extract_string(meta, '$.posted_at_source') IS NOT NULL ORDER BY record_no"
    ).fetchall()
    assert [(n.rsplit("/", 1)[1], str(at), src) for n, at, src in stored] == [
        ("recurrent-1", "2010-06-17 19:09:00", "2020-03-25T20:57+00:00"),
        ("fasting-2#r1", "2018-08-29 04:54:00", "2020-03-25T21:12+00:00"),
    ]


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


@pytest.mark.corpora
def test_real_corpus_messages_dated_after_their_replies(store, corpora: Path) -> None:
    """Three thread starts and one reply are dated after a reply below them; a member's 2010 request, dated 2020
    in the file, becomes her first message (her 2017 reply was)."""
    path = corpora / REAL
    doc = json.loads(path.read_text(encoding="utf-8"))

    def dates(node: dict) -> list[str]:
        return [node["date posted"], *(d for r in node.get("replies") or [] for d in dates(r))]

    nodes: list = []
    _walk([t for group in doc.values() for t in group], nodes)
    # Dates are all written the same way ("2020-03-25T20:57+00:00"): as strings they sort as times.
    late = [n for n in nodes if min(dates(n)) < n["date posted"]]
    starts = [n for n in late if "url" in n]
    assert (len(late), len(starts)) == (4, 3)
    report = ingest(store, path, keep_names=True)
    assert report.redated == len(late)
    thread = "https://patient.info/forums/discuss/recurrent-reactive-arthritis-29914"
    author = next(n["user"] for n in starts if n["url"] == thread)  # read here: a real member's name
    first = store.con.execute(
        "SELECT m.native_id, m.posted_at, m.reply_to_id IS NULL FROM messages m JOIN members p USING (member_id)"
        " WHERE p.pseudonym = ? ORDER BY m.posted_at, m.record_no LIMIT 1",
        [author],
    ).fetchone()
    assert first == (thread, datetime(2010, 6, 17, 19, 9), True)
