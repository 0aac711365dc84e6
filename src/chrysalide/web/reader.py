"""The dashboard's access to the store: a read-only connection while requests come, released when idle.

DuckDB locks the whole file: one writing process, or any number of reading ones. Holding a connection for
the life of ``chrysalide serve`` would make every other command fail, so the dashboard opens the store
read-only when a request comes, shares that connection between concurrent requests (one cursor each),
and closes it :data:`IDLE` seconds after the last one. A command that finds the file locked leaves a
marker beside it (``chrysalide.store.lock``): from then on the dashboard takes no new request on the file
and releases it as soon as the requests in progress end, so the command gets in even while someone
browses. The next request opens the file again and sees the new runs. While another process writes,
requests raise :class:`Busy` and the dashboard answers "busy, retrying". A review decision closes the
read-only connection, writes through a short read-write :class:`Store`, and closes it.
"""

from __future__ import annotations

import atexit
import json
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from chrysalide.store import Store
from chrysalide.store.lock import DatabaseLocked, someone_waiting

T = TypeVar("T")

IDLE = 10.0  # seconds without a request before the connection is released (a waiting command needs none)
WAITERS_TTL = 0.1  # seconds a look for waiting commands stays valid (it lists the database's folder)
OPEN_WAIT = 0.0  # a request meeting another process's lock answers "busy" at once (the page reloads itself)
WRITE_WAIT = 5.0  # seconds a review decision waits for it


class Busy(Exception):
    """Another process holds the database (a command is writing): try again in a moment."""


def dict_rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Every row of a query as a dict of column -> value (on a connection or cursor)."""
    result = con.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


class Db:
    """What a view reads through: one cursor, and results cached until the store's data changes.

    Every write to the store happens under a run (ingest, coding, review, consent...), so the newest run
    and its end time are a version of the whole database; a cached aggregate is recomputed when it moves.
    """

    def __init__(self, path: str, cursor: Any, cache: dict[str, tuple[Any, Any]], lock: threading.Lock) -> None:
        self.path = path
        self.cursor = cursor
        self._cache = cache
        self._lock = lock
        self._versions: dict[tuple[str, ...], Any] = {}

    @property
    def con(self) -> Any:
        """The cursor, under the name a :class:`Store` gives its connection: the library's readers that take a
        store (:func:`chrysalide.coding.shares.shares_by`, :func:`chrysalide.store.bots.bot_counts`) read through it."""
        return self.cursor

    def execute(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.cursor.execute(sql, params or [])

    def one(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first row (a tuple), or None."""
        return self.execute(sql, params).fetchone()

    def value(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        row = self.one(sql, params)
        return row[0] if row else None

    def run_summary(self, run_id: int | None) -> dict[str, Any]:
        """The summary a run stored ({} for no run), as :meth:`chrysalide.store.Store.run_summary` reads it."""
        raw = None if run_id is None else self.value("SELECT summary FROM runs WHERE run_id = ?", [run_id])
        return dict(json.loads(raw)) if raw else {}

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Every row as a dict of column -> value."""
        return dict_rows(self.cursor, sql, params)

    def version(self, steps: tuple[str, ...] = ()) -> Any:
        """The newest run (of ``steps``, or of any step) and when it ended: moves with every write."""
        if steps not in self._versions:
            where = f"WHERE stage IN ({', '.join('?' * len(steps))})" if steps else ""
            self._versions[steps] = self.one(
                f"SELECT max(run_id), max(finished_at), count(*) FROM runs {where}", list(steps)
            )
        return self._versions[steps]

    def cached(self, key: str, compute: Callable[[], T], steps: tuple[str, ...] = ()) -> T:
        """``compute()``, or its result from an earlier request while no run of ``steps`` (default: any) was added."""
        version = self.version(steps)
        with self._lock:
            found = self._cache.get(key)
        if found is not None and found[0] == version:
            return found[1]
        value = compute()
        with self._lock:
            self._cache[key] = (version, value)
        return value


_OPEN: weakref.WeakSet[Reader] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """Release every connection before the interpreter stops its daemon threads (one inside DuckDB aborts)."""
    for reader in list(_OPEN):
        reader.close()


class Reader:
    """Read-only connections to one database file, opened on demand and released when idle."""

    def __init__(self, path: str, *, idle: float = IDLE) -> None:
        self.path = path
        self.idle = idle
        self._store: Store | None = None
        self._active = 0
        self._writing = False
        self._last = 0.0
        self._cond = threading.Condition()
        self._closing = False
        self._waiters = (0.0, False)  # when we last looked, and whether a command was waiting
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._cache_lock = threading.Lock()
        self._sweeper = threading.Thread(target=self._sweep, name="chrysalide-idle-release", daemon=True)
        self._sweeper.start()
        _OPEN.add(self)

    @property
    def is_open(self) -> bool:
        """Whether the dashboard holds the file now."""
        return self._store is not None

    def _open(self, *, read_only: bool, wait: float) -> Store:
        try:
            store = Store(self.path, read_only=read_only, lock_wait=wait)
        except DatabaseLocked as exc:
            raise Busy(str(exc)) from None
        return store

    def _command_waiting(self) -> bool:
        """Whether another process waits for the file (looked up at most every :data:`WAITERS_TTL` s)."""
        looked, found = self._waiters
        if time.monotonic() - looked > WAITERS_TTL:
            found = someone_waiting(self.path)
            self._waiters = (time.monotonic(), found)
        return found

    @contextmanager
    def cursor(self) -> Iterator[Db]:
        """A cursor of the shared read-only connection (opened when none is).

        Raises :class:`Busy` while a command waits for the file: it goes first.
        """
        with self._cond:
            while self._writing:
                self._cond.wait()
            if self._command_waiting():
                if not self._active:
                    self._release()
                raise Busy(f"{self.path}: a command is waiting to write it")
            if self._store is None:
                self._store = self._open(read_only=True, wait=OPEN_WAIT)
            self._active += 1
            cur = self._store.con.cursor()
        try:
            yield Db(self.path, cur, self._cache, self._cache_lock)
        finally:
            cur.close()
            with self._cond:
                self._active -= 1
                self._last = time.monotonic()
                if not self._active and self._command_waiting():
                    self._release()
                self._cond.notify_all()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A read-write store for one decision, once the requests in progress have finished."""
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True
            while self._active:
                self._cond.wait()
            self._release()
        try:
            store = self._open(read_only=False, wait=WRITE_WAIT)
            try:
                yield store
            finally:
                store.close()
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def _release(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def release(self) -> None:
        """Close the connection now (it reopens at the next request), once the requests in progress end."""
        with self._cond:
            while self._active or self._writing:
                self._cond.wait()
            self._release()

    def _sweep(self) -> None:
        """Close the connection once no request has used it for :attr:`idle` seconds."""
        with self._cond:
            while not self._closing:
                idle_for = time.monotonic() - self._last
                if self._store is not None and not self._active and (idle_for >= self.idle or self._command_waiting()):
                    self._release()
                self._cond.wait(timeout=0.2 if self._store is not None else self.idle)

    def close(self, timeout: float = 10.0) -> None:
        """Release the connection once the requests in progress end (at most ``timeout`` s), stop the sweeper."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while (self._active or self._writing) and time.monotonic() < deadline:
                self._cond.wait(timeout=max(deadline - time.monotonic(), 0.01))
            self._release()
            self._closing = True
            self._cond.notify_all()
        self._sweeper.join(timeout=5)
