"""A later part of a forum imported as a source of its own (``ingest/deliveries.py``): refused when the source is
named after its file, a warning when the user named it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest.loader import ingest
from chrysalide.store import Store

HEADER = "message_id,thread_id,author,posted_at,text\n"
# Twelve authors in January; February's messages are all new, by ten of them and two others.
JANUARY_AUTHORS = [f"zq{i:02d} Vint" for i in range(12)]
FEBRUARY_AUTHORS = [*JANUARY_AUTHORS[:10], "zq90 Pike", "zq91 Pike"]


def _rows(prefix: str, month: int, authors: list[str]) -> str:
    return "".join(
        f"{prefix}{i},{prefix}t{i},{name},2021-{month:02d}-{i + 1:02d} 10:00,A question about my dose number {i}\n"
        for i, name in enumerate(authors)
    )


JANUARY, FEBRUARY = _rows("j", 1, JANUARY_AUTHORS), _rows("f", 2, FEBRUARY_AUTHORS)


@pytest.fixture
def parts(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "january.csv").write_text(HEADER + JANUARY, encoding="utf-8")
    (tmp_path / "february.csv").write_text(HEADER + FEBRUARY, encoding="utf-8")
    return tmp_path / "january.csv", tmp_path / "february.csv"


def test_a_later_part_named_after_its_file_is_refused(store: Store, parts: tuple[Path, Path]) -> None:
    january, february = parts
    ingest(store, january)
    before = store.con.execute("SELECT count(*) FROM messages").fetchone()
    with pytest.raises(InputError) as caught:
        ingest(store, february)
    message = str(caught.value)
    assert "10 of its 12 authors are members of source 'january' too" in message
    assert "--source-name january" in message and message.endswith("nothing imported")
    assert store.con.execute("SELECT count(*) FROM messages").fetchone() == before
    assert store.con.execute("SELECT source_id FROM sources").fetchall() == [("january",)]
    # Into the first part's source: the same members, and no word of it.
    report = ingest(store, february, source_name="january")
    assert (report.imported, report.new_members) == (12, 2)
    assert not any("authors are members of source" in w for w in report.warnings)


def test_a_source_the_user_named_is_imported_with_a_warning(store: Store, parts: tuple[Path, Path]) -> None:
    january, february = parts
    ingest(store, january)
    report = ingest(store, february, source_name="feb")
    assert report.imported == 12
    assert any("10 of its 12 authors are members of source 'january' too" in w for w in report.warnings)


def test_few_shared_authors_or_another_format_say_nothing(
    store: Store, parts: tuple[Path, Path], tmp_path: Path
) -> None:
    january, _ = parts
    ingest(store, january)
    nine = tmp_path / "nine.csv"  # nine authors in common: below the ten that tell a later part
    nine.write_text(HEADER + _rows("n", 3, [*JANUARY_AUTHORS[:9], "zq92 Roe"]), encoding="utf-8")
    assert ingest(store, nine).imported == 10
    jsonl = tmp_path / "april.jsonl"  # another format: another forum
    rows = [{"message_id": f"x{i}", "thread_id": "v", "author": a, "posted_at": "2021-04-01", "text": "Hello all"}
            for i, a in enumerate(JANUARY_AUTHORS)]  # fmt: skip
    jsonl.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert ingest(store, jsonl).imported == 12


PATIENT_INFO = "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json"


@pytest.mark.corpora
def test_patient_info_in_two_parts(store: Store, corpora: Path, tmp_path: Path) -> None:
    """patient.info's threads started before 2017, then the others, each file imported under its own name: the
    second is refused, naming the authors of the two files in common (guests are no members)."""
    forums = json.loads((corpora / PATIENT_INFO).read_text(encoding="utf-8"))
    parts: list[dict[str, list[dict]]] = [{}, {}]
    for group, threads in forums.items():
        for thread in threads:
            parts[thread["date posted"] >= "2017"].setdefault(group, []).append(thread)
    users: list[set[str]] = [set(), set()]

    def walk(node: dict, into: set[str]) -> None:
        into.add(node["user"])
        for reply in node.get("replies") or []:
            walk(reply, into)

    for part, seen in zip(parts, users, strict=True):
        for threads in part.values():
            for thread in threads:
                walk(thread, seen)
    authors = {u for u in users[1] if u != "Guest"}
    shared = authors & users[0]
    paths = [tmp_path / "early.json", tmp_path / "late.json"]
    for path, part in zip(paths, parts, strict=True):
        path.write_text(json.dumps(part), encoding="utf-8")
    ingest(store, paths[0], format="patientinfo")
    with pytest.raises(InputError, match=f"{len(shared)} of its {len(authors)} authors are members of source 'early'"):
        ingest(store, paths[1], format="patientinfo")


def test_the_report_names_every_file_of_a_source(store: Store, parts: tuple[Path, Path], tmp_path: Path) -> None:
    """The report's Sources table names the files each source's messages came from, not only its first one."""
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections import section_overview

    january, february = parts
    ingest(store, january)
    ingest(store, february, source_name="january")
    ingest(store, february, source_name="january")  # nothing new: no file of the source's messages
    (table,) = [t for t in section_overview(Context(store)).tables if t.caption == "Sources"]
    assert table.columns[:4] == ["source", "format", "files", "last import (UTC)"]
    [row] = table.rows
    assert row[:3] == ["january", "csv", "january.csv, february.csv"]
    assert row[5] == len((HEADER + JANUARY + FEBRUARY).splitlines()) - 1
