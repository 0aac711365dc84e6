"""The loader: settles what every importer shares and writes one source into the store.

Rules (the same for every format, so that users can predict them):
- a message is valid when it parses and has non-empty text, and an id or a stable derived one; a message
  that only quotes others (empty own words, non-empty ``quoted_text``) is kept with empty ``text``: it is
  part of the thread, and coders see that its author wrote nothing of their own;
- an unparseable or impossible timestamp keeps the message with ``posted_at`` NULL and a warning;
- a repeated id with identical content is skipped and counted; with different content it is a reject;
- a reply to a message that is not in the store keeps the message, with ``reply_to_id`` NULL, a warning,
  and the source's parent id in ``meta.reply_to_native``;
- the whole write is one transaction: an interrupted import leaves the database as it was.

An import runs in two passes over chunks staged on disk, so that its memory does not grow with the text
of the input: pass 1 (``collect.py``) reads and checks every record, pass 2 (``finish.py``) derives ids,
scrubs names and resolves replies chunk by chunk (in a pool of processes for large imports), and one
transaction (``writer.py``) inserts every chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import tzinfo
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import registry
from chrysalide.ingest.collect import Collected, Member, collect, member_key
from chrysalide.ingest.finish import Naming, Task, default_workers, finish
from chrysalide.ingest.ids import stable_id, stable_ids
from chrysalide.ingest.records import ThreadRecord
from chrysalide.ingest.report import IngestReport
from chrysalide.ingest.staging import Staging
from chrysalide.ingest.textio import check_readable
from chrysalide.ingest.writer import position_sql, write_source
from chrysalide.privacy import NameScrubber, Pseudonymiser, load_key
from chrysalide.store import Store

ROLES = {"member", "moderator", "admin"}


def default_source_id(path: Path) -> str:
    """A source name from the file or folder name: ``forum_dump.sql.gz`` -> ``forum_dump``."""
    name = path.resolve().name
    for suffix in (".gz", ".zst", ".zstd", ".bz2"):
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    slug = re.sub(r"[^\w-]+", "_", stem).strip("_").lower()
    return slug or "source"


def ingest(
    store: Store,
    path: str | Path,
    *,
    format: str = "auto",  # noqa: A002 - the CLI option is --format
    mapping: dict[str, str] | None = None,
    source_name: str | None = None,
    keep_names: bool = False,
    zone: tzinfo | None = None,
    on_record: Callable[[int], None] | None = None,
    workers: int | None = None,
    **options: Any,
) -> IngestReport:
    """Import one file or folder into the store; see the module docstring for the rules.

    ``workers`` is the number of processes that finish the chunks (pass 2); None: one per core from
    ``POOL_MIN_MESSAGES`` new messages, else one. The stored result is the same whatever the number. Outside
    Linux the processes are spawned: a script that imports with more than one must then guard its entry
    point with ``if __name__ == "__main__":``, as for any use of ``multiprocessing``.
    """
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    path = Path(path)
    check_readable(path)
    cls = registry.detect(path) if format == "auto" else registry.get(format)
    if mapping:
        options["mapping"] = mapping
    try:
        importer = cls(**options)
    except TypeError as exc:
        raise ConfigError(f"format {cls.name!r} does not take these options: {sorted(options)}") from exc
    source_id = source_name or default_source_id(path)
    _check_source(store, source_id, keep_names)
    pseudo = Pseudonymiser(load_key(store.key_path), keep_names=keep_names)
    report = IngestReport(source_id=source_id, importer=cls.name, location=str(path.resolve()))
    params = {"path": report.location, "format": cls.name, "source_id": source_id, "keep_names": keep_names}
    params.update({k: v for k, v in options.items()})
    with store.run("ingest", f"{cls.name}/{cls.version}", params) as run, Staging(store) as stage:
        report.run_id = run.run_id
        read = collect(importer.read(path), _existing(store, source_id), report, zone, on_record, stage)
        unresolved = _unresolved(store, source_id, read)
        read.seen.clear()  # the largest bookkeeping, no longer needed: freed before DuckDB's share of the work
        positions = _positions(store, stage)
        store.release_memory()  # what the window over all new messages used, before the INSERT needs its own
        tasks = [
            Task(chunk, lost, positions[chunk.offset : chunk.offset + chunk.size])
            for chunk, lost in zip(stage.chunks, unresolved, strict=True)
        ]
        naming, members = _naming(source_id, read.members, pseudo)
        for count, first in finish(naming, tasks, workers or default_workers(stage.messages)):
            report.add_warnings(count, first)
        frames = {
            "members": members,
            "threads": _threads(source_id, read.threads, read.members, naming.scrubber),
            "messages": store.con.read_parquet([str(c.ready) for c in stage.chunks]),
            "rejects": store.con.read_parquet([str(c.rejects) for c in stage.chunks]),
        }
        written = write_source(store, source_id, cls.name, report.location, options, not keep_names, frames, run.run_id)
        report.imported = written["messages"]
        report.new_members = written["members"]
        report.new_threads = written["threads"]
        report.rejected = written["rejects_total_for_run"]
        run.summary.update(report.as_dict())
    return report


def _check_source(store: Store, source_id: str, keep_names: bool) -> None:
    row = store.con.execute("SELECT pseudonymised FROM sources WHERE source_id = ?", [source_id]).fetchone()
    if row is not None and bool(row[0]) == keep_names:
        was = "pseudonymised" if row[0] else "imported with --keep-names"
        raise ConfigError(f"source {source_id!r} was {was}; re-import it the same way or give another --source-name")


def _existing(store: Store, source_id: str) -> dict[str, int]:
    """Native id -> content digest (as an int, the compact form of pass 1) of the source's stored messages."""
    cursor = store.con.execute("SELECT native_id, content_hash FROM messages WHERE source_id = ?", [source_id])
    existing: dict[str, int] = {}
    while rows := cursor.fetchmany(100_000):
        existing.update((native, int(digest, 16)) for native, digest in rows)
    return existing


