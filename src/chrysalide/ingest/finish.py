"""Pass 2 of an import: each staged chunk becomes the rows to insert, here or in a pool of processes.

Once pass 1 has read everything, a chunk needs nothing from the others: the ids are derived from native
ids (``ingest/ids.py``), the name scrubber knows every member name of the import, and the parents that
are in neither the import nor the store are known. So the chunks are finished independently, in any
number of processes, and give the same rows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.distributed.processes import pool_context
from chrysalide.ingest.ids import stable_ids
from chrysalide.ingest.report import MAX_WARNINGS_KEPT
from chrysalide.ingest.staging import Chunk, write
from chrysalide.privacy import NameScrubber, Pseudonymiser

# From this many new messages (three chunks), one process per core finishes the chunks. Measured on 2
# cores with forked workers: 50,000 messages take 2.1 instead of 2.5 s (0.2 CPU seconds more), 200,000
# 7.4 instead of 10.7 s; below, the saving is a tenth of a second at most.
POOL_MIN_MESSAGES = 50_000
# How the pool starts its processes (see ``finish``).


@dataclass(frozen=True)
class Naming:
    """What every chunk needs: the source, the scrubber of its members' names, their pseudonyms."""

    source_id: str
    scrubber: NameScrubber
    pseudonyms: dict[str, str]  # casefolded name -> pseudonym, for quoted authors
    pseudo: Pseudonymiser


@dataclass(frozen=True)
class Task:
    """One chunk to finish: its parents found neither in the import nor in the store, its positions."""

    chunk: Chunk
    unresolved: frozenset[str]
    positions: np.ndarray  # each message's position in its thread among the new messages


def default_workers(messages: int) -> int:
    """One process per core for an import of ``POOL_MIN_MESSAGES`` new messages or more, else one."""
    return max(1, os.cpu_count() or 1) if messages >= POOL_MIN_MESSAGES else 1


def finish(naming: Naming, tasks: list[Task], workers: int) -> Iterator[tuple[int, list[str]]]:
    """Finish every chunk (in ``workers`` processes when above 1); yield each one's warnings in chunk order.

    The pool forks on Linux (``chrysalide.distributed.processes``; measured here at 100,000 messages:
    0.7 s, 1.4 CPU seconds and 140 MB less than spawning); the workers only read and write Parquet files.
    """
    if workers <= 1 or len(tasks) < 2:
        for task in tasks:
            yield finish_chunk(naming, task)
        return
    pool = ProcessPoolExecutor(
        min(workers, len(tasks)), mp_context=pool_context(), initializer=_adopt, initargs=(naming,)
    )
    try:
        yield from pool.map(_finish_adopted, tasks)
    finally:
        # On failure, chunks not started yet are dropped rather than finished for nothing.
        pool.shutdown(wait=True, cancel_futures=True)


_NAMING: Naming | None = None


def _adopt(naming: Naming) -> None:
    """Pool initializer: the naming reaches each worker once, not with every chunk."""
    global _NAMING
    _NAMING = naming


def _finish_adopted(task: Task) -> tuple[int, list[str]]:
    assert _NAMING is not None, "worker started without its naming"
    return finish_chunk(_NAMING, task)


def finish_chunk(naming: Naming, task: Task) -> tuple[int, list[str]]:
    """Ids, scrubbed text, resolved replies and meta of one chunk, written to ``chunk.ready`` in place of ``raw``.

    Returns the number of warnings and the first ones (replies to a message that is not in the source).
    """
    raw = pq.read_table(task.chunk.raw)
    source_id, size = naming.source_id, raw.num_rows
    natives = raw["native_id"].to_pylist()
    parents, metas, count, warnings = _replies(naming, task, raw)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "message_id": pa.array(stable_ids(source_id, "message", natives), pa.int64()),
        "source_id": pa.array([source_id] * size, pa.string()),
        "native_id": raw["native_id"],
        "thread_id": pa.array(_ids_or_none(source_id, "thread", raw["thread_native"].to_pylist()), pa.int64()),
        "member_id": pa.array(_ids_or_none(source_id, "member", raw["member_key"].to_pylist()), pa.int64()),
        "reply_to_id": pa.array(_ids_or_none(source_id, "message", parents), pa.int64()),
        "posted_at": raw["posted_at"],
        "position_in_thread": pa.array(task.positions, pa.int64()),
    }
    del natives, parents
    scrub = naming.scrubber.scrub
    for name in ("text", "quoted_text", "title"):
        values = raw[name]
        columns[name] = pa.array([scrub(t) for t in values.to_pylist()], pa.string()) if naming.scrubber else values
    columns.update(
        lang=raw["lang"],
        record_no=raw["record_no"],
        content_hash=raw["content_hash"],
        meta=pa.array(metas, pa.string()),
        board=raw["board"],
        thread_native=raw["thread_native"],
    )
    write(pa.table(columns), task.chunk.ready)
    task.chunk.raw.unlink()  # no longer needed: the staging folder's disk stays near one copy of the import
    return count, warnings


def _replies(naming: Naming, task: Task, raw: pa.Table) -> tuple[list[str | None], list[str | None], int, list[str]]:
    """Parents (None for a reply to a message not in the source, which keeps its native id in meta) and meta.

    Meta was staged as JSON; it is read back only for the few messages where it changes: quoted authors
    get their pseudonyms, a lost parent is recorded.
    """
    parents: list[str | None] = raw["reply_native"].to_pylist()
    metas: list[str | None] = raw["meta"].to_pylist()
    records = raw["record_no"]
    pseudonymise = not naming.pseudo.keep_names
    count = 0
    warnings: list[str] = []
    for i, (parent, staged) in enumerate(zip(parents, metas, strict=True)):
        lost = parent is not None and parent in task.unresolved
        if not lost and not (pseudonymise and staged is not None and '"quoted_authors"' in staged):
            continue
        meta = json.loads(staged) if staged else {}
        if lost:
            count += 1
            if len(warnings) < MAX_WARNINGS_KEPT:
                record = records[i].as_py()
                warnings.append(f"record {record}: replies to {parent!r}, which is not in the source; kept as a root")
            meta["reply_to_native"] = parent
            parents[i] = None
        if "quoted_authors" in meta and pseudonymise:
            meta["quoted_authors"] = [
                naming.pseudonyms.get(n.casefold()) or naming.pseudo.pseudonym(f"{naming.source_id}\x1fname:{n}")
                for n in meta["quoted_authors"]
            ]
        metas[i] = json.dumps(meta, ensure_ascii=False) if meta else None
    return parents, metas, count, warnings


def _ids_or_none(source_id: str, kind: str, natives: list[str | None]) -> list[int | None]:
    """Stable ids of a column with NULLs, each distinct native id hashed once."""
    distinct = dict.fromkeys(n for n in natives if n is not None)
    ids = dict(zip(distinct, stable_ids(source_id, kind, distinct), strict=True))
    return [None if n is None else ids[n] for n in natives]
