"""Pass 2 of an import: each staged chunk becomes the rows to insert, here or in a pool of processes.

Once pass 1 has read everything, a chunk needs nothing from the others: the ids are derived from native
ids (``ingest/ids.py``; member ids with the key, ``privacy/pseudonyms.py``), the name scrubber knows every
name of the source, and the parents that are in neither the import nor the store are known. So the chunks
are finished independently, in any number of processes, and give the same rows. Finishing a chunk cleans
the markup of its texts (``ingest/markup.py``), scrubs names and contact details from them and from its
rejects' raw records, then deletes the raw chunk: after pass 2 no staged file holds a raw name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.distributed.pool import map_ordered
from chrysalide.ingest.ids import stable_ids
from chrysalide.ingest.markup import clean
from chrysalide.ingest.naming import Naming
from chrysalide.ingest.report import MAX_WARNINGS_KEPT
from chrysalide.ingest.staging import REJECTS, Chunk, write
from chrysalide.ingest.threads import ThreadAuthors
from chrysalide.privacy.sources import follow


# From this many new messages (three chunks), one process per core finishes the chunks. Measured on 2
# cores with forked workers: 50,000 messages take 2.1 instead of 2.5 s (0.2 CPU seconds more), 200,000
# 7.4 instead of 10.7 s; below, the saving is a tenth of a second at most.
@dataclass(frozen=True)
class Task:
    """One chunk to finish: its parents found neither in the import nor in the store, its positions, and the
    earlier authors of its threads (:mod:`chrysalide.ingest.threads`; None: the addressee rule is not read)."""

    chunk: Chunk
    unresolved: frozenset[str]
    positions: np.ndarray  # each message's position in its thread among the new messages
    authors: ThreadAuthors | None = None


@dataclass
class Finished:
    """What finishing one chunk reports: warnings (replies to missing parents), cleaning and scrubbing counts."""

    warning_count: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (record number, what of it), the first ones
    cleaned: Counter[str] = field(default_factory=Counter)
    scrubbed: Counter[str] = field(default_factory=Counter)
    ambiguous: dict[tuple[str, str, str, str], list[int]] = field(default_factory=dict)


def finish(naming: Naming, tasks: list[Task], workers: int) -> Iterator[Finished]:
    """Finish every chunk (in ``workers`` processes when above 1); yield what each reports, in chunk order.

    The pool is the one text and coding use (:func:`chrysalide.distributed.map_ordered`): it forks on Linux
    (measured here at 100,000 messages: 0.7 s, 1.4 CPU seconds and 140 MB less than spawning), keeps only
    ``workers`` + 1 chunks in flight, and its workers exit when the importing process dies; they only read
    and write Parquet files.
    """
    if workers <= 1 or len(tasks) < 2:
        for task in tasks:
            yield finish_chunk(naming, task)
        return
    yield from map_ordered(_finish_adopted, tasks, min(workers, len(tasks)), initializer=_adopt, initargs=(naming,))


_NAMING: Naming | None = None


def _adopt(naming: Naming) -> None:
    """Pool initializer: the naming reaches each worker once, not with every chunk."""
    global _NAMING
    _NAMING = naming


def _finish_adopted(task: Task) -> Finished:
    assert _NAMING is not None, "worker started without its naming"
    return finish_chunk(_NAMING, task)


def finish_chunk(naming: Naming, task: Task) -> Finished:
    """Ids, clean and scrubbed text, resolved replies and meta of one chunk, written to ``chunk.ready``.

    The raw chunk is deleted; the chunk's rejects are rewritten with their raw records scrubbed.
    """
    raw = pq.read_table(task.chunk.raw)
    source_id, size = naming.source_id, raw.num_rows
    natives = raw["native_id"].to_pylist()
    parents, metas, result = _replies(naming, task, raw)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "message_id": pa.array(stable_ids(source_id, "message", natives), pa.int64()),
        "source_id": pa.array([source_id] * size, pa.string()),
        "native_id": raw["native_id"],
        "thread_id": pa.array(_ids_or_none(source_id, "thread", raw["thread_native"].to_pylist()), pa.int64()),
        "member_id": pa.array(_member_ids(naming, raw["member_key"].to_pylist()), pa.int64()),
        "reply_to_id": pa.array(_ids_or_none(source_id, "message", parents), pa.int64()),
        "posted_at": raw["posted_at"],
        "position_in_thread": pa.array(task.positions, pa.int64()),
    }
    del natives, parents
    scrubber = naming.scrubber
    scrubber.counts.clear()
    scrubber.ambiguous.clear()
    scrub = scrubber.scrub if naming.scrub else _same
    texts = raw["text"].to_pylist()
    cleaned = [clean(t, result.cleaned) for t in texts]
    scrubbed = [scrub(t) for t in cleaned] if task.authors is None else _scrub_replies(naming, task, raw, cleaned)
    columns["text"] = pa.array(scrubbed, pa.string())
    for name in ("quoted_text", "title"):
        columns[name] = pa.array([scrub(clean(t)) for t in raw[name].to_pylist()], pa.string())
    result.scrubbed.update(scrubber.counts)
    result.ambiguous.update({k: list(v) for k, v in scrubber.ambiguous.items()})
    # The source form repeats the text's names: scrubbed the same way, not counted twice, and losing every name the
    # text lost wherever its markup moved it from where the rules look (chrysalide.privacy.sources).
    columns["source_text"] = pa.array(
        [None if c is t else _source_form(scrub(t), c, x) for t, c, x in zip(texts, cleaned, scrubbed, strict=True)],
        pa.string(),
    )
    del texts, cleaned, scrubbed
    columns.update(
        lang=raw["lang"],
        record_no=raw["record_no"],
        content_hash=raw["content_hash"],
        field_digest=raw["field_digest"],
        meta=pa.array(metas, pa.string()),
        board=_boards(naming, raw["board"]),
        thread_native=raw["thread_native"],
    )
    write(pa.table(columns), task.chunk.ready)
    task.chunk.raw.unlink()  # the raw text, names included, is gone once the chunk is finished
    if naming.scrub:
        rejects = pq.read_table(task.chunk.rejects)
        scrubbed = [scrubber.scrub(r, strict=True) for r in rejects["raw"].to_pylist()]
        write(rejects.set_column(1, REJECTS.field("raw"), pa.array(scrubbed, pa.string())), task.chunk.rejects)
    scrubber.counts.clear()  # counted in ``result``: the scrubber counts what is scrubbed after (thread titles)
    scrubber.ambiguous.clear()
    return result


def _scrub_replies(naming: Naming, task: Task, raw: pa.Table, cleaned: Sequence[str | None]) -> list[str | None]:
    """The chunk's texts scrubbed, each told its thread's earlier authors: a reply opening with the name of one of
    them addresses them (:mod:`chrysalide.privacy.addressees`)."""
    assert task.authors is not None
    threads, posted = raw["thread_native"].to_pylist(), raw["posted_at"].to_pylist()
    earlier = task.authors.earlier
    return [
        naming.scrubber.scrub(text, earlier=earlier(thread, int(position), at))
        for text, thread, position, at in zip(cleaned, threads, task.positions, posted, strict=True)
    ]


def _boards(naming: Naming, boards: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The chunk's boards as stored (:meth:`Naming.board`), each distinct board looked at once."""
    values = boards.to_pylist()
    renamed = {b: new for b in set(values) if (new := naming.board(b)) != b}
    return pa.array([renamed.get(b, b) for b in values], pa.string()) if renamed else boards


