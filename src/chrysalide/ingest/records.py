"""What importers yield: source-shaped records, before ids, pseudonyms and timestamps are settled.

An importer only reads its format. The loader (``ingest/loader.py``) owns what every format shares:
timestamp parsing, duplicate and conflict rules, pseudonymisation, ids and the write to the store.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

#: Why a message belongs to no member (``author_status``, kept in ``messages.meta``): a guest who signed no
#: name, a deleted account, or an author the source does not give.
GUEST = "guest"
DELETED = "deleted"
MISSING = "missing"
#: The ``meta`` key of a message whose source date cannot be right, being later than a reply to it (patient.info's
#: scrape dates some messages by a later activity): the importer dates it by its earliest reply, the latest it can
#: have been posted, and keeps the source's date under this key. The loader warns and counts it
#: (``IngestReport.redated``); the delay between it and its first answer, or the message it answers, is unknown.
POSTED_AT_SOURCE = "posted_at_source"
#: The ``meta`` key of a thread start whose source declares how many replies its thread had (Reddit's
#: ``num_comments``: dumps, PatientPunk thread files and histories, ConvoKit conversations; ``Total Comments`` of
#: Reddit post CSV exports; the column a generic table maps to it), as a whole number (:func:`as_count`; the loader
#: warns and drops any other value). The count is the source's, taken when it collected the post: the community
#: step reads it where the corpus lacks the replies themselves (docs/community.md).
REPLIES_AT_SOURCE = "replies_at_source"
#: Key of ``members.meta`` under which the importer keeps when the record that could hold a member's earlier messages
#: starts, where it knows it is later than the source's first message (:class:`MemberRecord` ``record_start``; an
#: ISO date): the newcomer figures count no one as new within a burn-in after it (migration 0023).
RECORD_START = "record_start"
#: The key of ``members.meta`` saying the source holds the member's own history (:class:`MemberRecord` ``history``).
HISTORY = "history"
#: Key of ``sources.options`` under which an import keeps that its source's boards were collected apart, each over its
#: own window (a Reddit export of several subreddits, each scraped back over its own period): a member's record then
#: starts with the first message of the board of their first message (migration 0029). The importer learns it from
#: the input (``traits`` of an importer: :func:`chrysalide.ingest.formats.reddit.RedditImporter.read`).
BOARDS_APART = "boards_collected_apart"
#: What exports write in an author cell that holds no name (a spreadsheet's "N/A", pandas' "nan", "-"),
#: casefolded: the same as a missing author, whose message belongs to no member.
MISSING_NAMES = frozenset({"", "n/a", "na", "#n/a", "nan", "null", "none", "-", "--"})
#: Author names that stand for nobody in particular: exports name their non-members in words. A message under
#: one of them belongs to no member; specific importers decide from the source's own flags besides (Reddit
#: leaves the author of a deleted account empty: its importers read a missing author as a deleted account).
DELETED_NAMES = frozenset({"[deleted]", "deleted", "[supprimé]", "[removed]"})
GUEST_NAMES = frozenset({"guest", "invité", "invite", "anonymous", "anonyme", "gast", "[guest]"})


def is_missing_name(name: str | None) -> bool:
    """True for an author that is missing or written as a placeholder (:data:`MISSING_NAMES`)."""
    return name is None or name.strip().casefold() in MISSING_NAMES


def status_of_name(name: str | None) -> str | None:
    """``deleted``, ``guest`` or ``missing`` (a placeholder) for an author name that stands for nobody in
    particular, else None."""
    if name is None:
        return None
    folded = name.strip().casefold()
    if folded in MISSING_NAMES:
        return MISSING
    return DELETED if folded in DELETED_NAMES else GUEST if folded in GUEST_NAMES else None


class WrongType(str):
    """A field whose source value has the wrong type (a list where a text is expected): the loader rejects
    the record, naming the field. A ``str`` so that the records keep their types; its text is the value's."""

    kind: str = "value"

    @classmethod
    def of(cls, value: Any) -> WrongType:
        kind = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)[:200]
        except (ValueError, RecursionError):
            text = "..."
        found = cls(text)
        found.kind = kind.get(type(value), type(value).__name__)
        return found


def as_text(value: Any) -> str | None:
    """A text field (message, title, author name): a string, or None; any other type is a :class:`WrongType`."""
    if value is None or isinstance(value, str):
        return value
    return WrongType.of(value)


