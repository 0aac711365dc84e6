"""Opening a database another process holds: wait with one clear message, then open it; or say who holds it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chrysalide.errors import StoreError
from chrysalide.store import Store
from chrysalide.store.lock import WAIT_ENV, DatabaseLocked, connect_waiting, wait_limit

HOLD = """
import select, sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))  # until told (stdin closed) or the time is up
con.close()
"""


def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that opens ``path`` read-write and keeps it for ``seconds`` (or until its stdin closes)."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "holding"
    return child


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "held.duckdb"
    Store(path).close()
    return path


def test_waits_for_the_other_process_then_opens(db, caplog):
    child = hold(db, 1.5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="chrysalide.store.lock"):
        with Store(db, lock_wait=30) as store:
            waited = time.monotonic() - started
            assert store.count("messages") == 0
    child.wait(timeout=10)
    assert waited >= 0.5  # it did wait for the holder
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and f"PID {child.pid}" in messages[0] and "waiting" in messages[0]


def test_gives_up_naming_the_holder(db):
    child = hold(db, 5)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLocked, match=rf"in use by PID {child.pid}.*still locked after 0.4 s.*{WAIT_ENV}"):
            connect_waiting(str(db), wait=0.4, notify=lambda _message: None)
        assert time.monotonic() - started < 3
        # Readers wait too: DuckDB lets no process read while another writes.
        with pytest.raises(DatabaseLocked):
            connect_waiting(str(db), read_only=True, wait=0, notify=lambda _message: None)
    finally:
        child.kill()
        child.wait()


def test_wait_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv(WAIT_ENV, "12.5")
    assert wait_limit() == 12.5
    monkeypatch.setenv(WAIT_ENV, "soon")
    with pytest.raises(StoreError, match=f"{WAIT_ENV}='soon'"):
        wait_limit()
    monkeypatch.setenv(WAIT_ENV, "-1")
    with pytest.raises(StoreError, match=">= 0"):
        wait_limit()


def test_other_errors_are_not_waited_for(tmp_path):
    bad = tmp_path / "not-a-database.duckdb"
    bad.write_bytes(b"this is not a DuckDB file" * 100)
    started = time.monotonic()
    with pytest.raises(StoreError):
        Store(bad, lock_wait=30)
    assert time.monotonic() - started < 5


def test_a_waiting_process_leaves_a_marker_while_it_waits(db):
    from chrysalide.store.lock import MARKER, someone_waiting

    child = hold(db, 60)
    waiter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from chrysalide.store import Store; Store(sys.argv[1], lock_wait=30).close()",
            str(db),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not someone_waiting(str(db)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (db.parent / f"{db.name}{MARKER}{waiter.pid}").exists()
    finally:
        assert child.stdin is not None
        child.stdin.close()  # release: the waiter opens the file and removes its marker
        child.wait(timeout=10)
        assert waiter.wait(timeout=30) == 0, waiter.stderr.read() if waiter.stderr else ""
    assert not someone_waiting(str(db)) and list(db.parent.glob(f"*{MARKER}*")) == []
    # A marker left by a process that died waiting goes stale: nobody waits for it.
    stale = db.parent / f"{db.name}{MARKER}999999"
    stale.touch()
    os.utime(stale, (time.time() - 60, time.time() - 60))
    assert not someone_waiting(str(db))
