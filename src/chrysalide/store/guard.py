"""Opening a database safely: the file is checked before DuckDB writes anything to it.

A database is refused with one line naming the file when it is a folder, empty, not a DuckDB file (SQLite,
text), shorter than its own header says (truncated), or another application's DuckDB file: Chrysalide never
adds its tables to a database it did not create. Every connection disables DuckDB's automatic installing and
loading of extensions, so that no file ever makes DuckDB download code (a SQLite file otherwise asks for the
``sqlite`` extension). A database opened for writing is recovered from a killed run: runs left ``running``
are marked failed and the staging folders of an interrupted import are removed.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import cache
from pathlib import Path

import duckdb

from chrysalide.errors import StoreError
from chrysalide.store.migrations import available

# A new database file is written in DuckDB 1.5's storage format, so that the previous stable release, its
# command-line client and R's duckdb package open it too (docs/exports.md); an existing file keeps its own.
STORAGE_COMPATIBILITY = "v1.5.0"
#: Settings of every connection: nothing is ever downloaded or loaded behind our back; new files readable by 1.5.
CONNECTION_CONFIG: dict[str, str | bool] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "storage_compatibility_version": STORAGE_COMPATIBILITY,
}
#: The prefix of an import's staging folder beside the database (``ingest/staging.py``).
STAGING_PREFIX = ".chrysalide-ingest-"
# DuckDB's file: a 4 KiB main header whose bytes 8-11 are "DUCK", two 4 KiB database headers, then blocks.
_MAGIC_OFFSET, _MAGIC = 8, b"DUCK"
_HEADERS = 3 * 4096
_FOREIGN_MAGICS = {b"SQLite format 3\x00": "a SQLite database", b"PK\x03\x04": "a zip file", b"%PDF": "a PDF file"}
# Tables of a database created before the chrysalide_meta marker (migration 0010).
_LEGACY_TABLES = {"schema_migrations", "sources", "members", "messages", "runs"}


def connect(path: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never installs or loads an extension by itself."""
    return duckdb.connect(path, read_only=read_only, config=dict(CONNECTION_CONFIG))


def check_file(path: Path) -> None:
    """Refuse a path that is not a DuckDB database file (it exists: the caller checked)."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database: {exc.strerror or exc}") from exc
    if not head:
        raise StoreError(f"{path}: file is empty, not a Chrysalide database (remove it or give another --db)")
    if head[_MAGIC_OFFSET : _MAGIC_OFFSET + len(_MAGIC)] == _MAGIC and path.stat().st_size < _HEADERS:
        raise StoreError(f"{path}: the database is truncated (shorter than its headers); restore it from a backup")
    for magic, what in _FOREIGN_MAGICS.items():
        if head.startswith(magic):
            raise StoreError(f"{path}: is {what}, not a Chrysalide (DuckDB) database")
    if head[_MAGIC_OFFSET : _MAGIC_OFFSET + len(_MAGIC)] != _MAGIC:
        raise StoreError(f"{path}: not a DuckDB database file (no DuckDB header)")


def check_blocks(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file shorter than the blocks its tables use: it was truncated (a copy cut short).

    DuckDB opens such a file and fails only when a query reads a missing block, after a command may have
    written to it. The highest block any table's storage uses (``pragma_storage_info``, a few hundredths of
    a second) must lie inside the file. Checked when no write-ahead log is pending (after a crash DuckDB
    replays it, and the blocks it allocates are not in the file yet).
    """
    if Path(f"{path}.wal").exists():
        return
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()]
    if not tables:
        return
    parts = " UNION ALL ".join(f"SELECT max(block_id) AS b FROM pragma_storage_info('{t}')" for t in tables)
    row = con.execute(f"SELECT max(b), (SELECT block_size FROM pragma_database_size()) FROM ({parts})").fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return
    expected = _HEADERS + (int(row[0]) + 1) * int(row[1])
    actual = path.stat().st_size
    if actual < expected:
        raise StoreError(
            f"{path}: the database is truncated ({actual:,} bytes where its tables need {expected:,});"
            " restore it from a backup"
        )


def user_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables and views of the database, whatever their schema (temporary ones aside)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        " AND table_schema NOT IN ('information_schema', 'pg_catalog')"
    ).fetchall()
    return {r[0] for r in rows}


