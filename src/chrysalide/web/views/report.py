"""Where this database's HTML reports are: the files its ``report`` runs wrote, where they recorded them,
beside the database or in the folder the dashboard runs in.

``chrysalide report --out FILE`` and ``chrysalide pipeline --report FILE`` write a self-contained file, and
their run records its path, size and sha256 (:mod:`chrysalide.report.html.step`). The dashboard lists a file
(``*.html`` whose head names Chrysalide as its generator) only when its bytes are those a run of this
database wrote: two projects kept in one folder, or writing ``report.html`` in turn, would otherwise show
each other's report as their own. A run recorded before digests were (path only) vouches for its path. The
dashboard serves a listed file at ``/report/file?name=...``: only a listed name, never an arbitrary path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chrysalide.report.html.step import file_digest
from chrysalide.web.pages import page
from chrysalide.web.reader import Db

MARK = b'<meta name="generator" content="chrysalide'
HEAD = 2048  # bytes read to recognise a report
MAX_FILES = 200  # HTML files looked at per folder


def _is_report(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return MARK in fh.read(HEAD).lower()
    except OSError:
        return False


@dataclass(frozen=True)
class Written:
    """A report a ``report`` run says it wrote: its path as given, and its size and sha256 (``None`` in a run
    recorded before they were)."""

    path: str
    bytes: int | None
    sha256: str | None


def recorded_reports(db: Db) -> list[Written]:
    """The files the newest ``report`` runs say they wrote."""
    rows = db.execute(
        "SELECT summary->>'path', TRY_CAST(summary->>'bytes' AS BIGINT), summary->>'sha256' FROM runs"
        " WHERE stage = 'report' AND status = 'ok' AND summary->>'path' IS NOT NULL ORDER BY run_id DESC LIMIT 20"
    ).fetchall()
    return [Written(*row) for row in rows]


def report_files(database: str, recorded: list[Written]) -> list[Path]:
    """The reports this database's runs wrote, found where recorded, beside ``database`` or in the current
    folder, newest first.

    A recorded relative path is looked for beside the database and in the current folder (the folder the
    command ran in is not recorded); a file anywhere there is one of them when its size and digest are those
    of a recorded run, or when it stands at the path of a run recorded without a digest.
    """
    folders = {Path(database).resolve().parent, Path.cwd().resolve()} if database != ":memory:" else {Path.cwd()}
    undigested = {(f / w.path).resolve() for w in recorded if w.sha256 is None for f in sorted(folders)}
    digests = {(w.bytes, w.sha256) for w in recorded if w.sha256 is not None}
    sizes = {size for size, _ in digests}
    candidates = [f / w.path for w in recorded for f in sorted(folders)]
    for folder in sorted(folders):
        candidates += sorted(folder.glob("*.html"))[:MAX_FILES]
    found = set()
    for path in {p.resolve() for p in candidates if p.is_file()}:
        size = path.stat().st_size  # only a file of a recorded size is read whole, once
        if (size in sizes and (size, file_digest(path)) in digests) or (path in undigested and _is_report(path)):
            found.add(path)
    newest: dict[str, Path] = {}
    for path in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True):
        newest.setdefault(path.name, path)  # a name designates one file: the newest of that name
    return list(newest.values())


def find_report(db: Db, name: str) -> Path | None:
    """The listed report called ``name`` (a file name, as the report page links it)."""
    return next((p for p in report_files(db.path, recorded_reports(db)) if p.name == name), None)


@page("/report", "report.html")
def report(db: Db) -> dict[str, Any]:
    """The HTML reports found, newest first, and how to write one."""
    files = []
    for path in report_files(db.path, recorded_reports(db)):
        stat = path.stat()
        files.append({"name": path.name, "folder": str(path.parent), "bytes": stat.st_size,
                      "modified": datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)})  # fmt: skip
    return {"reports": files, "database": db.path}