def as_count(value: Any) -> int | None:
    """A count (:data:`REPLIES_AT_SOURCE`): a whole number of 0 or more, as a number or as text (``12``, ``"12"``,
    ``"12.0"``, as CSV exports write it); None for anything else (a negative or fractional number, a boolean, a
    word, a list)."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None  # fractions, NaN and infinities
    return int(value) if 0 <= value < 2**63 else None  # a BIGINT of the store


def as_id(value: Any) -> str | None:
    """An id field: a string or an integer (as text), or None; any other type is a :class:`WrongType`."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return WrongType.of(value)


_CHECKED = ("native_id", "thread_id", "text", "author", "author_id", "reply_to", "title", "board", "quoted_text",
            "author_role", "lang")  # fmt: skip
_FINE = frozenset({str, type(None)})
_GET_CHECKED = attrgetter(*_CHECKED)


def wrong_field(record: MessageRecord) -> str | None:
    """The reason to reject a record one of whose fields has the wrong type, else None."""
    values = _GET_CHECKED(record)
    posted = record.posted_at
    if _FINE.issuperset(map(type, values)) and (posted is None or type(posted) in _TIMES):
        return None  # the usual record: C loops only
    for name, value in zip(_CHECKED, values, strict=True):
        if value is not None and (isinstance(value, WrongType) or not isinstance(value, str)):
            kind = value.kind if isinstance(value, WrongType) else type(value).__name__
            expected = "an id (text or integer)" if name in _ID_FIELDS else "text"
            return f"field {_AS_USERS_NAME_IT.get(name, name)!r}: expected {expected}, found {kind}"
    posted = record.posted_at
    if posted is not None and (isinstance(posted, list | dict | bool | WrongType)):
        kind = (posted if isinstance(posted, WrongType) else WrongType.of(posted)).kind
        return f"field 'posted_at': expected a date or a number, found {kind}"
    return None


#: A record's field as users name it (``--map message_id=...``, docs/importers.md).
_AS_USERS_NAME_IT = {"native_id": "message_id"}


_ID_FIELDS = {"native_id", "thread_id", "author_id", "reply_to"}
_TIMES = frozenset({str, int, float})


def place(unit: str, number: int, name: str) -> str:
    """Where a record stands in a file, as warnings and rejects name it: "line 3 of 'bpd_comments.csv'"."""
    return f"{unit} {number} of {name!r}"


class Parts:
    """The files of a folder its importer reads one after another, numbering their records on (record ``start + k``
    is the ``k``-th line or record of the file that starts after ``start``), so that a warning names the file and its
    line, not a number that runs across files: "line 3 of 'bpd_comments.csv'"."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._files: list[tuple[str, str]] = []

    def add(self, start: int, name: str, unit: str) -> None:
        """The file ``name`` holds the records after ``start``, counted in ``unit`` ("line" or "record")."""
        self._starts.append(start)
        self._files.append((name, unit))

    def where(self, record_no: int) -> str | None:
        """``"line 3 of 'bpd_comments.csv'"``; None before the first file."""
        at = bisect_left(self._starts, record_no) - 1  # the last file starting before the record
        if at < 0:
            return None
        name, unit = self._files[at]
        return place(unit, record_no - self._starts[at], name)


@dataclass(slots=True)
class MessageRecord:
    """One message as read from the source.

    ``posted_at`` is raw (string, number or datetime) and parsed by the loader. ``author`` is the
    display name; ``author_id`` the source's user id when it has one (the member key prefers it).
    ``author_status`` is ``None`` for a normal member, ``"guest"``, ``"deleted"`` or ``"missing"`` otherwise:
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
    """What a source knows about a member beyond their messages (phpBB's users table). ``record_start``: when the
    record that could hold their earlier messages starts, where the importer knows it is later than the source's
    first message (kept in ``members.meta`` under :data:`RECORD_START`, migration 0023). ``history``: the source
    holds this member's own history (a user-history file: their messages collected as theirs, not as part of the
    conversations collected; kept under :data:`HISTORY`, migration 0033)."""

    author_id: str | None
    name: str | None
    registered_at: Any = None
    role: str | None = None
    record_start: Any = None
    history: bool = False


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