def check_owner(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """True for a database with no table yet (a new one); refuse another application's database.

    A Chrysalide database holds ``chrysalide_meta`` with ``application = 'chrysalide'``, or (created before
    that marker) our first migration's tables with ``schema_migrations`` recording it.
    """
    tables = user_tables(con)
    if not tables:
        return True
    if "chrysalide_meta" in tables and "schema_migrations" in tables:  # a marker alone is no database of ours
        try:
            row = con.execute("SELECT value FROM chrysalide_meta WHERE name = 'application'").fetchone()
        except duckdb.Error:  # a table of that name with other columns: another application's
            row = None
        if row is not None and row[0] == "chrysalide":
            return False
    elif _LEGACY_TABLES <= tables:
        row = con.execute("SELECT count(*) FROM schema_migrations WHERE number = 1 AND name = 'core'").fetchone()
        if row is not None and row[0] == 1:
            return False
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise StoreError(
        f"{path}: a DuckDB database of another application (tables: {shown}); Chrysalide adds no table to it,"
        " give another --db"
    )


def recover(con: duckdb.DuckDBPyConnection, path: Path | None) -> int:
    """After a killed run: mark runs left ``running`` failed, remove the database's staging folders.

    Called only when this process is the database's sole writer (DuckDB's file lock keeps other processes
    out, and the store counts its own connections), so no live run can be mistaken for a dead one.
    Returns the number of runs marked failed.
    """
    row = con.execute(
        "UPDATE runs SET status = 'failed', finished_at = coalesce(finished_at, now()::TIMESTAMP),"
        ' summary = coalesce(summary, \'{"error": "interrupted: the process ended before the run finished"}\')'
        " WHERE status = 'running' RETURNING run_id"
    ).fetchall()
    if path is not None:
        for leftover in staging_leftovers(path):
            shutil.rmtree(leftover, ignore_errors=True)
    return len(row)


def staging_owner(folder: Path) -> Path:
    """The file in a staging folder that names its database (the folder is removed only for that one)."""
    return folder / "database"


def staging_leftovers(path: Path) -> list[Path]:
    """Staging folders of the database at ``path`` left behind by an import that was killed."""
    owner = str(path.resolve())
    found = []
    try:
        for folder in path.resolve().parent.iterdir():
            if not folder.name.startswith(STAGING_PREFIX) or not folder.is_dir():
                continue
            try:
                if staging_owner(folder).read_text(encoding="utf-8") == owner:
                    found.append(folder)
            except OSError:
                continue  # another database's folder, or one of an older version: not ours to remove
    except OSError:
        return []
    return found


def remove_files(path: Path, key: Path | None) -> None:
    """Remove a database created by a command that failed, with its write-ahead log (and key, when given)."""
    for leftover in (path, path.with_name(path.name + ".wal"), key):
        if leftover is not None:
            try:
                os.remove(leftover)
            except FileNotFoundError:
                pass


# What a migration's statements do to the tables and views, in their order: create one, drop one, rename one.
_SCHEMA_CHANGE = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<created>\w+)"
    r"|\bDROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?(?P<dropped>\w+)"
    r"|\bALTER\s+(?:TABLE|VIEW)\s+(?P<renamed>\w+)\s+RENAME\s+TO\s+(?P<to>\w+)",
    re.I,
)
_COMMENT = re.compile(r"--[^\n]*")


@cache
def expected_tables(numbers: frozenset[int]) -> frozenset[str]:
    """The tables and views that the migrations ``numbers`` leave behind, statement after statement."""
    tables: set[str] = set()
    for migration in available():
        if migration.number in numbers:
            for change in _SCHEMA_CHANGE.finditer(_COMMENT.sub("", migration.sql)):
                if change["created"]:
                    tables.add(change["created"])
                elif change["dropped"]:
                    tables.discard(change["dropped"])
                else:
                    tables.discard(change["renamed"])
                    tables.add(change["to"])
    return frozenset(tables)


def check_schema(con: duckdb.DuckDBPyConnection, path: str, read_only: bool = False) -> None:
    """Refuse a database whose migrations are newer than this version, or whose tables are missing.

    Opened only to read (``read_only``), a database of an earlier version is refused too: it cannot be upgraded
    then, and this version's queries would read views and macros it lacks or defines otherwise.
    """
    applied = {int(r[0]) for r in con.execute("SELECT number FROM schema_migrations").fetchall()}
    known = {m.number for m in available()}
    newer = sorted(applied - known)
    if newer:
        raise StoreError(f"{path}: made by a newer version of Chrysalide (schema {newer[-1]}); upgrade Chrysalide")
    pending = sorted(known - applied)
    if read_only and pending:
        raise StoreError(f"{path}: made by an earlier version of Chrysalide (schema {max(applied, default=0)}, this "
                         f"version's {pending[-1]}); a command that only reads it cannot upgrade it: run one that "
                         f"writes once, e.g. `chrysalide text --db {path}`")  # fmt: skip
    missing = sorted(expected_tables(frozenset(applied)) - user_tables(con))
    if missing:
        raise StoreError(f"{path}: the database is damaged: table {missing[0]} is missing; restore it from a backup")
