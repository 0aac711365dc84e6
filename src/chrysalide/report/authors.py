"""How the report and the exports name the author of a message that belongs to no member.

The import records why in ``messages.meta.author_status`` (:mod:`chrysalide.ingest.records`): ``guest`` (a
guest who signed no name: patient.info's anonymous poster, phpBB's ANONYMOUS, an author written "Guest"),
``deleted`` (a deleted account: Reddit's ``[deleted]``, a phpBB poster missing from its users table) or
``missing`` (the source gives no author). Guests and deleted accounts are named as such; an author the
source does not give, or a message whose import recorded no reason, is an unknown author: nothing says
whether a guest or a deleted account wrote it.

A guest who signed a name is a member of their own, marked as a guest (``members.role``, :mod:`chrysalide.ingest.collect`):
a *named guest*, who posts without an account. The members who post are the registered ones and the named guests.
"""

from __future__ import annotations

import duckdb

from chrysalide.ingest.records import DELETED, GUEST
from chrysalide.store.bots import Connected, bot_counts
from chrysalide.units import counted

#: The reasons a label tells apart, and how a message's author is then named.
NO_MEMBER_LABELS = {GUEST: "guest", DELETED: "deleted account"}
UNKNOWN_AUTHOR = "unknown author"


def author_status_sql(messages: str = "m") -> str:
    """SQL of the author status of the messages table under the alias ``messages``."""
    return f"{messages}.meta->>'author_status'"


def no_member_status(status: object) -> str | None:
    """``guest`` or ``deleted`` when the store says so, else None (the author is unknown)."""
    return status if isinstance(status, str) and status in NO_MEMBER_LABELS else None


def no_member_label(status: object, *, plural: bool = False) -> str:
    """``guest``, ``deleted account`` or ``unknown author`` (with ``plural``, ``guests``...)."""
    known = no_member_status(status)
    label = NO_MEMBER_LABELS[known] if known else UNKNOWN_AUTHOR
    return label + "s" if plural else label


def no_member_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(plural label, messages) of the messages without a member, by label, most first."""
    rows = con.execute(
        f"SELECT {author_status_sql()} AS status, count(*) FROM messages m WHERE m.member_id IS NULL GROUP BY 1"
    ).fetchall()
    counts: dict[str, int] = {}
    for status, n in rows:
        label = no_member_label(status, plural=True)
        counts[label] = counts.get(label, 0) + int(n)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


#: SQL condition on a table's ``member_id``: a member who posts. A bot account is no member (:mod:`chrysalide.store.bots`).
POSTING = "member_id IN (SELECT member_id FROM messages) AND member_id NOT IN (SELECT member_id FROM bot_accounts)"


def posting_members(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(registered members, named guests) among the members who post (:data:`POSTING`): a named guest has the role
    ``guest``."""
    row = con.execute(
        f"SELECT count(*) FILTER (role <> '{GUEST}'), count(*) FILTER (role = '{GUEST}') FROM members WHERE {POSTING}"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def message_authors(store: Connected, n: int) -> str:
    """Who wrote the ``n`` messages when not members alone: "794 by 272 members and 71 by guests", "49,008 by 15,812
    members, 488 by 1 bot account and 2,027 by deleted accounts" (the messages without a member by
    :func:`no_member_counts`; a bot account is no member); '' when members wrote them all. The key findings' corpus
    row and the dashboard's overview say it."""
    registered, guests = posting_members(store.con)
    bots = bot_counts(store)
    apart = no_member_counts(store.con)
    if bots["bot_messages"]:
        apart = [(counted(bots["bot_accounts"], "bot account"), bots["bot_messages"]), *apart]
    if not apart:
        return ""
    parts = [f"{n - sum(k for _, k in apart):,} by {counted(registered + guests, 'member')}",
             *(f"{k:,} by {label}" for label, k in apart)]  # fmt: skip
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def named_guests_apart(registered: int, guests: int) -> str:
    """``94 registered, 14 named guests: a name signed without an account``; '' without a named guest."""
    if not guests:
        return ""
    named = "named guest" if guests == 1 else "named guests"
    return f"{registered:,} registered, {guests:,} {named}: a name signed without an account"


def posting_members_text(registered: int, guests: int) -> str:
    """The members who post, named guests apart: ``108 (94 registered, 14 named guests: ...)``; ``272`` alone."""
    apart = named_guests_apart(registered, guests)
    return f"{registered + guests:,}" + (f" ({apart})" if apart else "")
