"""A source imported again with other content: the reject names the field that differs, and a date only written
otherwise for the same instant is the stored message (``ingest/changed.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chrysalide.ingest.changed import FIELDS, differing, field_digest
from chrysalide.ingest.loader import ingest
from chrysalide.ingest.report import kind
from chrysalide.store import Store

HEADER = "message_id,thread_id,author,posted_at,text\n"
FIRST = (
    "m1,t1,Alice Zorn,2021-03-04 10:00,I have a question about my dose\n"
    "m2,t1,Bob Quill,2021-03-04 11:00,Have you asked your doctor about the dose\n"
    "m3,t1,Zinnia Vint,2021-03-05 09:30,Welcome to the group\n"
)


def _csv(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _reasons(store: Store) -> dict[int, str]:
    return dict(store.con.execute("SELECT record_no, reason FROM rejects ORDER BY record_no").fetchall())


def test_field_digest_names_each_field() -> None:
    parts = ["t1", "name:alice", "2021-03-04 10:00", "text", None, None, None]
    before = field_digest(*parts)
    assert len(before) == 4 * len(FIELDS)
    for i, name in enumerate(FIELDS):
        changed = [*parts]
        changed[i] = f"{parts[i]}!"
        assert differing(before, field_digest(*changed)) == [name]
    assert differing(before, field_digest(*parts)) == []


def test_same_instant_written_otherwise_is_a_duplicate(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path, "forum.csv", FIRST), source_name="forum")
    dates = store.con.execute("SELECT native_id, posted_at FROM messages ORDER BY native_id").fetchall()
    again = _csv(
        tmp_path,
        "again.csv",
        "m1,t1,Alice Zorn,2021-03-04T10:00:00Z,I have a question about my dose\n"
        "m2,t1,Bob Quill,2021-03-04T12:00:00+01:00,Have you asked your doctor about the dose\n"
        "m3,t1,Zinnia Vint,2021-03-05 09:30,Welcome to the group\n",
    )
    report = ingest(store, again, source_name="forum")
    assert (report.imported, report.rejected, report.duplicates) == (0, 0, 3)
    assert any("2 message(s) imported before have their date written otherwise" in w for w in report.warnings)
    assert store.con.execute("SELECT native_id, posted_at FROM messages ORDER BY native_id").fetchall() == dates
    assert _reasons(store) == {}


def test_reject_names_what_differs(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path, "forum.csv", FIRST), source_name="forum")
    texts = store.con.execute("SELECT native_id, text FROM messages ORDER BY native_id").fetchall()
    edited = _csv(
        tmp_path,
        "edited.csv",
        "m1,t1,Alice Zorn,2021-03-04 10:00,I have a question about my dose (edited)\n"
        "m2,t1,Bob Quill,2021-03-04 12:00,Have you asked your doctor about the dose\n"
        "m3,t2,Zinnia Vint ,2021-03-05 09:30,Welcome to the group\n",
    )
    report = ingest(store, edited, source_name="forum")
    assert (report.imported, report.rejected, report.duplicates) == (0, 3, 0)
    reasons = _reasons(store)
    assert reasons[2] == (
        "id 'm1' was imported before with different content: its text differs; the stored message is kept"
    )
    assert reasons[3] == (
        "id 'm2' was imported before with different content: its date differs (date stored: "
        "'2021-03-04 11:00:00 UTC', read: '2021-03-04 12:00'); the stored message is kept"
    )
    # The author's trailing space is no change: the thread is.
    assert "its thread differs;" in reasons[4]
    assert store.con.execute("SELECT native_id, text FROM messages ORDER BY native_id").fetchall() == texts
    # Importing the same file again rejects nothing twice.
    ingest(store, edited, source_name="forum")
    assert store.con.execute("SELECT count(*) FROM rejects").fetchone() == (3,)
    # One kind of reason for every changed date, whatever its values.
    assert kind(reasons[3]) == re.sub(r"'[^']*'", "'…'", reasons[3])


def test_messages_of_an_older_version_say_why_no_field_is_named(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path, "forum.csv", FIRST), source_name="forum")
    store.con.execute("UPDATE messages SET field_digest = NULL")
    report = ingest(
        store,
        _csv(tmp_path, "again.csv", "m1,t1,Alice Zorn,2021-03-04T10:00:00Z,I have a question about my dose\n"),
        source_name="forum",
    )
    assert report.rejected == 1
    assert _reasons(store)[2] == (
        "id 'm1' was imported before with different content (imported by an older version, which kept no digest "
        "of each field to tell which differs)"
    )


PATIENT_INFO = "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json"


def _shifted(value: str) -> str:
    """'2020-02-22T02:55+00:00' -> '2020-02-22T03:55+01:00', the same instant."""
    hour = int(value[11:13])
    assert value.endswith("+00:00") and hour < 23
    return f"{value[:11]}{hour + 1:02d}{value[13:16]}+01:00"


@pytest.mark.corpora
def test_patient_info_exported_again(store: Store, corpora: Path, tmp_path: Path) -> None:
    """patient.info's threads saved again with every date an hour ahead in a zone an hour ahead, and one reply
    edited: every message is its stored one but the edited reply, rejected for its text alone."""
    forums = json.loads((corpora / PATIENT_INFO).read_text(encoding="utf-8"))
    first = ingest(store, corpora / PATIENT_INFO)
    shifted, edited = 0, None

    def shift(node: dict) -> None:
        nonlocal shifted
        if node.get("date posted", "")[11:13] not in ("", "23"):
            node["date posted"] = _shifted(node["date posted"])
            shifted += 1
        for reply in node.get("replies") or []:
            shift(reply)

    for threads in forums.values():
        for thread in threads:
            shift(thread)
    reply = next(t["replies"][0] for threads in forums.values() for t in threads if t.get("replies"))
    reply["post"], edited = reply["post"] + " (edited)", reply["post"]
    assert shifted > 800 and edited
    again = tmp_path / "patient-info_forums.json"
    again.write_text(json.dumps(forums), encoding="utf-8")
    report = ingest(store, again, source_name=first.source_id)
    assert report.imported == 0
    assert report.rejected == 1 and report.duplicates == first.imported - 1
    [(reason,)] = store.con.execute("SELECT reason FROM rejects WHERE run_id = ?", [report.run_id]).fetchall()
    assert reason.endswith("was imported before with different content: its text differs; the stored message is kept")
