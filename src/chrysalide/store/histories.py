"""Members whose own history the source holds (view ``history_members``, migration 0033), counted where they weigh.

A user-history file holds one member's messages collected because that member was chosen: PatientPunk's
r/covidlonghaulers histories are the 86 authors of the week of threads it scraped, so every member followed was
still posting years after their first message, and those who asked once and left cannot be among them. On that
corpus (7 December 2026, ``--boards covidlonghaulers``) all 85 newcomers and all 72 members at risk are history
members, who wrote 82 % of the messages before the week scraped; "48 of the 72 members at risk (67 %) went on to
help others" describes them, not the subreddit's newcomers at large. The journeys' and the community's summaries
say how many of their members are such (these counts); the report says what it means beside the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from chrysalide.store.bots import not_bot

if TYPE_CHECKING:
    from chrysalide.store.bots import Connected


def history_members(store: Connected) -> frozenset[int]:
    """The members whose own history the source holds."""
    return frozenset(int(m) for (m,) in store.con.execute("SELECT member_id FROM history_members").fetchall())


def count_histories(store: Connected, members: Iterable[int]) -> int:
    """How many of ``members`` are members whose own history the source holds."""
    held = history_members(store)
    return sum(1 for m in members if int(m) in held) if held else 0


def history_messages(store: Connected) -> tuple[int, int]:
    """The messages written by members whose history the source holds, and all messages (bots left out): the
    community summary's ``messages_by_histories`` and ``messages_with_histories``."""
    row = store.con.execute(
        f"SELECT count(*) FILTER (member_id IN (SELECT member_id FROM history_members)), count(*) FROM messages m"
        f" WHERE {not_bot()}"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
