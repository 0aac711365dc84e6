"""The ``text`` stage: fill ``text_features`` and ``segments`` for messages not processed yet.

Every executor runs the same pure function, ``frame.process_frame``, on batches of messages:

* ``executor="local"``, ``workers=1``: batches read from the store, processed in this process and
  written one transaction per batch (an interrupted run keeps whole batches and resumes);
* ``executor="local"``, ``workers=N``: the same batches processed by a pool of N processes, written
  by this process as they come back (DuckDB files have one writer);
* ``executor="dask"``: ``chrysalide.distributed.map_partitions`` cuts the messages into Parquet
  partitions, runs the function as Dask tasks (on the cluster at ``scheduler``, else on a
  ``LocalCluster`` of ``workers`` processes) and the results are inserted from Parquet with one
  statement per table, in one transaction.

Writes are set-based: ``INSERT ... BY NAME SELECT`` from a registered frame or from Parquet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.distributed import EXECUTORS, map_partitions
from chrysalide.distributed.processes import pool_context
from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.text.frame import process_frame

# progress(done, total): called after each batch or partition
Progress = Callable[[int, int], None]
_PENDING = (
    "SELECT m.message_id, m.text, m.lang FROM messages m WHERE NOT EXISTS"
    " (SELECT 1 FROM text_features f WHERE f.message_id = m.message_id) ORDER BY m.message_id"
)


def text_partition(frame: pd.DataFrame, *, segment_size: int = 40) -> dict[str, pd.DataFrame]:
    """``process_frame`` in the shape of ``map_partitions``: output tables by name."""
    feats, segs = process_frame(frame, segment_size=segment_size)
    return {"text_features": feats, "segments": segs}


def process(
    store: Store,
    *,
    batch_size: int = 5000,
    only_new: bool = True,
    segment_size: int = 40,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the text stage on the store; return counts (also stored as the run's summary).

    ``only_new`` processes the messages without a ``text_features`` row (incremental); otherwise
    every message is processed again after deleting the stage's rows. Messages whose ``lang`` is
    NULL get the detected language. ``workers`` is the number of processes: the local pool (default 1:
    this process) or the Dask ``LocalCluster`` when no ``scheduler`` is given (default: one per core);
    ``batch_size`` is the number of messages per batch or Parquet partition.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise ConfigError("--scheduler needs --executor dask")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    params = {"batch_size": batch_size, "only_new": only_new, "segment_size": segment_size,
              "executor": executor, "workers": workers}  # fmt: skip
    con = store.con
    with store.run("text", "chrysalide.text", params) as run:
        if not only_new:
            con.execute("DELETE FROM segments")
            con.execute("DELETE FROM text_features")
        counts: dict[str, Any] = {"messages": 0, "segments": 0, "tokens": 0, "lang_filled": 0, "languages": {}}
        if executor == "dask":
            _run_dask(store, run.run_id, segment_size, batch_size, scheduler, workers, counts, progress)
        else:
            ids = con.execute(f"SELECT message_id FROM ({_PENDING})").fetchnumpy()["message_id"]
            batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
            func = partial(process_frame, segment_size=segment_size)
            for done, (feats, segs) in enumerate(_map_batches(store, batches, func, workers or 1), 1):
                _write(store, "_text_feats", "_text_segs", run.run_id, feats, segs, counts)
                if progress is not None:
                    progress(done, len(batches))
        counts["run_id"] = run.run_id
        run.summary.update(counts)
    return counts


def _read_batch(store: Store, ids: np.ndarray) -> pd.DataFrame:
    con = store.con
    con.register("_text_ids", pd.DataFrame({"message_id": ids}))
    try:
        return con.execute("SELECT m.message_id, m.text, m.lang FROM messages m JOIN _text_ids USING (message_id)").df()
    finally:
        con.unregister("_text_ids")


def _map_batches(
    store: Store,
    batches: list[np.ndarray],
    func: Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]],
    workers: int,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """``func`` on each batch, here or in a pool of processes that keeps ``workers`` batches in flight."""
    if workers == 1 or len(batches) < 2:
        for batch in batches:
            yield func(_read_batch(store, batch))
        return
    with ProcessPoolExecutor(min(workers, len(batches)), mp_context=pool_context()) as pool:
        pending = []
        for batch in batches:
            pending.append(pool.submit(func, _read_batch(store, batch)))
            if len(pending) > workers:  # bound memory: read ahead only what the workers can take
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _write(
    store: Store, feats_sql: str, segs_sql: str, run_id: int, feats: Any, segs: Any, counts: dict[str, Any]
) -> None:
    """Insert one result (frames registered under the given names, or SQL relations) in one transaction."""
    con = store.con
    frames = isinstance(feats, pd.DataFrame)
    if frames:
        con.register(feats_sql, feats)
        con.register(segs_sql, segs)
    con.begin()
    try:
        added = con.execute(
            f"INSERT INTO text_features BY NAME SELECT *, $run AS run_id FROM {feats_sql}", {"run": run_id}
        ).fetchone()
        segments = con.execute(
            f"INSERT INTO segments BY NAME SELECT *, $run AS run_id FROM {segs_sql}", {"run": run_id}
        ).fetchone() if segs_sql else (0,)  # fmt: skip
        filled = con.execute(
            f"UPDATE messages SET lang = f.lang FROM {feats_sql} f"
            " WHERE messages.message_id = f.message_id AND messages.lang IS NULL"
        ).fetchone()
        stats = con.execute(f"SELECT lang, count(*), sum(n_tokens) FROM {feats_sql} GROUP BY lang").fetchall()
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        if frames:
            con.unregister(feats_sql)
            con.unregister(segs_sql)
    counts["messages"] += int(added[0]) if added else 0
    counts["segments"] += int(segments[0]) if segments else 0
    counts["lang_filled"] += int(filled[0]) if filled else 0
    for lang, n, tokens in stats:
        counts["tokens"] += int(tokens or 0)
        counts["languages"][lang] = counts["languages"].get(lang, 0) + int(n)


def _run_dask(
    store: Store,
    run_id: int,
    segment_size: int,
    batch_size: int,
    scheduler: str | None,
    workers: int | None,
    counts: dict[str, Any],
    progress: Progress | None,
) -> None:
    func = partial(text_partition, segment_size=segment_size)
    with map_partitions(
        store, _PENDING, func, executor="dask", scheduler=scheduler, n_workers=None if scheduler else workers,
        partition_rows=batch_size, on_partition=progress,
    ) as out:  # fmt: skip
        if out.glob("text_features") is None:
            return
        segs = out.relation("segments") if out.glob("segments") else None
        _write(store, out.relation("text_features"), segs or "", run_id, None, None, counts)
