"""The loader: settles what every importer shares and writes one source into the store.

Rules (the same for every format, so that users can predict them):
- a message is valid when it parses and has non-empty text, and an id or a stable derived one; a message
  that only quotes others (empty own words, non-empty ``quoted_text``) is kept with empty ``text``: it is
  part of the thread, and coders see that its author wrote nothing of their own;
- an unparseable or impossible timestamp keeps the message with ``posted_at`` NULL and a warning;
- a repeated id with identical content is skipped and counted; with different content it is a reject;
- a source whose messages have no id of their own (ids derived from what is read) is read one way: an import that
  maps its columns otherwise is refused, as each message would be stored again under another derived id;
- a reply to a message that is not in the store keeps the message, with ``reply_to_id`` NULL, a warning,
  and the source's parent id in ``meta.reply_to_native``;
- the whole write is one transaction: an interrupted import leaves the database as it was.

- an input that yields no record at all (blank lines only, a header only, an empty folder) is unusable;
- the text is cleaned of markup (``markup.py``, the source form kept in ``source_text``), and the names of
  every member of the source, their URLs and contact details are scrubbed from it (``naming.py``,
  ``chrysalide.privacy.scrubber``) unless ``keep_names``;
- in a plain-text source (csv, jsonl), a quote header ("NAME a écrit :↑DATE") followed by text found in an
  earlier message moves to ``quoted_text`` with that text (``quotes.py``); a header whose text matches
  nothing stays in ``text``.

An import runs in two passes over chunks staged on disk, so that its memory does not grow with the text
of the input: pass 1 (``collect.py``) reads and checks every record, pass 2 (``finish.py``) derives ids,
cleans and scrubs the text and resolves replies chunk by chunk (in a pool of processes for large imports),
inline quotes are set apart over every finished chunk (``quotes.py``), and one transaction (``writer.py``)
inserts every chunk.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from datetime import tzinfo
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from chrysalide.distributed.pool import default_workers
from chrysalide.errors import DISK_FULL_ERRNOS, ConfigError, InputError
from chrysalide.ingest import naming as names
from chrysalide.ingest import quotes, registry
from chrysalide.ingest.boards import BoardFilter, board_counts, site_wide_warning
from chrysalide.ingest.changed import Stored
from chrysalide.ingest.collect import Collected, Member, collect, member_key
from chrysalide.ingest.columns import map_options
from chrysalide.ingest.dateorder import DateReader, checked_order
from chrysalide.ingest.deliveries import consequence, shared_members
from chrysalide.ingest.finish import Task, finish
from chrysalide.ingest.formats.tabular import TABLE_FORMATS
from chrysalide.ingest.ids import stable_id
from chrysalide.ingest.markup import VERSION as MARKUP_VERSION
from chrysalide.ingest.markup import clean
from chrysalide.ingest.meter import metering
from chrysalide.ingest.records import Record, ThreadRecord
from chrysalide.ingest.report import IngestReport, kind
from chrysalide.ingest.rescrub import addressed, rescrub, stored
from chrysalide.ingest.sampled import capped_threads_warning, sparse_ids_warning
from chrysalide.ingest.staging import Staging
from chrysalide.ingest.textio import check_readable
from chrysalide.ingest.threads import thread_authors
from chrysalide.ingest.timestamps import DATE_ORDERS, source_zone
from chrysalide.ingest.writer import position_sql, write_source
from chrysalide.privacy.keys import Sealer, import_key
from chrysalide.privacy.pseudonyms import Pseudonymiser
from chrysalide.store import Store

#: A file name that is a digest (32 hex digits or more), such as a member's public author hash naming their history.
_DIGEST = re.compile(r"[0-9a-f]{32,}")


def default_source_id(path: Path) -> str:
    """A source name from the file or folder name: ``forum_dump.sql.gz`` -> ``forum_dump``.

    A name that is a digest is not used: a scraper names a member's history file after their author hash, which the
    source name would carry into the report and every export (a hash of a user name can be checked against a
    guess); the name of the folder holding it is taken instead, else ``source``."""
    name = path.resolve().name
    for suffix in (".gz", ".zst", ".zstd", ".bz2"):
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    for slug in (_slug(stem), _slug(path.resolve().parent.name)):
        if slug and not _DIGEST.fullmatch(slug):
            return slug
    return "source"


def _slug(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", name).strip("_").lower()


def ingest(
    store: Store,
    path: str | Path,
    *,
    format: str = "auto",  # noqa: A002 - the CLI option is --format
    mapping: dict[str, str] | None = None,
    source_name: str | None = None,
    keep_names: bool = False,
    zone: tzinfo | str | None = None,
    date_order: str | None = None,
    on_read: Callable[[int, int, int], None] | None = None,
    workers: int | None = None,
    boards: Iterable[str] | None = None,
    sampled_threads: bool = False,
    **options: Any,
) -> IngestReport:
    """Import one file or folder into the store; see the module docstring for the rules.

    ``on_read(records, bytes_read, total_bytes)`` is called before the first record, every 1,000 records and once at the end:
    the bytes are those of the input's files on disk (compressed, for a compressed file) and their summed
    size (``meter.py``).
    ``workers`` is the number of processes that finish the chunks (pass 2); None: one per core from
    ``POOL_MIN_MESSAGES`` new messages, else one. The stored result is the same whatever the number. Outside
    Linux the processes are spawned: a script that imports with more than one must then guard its entry
    point with ``if __name__ == "__main__":``, as for any use of ``multiprocessing``.
    ``boards``: keep only the messages of these boards (``ingest/boards.py``: the others are counted in the
    report's ``left_out``, not rejected); None keeps every board.
    ``zone``: the source's time zone for dates written without one (an IANA name such as ``Europe/Paris``, or a
    ``tzinfo``); None reads them as UTC. It is kept in the source's options: a source is read in one zone.
    ``date_order``: the order of the source's dates of three numbers (``dmy``, ``mdy``, ``ymd``:
    ``timestamps.DATE_ORDERS``); None: the source's order before, else the one its values prove
    (``ingest/dateorder.py``). The order read is kept in the source's options and in the report.
    ``sampled_threads``: the input is a selection of the forum's threads, so a member's first message in it need
    not be their first on the forum (kept in the source's options, read by the view ``member_arrivals``, migration
    0031: such members are no newcomers).
    """
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    chosen = BoardFilter.parse(boards)
    path = Path(path)
    check_readable(path)
    cls = registry.detect(path) if format == "auto" else registry.get(format)
    if mapping:
        options["mapping"] = mapping
    if options.get("thread_starts") and cls.name not in TABLE_FORMATS:
        raise ConfigError(f"--thread-starts is for tables without thread ids ({', '.join(TABLE_FORMATS)}); "
                          f"{path} is read as {cls.name!r}")  # fmt: skip
    try:
        importer = cls(**options)
    except TypeError as exc:
        raise ConfigError(f"format {cls.name!r} does not take these options: {sorted(options)}") from exc
    source_id = source_name or default_source_id(path)
    zone = source_zone(zone)
    zone_name = None if zone is None else str(zone)
    order = checked_order(date_order)
    declared = {"thread_starts": bool(options.get("thread_starts")), "sampled_threads": sampled_threads}
    stored_mapping, stored_order = _check_source(store, source_id, keep_names, declared, zone_name, order)
    kept = {**options, "zone": zone_name} if zone_name else dict(options)  # what the source is read with, stored
    if sampled_threads:
        kept["sampled_threads"] = True
    report = IngestReport(source_id=source_id, importer=cls.name, location=str(path.resolve()))
    report.parts = getattr(importer, "parts", None)
    params = {"path": report.location, "format": cls.name, "source_id": source_id, "keep_names": keep_names}
    params.update({k: v for k, v in kept.items()})
    if order is not None:
        params["date_order"] = order
    if chosen is not None:
        params["boards"] = report.boards = list(chosen.names)
    # A key this import creates is removed again if it fails before storing anything (privacy.keys.import_key).
    with (
        import_key(store) as key,
        store.run("ingest", f"{cls.name}/{cls.version}+{MARKUP_VERSION}", params) as run,
        Staging(store) as stage,
    ):
        pseudo, sealer = Pseudonymiser(key, keep_names=keep_names), Sealer(key)
        report.run_id = run.run_id
        # The meter (the input's size, every file opened watched) only when someone reads it.
        with metering(path) if on_read is not None else nullcontext() as meter:
            tick = None if meter is None or on_read is None else lambda n: on_read(n, meter.bytes_read(), meter.total)
            if tick is not None:
                tick(0)  # the total, before the first record
            records = _guarded(importer.read(path), path)
            dates = DateReader(zone, order, stored_order, report)
            existing = Stored(store, source_id)
            read = collect(records, existing, report, dates, tick, stage, not keep_names, chosen)
            new_source = not existing.digests
            del existing  # the stored digests: freed before pass 2
        if read.records == 0:
            raise InputError(f"{path}: no records found (only blank lines, a header or files of no known kind)")
        report.date_order = dates.settle(path, source_id)
        dates.redate(stage)
        _check_any_read(store, stage, report, path, cls.name, format != "auto")
        _check_dates(read, path, (mapping or {}).get("posted_at"))
        for notice in getattr(importer, "notices", ()):
            report.warn(notice, whole=True)
        _check_remapped(store, source_id, stored_mapping, mapping or {}, stage, path)
        if chosen is not None:
            _left_out(chosen, report, path)
        _check_elsewhere(store, source_id, stage, path, cls.name if getattr(cls, "global_ids", False) else None)
        if new_source:  # a later part of another source?
            _check_parts(store, source_id, cls.name, read, pseudo, report, path, named=source_name is not None)
        unresolved = _unresolved(store, source_id, read)
        read.seen.clear()  # the largest bookkeeping, no longer needed: freed before DuckDB's share of the work
        positions = _positions(store, stage)
        store.release_memory()  # what the window over all new messages used, before the INSERT needs its own
        known = [] if keep_names else names.vault(store, source_id, sealer)
        report.languages = list(read.languages())
        naming, members = names.build(source_id, read.members, read.other_names, pseudo, known, read.languages())
        authors = thread_authors(store, source_id, stage, naming.authors) if naming.scrub else None
        tasks = [
            Task(chunk, lost, positions[chunk.offset : chunk.offset + chunk.size], authors[i] if authors else None)
            for i, (chunk, lost) in enumerate(zip(stage.chunks, unresolved, strict=True))
        ]
        for done in finish(naming, tasks, workers or default_workers(stage.messages)):
            report.add_finished(done)
        if cls.name in quotes.FORMATS:
            report.quotes = quotes.separate(store, source_id, stage.chunks).as_dict()
        threads = _threads(source_id, read.threads, read.members, naming)
        report.add_scrubbed(naming.scrubber)
        frames = {
            "members": members,
            "threads": threads,
            "messages": store.con.read_parquet([str(c.ready) for c in stage.chunks]),
            "rejects": store.con.read_parquet([str(c.rejects) for c in stage.chunks]),
            "names": names.vault_rows(naming, sealer),
        }

        def again() -> None:
            if naming.scrub and _has_messages(store, source_id):
                changed, report.boards_renamed = stored(store, naming)
                if naming.new_names:
                    changed |= rescrub(store, naming)
                changed |= addressed(store, naming)  # after the names: a reply opening with one reads as the import's
                report.rescrubbed = len(changed)

        # Learned from the input, kept with the source (a source imported before its dates told their order learns it).
        traits = {
            **(getattr(importer, "traits", None) or {}),
            **({"date_order": report.date_order} if report.date_order else {}),
        }
        written = write_source(
            store, source_id, cls.name, report.location, kept, not keep_names, frames, run.run_id, again, traits or None
        )
        report.imported = written["messages"]
        report.new_members = written["members"]
        report.new_guests = written["guests"]
        report.new_threads = written["threads"]
        report.rejected = written["rejects_total_for_run"]
        if chosen is None and (spread := site_wide_warning(*board_counts(store.con, source_id, fold=True))):
            report.warn(spread, whole=True)
        if not sampled_threads:  # a selection of posts, or threads cut at one size, not declared?
            if getattr(cls, "sequential_ids", False) and (sparse := sparse_ids_warning(store, source_id)):
                report.warn(sparse, whole=True)
            if capped := capped_threads_warning(store, source_id):
                report.warn(capped, whole=True)
        run.summary.update(report.as_dict())
    return report


def _left_out(chosen: BoardFilter, report: IngestReport, path: Path) -> None:
    """The messages of the boards not chosen, in the report; an error when no message is in a board chosen."""
    if not chosen.kept:
        largest = chosen.largest_left_out()
        raise InputError(f"{path}: no message is in the boards given to --boards ({', '.join(chosen.names)}); "
                         f"its largest boards: {largest or 'none'}")  # fmt: skip
    report.left_out = sum(chosen.left_out.values())
    report.left_out_boards = len(chosen.left_out)
    for name in chosen.missing():
        report.warn(f"--boards: no message of the input is in board {name!r}", whole=True)


def _has_messages(store: Store, source_id: str) -> bool:
    row = store.con.execute(
        "SELECT count(*) FROM messages WHERE source_id = ? AND message_id NOT IN (SELECT message_id FROM new_messages)",
        [source_id],
    ).fetchone()
    return bool(row and row[0])


def _guarded(records: Iterable[Record], path: Path) -> Iterator[Record]:
    """The importer's records; a file it cannot read (a folder, no permission) is an unusable input.

    A full disk is not the input's fault: it goes on to the CLI's handler.
    """
    iterator = iter(records)
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            return
        except OSError as exc:
            if exc.errno in DISK_FULL_ERRNOS:
                raise
            where = exc.filename or path
            raise InputError(f"{where}: cannot read: {exc.strerror or exc}") from exc
        yield record


def _check_source(
    store: Store, source_id: str, keep_names: bool, declared: dict[str, bool], zone: str | None, order: str | None
) -> tuple[dict[str, str] | None, str | None]:
    """Refuse to add to a source imported otherwise: pseudonymised or not, with another of the ``declared``
    options (``thread_starts``, ``sampled_threads``: a source's messages are all read one way, views
    ``unthreaded_sources``, migration 0028, and ``sampled_sources``, 0031), its dates read in another time zone (the
    same local time would be another instant, and a message without an id another message) or in another ``order``
    (``--date-order``: a message known again by the digest of its date as written would keep its date as read then).
    Returns the ``--map`` the source was imported with (None for a new source), which :func:`_check_remapped`
    compares once the records are read, and the order its dates were read in (None: none yet)."""
    row = store.con.execute(
        "SELECT pseudonymised, options, json_extract_string(options, '$.zone'), json_extract(options, '$.mapping'),"
        " json_extract_string(options, '$.date_order') FROM sources WHERE source_id = ?",
        [source_id],
    ).fetchone()
    if row is None:
        return None, None
    if bool(row[0]) == keep_names:
        was = "pseudonymised" if row[0] else "imported with --keep-names"
        raise ConfigError(f"source {source_id!r} was {was}; re-import it the same way or give another --source-name")
    stored = json.loads(row[1]) if row[1] else {}
    for key, now in declared.items():
        if bool(stored.get(key)) != now:
            flag = "--" + key.replace("_", "-")
            was = f"with {flag}" if stored.get(key) else f"without {flag}"
            raise ConfigError(f"source {source_id!r} was imported {was}; re-import it the same way or give another "
                              "--source-name")  # fmt: skip
    if row[2] != zone:
        was = f"with --zone {row[2]}" if row[2] else "without --zone (dates without a zone read as UTC)"
        raise ConfigError(f"source {source_id!r} was imported {was}; re-import it the same way or give another "
                          "--source-name")  # fmt: skip
    if order is not None and row[4] not in (None, order):
        raise ConfigError(f"source {source_id!r} was imported with its dates read {DATE_ORDERS[row[4]]} (--date-order "
                          f"{row[4]}); re-import it the same way or give another --source-name")  # fmt: skip
    return (dict(json.loads(row[3])) if row[3] else {}), row[4]


def _check_any_read(store: Store, stage: Staging, report: IngestReport, path: Path, name: str, forced: bool) -> None:
    """Refuse a first import of a source none of whose records is a message, before anything is written: every
    record rejected says the input is not of its format (a CSV read with ``--format jsonl``: 788 records, each
    "invalid JSON") or not usable as it is (no text anywhere), and a source of rejects only would hold nothing to
    analyse. The error gives the rejects' reasons by kind, the most frequent first. A source that holds messages
    keeps the rejects of a later import (records that conflict with what it holds), as the import's record."""
    if stage.messages or report.duplicates or not stage.chunks:
        return
    if store.con.execute("SELECT 1 FROM messages WHERE source_id = ? LIMIT 1", [report.source_id]).fetchone():
        return
    reasons = Counter(
        kind(reason)
        for (reason,) in store.con.execute(
            "SELECT reason FROM read_parquet(?)", [[str(c.rejects) for c in stage.chunks]]
        ).fetchall()
    )
    if not reasons:
        return
    total = sum(reasons.values())
    shown = "; ".join(f"{n:,} {reason}" for reason, n in reasons.most_common(3))
    how = f"read with --format {name}" if forced else f"read as {name}"
    raise InputError(
        f"{path}: none of its {total:,} records is a message it could import ({how}): {shown}"
        f"{'; more kinds of reason' if len(reasons) > 3 else ''}. "
        f"{'Is it a ' + name + ' file? ' if forced else ''}Nothing imported (docs/importers.md)"
    )


