"""The DuckDB store: one file holding every table of every stage."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from chrysalide import __version__
from chrysalide.errors import ConfigError, StoreError
from chrysalide.store import guard
from chrysalide.store.lock import connect_waiting
from chrysalide.store.migrations import migrate
from chrysalide.store.state import params_json

DEFAULT_DB = "chrysalide.duckdb"
# A cap on DuckDB's own memory for every command (e.g. 2GB on a laptop); see docs/scale.md.
MEMORY_ENV = "CHRYSALIDE_MEMORY_LIMIT"
MIN_MEMORY_LIMIT = 256e6  # below this DuckDB cannot even create the schema
# Open connections of this process per database file: recovery from a killed run happens at the first.
_OPEN: dict[str, int] = {}


def utcnow() -> datetime:
    """Naive UTC now, the convention for every TIMESTAMP column of the store."""
    return datetime.now(UTC).replace(tzinfo=None)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table or view exists (on any connection or cursor of the store)."""
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
    return bool(row and row[0])


def latest_run(con: duckdb.DuckDBPyConnection, stage: str, table: str | None = None) -> int | None:
    """The newest usable run of a step: its newest successful run, that wrote rows to ``table`` when given.

    The one answer to "which run" for every reader (steps, report, dashboard, exports), on any connection or
    cursor of the store; None when there is none.
    """
    if table is not None and not table_exists(con, table):
        return None
    sql = "SELECT max(run_id) FROM runs WHERE stage = ? AND status = 'ok'"
    if table is not None:
        sql += f' AND run_id IN (SELECT DISTINCT run_id FROM "{table}")'
    row = con.execute(sql, [stage]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


@dataclass
class Run:
    """A run being recorded: stages add their counts to ``summary``."""

    run_id: int
    stage: str
    component: str
    summary: dict[str, Any] = field(default_factory=dict)
    inputs: str | None = None  # the fingerprint recorded when the run ends (it may change during the run)


class Store:
    """A DuckDB file (or ``:memory:``) with the Chrysalide schema applied.

    ``create``: whether a missing file may be created (only ``ingest`` and ``demo`` create a database;
    every other command opens an existing one). The file is checked before DuckDB writes to it
    (:mod:`chrysalide.store.guard`). A store that created its file and leaves its ``with`` block by an
    exception while nothing was imported into it (:meth:`holds_data`) removes the file, its write-ahead log
    and the key it created: a failed first import leaves nothing behind, and a failure after an import landed
    (a second import, a later step) leaves the database and the key that its pseudonyms need.

    ``lock_wait``: seconds to wait while another process holds the file (default ``$CHRYSALIDE_LOCK_WAIT``
    or 300; :mod:`chrysalide.store.lock`).
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        create: bool = True,
        lock_wait: float | None = None,
    ) -> None:
        self.path = str(path)
        self._memory_limit: str | None = None
        #: True when this store created the database file; ``key_created`` when it created the key file.
        self.created = False
        self.key_created = False
        self._memory_key: bytes | None = None
        file = None if self.path == ":memory:" else Path(self.path).expanduser()
        if file is not None:
            parent = file.resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
            if file.exists():
                guard.check_file(file)
            elif read_only or not create:
                raise StoreError(f"{self.path}: no such database (run `chrysalide ingest` first)")
            else:
                self.created = True
        try:
            self.con = connect_waiting(  # waits while another process holds the file
                self.path, read_only=read_only, wait=lock_wait, connect=guard.connect
            )
        except duckdb.Error as exc:
            self._discard()
            raise StoreError(f"{self.path}: cannot open database: {str(exc).splitlines()[0]}") from exc
        try:
            self._open(file, read_only, memory_limit)
        except BaseException:
            self.con.close()
            self._discard()
            raise
        if file is not None:
            _OPEN[self._identity] = _OPEN.get(self._identity, 0) + 1

    def _open(self, file: Path | None, read_only: bool, memory_limit: str | None) -> None:
        """Settings, checks of the file's owner and schema, migrations, recovery from a killed run."""
        # DuckDB draws its own progress bars on stdout for long queries; the CLI has its own, and
        # `--json` output must stay clean.
        self.con.execute("SET enable_progress_bar = false")
        self._limit_memory(memory_limit if memory_limit is not None else os.environ.get(MEMORY_ENV, ""))
        empty = guard.check_owner(self.con, file or Path(self.path))
        if file is not None and not read_only and not self.created:
            guard.check_blocks(self.con, file)
        if read_only:
            if empty:
                raise StoreError(f"{self.path}: holds no Chrysalide data yet (run `chrysalide ingest` first)")
        else:
            migrate(self.con)
        guard.check_schema(self.con, self.path, read_only)
        if file is not None and not read_only and not _OPEN.get(self._identity):
            guard.recover(self.con, file)

    @property
    def _identity(self) -> str:
        return str(Path(self.path).expanduser().resolve())

    def _discard(self) -> None:
        """Remove the files this store created (after a failure)."""
        if self.created:
            guard.remove_files(Path(self.path).expanduser(), self.key_path if self.key_created else None)
            self.created = self.key_created = False

    def _limit_memory(self, limit: str) -> None:
        """DuckDB's memory limit (default: 80% of the machine's memory); beyond it DuckDB spills to disk."""
        if not limit.strip():
            return
        size = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT])(i?)B\s*", limit, flags=re.I)
        base = 1024.0 if size and size[3] else 1000.0  # KiB or KB, as DuckDB reads them
        if not size or float(size[1]) * base ** ("KMGT".index(size[2].upper()) + 1) < MIN_MEMORY_LIMIT:
            self.con.close()
            raise ConfigError(
                f"memory limit {limit!r} (from ${MEMORY_ENV} or memory_limit=): expected a size of at least"
                " 256MB, such as 2GB or 500MB"
            )
        self._memory_limit = limit.strip()
        self.con.execute(f"SET memory_limit = '{self._memory_limit}'")

    def release_memory(self) -> None:
        """Hand the memory DuckDB freed back to the operating system (after a large query).

        DuckDB's allocator keeps freed pages for reuse: after the lexical matrix query the process held
        500 MB that no table used (measured at the study's size). Setting the memory limit, even to its
        current value, makes DuckDB flush them (``Allocator::FlushAll``); nothing else changes.
        """
        if self._memory_limit is None:  # DuckDB's default, read once: it prints rounded, re-reading would drift
            row = self.con.execute("SELECT current_setting('memory_limit')").fetchone()
            self._memory_limit = str(row[0]) if row and row[0] else ""
        if self._memory_limit:
            self.con.execute(f"SET memory_limit = '{self._memory_limit}'")

    def close(self) -> None:
        if self.path != ":memory:" and _OPEN.get(self._identity):
            _OPEN[self._identity] -= 1
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        discard = kind is not None and self.created and not self.holds_data()
        self.close()
        if discard:
            self._discard()

    def holds_data(self) -> bool:
        """Whether anything was imported: a source or a member, stored under the database's key (pseudonyms,
        scrubbed texts and sealed names need it). True when the database cannot say: nothing is discarded on
        a doubt."""
        try:
            row = self.con.execute("SELECT EXISTS (FROM sources) OR EXISTS (FROM members)").fetchone()
        except duckdb.Error:
            return True
        return bool(row and row[0])

    @property
    def key_path(self) -> Path:
        """Where the pseudonymisation key lives: beside the database, never inside it.

        An in-memory store has no key file: its key lives as long as the store (``chrysalide.privacy.keys``).
        """
        return Path(self.path).with_suffix(".key")

    def register(self, name: str, frame: Any) -> None:
        """Expose a DataFrame / Arrow table as a view on the store's connection.

        DuckDB refuses ``register`` while an earlier result is not fully fetched (even a ``fetchone`` of a
        one-row result), so the pending result is completed first.
        """
        self.con.complete()
        self.con.register(name, frame)

    def insert_run_rows(self, table: str, run_id: int, frame: Any) -> int:
        """Insert a DataFrame's rows into ``table`` under ``run_id`` (columns matched by name); return the count.

        Every step stores its results this way (``store.step``): one set-based INSERT from a registered frame.
        """
        if frame is None or len(frame) == 0:
            return 0
        self.register("chrys_new_rows", frame)
        try:
            self.con.execute(
                f'INSERT INTO "{table}" BY NAME SELECT *, $run AS run_id FROM chrys_new_rows', {"run": run_id}
            )
        finally:
            self.con.unregister("chrys_new_rows")
        return len(frame)

    def has_table(self, name: str) -> bool:
        return table_exists(self.con, name)

    def count(self, table: str) -> int:
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def run(
        self, stage: str, component: str, params: dict[str, Any] | None = None, *, inputs: str | None = None
    ) -> Iterator[Run]:
        """Record a run of one stage: started, then ``ok`` with its summary or ``failed``.

        The row is written outside the stage's own transaction so that a failed run stays visible.
        ``inputs`` is the state of the data the stage read (:func:`chrysalide.store.state.input_state`).
        """
        row = self.con.execute(
            "INSERT INTO runs (stage, component, version, params, started_at, status, inputs)"
            " VALUES (?, ?, ?, ?, ?, 'running', ?) RETURNING run_id",
            [stage, component, __version__, params_json(params), utcnow(), inputs],
        ).fetchone()
        assert row is not None
        run = Run(int(row[0]), stage, component, inputs=inputs)
        try:
            yield run
        except BaseException:
            self.con.execute(
                "UPDATE runs SET status = 'failed', finished_at = ? WHERE run_id = ?", [utcnow(), run.run_id]
            )
            raise
        self.con.execute(
            "UPDATE runs SET status = 'ok', finished_at = ?, summary = ?, inputs = ? WHERE run_id = ?",
            [utcnow(), json.dumps(run.summary, default=str), run.inputs, run.run_id],
        )

    def up_to_date(
        self, stage: str, component: str, params: dict[str, Any] | None, inputs: str, *, per_component: bool = False
    ) -> int | None:
        """The newest successful run of ``stage`` when it used this component, these parameters and these
        inputs (nothing to do again), else None. Only the newest run counts, as readers take the newest; with
        ``per_component`` (steps whose components write side by side, as coders do), the newest of this
        component."""
        where = "stage = ? AND status = 'ok'" + (" AND component = ?" if per_component else "")
        row = self.con.execute(
            f"SELECT run_id, component, params::VARCHAR, inputs FROM runs WHERE {where} ORDER BY run_id DESC LIMIT 1",
            [stage, component] if per_component else [stage],
        ).fetchone()
        if row is None or (row[1], row[2], row[3]) != (component, params_json(params), inputs):
            return None
        return int(row[0])

    def run_summary(self, run_id: int) -> dict[str, Any]:
        """The summary a run stored."""
        row = self.con.execute("SELECT summary FROM runs WHERE run_id = ?", [run_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def run_params(self, run_id: int) -> dict[str, Any]:
        """The parameters a run was given."""
        row = self.con.execute("SELECT params FROM runs WHERE run_id = ?", [run_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def latest(self, stage: str, table: str | None = None) -> int | None:
        """The newest usable run of a step (:func:`latest_run`)."""
        return latest_run(self.con, stage, table)
