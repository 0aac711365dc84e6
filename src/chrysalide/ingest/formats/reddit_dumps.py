"""Reddit records shared by the ``reddit`` importer's layouts, and the Pushshift / Arctic Shift dumps.

Conventions (the same in every Reddit layout, so that files of one corpus link up):

- native ids are Reddit's "fullnames": ``t3_<id>`` for a submission, ``t1_<id>`` for a comment, so the
  two never collide and ``reply_to`` can be Reddit's own ``parent_id`` unchanged;
- the thread id is the submission id without its prefix (``link_id`` for a comment);
- a submission's text is its title, a blank line, then its selftext (a thread start whose body was
  removed keeps its title: CODEBOOK.md), and its title is also kept in ``title``;
- ``[deleted]`` / ``[removed]`` bodies are text and pass through; an author that is ``[deleted]``,
  empty or a placeholder (``None``, ``N/A``: ``records.MISSING_NAMES``) marks the message
  ``author_status="deleted"``;
- a submission's number of comments as the source gives it (``num_comments``, ``Total Comments``) is kept in
  ``meta.replies_at_source`` (:data:`~chrysalide.ingest.records.REPLIES_AT_SOURCE`).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from chrysalide.ingest.records import (
    DELETED,
    REPLIES_AT_SOURCE,
    MessageRecord,
    Reject,
    WrongType,
    as_id,
    as_text,
    is_missing_name,
    place,
)
from chrysalide.ingest.textio import Truncated, has_nul, iter_lines, loads

__all__ = ["as_id", "as_text", "bare", "comment", "compact", "read_ndjson", "submission"]

RAW_CAP = 10_000
_PREFIXES = ("t1_", "t2_", "t3_", "t4_", "t5_", "t6_")


def compact(value: Any) -> str:
    """A record as compact JSON (or its text), capped for the ``rejects`` table."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = "(a JSON value too deep to show)"
    return text if len(text) <= RAW_CAP else text[:RAW_CAP]


def author_status(author: str | None) -> str | None:
    """``"deleted"`` for Reddit's placeholders of a removed account, else ``None``."""
    return DELETED if is_missing_name(author) or (author or "").strip().casefold() == "[deleted]" else None


def bare(fullname: str) -> str:
    """``t3_abc`` -> ``abc``; an id without a type prefix (or of the wrong type) is returned as is."""
    return fullname[3:] if fullname[:3] in _PREFIXES and not isinstance(fullname, WrongType) else fullname


def fullname(prefix: str, value: str) -> str:
    """``abc`` -> ``t3_abc`` (an id that already has a type prefix, or of the wrong type, keeps its form)."""
    return value if value[:3] in _PREFIXES or isinstance(value, WrongType) else prefix + value


def submission_text(title: str | None, body: str | None) -> str:
    """Title, a blank line, then the selftext; whichever is empty is left out (a wrong type is kept as is)."""
    for part in (title, body):
        if isinstance(part, WrongType):
            return part
    return "\n\n".join(part for part in (title, body) if part and part.strip())


def submission(
    record_no: int,
    sid: str,
    title: str | None,
    body: str | None,
    author: str | None,
    posted_at: Any,
    board: str | None,
    flair: str | None = None,
    replies: Any = None,
) -> MessageRecord:
    """A thread-starting message in the shared conventions; ``replies``: the number of comments the source gives
    (an empty value is none; the loader checks the others)."""
    meta: dict[str, Any] = {"flair": flair} if flair else {}
    if replies is not None and replies != "":
        meta[REPLIES_AT_SOURCE] = replies
    return MessageRecord(
        record_no=record_no,
        native_id=fullname("t3_", sid),
        thread_id=bare(sid),
        text=submission_text(title, body),
        title=title,
        author=author if author_status(author) is None else None,
        author_status=author_status(author),
        posted_at=posted_at,
        board=board,
        meta=meta,
    )  # fmt: skip