def _check_dates(read: Collected, path: Path, column: str | None) -> None:
    """Refuse, before anything is written, a column the user mapped to ``posted_at`` (``--map posted_at=COLUMN``)
    none of whose values is a date: the wrong column was named (Fiv.fr's texts mapped as its dates imported 145
    undated messages, and every figure over time was empty, with reasons that were not this one). Without ``--map``
    a source's dates that cannot be read leave its messages undated, each with a warning."""
    if column is None or not read.dated or read.undatable < read.dated:
        return
    raise InputError(
        f"{path}: none of the {read.dated:,} values of column {column!r} (--map posted_at={column}) is a date "
        f"(first, {read.first_undatable}): map the column that holds the dates, or leave posted_at out to import "
        "the messages undated; nothing imported (docs/importers.md)"
    )


def _check_remapped(
    store: Store, source_id: str, before: dict[str, str] | None, mapping: dict[str, str], stage: Staging, path: Path
) -> None:
    """Refuse to read a source's table again under another ``--map`` when its messages have no ids of their own.

    A message without an id (no ``message_id`` column) is known by a digest of what is read (``derived:`` ids): its
    thread, author, date and text. Read under another mapping (``--map author=user_id`` added after a first import
    without it), the same rows give other digests, and every message would be stored a second time beside the one
    stored before. Messages with ids of their own are safe: a changed content is a reject, as always. ``before``:
    the source's stored mapping (None for a new source).
    """
    if before is None or before == mapping or not stage.chunks:
        return
    derived = store.con.execute(
        "SELECT (SELECT count(*) FROM read_parquet(?) WHERE native_id LIKE 'derived:%'),"
        " (SELECT count(*) FROM messages WHERE source_id = ? AND native_id LIKE 'derived:%')",
        [[str(c.raw) for c in stage.chunks], source_id],
    ).fetchone()
    new, stored = derived if derived is not None else (0, 0)
    if not new and not stored:
        return

    def how(maps: dict[str, str]) -> str:
        return f"with {map_options(dict(sorted(maps.items())))}" if maps else "without --map"

    without = f"{stored:,} of its stored messages" if stored else f"{new:,} of the messages read now"
    raise InputError(
        f"{path}: source {source_id!r} was imported {how(before)}, this import reads it {how(mapping)}; "
        f"{without} have no id of their own (no "
        "message_id column: a message is known by its thread, author, date and text as read), so read another way "
        "the same messages would be stored a second time. Import it as before, or into a new database to read it "
        "this way; nothing imported"
    )