def _unresolved(store: Store, source_id: str, read: Collected) -> list[frozenset[str]]:
    """Per chunk, the parents that are neither in the import nor among the source's stored messages."""
    pending = [{p for p in parents if p not in read.seen} for parents in read.parents]
    missing = set().union(*pending)
    found: set[str] = set()
    if missing:
        rows = store.con.execute(
            "SELECT native_id FROM messages WHERE source_id = ? AND native_id IN (SELECT unnest(?))",
            [source_id, list(missing)],
        ).fetchall()
        found.update(row[0] for row in rows)
    return [frozenset(p - found) for p in pending]


def _positions(store: Store, stage: Staging) -> np.ndarray:
    """Each new message's position among the new messages of its thread, in the import's order.

    One window over all the new messages, on the few columns it needs: the INSERT then streams the
    chunks in order, where a window in it sorted whole rows, text included (0.6 GB more in DuckDB at 2
    million messages). Threads that had messages before are re-ordered in the write's transaction.
    """
    sql = f"SELECT {position_sql('thread_native')} AS position FROM read_parquet(?) ORDER BY seq"
    return np.asarray(store.con.execute(sql, [[str(c.raw) for c in stage.chunks]]).fetchnumpy()["position"])


def _role(value: str | None) -> str:
    role = (value or "member").strip().lower()
    aliases = {"administrator": "admin", "founder": "admin", "mod": "moderator", "modérateur": "moderator"}
    role = aliases.get(role, role)
    return role if role in ROLES else "member"


def _naming(source_id: str, members: dict[str, Member], pseudo: Pseudonymiser) -> tuple[Naming, pa.Table]:
    """Pseudonyms of the import's members, as their table and as the scrubber of their names in text."""
    names: list[tuple[str, str]] = []
    pseudonyms: list[str] = []
    for key, member in members.items():
        pseudonym = pseudo.pseudonym(f"{source_id}\x1f{key}", min(member.names) if member.names else None)
        names.extend((n, pseudonym) for n in member.names)
        pseudonyms.append(pseudonym)
    table = pa.table(
        {
            "member_id": pa.array(stable_ids(source_id, "member", members), pa.int64()),
            "source_id": pa.array([source_id] * len(members), pa.string()),
            "pseudonym": pa.array(pseudonyms, pa.string()),
            "registered_at": pa.array([m.registered_at for m in members.values()], pa.timestamp("us")),
            "role": pa.array([_role(m.role) for m in members.values()], pa.string()),
            "meta": pa.nulls(len(members), pa.string()),
        }
    )
    scrubber = NameScrubber([] if pseudo.keep_names else names)
    return Naming(source_id, scrubber, {n.casefold(): p for n, p in names}, pseudo), table


def _threads(
    source_id: str, threads: dict[str, ThreadRecord], members: dict[str, Member], scrubber: NameScrubber
) -> pa.Table:
    """The importer's thread records (a starter outside the import's members is left NULL)."""
    rows: dict[str, list[Any]] = {"thread_id": [], "native_id": [], "title": [], "board": [], "starter_id": []}
    for native, rec in threads.items():
        starter = member_key(rec.starter_id, None) if rec.starter_id else None
        rows["thread_id"].append(stable_id(source_id, "thread", native))
        rows["native_id"].append(native)
        rows["title"].append(scrubber.scrub(rec.title))
        rows["board"].append(rec.board)
        rows["starter_id"].append(stable_id(source_id, "member", starter) if starter in members else None)
    types = {"thread_id": pa.int64(), "starter_id": pa.int64()}
    return pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in rows.items()})


def known_formats() -> list[str]:
    """Names accepted by ``--format`` (besides ``auto``)."""
    return registry.names()


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["text=body", "author=user"]`` -> ``{"text": "body", "author": "user"}``, with clear errors."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field_name, sep, column = pair.partition("=")
        if not sep or not field_name.strip() or not column.strip():
            raise InputError(f"--map {pair!r}: expected FIELD=COLUMN, e.g. --map text=body")
        mapping[field_name.strip()] = column.strip()
    return mapping
