"""Where the newest HTML report is: the files the ``report`` runs recorded, and reports beside the database
or in the folder the dashboard runs in.

``chrysalide report --out FILE`` and ``chrysalide pipeline --report FILE`` write a self-contained file;
the dashboard lists the ones it finds (files ``*.html`` whose head names Chrysalide as their generator)
and serves them at ``/report/file?name=...``: only a listed name is served, never an arbitrary path.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def recorded_reports(db: Db) -> list[str]:
    """The files the newest ``report`` runs say they wrote."""
    rows = db.execute(
        "SELECT summary->>'path' FROM runs WHERE stage = 'report' AND status = 'ok' AND summary->>'path' IS NOT NULL"
        " ORDER BY run_id DESC LIMIT 20"
    ).fetchall()
    return [r[0] for r in rows]


def report_files(database: str, recorded: list[str]) -> list[Path]:
    """Chrysalide reports recorded by runs, beside ``database`` and in the current folder, newest first.

    A recorded relative path is looked for beside the database and in the current folder (the folder the
    command ran in is not recorded).
    """
    folders = {Path(database).resolve().parent, Path.cwd().resolve()} if database != ":memory:" else {Path.cwd()}
    candidates = [f / r for r in recorded for f in sorted(folders)] if recorded else []
    for folder in sorted(folders):
        candidates += sorted(folder.glob("*.html"))[:MAX_FILES]
    found = {p.resolve() for p in candidates if p.is_file() and _is_report(p)}
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
