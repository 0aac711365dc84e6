"""How the local process pools start (text, coding and the second pass of ingest).

They fork on Linux: a forked worker shares the loaded coder, lexicons and lemma tables copy-on-write and
starts in milliseconds, while a spawned worker re-imports the calling script, which then needs an
``if __name__ == "__main__":`` guard (without one, an import hung) and costs about a second and 100 MB
more per worker. The workers never touch DuckDB (they get frames or Parquet files and send frames back),
so the database's idle threads at fork time do not matter. Elsewhere (macOS, Windows, where forking a
process with threads is unsafe or impossible) the pools spawn.
"""

from __future__ import annotations

import multiprocessing
import sys
from multiprocessing.context import BaseContext

START_METHOD = "fork" if sys.platform == "linux" else "spawn"


def pool_context() -> BaseContext:
    """The multiprocessing context of every local pool (:data:`START_METHOD`)."""
    return multiprocessing.get_context(START_METHOD)
