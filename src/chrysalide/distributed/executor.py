"""Run a per-frame function over rows of the store: here, in a pool of processes, or on a Dask cluster.

The per-message steps (text, coding) and the per-member step (journeys) are written as pure functions
``DataFrame -> {table name: DataFrame}``. :func:`map_frames` is the one way they run them, with three
backends chosen by an :class:`Execution`:

- serial (``executor="local"``, one worker): the rows stream from DuckDB in chunks, the function runs here;
- process pool (``executor="local"``, ``workers`` > 1): the same chunks, in a pool of processes
  (:func:`chrysalide.distributed.pool.map_ordered`), results in the same order;
- Dask (``executor="dask"``): :func:`map_partitions` cuts the rows into Parquet partitions, runs the
  function as Dask tasks (on a ``LocalCluster``, or a SLURM/Kubernetes cluster reached through
  ``--scheduler ADDRESS``) and hands back a Parquet glob per output table, which the step inserts with one
  DuckDB statement, without the rows passing through this process.

The store itself is only touched by the calling process (DuckDB files are single-writer).

Dask (Rocklin 2015, "Dask: parallel computation with blocked algorithms and task scheduling") is the
distributed engine; nothing here schedules work itself.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.distributed.pool import map_ordered
from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.store.step import Relation, Rows

PartitionFunc = Callable[[pd.DataFrame], dict[str, pd.DataFrame]]
Progress = Callable[[int, int], None]  # (done, total): total 0 when unknown
EXECUTORS = ("local", "dask")
CHUNK_ROWS = 8192  # rows per local chunk: four DuckDB vectors, memory flat on big stores


@dataclass(frozen=True)
class Execution:
    """Where a step's per-frame work runs; it changes how fast, never what is written.

    ``workers``: processes of the local pool (None: this process), or the size of the Dask LocalCluster
    when no ``scheduler`` is given (None: one per core). ``progress(done, total)`` is called as work ends.
    """

    executor: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    progress: Progress | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise ConfigError(f"unknown executor {self.executor!r}; choose one of {', '.join(EXECUTORS)}")
        if self.scheduler and self.executor != "dask":
            raise ConfigError("--scheduler needs --executor dask")
        if self.workers is not None and self.workers < 1:
            raise ConfigError(f"--workers must be at least 1, got {self.workers}")

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass(frozen=True)
class Outputs:
    """Where the partition results are: one Parquet glob per output table (None when empty)."""

    globs: dict[str, str | None]
    partitions: int
    rows: int

    def glob(self, name: str) -> str | None:
        return self.globs.get(name)

    def relation(self, name: str) -> str:
        """SQL for the rows of one output table (schemas of the parts unified by column name)."""
        glob = self.globs.get(name)
        if glob is None:
            raise KeyError(f"no partition produced rows for {name!r}")
        return f"read_parquet('{glob}', union_by_name = true)"


def _write_partitions(
    store: Store, query: str, params: list[Any], folder: Path, partition_rows: int, partition_by: str | None
) -> list[Path]:
    """Rows of ``query`` as Parquet files of about ``partition_rows`` rows.

    With ``partition_by`` every row sharing that key lands in the same file (per-member stages).
    """
    folder.mkdir(parents=True, exist_ok=True)
    parts: list[Path] = []
    if partition_by is None:
        store.con.complete()  # DuckDB 2: con.sql() refuses to start while an earlier result is pending
        reader = store.con.sql(query, params=params or None).to_arrow_reader(partition_rows)
        for index, batch in enumerate(_rebatch(reader, partition_rows)):
            path = folder / f"part-{index:05d}.parquet"
            pq.write_table(batch, path)
            parts.append(path)
        return parts
    total = store.con.execute(f"SELECT count(*) FROM ({query})", params).fetchone()[0]  # type: ignore[index]
    n_parts = max(1, -(-int(total) // partition_rows))
    for index in range(n_parts):
        store.con.complete()
        table = store.con.sql(
            f"SELECT * FROM ({query}) WHERE hash({partition_by}) % {n_parts} = {index}", params=params or None
        ).to_arrow_table()
        if table.num_rows:
            path = folder / f"part-{index:05d}.parquet"
            pq.write_table(table, path)
            parts.append(path)
    return parts


def _rebatch(reader: pa.RecordBatchReader, rows: int) -> Iterator[pa.Table]:
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in reader:
        pending.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield pa.Table.from_batches(pending)
            pending, count = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


def _run_part(func: PartitionFunc, source: str, out_dir: str) -> dict[str, int]:
    """One task: read a partition, apply ``func``, write each output table beside the others."""
    frame = pd.read_parquet(source)
    results = func(frame)
    counts = {}
    stem = Path(source).stem
    for name, result in results.items():
        counts[name] = len(result)
        if len(result):
            target = Path(out_dir) / name
            target.mkdir(parents=True, exist_ok=True)
            result.to_parquet(target / f"{stem}.parquet", index=False)
    return counts


@contextmanager
def map_partitions(
    store: Store,
    query: str,
    func: PartitionFunc,
    *,
    params: list[Any] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    partition_rows: int = 50_000,
    partition_by: str | None = None,
    workdir: str | Path | None = None,
    n_workers: int | None = None,
    on_partition: Callable[[int, int], None] | None = None,
) -> Iterator[Outputs]:
    """Apply ``func`` to the rows of ``query`` partition by partition; yield the output globs.

    ``executor="dask"`` runs the partitions as Dask tasks: on the cluster at ``scheduler`` when given,
    else on a ``LocalCluster`` of ``n_workers`` processes (default: one per core). ``workdir`` must be a folder every worker can
    read and write (a shared file system on a cluster); it defaults to a temporary folder, removed after.
    """
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise ConfigError("--scheduler needs --executor dask")
    root = Path(tempfile.mkdtemp(prefix="chrysalide-", dir=workdir))
    try:
        parts = _write_partitions(store, query, params or [], root / "in", partition_rows, partition_by)
        out_dir = root / "out"
        out_dir.mkdir()
        rows = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
        if executor == "local":
            for done, part in enumerate(parts, 1):
                _run_part(func, str(part), str(out_dir))
                if on_partition is not None:
                    on_partition(done, len(parts))
        else:
            _run_on_dask(func, parts, out_dir, scheduler, n_workers, on_partition)
        globs = {
            child.name: str(child / "*.parquet") if any(child.glob("*.parquet")) else None
            for child in sorted(out_dir.iterdir())
        }
        yield Outputs(globs=globs, partitions=len(parts), rows=rows)
    finally:
        shutil.rmtree(root, ignore_errors=True)


#: Seconds to wait for the Dask scheduler given by ``--scheduler`` (Dask's own default, 30 s, is long to wait for
#: a mistyped address); Dask retries within it, so a scheduler that is running answers well before.
SCHEDULER_CONNECT_TIMEOUT = 10


def connect_scheduler(client: Callable[..., Any], scheduler: str) -> Any:
    """A Dask ``Client`` of the scheduler at ``scheduler``, or a ConfigError naming it and what to check."""
    try:
        return client(scheduler, timeout=SCHEDULER_CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({detail}); check that the scheduler"
            " is running, that its address and port (e.g. tcp://HOST:8786) are right and that this machine can"
            " reach it, or leave out --scheduler to run on a local cluster"
        ) from exc


def _run_on_dask(
    func: PartitionFunc,
    parts: list[Path],
    out_dir: Path,
    scheduler: str | None,
    n_workers: int | None,
    on_partition: Callable[[int, int], None] | None,
) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = connect_scheduler(Client, scheduler)
    else:
        cluster = LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(_run_part, func, str(part), str(out_dir), pure=False) for part in parts]
        for done, future in enumerate(as_completed(futures), 1):
            future.result()
            if on_partition is not None:
                on_partition(done, len(parts))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def map_frames(
    store: Store,
    query: str,
    func: PartitionFunc,
    *,
    params: list[Any] | None = None,
    execution: Execution | None = None,
    total: int = 0,
    chunk_rows: int = CHUNK_ROWS,
    partition_rows: int = 50_000,
    partition_by: str | None = None,
) -> Iterator[Iterator[dict[str, Rows]]]:
    """``func`` over the rows of ``query``; yields an iterator of results ``{table: rows}``, in row order.

    Locally each result holds the DataFrames of one chunk of ``chunk_rows`` rows (or of the whole query when
    ``partition_by`` asks for groups kept together); on Dask one result holds a :class:`Relation` per output
    table over the Parquet files of all partitions (valid until the context ends). ``total`` (rows, when the
    caller knows it) lets ``execution.progress`` show a bar.
    """
    execution = execution or Execution()
    if execution.executor == "dask":
        with map_partitions(
            store, query, func, params=params, executor="dask", scheduler=execution.scheduler,
            partition_rows=partition_rows, partition_by=partition_by,
            n_workers=None if execution.scheduler else execution.workers, on_partition=execution.report,
        ) as out:  # fmt: skip
            names = [name for name, glob in out.globs.items() if glob is not None]
            yield iter([{name: Relation(f"SELECT * FROM {out.relation(name)}") for name in names}] if names else [])
        return
    if partition_by is not None:  # one frame: coded here (a pool of processes would only copy it across)
        frames: Iterator[pd.DataFrame] = iter([store.con.execute(query, params or []).df()])
        workers = 1
    else:
        frames, workers = _chunks(store, query, params or [], chunk_rows), execution.workers or 1
    sized = map_ordered(partial(_sized, func), frames, workers)
    yield _progressing(sized, execution, total)


def _chunks(store: Store, query: str, params: list[Any], rows: int) -> Iterator[pd.DataFrame]:
    """The rows of ``query`` in DataFrames of ``rows`` rows, read as they are consumed.

    DuckDB streams the result to a Parquet file first, which is then read a chunk at a time: the step writes
    its results on the store's connection between two chunks, which would end a pending result of that
    connection, and in the step's own transaction, whose changes a second connection would not see (a
    refresh deletes rows first). The file keeps the rows out of memory (the messages' text, at the study's
    size some hundreds of MB).
    """
    folder = Path(tempfile.mkdtemp(prefix="chrysalide-chunks-"))
    try:
        path = folder / "rows.parquet"
        store.con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE {rows})", params)
        for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
            yield batch.to_pandas()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sized(func: PartitionFunc, frame: pd.DataFrame) -> tuple[int, dict[str, pd.DataFrame]]:
    """``func(frame)`` with the number of input rows, for progress (picklable for the pool)."""
    return len(frame), func(frame)


def _progressing(
    results: Iterator[tuple[int, dict[str, pd.DataFrame]]], execution: Execution, total: int
) -> Iterator[dict[str, Rows]]:
    done = 0
    execution.report(done, total)  # the total, shown before the first chunk ends
    for rows, result in results:
        done += rows
        execution.report(done, total)
        yield dict(result)
