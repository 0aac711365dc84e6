"""Pass 1 of an import: the importer's records checked, deduplicated and staged on disk in chunks.

Each record is settled as it arrives (empty text, timestamps, duplicates and conflicting ids, members
and their names) and the valid new messages are staged every ``CHUNK_MESSAGES`` (``ingest/staging.py``)
with their text as read: names are scrubbed in pass 2, once every member name of the import is known.
What stays in memory is per id, not per text: the native ids seen (to tell duplicates), the members and
the importer's thread records.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from chrysalide.ingest import staging
from chrysalide.ingest.boards import BoardFilter
from chrysalide.ingest.changed import Changed, Stored, field_digest, settle
from chrysalide.ingest.dateorder import UNDECIDED, DateReader
from chrysalide.ingest.ids import content_hash
from chrysalide.ingest.records import (
    DELETED,
    GUEST,
    MISSING,
    POSTED_AT_SOURCE,
    REPLIES_AT_SOURCE,
    MemberRecord,
    MessageRecord,
    Record,
    Reject,
    ThreadRecord,
    WrongType,
    as_count,
    is_missing_name,
    status_of_name,
    wrong_field,
)
from chrysalide.ingest.report import IngestReport
from chrysalide.ingest.staging import Staging
from chrysalide.privacy.handles import handle_names, profile_user
from chrysalide.text.language import detect

RAW_CAP = 100_000
#: The kind of a name seen in a u/handle (:func:`chrysalide.privacy.handles.handle_names`) and as no member's.
HANDLE = "handle"
# One message in SAMPLE_EVERY tells the source's languages, up to SAMPLE_MAX (about 30 ms at most).
SAMPLE_EVERY = 20
SAMPLE_MAX = 5000
# Columns of a raw chunk; ``meta`` is JSON, ``member_key`` the member's key (``id:...`` or ``name:...``).
RAW = pa.schema(
    [("native_id", pa.string()), ("thread_native", pa.string()), ("member_key", pa.string()),
     ("reply_native", pa.string()), ("posted_at", pa.timestamp("us")), ("text", pa.string()),
     ("quoted_text", pa.string()), ("title", pa.string()), ("board", pa.string()), ("lang", pa.string()),
     ("record_no", pa.int64()), ("content_hash", pa.string()), ("field_digest", pa.string()),
     (UNDECIDED, pa.string()), ("meta", pa.string())]
)  # fmt: skip
_RECORD_BITS = 64  # a seen id's record number, below its content digest in one int


@dataclass(slots=True)
class Member:
    """What the import says about one member: the names they wrote under (in order), role, registration."""

    names: list[str] = field(default_factory=list)
    role: str | None = None
    registered_at: datetime | None = None
    record_start: datetime | None = None
    history: bool = False

    def add_name(self, name: str | None) -> None:
        if name and name not in self.names and not is_missing_name(name):
            self.names.append(name)


@dataclass
class Collected:
    """Pass 1's result besides the staged chunks.

    ``seen`` maps each native id of the import to its first record number and content digest packed in
    one int: 5 million ids take 0.7 GB with their keys, against 1.3 GB with a tuple of both.
    ``parents`` holds, per chunk, the parents that had not been seen when the chunk was staged.
    """

    members: dict[str, Member] = field(default_factory=dict)
    threads: dict[str, ThreadRecord] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    parents: list[set[str]] = field(default_factory=list)
    #: Names that belong to no member but must be scrubbed too: name -> kind (``quoted``, ``other``: deleted
    #: accounts, authors of rejected records, users of Reddit profiles seen as boards; :data:`HANDLE`: names of
    #: u/handles).
    other_names: dict[str, str] = field(default_factory=dict)
    records: int = 0
    #: Messages that give a date, those whose date cannot be read, and where the first of those stands with its value.
    dated: int = 0
    undatable: int = 0
    first_undatable: str | None = None
    #: Messages stored before whose date this import writes otherwise for the same instant (``ingest/changed.py``),
    #: and where the first stands with its value.
    rewritten: int = 0
    first_rewritten: str | None = None
    #: Languages detected in a sample of the messages (every SAMPLE_EVERY-th, at most SAMPLE_MAX).
    language_sample: Counter[str] = field(default_factory=Counter)

    def languages(self, share: float = 0.1) -> tuple[str, ...]:
        """The languages of at least ``share`` of the sampled messages whose language could be told."""
        told = {lang: n for lang, n in self.language_sample.items() if lang != "und"}
        total = sum(told.values())
        return tuple(lang for lang, n in sorted(told.items(), key=lambda kv: -kv[1]) if n >= share * total)

    def add_name(self, name: str | None, kind: str) -> None:
        """Remember a name seen in the source that is not a member's (a quoted author, a deleted account)."""
        name = (name or "").strip()
        if name and status_of_name(name) is None:
            self.other_names.setdefault(name, kind)