def comment(
    record_no: int,
    cid: str,
    thread: str,
    parent: str | None,
    body: str | None,
    author: str | None,
    posted_at: Any,
    board: str | None,
) -> MessageRecord:
    """A comment in the shared conventions; a comment without a parent replies to its submission."""
    return MessageRecord(
        record_no=record_no,
        native_id=fullname("t1_", cid),
        thread_id=thread,
        reply_to=parent or (None if thread.startswith("unknown:") else fullname("t3_", thread)),
        text=body,
        author=author if author_status(author) is None else None,
        author_status=author_status(author),
        posted_at=posted_at,
        board=board,
    )  # fmt: skip


def from_pushshift(obj: Any, record_no: int) -> MessageRecord | Reject:
    """One Pushshift / Arctic Shift object: a comment has ``body``/``link_id``, a submission ``title``."""
    if not isinstance(obj, dict):
        return Reject(record_no, compact(obj), "not a JSON object")
    rid = as_id(obj.get("id")) or as_id(obj.get("name"))
    if not rid:
        return Reject(record_no, compact(obj), "record has no id")
    board = as_text(obj.get("subreddit"))
    if "body" in obj or "link_id" in obj:
        link = as_id(obj.get("link_id"))
        if not link:
            return Reject(record_no, compact(obj), "comment has no link_id")
        parent = as_id(obj.get("parent_id"))
        return comment(
            record_no, rid, bare(link), parent, as_text(obj.get("body")), as_text(obj.get("author")),
            obj.get("created_utc"), board,
        )  # fmt: skip
    if "title" in obj or "selftext" in obj:
        return submission(
            record_no, rid, as_text(obj.get("title")), as_text(obj.get("selftext")), as_text(obj.get("author")),
            obj.get("created_utc"), board, as_text(obj.get("link_flair_text")), obj.get("num_comments"),
        )  # fmt: skip
    return Reject(record_no, compact(obj), "neither a submission (title) nor a comment (body)")


def read_ndjson(path: Path, start: int) -> Generator[MessageRecord | Reject, None, int]:
    """The records of one ndjson dump; record numbers are ``start`` + line number; returns the last.

    Blank lines are skipped (they still count as lines). A cut ``.gz`` / ``.zst`` ends with a Reject
    "input truncated after record N"; a last line cut mid-record belongs to that Reject.
    """
    line_no = start
    pending: str | None = None  # the last line read, held back until we know it is complete
    try:
        for line in iter_lines(path):
            if pending is not None:
                yield from _parse_line(line_no, pending, place("line", line_no - start, path.name))
            line_no += 1
            pending = line
    except Truncated as exc:
        partial = None
        if pending is not None and pending.endswith("\n"):
            yield from _parse_line(line_no, pending, place("line", line_no - start, path.name))
            line_no += 1
        elif pending is not None:
            partial = compact(pending)
        else:
            line_no += 1
        reason = f"input truncated after record {line_no - 1}: {path.name}: {exc}"
        yield Reject(line_no, partial, reason)
        return line_no
    if pending is not None:
        yield from _parse_line(line_no, pending, place("line", line_no - start, path.name))
    return line_no


def _parse_line(record_no: int, line: str, where: str) -> Iterator[MessageRecord | Reject]:
    """The record of one line; a reject's reason starts with ``where`` (:func:`~chrysalide.ingest.records.place`)."""
    if not line.strip():
        return
    if has_nul(line):
        yield Reject(record_no, compact(line.rstrip("\n")), f"{where}: NUL byte in the record (damaged file?)")
        return
    try:
        obj = loads(line)
    except ValueError as exc:  # JSONDecodeError, or nested too deep
        yield Reject(record_no, compact(line.rstrip("\n")), f"{where}: malformed JSON: {exc}")
        return
    record = from_pushshift(obj, record_no)
    if isinstance(record, Reject):
        record.reason = f"{where}: {record.reason}"
    yield record
