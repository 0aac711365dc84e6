"""Run a per-partition function over rows of the store, locally or on a Dask cluster.

The per-message stages (text, coding) and the per-member stages (journeys) are written as pure
functions ``DataFrame -> {table name: DataFrame}``. This module cuts the rows a stage needs into
Parquet partitions, runs the function on each (in this process, or as Dask tasks on a
``LocalCluster``, a SLURM/Kubernetes cluster reached through ``--scheduler ADDRESS``), and hands the
stage a Parquet glob per output table, which the stage inserts with one DuckDB statement. Both
executors go through the same files, so their results are identical by construction; the store itself
is only touched by the calling process (DuckDB files are single-writer).

Dask (Rocklin 2015, "Dask: parallel computation with blocked algorithms and task scheduling") is the
distributed engine; nothing here schedules work itself.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.errors import ConfigError
from chrysalide.store import Store

PartitionFunc = Callable[[pd.DataFrame], dict[str, pd.DataFrame]]
EXECUTORS = ("local", "dask")


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
        client = Client(scheduler)
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