def member_key(author_id: str | None, name: str | None) -> str:
    return f"id:{author_id}" if author_id else f"name:{(name or '').strip()}"


def _sample_language(out: Collected, text: str) -> None:
    """Count the language of ``text`` in the source's sample, up to SAMPLE_MAX messages."""
    if sum(out.language_sample.values()) < SAMPLE_MAX:
        out.language_sample[detect(text)] += 1


def _author_status(rec: MessageRecord) -> str | None:
    """The importer's decision; a message with neither name (nor a placeholder of one) nor id belongs to
    no member: its author is missing, which says nothing of a deleted account."""
    if rec.author_status:
        return rec.author_status
    if not rec.author_id and is_missing_name(rec.author):
        return MISSING
    return None


def _member_key(rec: MessageRecord, status: str | None) -> tuple[str | None, bool]:
    """The message's member key and whether the member is a guest.

    A guest who typed a name (phpBB's anonymous poster with ``post_username``) is a member of their own,
    marked as a guest: merging every guest into one would merge dozens of people's journeys. A guest under a
    label that names nobody ("Guest", "Anonymous") and a deleted account belong to no member.
    """
    if status is None:
        return member_key(rec.author_id, rec.author), False
    name = (rec.author or "").strip()
    if status == GUEST and name and status_of_name(name) is None:
        return member_key(None, name), True
    return None, False


def _cap(raw: str | None) -> str | None:
    return raw if raw is None or len(raw) <= RAW_CAP else raw[:RAW_CAP] + f"... [{len(raw)} characters]"


def _raw_of(rec: MessageRecord) -> str:
    if rec.raw:
        return rec.raw
    fields = {k: v for k, v in asdict(rec).items() if v not in (None, [], {}) and k not in ("record_no", "raw")}
    return json.dumps(fields, ensure_ascii=False, default=str)


class _Batch:
    """Column lists of the valid, new messages of one chunk (appended to directly: no per-row dict)."""

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
        self.field_digest: list[str] = []
        # The text of a date read day first before the source's order was known (``ingest/dateorder.py``), else None.
        self.date_undecided: list[str | None] = []
        # None for the (usual) message with nothing to keep beyond its columns.
        self.meta: list[dict[str, Any] | None] = []
        self.rejects: list[Reject] = []
        # Records whose id is stored with another content digest: rejected or skipped when the chunk is staged.
        self.changed: list[Changed] = []

    def __len__(self) -> int:
        return len(self.native_id)

    def table(self) -> pa.Table:
        metas = [json.dumps(m, ensure_ascii=False) if m else None for m in self.meta]
        columns = [getattr(self, name) for name in RAW.names[:-1]]
        return pa.table([*columns, metas], schema=RAW)


def collect(
    records: Iterable[Record],
    existing: Stored,
    report: IngestReport,
    dates: DateReader,
    on_record: Callable[[int], None] | None,
    stage: Staging,
    pseudonymise: bool = True,
    boards: BoardFilter | None = None,
) -> Collected:
    """Read every record; stage the new messages and the rejects in chunks (at least one, maybe empty).

    ``existing``: the source's stored messages; a record of a stored id with other content is rejected, naming the
    fields that differ, or skipped when only its date is written otherwise (``ingest/changed.py``).
    ``dates`` reads the dates in the source's order (``ingest/dateorder.py``).
    ``boards``: only the messages and thread records of these boards are kept (``ingest/boards.py``); the
    authors of the others stay among the names to scrub.
    Under ``pseudonymise`` a record the importer could not parse keeps no raw form (its reason and record
    number point to it in the source file): nobody can tell which of its words is a name, so it could not
    be scrubbed. The raw form of the other rejected records is scrubbed in pass 2.
    """
    out = Collected()
    batch = _Batch()
    settling = _Settle(existing, dates, report)
    for count, rec in enumerate(records, 1):
        out.records = count
        if on_record is not None and count % 1000 == 0:
            on_record(count)
        if isinstance(rec, Reject):
            batch.rejects.append(Reject(rec.record_no, None if pseudonymise else _cap(rec.raw), rec.reason))
        elif isinstance(rec, MemberRecord):
            if rec.name is not None and not isinstance(rec.name, str):
                continue  # a users table whose name column holds something else: no member
            member = out.members.setdefault(member_key(rec.author_id, rec.name), Member())
            member.add_name(rec.name)
            member.role = rec.role or member.role
            member.registered_at = dates.parse(rec.registered_at) or member.registered_at
            member.record_start = dates.parse(rec.record_start) or member.record_start
            member.history = member.history or rec.history
        elif isinstance(rec, ThreadRecord):
            if boards is None or rec.board is None or boards.covers(rec.board):
                out.threads[rec.native_id] = rec
        elif boards is not None and not boards.keeps(rec.board):
            named = isinstance(rec.author, str) and not isinstance(rec.author, WrongType)
            out.add_name(rec.author if named else None, "other")
        else:
            _add_message(rec, batch, out, existing, report, dates, pseudonymise)
        if len(batch) + len(batch.rejects) + len(batch.changed) >= staging.CHUNK_MESSAGES:
            batch = _stage(batch, out, stage, settling)
    if len(batch) or batch.rejects or batch.changed or not stage.chunks:
        _stage(batch, out, stage, settling)
    if out.rewritten:
        report.warn(
            f"{out.rewritten:,} message(s) imported before have their date written otherwise here for the same "
            f"instant, such as {out.first_rewritten}: skipped as duplicates",
            whole=True,
        )
    if on_record is not None:
        on_record(out.records)
    return out


