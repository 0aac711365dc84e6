"""The dashboard's hold on the database: released when idle, and at once when a command waits for it."""

from __future__ import annotations

import os
import time

import pytest

from chrysalide.store.lock import MARKER
from chrysalide.web.reader import Busy, Reader


def test_the_connection_is_released_when_idle(web_db):
    reader = Reader(str(web_db), idle=0.3)
    try:
        with reader.cursor() as db:
            assert db.value("SELECT count(*) FROM messages") == 6
        assert reader.is_open
        deadline = time.monotonic() + 5
        while reader.is_open and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not reader.is_open
        with reader.cursor() as db:  # and opened again by the next request
            assert db.value("SELECT count(*) FROM members") == 4
    finally:
        reader.close()


def test_a_waiting_command_goes_first(web_db):
    reader = Reader(str(web_db), idle=60)
    marker = web_db.parent / f"{web_db.name}{MARKER}{os.getpid() + 1}"  # another process's marker
    try:
        with reader.cursor() as db:
            db.value("SELECT 1")
            marker.touch()
            time.sleep(0.15)  # the look for waiting commands is cached for 0.1 s
        assert not reader.is_open  # released as the last request ended, not after 60 idle seconds
        with pytest.raises(Busy, match="a command is waiting"):
            with reader.cursor():
                pass
        marker.unlink()
        time.sleep(0.15)
        with reader.cursor() as db:
            assert db.value("SELECT count(*) FROM threads") == 3
    finally:
        marker.unlink(missing_ok=True)
        reader.close()


def test_cached_results_last_until_a_run(web_db):
    from chrysalide.store import Store

    reader = Reader(str(web_db))
    calls = []
    try:
        for _ in range(2):
            with reader.cursor() as db:
                assert db.cached("n", lambda db=db: calls.append(1) or db.value("SELECT count(*) FROM runs")) >= 1
        assert len(calls) == 1
        reader.release()
        with Store(web_db) as store:
            with store.run("test", "test"):
                pass
        with reader.cursor() as db:
            db.cached("n", lambda db=db: calls.append(1) or db.value("SELECT count(*) FROM runs"))
        assert len(calls) == 2
    finally:
        reader.close()
