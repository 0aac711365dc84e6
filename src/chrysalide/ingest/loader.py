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
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pyarrow as pa

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import registry
from chrysalide.ingest.ids import content_hash, stable_id, stable_ids
from chrysalide.ingest.records import (
    DELETED,
    MemberRecord,
    MessageRecord,
    Record,
    Reject,
    ThreadRecord,
)
from chrysalide.ingest.textio import check_readable
from chrysalide.ingest.timestamps import parse_timestamp
from chrysalide.ingest.writer import write_source
from chrysalide.privacy import NameScrubber, Pseudonymiser, load_key
from chrysalide.store import Store

MAX_WARNINGS_KEPT = 20
RAW_CAP = 100_000
ROLES = {"member", "moderator", "admin"}


@dataclass
class IngestReport:
    """What one import did: printed by the CLI, stored as the run's summary."""

    source_id: str
    importer: str
    location: str
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    new_members: int = 0
    new_threads: int = 0
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)
    run_id: int | None = None

    def warn(self, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS_KEPT:
            self.warnings.append(message)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_source_id(path: Path) -> str:
    """A source name from the file or folder name: ``forum_dump.sql.gz`` -> ``forum_dump``."""
    name = path.resolve().name
    for suffix in (".gz", ".zst", ".zstd", ".bz2"):
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    slug = re.sub(r"[^\w-]+", "_", stem).strip("_").lower()
    return slug or "source"


def _author_status(rec: MessageRecord) -> str | None:
    """The importer's decision; a message with neither name nor id belongs to no member."""
    if rec.author_status:
        return rec.author_status
    if not (rec.author or "").strip() and not rec.author_id:
        return DELETED
    return None


def _member_key(author_id: str | None, name: str | None) -> str:
    return f"id:{author_id}" if author_id else f"name:{(name or '').strip()}"


def _cap(raw: str | None) -> str | None:
    return raw if raw is None or len(raw) <= RAW_CAP else raw[:RAW_CAP] + f"... [{len(raw)} characters]"


def _raw_of(rec: MessageRecord) -> str:
    if rec.raw:
        return rec.raw
    fields = {
        k: v for k, v in asdict(rec).items() if v not in (None, [], {}) and k not in ("record_no", "raw")
    }
    return json.dumps(fields, ensure_ascii=False, default=str)


class _Batch:
    """Column lists of the valid, new messages of one import (appended to directly: no per-row dict)."""

    def __init__(self) -> None:
        self.native_id: list[str] = []
        self.thread_native: list[str] = []
        self.member_key: list[str | None] = []
        self.reply_native: list[str | None] = []
        self.posted_at: list[datetime | None] = []
        self.text: list[str] = []
        self.quoted_text: list[str | None] = []
        self.title: list[str | None] = []
        self.board: list[str | None] = []
        self.lang: list[str | None] = []
        self.record_no: list[int] = []
        self.content_hash: list[str] = []
        # None for the (usual) message with nothing to keep beyond its columns.
        self.meta: list[dict[str, Any] | None] = []

    def __len__(self) -> int:
        return len(self.native_id)


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
    **options: Any,
) -> IngestReport:
    """Import one file or folder into the store; see the module docstring for the rules."""
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
    with store.run("ingest", f"{cls.name}/{cls.version}", params) as run:
        report.run_id = run.run_id
        existing = dict(
            store.con.execute(
                "SELECT native_id, content_hash FROM messages WHERE source_id = ?", [source_id]
            ).fetchall()
        )
        batch, members, threads, rejects = _read(importer.read(path), existing, report, zone, on_record)
        report.rejected = len(rejects)
        frames = _frames(store, source_id, batch, members, threads, pseudo, report)
        written = write_source(
            store, source_id, cls.name, report.location, options, not keep_names, frames, rejects, run.run_id
        )
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
        raise ConfigError(
            f"source {source_id!r} was {was}; re-import it the same way or give another --source-name"
        )


def _read(
    records: Iterable[Record],
    existing: dict[str, str],
    report: IngestReport,
    zone: tzinfo | None,
    on_record: Callable[[int], None] | None,
) -> tuple[_Batch, dict[str, dict[str, Any]], dict[str, ThreadRecord], list[Reject]]:
    batch = _Batch()
    members: dict[str, dict[str, Any]] = {}
    threads: dict[str, ThreadRecord] = {}
    rejects: list[Reject] = []
    first_seen: dict[str, tuple[int, str]] = {}
    for count, rec in enumerate(records, 1):
        if on_record is not None and count % 1000 == 0:
            on_record(count)
        if isinstance(rec, Reject):
            rejects.append(Reject(rec.record_no, _cap(rec.raw), rec.reason))
        elif isinstance(rec, MemberRecord):
            key = _member_key(rec.author_id, rec.name)
            info = members.setdefault(key, {"names": set(), "role": None, "registered_at": None})
            if rec.name:
                info["names"].add(rec.name)
            info["role"] = rec.role or info["role"]
            info["registered_at"] = parse_timestamp(rec.registered_at, zone) or info["registered_at"]
        elif isinstance(rec, ThreadRecord):
            threads[rec.native_id] = rec
        else:
            _add_message(rec, batch, members, existing, first_seen, rejects, report, zone)
    return batch, members, threads, rejects