@dataclass(frozen=True, slots=True)
class _Settle:
    """What settling a batch's changed records reads."""

    existing: Stored
    dates: DateReader
    report: IngestReport


def _stage(batch: _Batch, out: Collected, stage: Staging, how: _Settle) -> _Batch:
    """Write the batch as a chunk, its changed records settled; return an empty one."""
    if batch.changed:
        rejects, same = settle(batch.changed, how.existing, how.dates)
        batch.rejects.extend(Reject(r.record_no, r.raw, _located(how.report, r.record_no, r.reason)) for r in rejects)
        how.report.duplicates += len(same)
        out.rewritten += len(same)
        if same and out.first_rewritten is None:
            out.first_rewritten = f"{how.report.where(same[0].record_no)}: {str(same[0].posted)[:40]!r}"
    out.parents.append({p for p in batch.reply_native if p is not None and p not in out.seen})
    stage.add(batch.table(), batch.rejects)
    return _Batch()


def _located(report: IngestReport, record_no: int, reason: str) -> str:
    """A reason the loader gives, naming the record's file and line where the importer read a folder of files."""
    return reason if report.parts is None else f"{report.where(record_no)}: {reason}"


def _add_message(
    rec: MessageRecord,
    batch: _Batch,
    out: Collected,
    existing: Stored,
    report: IngestReport,
    dates: DateReader,
    pseudonymise: bool,
) -> None:
    wrong = wrong_field(rec)
    if wrong is not None:
        known = isinstance(rec.author, str | None) and not isinstance(rec.author, WrongType)
        raw = _cap(_raw_of(rec)) if known or not pseudonymise else None
        batch.rejects.append(Reject(rec.record_no, raw, _located(report, rec.record_no, wrong)))
        out.add_name(rec.author if known else None, "other")
        return
    # A Reddit profile's board names its user, a person of the source even when no member (hashed authors).
    out.add_name(profile_user(rec.board), "other")
    text = rec.text or ""
    # A u/handle names a Reddit user, who may stand alone elsewhere ("Thank you, KL_Hendrix"); a message
    # imported before counts too, so that importing a source again scrubs its stored messages for the name.
    for written in (text, rec.title, rec.quoted_text):
        for name in handle_names(written or ""):
            out.add_name(name, HANDLE)
    # isspace() is strip()'s test without copying the (often long) text.
    if (not text or text.isspace()) and not (rec.quoted_text or "").strip():
        batch.rejects.append(Reject(rec.record_no, _cap(_raw_of(rec)), _located(report, rec.record_no, "empty text")))
        out.add_name(rec.author, "other")
        return
    status = _author_status(rec)
    key, guest = _member_key(rec, status)
    fields = (rec.thread_id, key, rec.posted_at, text, rec.quoted_text, rec.title, rec.reply_to)
    digest = content_hash(*fields)
    native = (rec.native_id or "").strip() or f"derived:{digest}"
    packed = int(digest, 16)
    first = out.seen.get(native)
    if first is not None:
        if first >> _RECORD_BITS == packed:
            report.duplicates += 1
        else:
            first_record = first & ((1 << _RECORD_BITS) - 1)
            reason = f"duplicate id {native!r} with different content (first seen at {report.where(first_record)})"
            batch.rejects.append(Reject(rec.record_no, _cap(_raw_of(rec)), _located(report, rec.record_no, reason)))
            out.add_name(rec.author, "other")
        return
    out.seen[native] = packed << _RECORD_BITS | rec.record_no
    stored = existing.digests.get(native)
    if stored is not None:
        if stored == packed:
            report.duplicates += 1
            # A message imported before is a message of the source too: an import of nothing new re-scrubs the
            # stored ones (ingest/rescrub.py) under the languages that decide what is a word.
            if report.duplicates % SAMPLE_EVERY == 1:
                _sample_language(out, text)
        else:
            batch.changed.append(
                Changed(native, rec.record_no, _cap(_raw_of(rec)), field_digest(*fields), rec.posted_at)
            )
            out.add_name(rec.author, "other")
        return
    posted, undecided = _posted(rec, out, report, dates)
    if rec.meta and POSTED_AT_SOURCE in rec.meta:
        _redated(rec, native, report)
    meta = dict(rec.meta) if rec.meta or status or rec.quoted_authors else None
    if meta and REPLIES_AT_SOURCE in meta:
        _declared_replies(meta, rec, native, report)
    if status:
        meta["author_status"] = status  # type: ignore[index]
    if rec.quoted_authors:
        meta["quoted_authors"] = list(rec.quoted_authors)  # type: ignore[index]
        for quoted in rec.quoted_authors:
            out.add_name(quoted, "quoted")
    if key is not None:
        member = out.members.get(key)
        if member is None:
            member = out.members[key] = Member()
        member.add_name(rec.author)
        if guest:
            member.role = member.role or GUEST
        elif rec.author_role:
            member.role = rec.author_role
    elif status == DELETED:
        out.add_name(rec.author, "other")  # a deleted account whose posts kept its name
    if len(batch) % SAMPLE_EVERY == 0:
        _sample_language(out, text)
    batch.native_id.append(native)
    batch.thread_native.append((rec.thread_id or "").strip() or native)
    batch.member_key.append(key)
    batch.reply_native.append((rec.reply_to or "").strip() or None)
    batch.posted_at.append(posted)
    batch.text.append(text)
    batch.quoted_text.append(rec.quoted_text or None)
    batch.title.append(rec.title or None)
    batch.board.append(rec.board or None)
    batch.lang.append(rec.lang or None)
    batch.record_no.append(rec.record_no)
    batch.content_hash.append(digest)
    batch.field_digest.append(field_digest(*fields))
    batch.date_undecided.append(rec.posted_at if undecided else None)
    batch.meta.append(meta)


