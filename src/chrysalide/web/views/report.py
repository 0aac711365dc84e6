"""Where the newest HTML report is: reports beside the database or in the folder the dashboard runs in.

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


def report_files(database: str) -> list[Path]:
    """Chrysalide reports beside ``database`` and in the current folder, newest first."""
    folders = {Path(database).resolve().parent, Path.cwd().resolve()} if database != ":memory:" else {Path.cwd()}
    found = []
    for folder in sorted(folders):
        for path in sorted(folder.glob("*.html"))[:MAX_FILES]:
            try:
                with path.open("rb") as fh:
                    if MARK in fh.read(HEAD).lower():
                        found.append(path)
            except OSError:
                continue
    newest: dict[str, Path] = {}
    for path in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True):
        newest.setdefault(path.name, path)  # a name designates one file: the newest of that name
    return list(newest.values())


def find_report(database: str, name: str) -> Path | None:
    """The listed report called ``name`` (a file name, as the report page links it)."""
    return next((p for p in report_files(database) if p.name == name), None)


@page("/report", "report.html")
def report(db: Db) -> dict[str, Any]:
    """The HTML reports found, newest first, and how to write one."""
    files = []
    for path in report_files(db.path):
        stat = path.stat()
        files.append({"name": path.name, "folder": str(path.parent), "bytes": stat.st_size,
                      "modified": datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)})  # fmt: skip
    return {"reports": files, "database": db.path}