def _check_elsewhere(store: Store, source_id: str, stage: Staging, path: Path, global_format: str | None) -> None:
    """Refuse, before anything is written, an import whose messages another source of the store already holds.

    A message is held already when another source has its id and the same content digest (thread, author, date
    and text), or, for a format whose ids name a message across its platform (``global_format``, Reddit's: the
    importer's ``global_ids``), when another source of that format has its id. Stored again under another name,
    each would count twice, its author as a second member and, with a later first message, a newcomer; an
    overlapping export of the same forum belongs to the same source, which adds only what is new.
    """
    if (
        not stage.chunks
        or store.con.execute("SELECT 1 FROM messages WHERE source_id <> ? LIMIT 1", [source_id]).fetchone() is None
    ):
        return
    same = "s.importer = ?" if global_format else "m.content_hash = r.content_hash"
    rows = store.con.execute(
        "SELECT m.source_id, count(*) FROM read_parquet(?) r JOIN messages m ON m.native_id = r.native_id"
        f" JOIN sources s ON s.source_id = m.source_id WHERE m.source_id <> ? AND {same}"
        " GROUP BY m.source_id ORDER BY count(*) DESC, m.source_id",
        [[str(c.raw) for c in stage.chunks], source_id, *([global_format] if global_format else [])],
    ).fetchall()
    if rows:
        other, count = rows[0]
        what = f"the same {global_format} ids" if global_format else "same id, thread, author, date and text"
        raise InputError(
            f"{path}: {count:,} of its messages are already stored in source {other!r} ({what}); imported as "
            f"source {source_id!r} each would count twice. Import it into that source (--source-name {other}), "
            "which stores only what is new, or into another database."
        )