def _add_message(
    rec: MessageRecord,
    batch: _Batch,
    members: dict[str, dict[str, Any]],
    existing: dict[str, str],
    first_seen: dict[str, tuple[int, str]],
    rejects: list[Reject],
    report: IngestReport,
    zone: tzinfo | None,
) -> None:
    text = rec.text if isinstance(rec.text, str) else ("" if rec.text is None else str(rec.text))
    # isspace() is strip()'s test without copying the (often long) text.
    if (not text or text.isspace()) and not (rec.quoted_text or "").strip():
        rejects.append(Reject(rec.record_no, _cap(_raw_of(rec)), "empty text"))
        return
    status = _author_status(rec)
    member_key = None if status else _member_key(rec.author_id, rec.author)
    digest = content_hash(
        rec.thread_id, member_key, rec.posted_at, text, rec.quoted_text, rec.title, rec.reply_to
    )
    native = (rec.native_id or "").strip() or f"derived:{digest}"
    if native in first_seen:
        first_record, first_digest = first_seen[native]
        if first_digest == digest:
            report.duplicates += 1
        else:
            reason = f"duplicate id {native!r} with different content (first seen at record {first_record})"
            rejects.append(Reject(rec.record_no, _cap(_raw_of(rec)), reason))
        return
    first_seen[native] = (rec.record_no, digest)
    if native in existing:
        if existing[native] == digest:
            report.duplicates += 1
        else:
            reason = f"id {native!r} was imported before with different content"
            rejects.append(Reject(rec.record_no, _cap(_raw_of(rec)), reason))
        return
    posted = parse_timestamp(rec.posted_at, zone)
    if posted is None and rec.posted_at not in (None, ""):
        report.warn(
            f"record {rec.record_no}: unreadable timestamp {str(rec.posted_at)[:60]!r}, kept with no date"
        )
    meta = dict(rec.meta) if rec.meta or status or rec.quoted_authors else None
    if status:
        meta["author_status"] = status  # type: ignore[index]
    if rec.quoted_authors:
        meta["quoted_authors"] = list(rec.quoted_authors)  # type: ignore[index]
    if member_key is not None:
        info = members.get(member_key)
        if info is None:
            info = members[member_key] = {"names": set(), "role": None, "registered_at": None}
        if rec.author:
            info["names"].add(rec.author)
        if rec.author_role:
            info["role"] = rec.author_role
    batch.native_id.append(native)
    batch.thread_native.append((rec.thread_id or "").strip() or native)
    batch.member_key.append(member_key)
    batch.reply_native.append((rec.reply_to or "").strip() or None)
    batch.posted_at.append(posted)
    batch.text.append(text)
    batch.quoted_text.append(rec.quoted_text or None)
    batch.title.append(rec.title or None)
    batch.board.append(rec.board or None)
    batch.lang.append(rec.lang or None)
    batch.record_no.append(rec.record_no)
    batch.content_hash.append(digest)
    batch.meta.append(meta)


def _role(value: str | None) -> str:
    role = (value or "member").strip().lower()
    aliases = {"administrator": "admin", "founder": "admin", "mod": "moderator", "modérateur": "moderator"}
    role = aliases.get(role, role)
    return role if role in ROLES else "member"


