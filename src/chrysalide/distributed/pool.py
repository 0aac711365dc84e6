"""Ordered map over a local pool of processes, with bounded read-ahead: text, coding and ingest use it.

With one worker the function runs here, in order. With more, a pool of processes (forked on Linux:
``chrysalide.distributed.processes``) keeps ``workers`` + 1 items in flight, so memory stays bounded
whatever the number of items; results come back in the items' order, so every worker count writes the
same rows. An ``initializer`` gives each worker what every item needs once (a loaded model, a name
scrubber) instead of with every item.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from chrysalide.distributed.processes import pool_context

#: Below this many messages a step's work is quicker in one process than shipped to a pool.
POOL_MIN_MESSAGES = 50_000

T = TypeVar("T")
R = TypeVar("R")


def default_workers(messages: int) -> int:
    """One process per core for ``POOL_MIN_MESSAGES`` messages or more, else one."""
    return max(1, os.cpu_count() or 1) if messages >= POOL_MIN_MESSAGES else 1


def map_ordered(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int = 1,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``func`` over ``items``, here (``workers`` <= 1) or in a pool of ``workers`` processes, in order."""
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(func, items)
        return
    pool = ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=initializer, initargs=initargs)
    pending: list[Future[R]] = []
    try:
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) > workers:  # read ahead only what the workers can take
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
    finally:
        # On failure (or when the caller stops early) items not started yet are dropped, not computed.
        pool.shutdown(wait=True, cancel_futures=True)