def _check_parts(
    store: Store,
    source_id: str,
    importer: str,
    read: Collected,
    pseudo: Pseudonymiser,
    report: IngestReport,
    path: Path,
    *,
    named: bool,
) -> None:
    """Refuse a new source named after its file whose authors are members of another source of the same format
    (``ingest/deliveries.py``: a later part of that forum, most likely); warn when the user named it."""
    overlap = shared_members(store, source_id, importer, read.members.keys(), pseudo)
    if overlap is None:
        return
    shared, other = overlap
    what = f"{shared:,} of its {len(read.members):,} authors are members of source {other!r} too: "
    if named:
        report.warn(f"{path.name}: {what}{consequence(source_id, other)}", whole=True)
        return
    raise InputError(
        f"{path}: {what}{consequence(source_id, other)}. To import it as a source of its own all the same, name it "
        "(--source-name NAME); nothing imported"
    )


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


def _threads(
    source_id: str, threads: dict[str, ThreadRecord], members: dict[str, Member], naming: names.Naming
) -> pa.Table:
    """The importer's thread records (a starter outside the import's members is left NULL)."""
    rows: dict[str, list[Any]] = {"thread_id": [], "native_id": [], "title": [], "board": [], "starter_id": []}
    starters = {member_key(rec.starter_id, None) for rec in threads.values() if rec.starter_id}
    ids = dict(zip(starters, naming.pseudo.member_ids(source_id, starters), strict=True))
    for native, rec in threads.items():
        starter = member_key(rec.starter_id, None) if rec.starter_id else None
        title = clean(rec.title) if rec.title else rec.title
        rows["thread_id"].append(stable_id(source_id, "thread", native))
        rows["native_id"].append(native)
        rows["title"].append(naming.scrubber.scrub(title) if naming.scrub else title)
        rows["board"].append(naming.board(rec.board))
        rows["starter_id"].append(ids[starter] if starter in members else None)
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
        if field_name.strip() in mapping:
            raise InputError(
                f"--map {pair!r}: field {field_name.strip()!r} is already read from {mapping[field_name.strip()]!r};"
                " map each field once"
            )
        mapping[field_name.strip()] = column.strip()
    return mapping