def _posted(
    rec: MessageRecord, out: Collected, report: IngestReport, dates: DateReader
) -> tuple[datetime | None, bool]:
    """The message's date (None: none, or unreadable, with a warning saying why) and whether it was read day first
    only for want of the source's order."""
    posted, undecided = dates.read(rec.posted_at, rec.record_no)
    if rec.posted_at not in (None, ""):
        out.dated += 1
        if posted is None:
            out.undatable += 1
            where, value = report.where(rec.record_no), repr(str(rec.posted_at)[:60])
            out.first_undatable = out.first_undatable or f"{where}: {value}"
            why = dates.unreadable(rec.posted_at)
            report.warn(f"{where}: unreadable timestamp {value}, kept with no date{f' ({why})' if why else ''}")
    return posted, undecided


def _declared_replies(meta: dict[str, Any], rec: MessageRecord, native: str, report: IngestReport) -> None:
    """Keep the number of replies the source declares for a message as a whole number (:data:`REPLIES_AT_SOURCE`);
    any other value is dropped with a warning naming the file, the record and the value."""
    count = as_count(meta[REPLIES_AT_SOURCE])
    if count is not None:
        meta[REPLIES_AT_SOURCE] = count
        return
    value = meta.pop(REPLIES_AT_SOURCE)
    report.warn(
        f"{report.where(rec.record_no, of_file=True)}: message {native!r} declares "
        f"{str(value)[:40]!r} replies, not a whole number of 0 or more: its declared reply count is left out"
    )


def _redated(rec: MessageRecord, native: str, report: IngestReport) -> None:
    """Warn about a message the importer dated by its earliest reply (:data:`POSTED_AT_SOURCE`) and count it."""
    report.redated += 1
    report.warn(
        f"{report.where(rec.record_no, of_file=True)}: message {native!r} of thread {rec.thread_id!r} is dated "
        f"{str(rec.meta[POSTED_AT_SOURCE])[:40]!r}, after a reply to it dated {str(rec.posted_at)[:40]!r}: dated "
        "by that reply, the latest it can have been posted (the source's date is kept in meta.posted_at_source)"
    )
