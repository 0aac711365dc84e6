"""The staging folder of one import: its messages and rejects on disk, in chunks, between the two passes.

Pass 1 (``collect``) writes each chunk of checked records as read (``raw``: text not scrubbed yet, since
scrubbing needs every member name of the import) with the chunk's rejects; positions in threads are
computed over all the raw chunks at once; pass 2 (``finish``) turns each raw chunk into the rows to
insert (``ready``), which the write's transaction reads in order. Parquet, because DuckDB reads it
natively and column by column (positions and threads need a few columns only).

The folder is created beside the database (the same disk, which is expected to hold the data anyway)
with a name starting ``.chrysalide-ingest-``, readable by its owner only, and removed when the import
ends, whether it succeeded or failed. Its raw chunks hold names and text as read: a folder left by an
import that was killed is removed when the database is next opened for writing (``store/guard.py``; the
file ``database`` in the folder names the database it belongs to, so that no other import's folder goes).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.ingest.records import Reject
from chrysalide.store import Store
from chrysalide.store.guard import STAGING_PREFIX, staging_owner

# Messages (and rejects) per chunk: what the loader holds in memory at once, besides its per-id bookkeeping.
CHUNK_MESSAGES = 20_000
# zstd: half the disk of snappy (Parquet's default) for the same time (measured on a chunk of 20,000
# generated messages: 1.9 against 3.5 MB, 0.03 s to write either).
COMPRESSION = "zstd"
REJECTS = pa.schema([("record_no", pa.int64()), ("raw", pa.string()), ("reason", pa.string())])


@dataclass(frozen=True)
class Chunk:
    """One staged chunk: ``size`` messages whose ``seq`` (order in the import) starts at ``offset``."""

    raw: Path
    rejects: Path
    ready: Path
    offset: int
    size: int


class Staging:
    """A temporary folder that holds the chunks of one import; a context manager that removes it."""

    def __init__(self, store: Store) -> None:
        file = None if store.path == ":memory:" else Path(store.path).expanduser().resolve()
        self._beside = None if file is None else file.parent
        self._owner = None if file is None else str(file)
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self.chunks: list[Chunk] = []

    def __enter__(self) -> Staging:
        self._folder = tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=self._beside)
        if self._owner is not None:
            staging_owner(self.path).write_text(self._owner, encoding="utf-8")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    @property
    def path(self) -> Path:
        if self._folder is None:
            raise RuntimeError("the staging folder exists only inside `with Staging(...)`")
        return Path(self._folder.name)

    @property
    def messages(self) -> int:
        return sum(chunk.size for chunk in self.chunks)

    def add(self, messages: pa.Table, rejects: list[Reject]) -> Chunk:
        """Write one chunk of raw messages (numbered in the import's order: ``seq``) and its rejects."""
        number, offset = len(self.chunks), self.messages
        chunk = Chunk(
            raw=self.path / f"raw-{number:05d}.parquet",
            rejects=self.path / f"rejects-{number:05d}.parquet",
            ready=self.path / f"ready-{number:05d}.parquet",
            offset=offset,
            size=messages.num_rows,
        )
        write(messages.append_column("seq", pa.array(range(offset, offset + chunk.size), pa.int64())), chunk.raw)
        columns = ([r.record_no for r in rejects], [r.raw for r in rejects], [r.reason for r in rejects])
        write(pa.table(columns, schema=REJECTS), chunk.rejects)
        self.chunks.append(chunk)
        return chunk


def write(table: pa.Table, path: Path) -> None:
    """One staged file (pass 2 runs in worker processes too, hence a function rather than a method)."""
    pq.write_table(table, path, compression=COMPRESSION)