def _same(text: str | None) -> str | None:
    return text


def _source_form(source: str | None, cleaned: str | None, scrubbed: str | None) -> str | None:
    """A message's scrubbed source form, also without what scrubbing took out of its cleaned text."""
    if not source or not cleaned or not scrubbed or cleaned == scrubbed:
        return source
    return follow(source, cleaned, scrubbed)


def _replies(naming: Naming, task: Task, raw: pa.Table) -> tuple[list[str | None], list[str | None], Finished]:
    """Parents (None for a reply to a message not in the source, which keeps its native id in meta) and meta.

    Meta was staged as JSON; it is read back only for the few messages where it changes: quoted authors
    get their pseudonyms, a lost parent is recorded.
    """
    parents: list[str | None] = raw["reply_native"].to_pylist()
    metas: list[str | None] = raw["meta"].to_pylist()
    records = raw["record_no"]
    pseudonymise = not naming.pseudo.keep_names
    result = Finished()
    for i, (parent, staged) in enumerate(zip(parents, metas, strict=True)):
        lost = parent is not None and parent in task.unresolved
        if not lost and not (pseudonymise and staged is not None and '"quoted_authors"' in staged):
            continue
        meta = json.loads(staged) if staged else {}
        if lost:
            result.warning_count += 1
            if len(result.warnings) < MAX_WARNINGS_KEPT:
                record = records[i].as_py()
                result.warnings.append((record, f"replies to {parent!r}, which is not in the source; kept as a root"))
            meta["reply_to_native"] = parent
            parents[i] = None
        if "quoted_authors" in meta and pseudonymise:
            meta["quoted_authors"] = [naming.pseudonym_of(n) for n in meta["quoted_authors"]]
        metas[i] = json.dumps(meta, ensure_ascii=False) if meta else None
    return parents, metas, result


def _ids_or_none(source_id: str, kind: str, natives: list[str | None]) -> list[int | None]:
    """Stable ids of a column with NULLs, each distinct native id hashed once."""
    distinct = dict.fromkeys(n for n in natives if n is not None)
    ids = dict(zip(distinct, stable_ids(source_id, kind, distinct), strict=True))
    return [None if n is None else ids[n] for n in natives]


def _member_ids(naming: Naming, keys: list[str | None]) -> list[int | None]:
    """Keyed member ids of a column of member keys with NULLs, each distinct key hashed once."""
    distinct = dict.fromkeys(k for k in keys if k is not None)
    ids = dict(zip(distinct, naming.pseudo.member_ids(naming.source_id, distinct), strict=True))
    return [None if k is None else ids[k] for k in keys]
