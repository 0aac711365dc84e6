"""PatientPunk's Reddit files: per-member posting histories and the subreddit thread file.

``users/<author_hash>.json`` holds ``author_hash``, ``account_created_utc`` and the member's ``posts``
(``post_id``, ``subreddit``, ``title``, ``body``, ``created_utc``, ``num_comments``) and ``comments``
(``comment_id``, ``subreddit``, ``body``, ``created_utc``, ``parent_id``); ``subreddit_posts.json`` is a list of
posts with their ``comments`` nested and an ``author_hash`` on each. Ids are already Reddit fullnames. A post's
``num_comments`` (the comments the archive counted when it took the post: a history holds none of them but its
author's own) is kept in ``meta.replies_at_source``.

A history comment has no ``link_id``, so its thread is found through its parents: a ``t3_`` parent is
the thread; a ``t1_`` parent is looked up among all the comments of the import (thread files and
histories) and followed upwards; when the chain leaves the corpus at a comment ``t1_x``, the comment
joins the pseudo-thread ``unknown:t1_x`` (its siblings under the same missing comment join it too).
The thread file has no subreddit field: its board is ``subreddit`` of a ``corpus_metadata.json``
beside it, when there is one.

A member seen in the thread files without a history of their own has no earlier record than those threads (one
scraped week): their ``record_start`` (members.record_start, migration 0023) is the thread files' first message,
so that they are not taken for newcomers because the week is all the import shows of them (docs/community.md).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from chrysalide.ingest.formats.reddit_dumps import as_id, as_text, bare, comment, compact, submission
from chrysalide.ingest.records import MemberRecord, Record, Reject, WrongType
from chrysalide.ingest.textio import loads, read_document
from chrysalide.ingest.timestamps import parse_timestamp


def load_json(path: Path) -> Any:
    """A whole JSON document; raises ``ValueError`` naming the problem."""
    text = read_document(path)
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:  # nested too deep
        raise ValueError(f"{path.name}: {exc}") from None


def _metadata_board(folder: Path) -> str | None:
    meta = folder / "corpus_metadata.json"
    if not meta.is_file():
        return None
    try:
        doc = load_json(meta)
    except (ValueError, OSError):
        return None
    return as_text(doc.get("subreddit")) if isinstance(doc, dict) else None


@dataclass
class Threads:
    """Where each comment of the import belongs: known from nesting, or found through its parents."""

    thread_of: dict[str, str] = field(default_factory=dict)
    parent_of: dict[str, str] = field(default_factory=dict)
    thread_authors: set[str] = field(default_factory=set)  # authors of the thread files' posts and comments
    threads_start: Any = None  # the thread files' first message, its date as the file writes it
    histories: set[str] = field(default_factory=set)  # authors with a posting history
    _first: datetime | None = None

    def _seen(self, item: dict[str, Any]) -> None:
        author, at = as_text(item.get("author_hash")), item.get("created_utc")
        if isinstance(author, str) and not isinstance(author, WrongType):
            self.thread_authors.add(author)
        parsed = parse_timestamp(at)
        if parsed is not None and (self._first is None or parsed < self._first):
            self._first, self.threads_start = parsed, at

    def add_thread_file(self, doc: Any) -> None:
        for post in doc if isinstance(doc, list) else []:
            pid = as_id(post.get("post_id")) if isinstance(post, dict) else None
            if not pid:
                continue
            thread = bare(pid)
            self._seen(post)
            for com in _list(post.get("comments")):
                cid = as_id(com.get("comment_id")) if isinstance(com, dict) else None
                if cid:
                    self.thread_of[cid] = thread
                    self._seen(com)

    def add_history(self, doc: Any, path: Path) -> None:
        author = as_text(doc.get("author_hash")) if isinstance(doc, dict) else None
        self.histories.add(author if isinstance(author, str) and not isinstance(author, WrongType) else path.stem)
        comments = doc.get("comments") if isinstance(doc, dict) else None
        for com in comments if isinstance(comments, list) else []:
            cid, parent = (
                (as_id(com.get("comment_id")), as_id(com.get("parent_id"))) if isinstance(com, dict) else (None, None)
            )
            if cid and parent:
                self.parent_of[cid] = parent

    def resolve(self, comment_id: str) -> str:
        """The thread of a comment (see the module docstring for the rule)."""
        current, walked, seen = comment_id, [], {comment_id}
        while True:
            if current in self.thread_of:
                thread = self.thread_of[current]
                break
            parent = self.parent_of.get(current)
            if parent is None:
                thread = f"unknown:{current}"
                break
            if parent.startswith("t3_"):
                thread = bare(parent)
                break
            if parent in seen:  # a cycle: stop at the repeated comment
                thread = f"unknown:{parent}"
                break
            walked.append(current)
            seen.add(parent)
            current = parent
        for linked in walked:  # memoise the chain: long reply chains stay linear
            self.thread_of[linked] = thread
        return thread

    def record_starts(self) -> Iterator[MemberRecord]:
        """The record start of each thread-file author without a history: the thread files' first message (none
        when the import has no history: then every member's record starts with the source's first message)."""
        if not self.histories or self.threads_start is None:
            return
        for author in sorted(self.thread_authors - self.histories):
            yield MemberRecord(author_id=None, name=author, record_start=self.threads_start)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def read_thread_file(path: Path, doc: Any, start: int) -> Generator[Record, None, int]:
    """Posts then their comments, numbered ``start + 1`` onwards; returns the last number used."""
    board = _metadata_board(path.parent)
    record_no = start
    if not isinstance(doc, list):
        yield Reject(start + 1, compact(doc), f"{path.name}: expected a list of posts")
        return start + 1
    for post in doc:
        record_no += 1
        pid = as_id(post.get("post_id")) if isinstance(post, dict) else None
        if not pid:
            yield Reject(record_no, compact(post), f"{path.name}: post without post_id")
            continue
        flair = as_text(post.get("flair"))
        yield submission(
            record_no, pid, as_text(post.get("title")), as_text(post.get("body")), as_text(post.get("author_hash")),
            post.get("created_utc"), board, flair, post.get("num_comments"),
        )  # fmt: skip
        for com in _list(post.get("comments")):
            record_no += 1
            cid = as_id(com.get("comment_id")) if isinstance(com, dict) else None
            if not cid:
                yield Reject(record_no, compact(com), f"{path.name}: comment without comment_id")
                continue
            yield comment(
                record_no, cid, bare(pid), as_id(com.get("parent_id")), as_text(com.get("body")),
                as_text(com.get("author_hash")), com.get("created_utc"), board,
            )  # fmt: skip
    return record_no


def read_history(path: Path, doc: Any, start: int, threads: Threads) -> Generator[Record, None, int]:
    """A member's posts then comments, numbered ``start + 1`` onwards; returns the last number used."""
    if not isinstance(doc, dict):
        yield Reject(start + 1, compact(doc), f"{path.name}: expected a user-history object")
        return start + 1
    author = as_text(doc.get("author_hash")) or path.stem
    if isinstance(author, WrongType):
        yield Reject(start + 1, compact(doc)[:200], f"{path.name}: field 'author_hash': expected text")
        return start + 1
    # The member's own history: their messages were collected as theirs (chrysalide.journeys.histories).
    yield MemberRecord(author_id=None, name=author, registered_at=doc.get("account_created_utc"), history=True)
    record_no = start
    for post in _list(doc.get("posts")):
        record_no += 1
        pid = as_id(post.get("post_id")) if isinstance(post, dict) else None
        if not pid:
            yield Reject(record_no, compact(post), f"{path.name}: post without post_id")
            continue
        yield submission(
            record_no, pid, as_text(post.get("title")), as_text(post.get("body")), author, post.get("created_utc"),
            as_text(post.get("subreddit")), None, post.get("num_comments"),
        )  # fmt: skip
    for com in _list(doc.get("comments")):
        record_no += 1
        cid = as_id(com.get("comment_id")) if isinstance(com, dict) else None
        if not cid:
            yield Reject(record_no, compact(com), f"{path.name}: comment without comment_id")
            continue
        parent = as_id(com.get("parent_id"))
        thread = bare(parent) if parent and parent.startswith("t3_") else threads.resolve(cid)
        yield comment(
            record_no, cid, thread, parent, as_text(com.get("body")), author, com.get("created_utc"),
            as_text(com.get("subreddit")),
        )  # fmt: skip
    return record_no
