"""The ``patientinfo`` importer: patient.info forum threads as nested-replies JSON.

Layout (the PatientINF scrape): ``{group_url: [thread, ...]}`` where a thread is ``{title, user, post,
"date posted", url, replies: [reply, ...]}`` and a reply is ``{user, "date posted", post, replies}``.

- thread id = the thread's ``url``; board = the last path part of the group url
  (``.../browse/reactive-arthritis-1981`` -> ``reactive-arthritis-1981``);
- native ids come from the position in the tree, so they are stable between runs: the thread start is
  ``<url>``, its third reply ``<url>#r3``, the first reply to that ``<url>#r3.1``; ``reply_to`` is the
  parent in the tree;
- the thread start's text is its post (its title is kept in ``title``, not prepended: patient.info
  titles are not removed with the body);
- the user ``Guest`` is patient.info's anonymous poster: ``author_status="guest"``;
- a message dated after one of the replies below it (the scrape dated some thread starts, and one reply, by a
  later activity: a 2010 request dated 2020, its 2010 answer before it) is dated by the earliest of those
  replies, the latest it can have been posted; the source's date is kept in ``meta.posted_at_source``
  (:data:`~chrysalide.ingest.records.POSTED_AT_SOURCE`), and the loader warns;
- record numbers count messages in document order (depth first), 1-based.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from chrysalide.errors import InputError
from chrysalide.ingest.records import (
    GUEST,
    POSTED_AT_SOURCE,
    MessageRecord,
    Record,
    Reject,
    WrongType,
    as_id,
    as_text,
)
from chrysalide.ingest.registry import OptionlessImporter, register
from chrysalide.ingest.textio import head_text, loads, read_document
from chrysalide.ingest.timestamps import parse_timestamp

RAW_CAP = 10_000
MAX_DEPTH = 200  # deeper nesting is hostile input, not a forum


def _raw(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = "(a JSON value too deep to show)"
    return text[:RAW_CAP]


def earliest_below(thread: dict[str, Any]) -> dict[int, tuple[datetime, Any]]:
    """For each node of ``thread`` (by ``id``) with dated replies below it: the earliest of their dates, parsed
    and as the source wrote it. Replies that the importer rejects (not objects, nested too deep) count for none.
    """
    found: dict[int, tuple[datetime, Any]] = {}

    def walk(node: dict[str, Any], depth: int) -> tuple[datetime, Any] | None:
        """The earliest date of ``node`` and the replies below it."""
        best: tuple[datetime, Any] | None = None
        replies = node.get("replies")
        if isinstance(replies, list) and depth < MAX_DEPTH:
            for reply in replies:
                below = walk(reply, depth + 1) if isinstance(reply, dict) else None
                if below is not None and (best is None or below[0] < best[0]):
                    best = below
        if best is not None:
            found[id(node)] = best
        raw = node.get("date posted")
        own = parse_timestamp(raw) if isinstance(raw, str) else None
        return best if own is None or (best is not None and best[0] < own) else (own, raw)

    walk(thread, 0)
    return found


def board_of(group_url: str) -> str:
    """``https://patient.info/forums/discuss/browse/reactive-arthritis-1981`` -> ``reactive-arthritis-1981``."""
    return group_url.rstrip("/").rsplit("/", 1)[-1] or group_url


@register
class PatientInfoImporter(OptionlessImporter):
    """patient.info threads with nested replies (see the module docstring)."""

    name: ClassVar[str] = "patientinfo"
    version: ClassVar[str] = "2"

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or not path.name.lower().removesuffix(".gz").endswith(".json"):
            return False
        head = head_text(path, 4096).lstrip()
        return head.startswith("{") and "patient.info/" in head[:400] and '"date posted"' in head

    def read(self, path: Path) -> Iterator[Record]:
        text = read_document(path)
        try:
            doc = loads(text)
        except ValueError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(doc, dict):
            raise InputError(f"{path}: expected an object {{group_url: [threads]}}")
        self._count = 0
        self._below: dict[int, tuple[datetime, Any]] = {}
        for group_url, threads in doc.items():
            if not isinstance(threads, list):
                self._count += 1
                yield Reject(self._count, _raw(threads)[:RAW_CAP], f"group {group_url!r}: expected a list of threads")
                continue
            for thread in threads:
                yield from self._thread(board_of(str(group_url)), thread)

    def _thread(self, board: str, thread: Any) -> Iterator[Record]:
        self._count += 1
        url = as_id(thread.get("url")) if isinstance(thread, dict) else None
        if not url or isinstance(url, WrongType):
            yield Reject(self._count, _raw(thread), "thread without url" if not url else "thread url is not text")
            return
        self._below = earliest_below(thread)
        yield self._message(thread, url, url, None, board, as_text(thread.get("title")))
        yield from self._replies(thread, url, url, board, 1)

    def _replies(self, node: dict[str, Any], url: str, node_id: str, board: str, depth: int) -> Iterator[Record]:
        replies = node.get("replies") or []
        if not isinstance(replies, list):
            self._count += 1
            yield Reject(self._count, _raw(replies), f"{node_id}: replies is not a list")
            return
        prefix = f"{url}#r" if node_id == url else f"{node_id}."
        for index, reply in enumerate(replies, 1):
            self._count += 1
            reply_id = f"{prefix}{index}"
            if not isinstance(reply, dict):
                yield Reject(self._count, _raw(reply), f"{reply_id}: reply is not an object")
                continue
            if depth > MAX_DEPTH:
                yield Reject(self._count, _raw(reply)[:RAW_CAP], f"{reply_id}: nested deeper than {MAX_DEPTH}")
                continue
            yield self._message(reply, reply_id, url, node_id, board, None)
            yield from self._replies(reply, url, reply_id, board, depth + 1)

    def _message(
        self, node: dict[str, Any], native: str, url: str, parent: str | None, board: str, title: str | None
    ) -> MessageRecord:
        user = as_text(node.get("user"))
        guest = user is not None and user.strip().casefold() == "guest"
        posted, meta = node.get("date posted"), {}
        below = self._below.get(id(node))
        if below is not None:
            own = parse_timestamp(posted) if isinstance(posted, str) else None
            if own is not None and below[0] < own:
                posted, meta = below[1], {POSTED_AT_SOURCE: node.get("date posted")}
        return MessageRecord(
            record_no=self._count,
            native_id=native,
            thread_id=url,
            reply_to=parent,
            text=as_text(node.get("post")),
            title=title,
            author=None if guest else user,
            author_status=GUEST if guest else None,
            posted_at=posted,
            board=board,
            meta=meta,
        )
