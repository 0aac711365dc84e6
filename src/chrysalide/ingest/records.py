"""What importers yield: source-shaped records, before ids, pseudonyms and timestamps are settled.

An importer only reads its format. The loader (``ingest/loader.py``) owns what every format shares:
timestamp parsing, duplicate and conflict rules, pseudonymisation, ids and the write to the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GUEST = "guest"
DELETED = "deleted"


@dataclass(slots=True)
class MessageRecord:
    """One message as read from the source.

    ``posted_at`` is raw (string, number or datetime) and parsed by the loader. ``author`` is the
    display name; ``author_id`` the source's user id when it has one (the member key prefers it).
    ``author_status`` is ``None`` for a normal member, ``"guest"`` or ``"deleted"`` otherwise:
    such messages keep their text but belong to no member.
    """

    record_no: int
    native_id: str | None
    thread_id: str | None
    text: str | None
    author: str | None = None
    author_id: str | None = None
    author_status: str | None = None
    posted_at: Any = None
    reply_to: str | None = None
    title: str | None = None
    board: str | None = None
    quoted_text: str | None = None
    quoted_authors: list[str] = field(default_factory=list)
    author_role: str | None = None
    lang: str | None = None
    raw: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class MemberRecord:
    """What a source knows about a member beyond their messages (phpBB's users table)."""

    author_id: str | None
    name: str | None
    registered_at: Any = None
    role: str | None = None


@dataclass(slots=True)
class ThreadRecord:
    """What a source knows about a thread beyond its messages (phpBB's topics table)."""

    native_id: str
    title: str | None = None
    board: str | None = None
    starter_id: str | None = None


@dataclass(slots=True)
class Reject:
    """A record that cannot be imported: kept in the ``rejects`` table with its reason."""

    record_no: int
    raw: str | None
    reason: str


Record = MessageRecord | MemberRecord | ThreadRecord | Reject