def _frames(
    store: Store,
    source_id: str,
    batch: _Batch,
    members: dict[str, dict[str, Any]],
    threads: dict[str, ThreadRecord],
    pseudo: Pseudonymiser,
    report: IngestReport,
) -> dict[str, pa.Table]:
    """Ids, pseudonyms, scrubbed text and resolved replies as Arrow tables ready to insert.

    Arrow rather than pandas: string columns stay compact UTF-8 buffers instead of Python objects, and
    DuckDB reads them without conversion. The batch's lists are emptied as their columns are built, so
    that the records and the tables are not both held at the peak.
    """
    names: list[tuple[str, str]] = []
    pseudonyms: list[str] = []
    for key, info in members.items():
        display = sorted(info["names"])[0] if info["names"] else None
        pseudonym = pseudo.pseudonym(f"{source_id}\x1f{key}", display)
        names.extend((n, pseudonym) for n in info["names"])
        pseudonyms.append(pseudonym)
    member_ids = dict(zip(members, stable_ids(source_id, "member", members), strict=True))
    members_table = pa.table(
        {
            "member_id": pa.array(list(member_ids.values()), pa.int64()),
            "source_id": pa.array([source_id] * len(members), pa.string()),
            "pseudonym": pa.array(pseudonyms, pa.string()),
            "registered_at": pa.array([i["registered_at"] for i in members.values()], pa.timestamp("us")),
            "role": pa.array([_role(i["role"]) for i in members.values()], pa.string()),
            "meta": pa.nulls(len(members), pa.string()),
        }
    )
    scrub = NameScrubber(names) if not pseudo.keep_names else NameScrubber([])
    name_to_pseudonym = {n.casefold(): p for n, p in names}
    known = set(batch.native_id)
    missing_parents = [r for r in set(batch.reply_native) if r is not None and r not in known]
    if missing_parents:
        found = store.con.execute(
            "SELECT native_id FROM messages WHERE source_id = ? AND native_id IN (SELECT unnest(?))",
            [source_id, missing_parents],
        ).fetchall()
        known.update(row[0] for row in found)
    parents: list[str | None] = batch.reply_native
    metas: list[str | None] = [None] * len(batch)
    for i, (parent, meta) in enumerate(zip(batch.reply_native, batch.meta, strict=True)):
        if parent is not None and parent not in known:
            report.warn(
                f"record {batch.record_no[i]}: replies to {parent!r}, which is not in the source; kept as a root"
            )
            meta = meta if meta is not None else {}
            meta["reply_to_native"] = parent
            parents[i] = None
        if meta is None:
            continue
        if "quoted_authors" in meta and not pseudo.keep_names:
            meta["quoted_authors"] = [
                name_to_pseudonym.get(n.casefold()) or pseudo.pseudonym(f"{source_id}\x1fname:{n}")
                for n in meta["quoted_authors"]
            ]
        metas[i] = json.dumps(meta, ensure_ascii=False) if meta else None
    del known, batch.meta[:]
    thread_ids = dict.fromkeys(batch.thread_native)
    thread_ids = dict(zip(thread_ids, stable_ids(source_id, "thread", thread_ids), strict=True))
    n = len(batch)
    columns: dict[str, pa.Array] = {
        "seq": pa.array(range(n), pa.int64()),
        "message_id": pa.array(stable_ids(source_id, "message", batch.native_id), pa.int64()),
        "source_id": pa.array([source_id] * n, pa.string()) if n else pa.array([], pa.string()),
        "native_id": pa.array(batch.native_id, pa.string()),
        "thread_id": pa.array([thread_ids[t] for t in batch.thread_native], pa.int64()),
        "member_id": pa.array([member_ids[k] if k else None for k in batch.member_key], pa.int64()),
        "reply_to_id": pa.array(_ids_or_none(source_id, parents), pa.int64()),
        "posted_at": pa.array(batch.posted_at, pa.timestamp("us")),
    }
    del batch.member_key[:], batch.posted_at[:], parents[:]
    for name in ("text", "quoted_text", "title"):
        values = getattr(batch, name)
        columns[name] = pa.array([scrub.scrub(t) for t in values] if scrub else values, pa.string())
        del values[:]
    columns.update(
        lang=pa.array(batch.lang, pa.string()),
        record_no=pa.array(batch.record_no, pa.int64()),
        content_hash=pa.array(batch.content_hash, pa.string()),
        meta=pa.array(metas, pa.string()),
        board=pa.array(batch.board, pa.string()),
        thread_native=pa.array(batch.thread_native, pa.string()),
    )
    thread_rows: dict[str, list[Any]] = {"thread_id": [], "native_id": [], "title": [], "board": [], "starter_id": []}
    for native, rec in threads.items():
        starter_key = _member_key(rec.starter_id, None) if rec.starter_id else None
        thread_rows["thread_id"].append(stable_id(source_id, "thread", native))
        thread_rows["native_id"].append(native)
        thread_rows["title"].append(scrub.scrub(rec.title))
        thread_rows["board"].append(rec.board)
        thread_rows["starter_id"].append(member_ids.get(starter_key) if starter_key else None)
    types = {"thread_id": pa.int64(), "starter_id": pa.int64()}
    return {
        "messages": pa.table(columns),
        "members": members_table,
        "threads": pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in thread_rows.items()}),
    }


def _ids_or_none(source_id: str, natives: list[str | None]) -> list[int | None]:
    present = [n for n in natives if n is not None]
    ids = iter(stable_ids(source_id, "message", present))
    return [None if n is None else next(ids) for n in natives]


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
