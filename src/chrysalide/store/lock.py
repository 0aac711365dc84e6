"""Opening a DuckDB file that another process holds: wait for it with a clear message, then open it.

DuckDB lets one process write a file, or several read it, never both (the lock is the operating system's, on
the whole file). A command that finds the file locked retries, bounded by ``$CHRYSALIDE_LOCK_WAIT`` seconds,
and meanwhile keeps a marker file ``NAME.duckdb.waiting-PID`` beside the database (touched at every attempt,
removed when it opens or gives up). ``chrysalide serve`` watches for such markers: it stops taking the file
for new requests and releases it as soon as the requests in progress end, so a waiting command gets in
within moments even while someone browses. A command started during a long write (``pipeline``) waits for
that write to end.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from chrysalide.errors import StoreError

WAIT_ENV = "CHRYSALIDE_LOCK_WAIT"
DEFAULT_WAIT = 300.0  # seconds: longer than any dashboard request, shorter than forgetting a command
POLL = 0.2  # seconds between attempts
MARKER = ".waiting-"  # NAME.duckdb.waiting-PID: a process is waiting for NAME.duckdb
FRESH = 2.0  # seconds: a marker not touched for longer belongs to a process that died waiting

log = logging.getLogger(__name__)
_HOLDER = re.compile(r"\(PID (\d+)\)")


class DatabaseLocked(StoreError):
    """Another process still held the database when the wait ended."""


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether DuckDB refused to open a file because another process holds its lock."""
    text = str(exc)
    return isinstance(exc, duckdb.IOException) and ("Could not set lock" in text or "Conflicting lock" in text)


def lock_holder(exc: BaseException) -> str:
    """Who holds the lock, as DuckDB names it: ``PID 1234 (chrysalide serve)``, or ``another process``."""
    found = _HOLDER.search(str(exc))
    if not found:
        return "another process"
    pid = found.group(1)
    try:  # the command line says which command it is (Linux; elsewhere the PID alone)
        argv = [a.decode(errors="replace") for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
    except OSError:
        return f"PID {pid}"
    if len(argv) > 1 and Path(argv[0]).name.startswith("python") and not argv[1].startswith("-"):
        argv = argv[1:]  # `python .../chrysalide serve`: the script names the command
    words = [" ".join(Path(a).name.split())[:24] for a in argv[:3]]
    return f"PID {pid} ({' '.join(words)})" if words else f"PID {pid}"


def wait_limit() -> float:
    """Seconds to wait for a locked database: ``$CHRYSALIDE_LOCK_WAIT`` or :data:`DEFAULT_WAIT`."""
    raw = os.environ.get(WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_WAIT
    try:
        value = float(raw)
    except ValueError:
        raise StoreError(f"${WAIT_ENV}={raw!r}: expected a number of seconds, such as 60") from None
    if value < 0 or value != value:
        raise StoreError(f"${WAIT_ENV}={raw!r}: expected a number of seconds >= 0")
    return value


def _marker(path: str) -> Path:
    return Path(f"{path}{MARKER}{os.getpid()}")


def someone_waiting(path: str) -> bool:
    """Whether a process (not this one) is waiting to open ``path`` (a marker touched in the last seconds)."""
    folder, name = Path(path).parent, Path(path).name + MARKER
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(name) and entry.name != _marker(path).name:
                    try:
                        if now - entry.stat().st_mtime < FRESH:
                            return True
                    except OSError:
                        continue
    except OSError:
        return False
    return False


def connect_waiting(
    path: str,
    *,
    read_only: bool = False,
    wait: float | None = None,
    notify: Callable[[str], None] | None = None,
    connect: Callable[..., duckdb.DuckDBPyConnection] = duckdb.connect,
) -> duckdb.DuckDBPyConnection:
    """``connect(path, read_only=...)`` (``duckdb.connect`` or a wrapper that sets options), retried while
    another process holds the file's lock, for at most ``wait`` seconds.

    ``wait`` defaults to :func:`wait_limit`; 0 tries once. ``notify`` receives one message when the wait
    starts (default: a warning on the ``chrysalide.store.lock`` logger, which Python prints on stderr when
    logging is not configured). Raises :class:`DatabaseLocked` naming the holder when the time is up.
    """
    limit = wait_limit() if wait is None else wait
    deadline = time.monotonic() + limit
    marker = _marker(path)
    told = False
    try:
        while True:
            try:
                return connect(path, read_only=read_only)
            except duckdb.IOException as exc:
                if not is_lock_conflict(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseLocked(
                        f"{path}: in use by {lock_holder(exc)}; still locked after {limit:g} s"
                        f" (stop that command, or wait longer with ${WAIT_ENV}=SECONDS)"
                    ) from None
                if not told:
                    message = (
                        f"{path} is in use by {lock_holder(exc)}: waiting for it to finish"
                        f" (up to {limit:g} s, ${WAIT_ENV}; Ctrl+C to stop)"
                    )
                    (notify or log.warning)(message)
                    told = True
                try:
                    marker.touch()
                except OSError:
                    pass  # a read-only folder: the dashboard will release the file when idle instead
                time.sleep(min(POLL, max(0.0, deadline - time.monotonic())))
    finally:
        marker.unlink(missing_ok=True)
