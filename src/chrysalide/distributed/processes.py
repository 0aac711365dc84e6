"""How the local process pools start (text, coding and the second pass of ingest), and how their workers end.

They fork on Linux: a forked worker shares the loaded coder, lexicons and lemma tables copy-on-write and
starts in milliseconds, while a spawned worker re-imports the calling script, which then needs an
``if __name__ == "__main__":`` guard (without one, an import hung) and costs about a second and 100 MB
more per worker. The workers never touch DuckDB (they get frames or Parquet files and send frames back),
so the database's idle threads at fork time do not matter. Elsewhere (macOS, Windows, where forking a
process with threads is unsafe or impossible) the pools spawn.

A worker exits when the process that started it dies: a ``kill -9`` of an import or of the text step
used to leave its workers (about 300 MB each) alive, waiting for work that would never come. Each worker
runs a daemon thread that checks every :data:`WATCH_SECONDS` whether its parent is still its parent (an
orphan is adopted by another process) and ends the worker at once when it is not; it works with both
start methods and every pool (``concurrent.futures`` and ``multiprocessing.Pool``).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from multiprocessing.context import BaseContext, ForkProcess, SpawnContext, SpawnProcess
from typing import Any

START_METHOD = "fork" if sys.platform == "linux" else "spawn"
#: How often a worker checks that the process that started it is alive.
WATCH_SECONDS = 0.5


def watch_parent(parent: int, interval: float = WATCH_SECONDS) -> threading.Thread:
    """Start a daemon thread that ends this process as soon as ``parent`` is no longer its parent."""

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)  # the parent is gone: nothing will collect this worker's results
            time.sleep(interval)

    thread = threading.Thread(target=watch, name="chrysalide-parent-watch", daemon=True)
    thread.start()
    return thread


class _Watched:
    """A process that remembers who started it and dies with it."""

    _parent: int

    def start(self) -> None:
        self._parent = os.getpid()
        super().start()  # type: ignore[misc]

    def run(self) -> None:
        watch_parent(self._parent)
        super().run()  # type: ignore[misc]


class _ForkProcess(_Watched, ForkProcess):
    pass


class _SpawnProcess(_Watched, SpawnProcess):
    pass


class _SpawnContext(SpawnContext):
    Process = _SpawnProcess


def pool_context() -> BaseContext:
    """The multiprocessing context of every local pool (:data:`START_METHOD`), with watched workers."""
    return _CONTEXTS[START_METHOD]


def _fork_context() -> BaseContext | None:
    if sys.platform == "win32":  # no fork there
        return None
    from multiprocessing.context import ForkContext

    class _ForkContext(ForkContext):
        Process = _ForkProcess

    return _ForkContext()


_CONTEXTS: dict[str, Any] = {"fork": _fork_context(), "spawn": _SpawnContext()}
