"""What the report says where members whose own history the source holds weigh on a figure
(:mod:`chrysalide.store.histories`): they were chosen for the record, so the figures they make up describe them.
"""

from __future__ import annotations

from typing import Any

from chrysalide.units import percent

#: Share of a figure's members (or messages) from which the report says they are history members' (below, a few
#: histories beside a whole forum change little).
HISTORY_SHARE = 0.1
_CHOSEN = (
    "members whose own history the source holds (a user-history file), collected because they were still posting "
    "when it was scraped: members who asked once and left cannot be among them"
)


def _counted(summary: dict[str, Any], key: str, of: str) -> tuple[int, int] | None:
    """The history members (or their messages) ``key`` of a run's ``summary`` among ``of``, when they are at least
    :data:`HISTORY_SHARE` of them (None when fewer, none, or a run made before the count)."""
    n, total = int(summary.get(key) or 0), int(summary.get(of) or 0)
    return (n, total) if total > 0 and n >= HISTORY_SHARE * total else None


def at_risk_histories(summary: dict[str, Any]) -> str:
    """The clause saying how many of a journeys or survival run's members at risk are history members, and what
    the share who decentered then describes ('' when few or none)."""
    if (counts := _counted(summary, "at_risk_histories", "at_risk")) is None:
        return ""
    return (f"{counts[0]:,} of the {counts[1]:,} members at risk are {_CHOSEN}; the share who went on to help others "
            "describes them, not the community's newcomers at large")  # fmt: skip


def newcomer_histories(summary: dict[str, Any]) -> str:
    """The clause saying how many of a community run's newcomers are history members ('' when few or none)."""
    if (counts := _counted(summary, "newcomers_histories", "newcomers")) is None:
        return ""
    return (f"{counts[0]:,} of the {counts[1]:,} newcomers are {_CHOSEN}; their first messages, and how they were "
            "answered, describe them, not the community's newcomers at large")  # fmt: skip


def message_histories(summary: dict[str, Any]) -> str:
    """The clause saying how many of the messages of a community run were written by history members ('' when
    few or none)."""
    if (counts := _counted(summary, "messages_by_histories", "messages_with_histories")) is None:
        return ""
    n, total = counts
    return (f"{n:,} of the {total:,} messages ({percent(n / total)}) were written by {_CHOSEN}; the stage mix, and "
            "its course over time, follow those members more than the community")  # fmt: skip
