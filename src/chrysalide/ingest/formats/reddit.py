"""The ``reddit`` importer: one file or a folder of Reddit data in any of five layouts.

Layouts, recognised per file from its name and first bytes (files of other kinds in a folder, such as
``corpus_metadata.json`` or a README, are ignored):

- Pushshift / Arctic Shift ndjson dumps (plain, ``.gz``, ``.zst``), submissions and comments mixed or
  in separate files (:mod:`.reddit_dumps`);
- PatientPunk's ``users/<hash>.json`` histories and ``subreddit_posts.json`` (:mod:`.reddit_histories`);
- CSV exports with ``Title,Post Date,Post Text,Author,...,ID`` (submissions; ``Total Comments`` when present) and
  ``ID,Comment,Author,OP,Post Date`` (comments, ``ID`` = their submission; file name = subreddit);
- CSV exports with ``post_id,comment_id,author,body,...,created_utc,parent_id`` (comments).

Record numbers run across the files of a folder in sorted path order, the files of comments alone (a CSV export's
comments, Pushshift's ``RC_`` dumps) after the others: a file's records are numbered after all the records (lines
for ndjson and CSV, items for JSON documents) of the files before it. Messages of one date are ordered by their
record number, so a submission stays before a comment posted in the same second (AutoModerator's), which sorted
paths alone (``comments/`` before ``posts/``, ``RC_`` before ``RS_``) put first in its thread.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Generator, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar

from chrysalide.errors import InputError
from chrysalide.ingest.formats.reddit_dumps import bare, comment, compact, read_ndjson, submission
from chrysalide.ingest.formats.reddit_histories import Threads, load_json, read_history, read_thread_file
from chrysalide.ingest.records import BOARDS_APART, Parts, Record, Reject, place
from chrysalide.ingest.registry import OptionlessImporter, register
from chrysalide.ingest.textio import Truncated, head_text, iter_lines

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_COMPRESSED = (".gz", ".zst", ".zstd")
_SNIFFED = {".json", ".jsonl", ".ndjson", ".csv", *_COMPRESSED}
POSTS_CSV = ("Title", "Post Date", "Post Text", "Author", "ID")
COMMENTS_CSV = ("ID", "Comment", "Author", "Post Date")
FLAT_CSV = ("post_id", "comment_id", "author", "body", "created_utc", "parent_id")


def _extension(path: Path) -> str:
    name = path.name.lower()
    for ext in _COMPRESSED:
        name = name.removesuffix(ext)
    return name.rsplit(".", 1)[-1] if "." in name else ""


def _csv_header(head: str) -> list[str]:
    first = (head.lstrip("\ufeff").splitlines() or [""])[0]  # any line ending: \n, \r\n, a lone \r
    try:
        return [h.strip() for h in next(csv.reader([first]), [])]
    except csv.Error:
        return []


def layout(path: Path) -> str | None:
    """Which Reddit layout a file is in (``ndjson``, ``threads``, ``history``, ``posts_csv``,
    ``comments_csv``, ``flat_csv``), or ``None``."""
    ext = _extension(path)
    if ext not in ("json", "jsonl", "ndjson", "csv", "") and not path.name.startswith(("RS_", "RC_")):
        return None
    head = head_text(path, 16384)
    if ext == "csv":
        header = set(_csv_header(head))
        for name, needed in (("posts_csv", POSTS_CSV), ("comments_csv", COMMENTS_CSV), ("flat_csv", FLAT_CSV)):
            if header.issuperset(needed):
                return name
        return None
    start = head.lstrip()[:1]
    if start == "[" and '"post_id"' in head and '"comments"' in head:
        return "threads"
    if start == "{" and '"author_hash"' in head and ('"posts"' in head or '"comments"' in head):
        return "history"
    if start == "{" and '"subreddit"' in head:
        first = head.lstrip().split("\n", 1)[0]
        try:
            keys = set(json.loads(first))
        except (json.JSONDecodeError, TypeError, RecursionError):
            keys = set(re.findall(r'"(\w+)":', first))  # a first line longer than the sniffed bytes
        if "subreddit" in keys and keys & {"body", "link_id", "title", "selftext"}:
            return "ndjson"
    return None


def _files(path: Path) -> list[tuple[Path, str]]:
    if path.is_file():
        kind = layout(path)
        if kind is None and head_text(path, 64).lstrip().startswith("{") and _extension(path) != "csv":
            kind = "ndjson"  # named explicitly: records without a subreddit field are still Reddit's
        if kind is None:
            raise InputError(f"{path}: not a Reddit file this importer knows (see docs/importers.md)")
        return [(path, kind)]
    found = [(p, layout(p)) for p in sorted(path.rglob("*")) if p.is_file()]
    files = [(p, kind) for p, kind in found if kind is not None]
    if not files:
        raise InputError(f"{path}: no Reddit files found (ndjson dumps, PatientPunk JSON or Reddit CSV exports)")
    return sorted(files, key=_comments_only)  # stable: sorted path order within each group


def _comments_only(file: tuple[Path, str]) -> bool:
    """Whether a file holds comments alone (numbered after the submissions: module docstring)."""
    path, kind = file
    return kind == "comments_csv" or (kind == "ndjson" and path.name.startswith("RC_"))


#: The layouts whose records are counted in lines of their file (a CSV row counts the line it starts on).
_LINES = frozenset({"ndjson", "posts_csv", "comments_csv", "flat_csv"})


@register
class RedditImporter(OptionlessImporter):
    """Reddit submissions and comments (see the module docstring for the layouts)."""

    name: ClassVar[str] = "reddit"
    version: ClassVar[str] = "1"
    #: A ``t1_``/``t3_`` id names one comment or post on all of Reddit (:mod:`chrysalide.ingest.registry`).
    global_ids: ClassVar[bool] = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        #: What the input says of the source, kept with its options once read (loader): whether its boards were
        #: collected apart (:data:`~chrysalide.ingest.records.BOARDS_APART`).
        self.traits: dict[str, Any] = {}
        #: The files read, so that a warning names the file and line of a record (records are numbered across them).
        self.parts = Parts()

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if path.is_file():
            return layout(path) is not None
        if not path.is_dir():
            return False
        # A bounded look at the folder's files (sniff must stay cheap on a huge folder).
        files = (p for p in path.rglob("*") if p.suffix.lower() in _SNIFFED and p.is_file())
        return any(layout(p) is not None for p in islice(files, 30))

    def read(self, path: Path) -> Iterator[Record]:
        files = _files(path)
        docs: dict[Path, Any] = {}
        threads = Threads()
        # JSON documents first: history comments find their thread through comments of any file.
        for file, kind in files:
            if kind in ("threads", "history"):
                try:
                    docs[file] = load_json(file)
                except (ValueError, OSError, EOFError) as exc:
                    if path.is_file():
                        raise InputError(f"{file}: {exc}") from None
                    docs[file] = exc
                    continue
                if kind == "threads":
                    threads.add_thread_file(docs[file])
                else:
                    threads.add_history(docs[file], file)
        offset = 0
        for file, kind in files:
            self.parts.add(offset, file.name, "line" if kind in _LINES else "record")
            doc = docs.get(file)
            if isinstance(doc, Exception):
                offset += 1
                yield Reject(offset, None, f"unreadable file: {doc}")
            elif kind == "threads":
                offset = yield from read_thread_file(file, doc, offset)
            elif kind == "history":
                offset = yield from read_history(file, doc, offset, threads)
            elif kind == "ndjson":
                offset = yield from read_ndjson(file, offset)
            else:
                offset = yield from _read_csv(file, kind, offset)
        yield from threads.record_starts()
        # Each subreddit of a dump, a CSV export or a thread file was scraped over its own window: a member's record
        # starts with their first board's (migration 0029). Not so for user histories, each a member's whole record.
        self.traits[BOARDS_APART] = not threads.histories


def _read_csv(path: Path, kind: str, start: int) -> Generator[Record, None, int]:
    """Rows of one CSV export; a row's number is ``start`` + the line its record starts on."""
    lines = iter(iter_lines(path))
    line_no = 0

    def counted() -> Iterator[str]:
        nonlocal line_no
        for line in lines:
            line_no += 1
            yield line

    reader = csv.reader(counted(), strict=True)
    board = path.stem.removesuffix("_comments") if kind in ("posts_csv", "comments_csv") else None
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        while True:
            first = line_no + 1
            where = place("line", first, path.name)
            try:
                values = next(reader)
            except StopIteration:
                return start + line_no
            except csv.Error as exc:
                yield Reject(start + first, None, f"{where}: malformed CSV ({exc})")
                continue
            if values == [] or values == [""]:
                continue
            if len(values) != len(header):
                reason = f"{where}: expected {len(header)} fields, found {len(values)}"
                yield Reject(start + first, compact(",".join(values)), reason)
                continue
            record = _csv_record(kind, start + first, dict(zip(header, values, strict=True)), board)
            if isinstance(record, Reject):
                record.reason = f"{where}: {record.reason}"
            yield record
    except Truncated as exc:
        yield Reject(start + line_no + 1, None, f"input truncated after record {start + line_no}: {path.name}: {exc}")
        return start + line_no + 1


def _csv_record(kind: str, record_no: int, row: dict[str, str], board: str | None) -> Record:
    if kind == "posts_csv":
        if not row["ID"].strip():
            return Reject(record_no, compact(row), "submission without ID")
        # The board is the file's: a crosspost's or a shared link's Post URL names the subreddit it points to.
        return submission(
            record_no, row["ID"].strip(), row["Title"], row["Post Text"], row["Author"], row["Post Date"],
            board, None, (row.get("Total Comments") or "").strip(),
        )  # fmt: skip
    if kind == "comments_csv":
        if not row["ID"].strip():
            return Reject(record_no, compact(row), "comment without the ID of its submission")
        # No comment id in this layout: the loader derives one from the content.
        record = comment(
            record_no, "", bare(row["ID"].strip()), None, row["Comment"], row["Author"], row["Post Date"], board
        )
        record.native_id = None
        return record
    if not row["comment_id"].strip() or not row["post_id"].strip():
        return Reject(record_no, compact(row), "comment without comment_id or post_id")
    return comment(
        record_no, row["comment_id"].strip(), bare(row["post_id"].strip()), row["parent_id"].strip() or None,
        row["body"], row["author"], row["created_utc"], None,
    )  # fmt: skip
