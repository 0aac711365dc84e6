"""A community run's table by period as the dashboard's community page and ``chrysalide community`` show it.

One definition of its columns, read from the stored ``community_metrics``, and of the report's rule for a count
that no source of the corpus can see: where the run's summary gives its share as None (no source records replies,
or, for answers within 3 hours, every delay is in whole days), the count reads "-", never 0; so do the threads
started and the requests where the summary's are None (no source holds a message that opens a thread: every source
is a table without thread ids, which names no thread, or holds comments without the posts they are under:
:func:`chrysalide.community.responses.opens_no_thread`). ``chrysalide community --json`` gives its periods by the
same rule (null), the table "334 of 421" where a count of those answered is out of fewer than all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from chrysalide.community.responses import (
    OPENERS_MISSING,
    names_no_thread,
    opens_no_thread,
    source_names,
    unthreaded_in,
)
from chrysalide.store.bots import Connected
from chrysalide.units import dated_by_day, duration, number, percent


@dataclass(frozen=True)
class Column:
    """A column of the table by period: the stored figure it shows (``key``), its ``header``, its ``kind`` (count
    or delay) and its ``part``: the command line prints one table per part, which its terminal's width holds. A
    count of those answered has the stored count it is out of (``known``: those that could be seen answered or not,
    or whose answer time is known) and the count of all (``total``): "334 of 421" where fewer than all are known."""

    key: str
    header: str
    kind: str
    part: str
    known: str | None = None
    total: str | None = None


NEWCOMERS, REQUESTS = "activity and newcomers", "requests and threads"
#: The columns after the period: the newcomers', then their requests' (a newcomer's first message that opens a
#: thread and is coded individual, the report's definition), then the threads'. Counts of the answered within 3
#: hours, not shares: the share of the requests per period is not stored (the run's summary gives the shares).
PERIOD_COLUMNS = (
    Column("messages", "messages", "count", NEWCOMERS),
    Column("active_members", "active members", "count", NEWCOMERS),
    Column("new_members", "newcomers", "count", NEWCOMERS),
    Column("newcomers_answered", "newcomers answered", "count", NEWCOMERS, "newcomers_answered_known", "new_members"),
    Column("newcomers_answered_within_3h", "newcomers answered within 3 h", "count", NEWCOMERS,
           "newcomers_within_3h_known", "new_members"),
    Column("newcomer_first_reply_median_hours", "newcomers' median first answer", "delay", NEWCOMERS),
    Column("requests", "requests", "count", REQUESTS),
    Column("requests_answered", "requests answered", "count", REQUESTS, "requests_answered_known", "requests"),
    Column("requests_answered_within_3h", "requests answered within 3 h", "count", REQUESTS,
           "requests_within_3h_known", "requests"),
    Column("request_first_reply_median_hours", "requests' median first answer", "delay", REQUESTS),
    Column("threads_started", "threads started", "count", REQUESTS),
    Column("threads_unanswered", "threads never answered", "count", REQUESTS, "threads_answered_known",
           "threads_started"),
    Column("threads_answered_within_3h", "threads answered within 3 h", "count", REQUESTS, "threads_within_3h_known",
           "threads_started"),
)  # fmt: skip
#: What "334 of 421" means in the table, said under it where a cell reads so (:func:`out_of_shown`).
OUT_OF = (
    "'N of M': of the M newcomers (requests, threads) of the period that could be seen answered or not, or whose "
    "answer time is known, where fewer than all of them: the others' replies are not recorded (comments whose "
    "source names only the post they are under, days whose replies were not collected) or their delay is unknown; "
    "the run's shares are out of the same counts"
)


#: A count per period, and the share (or count) of the run's summary that is None when no source can see what it
#: counts.
UNSEEN_WHEN = {
    "newcomers_answered": "newcomers_answered_share",
    "newcomers_answered_within_3h": "newcomer_answered_within_3h_share",
    "requests_answered": "requests_answered_share",
    "requests_answered_within_3h": "request_answered_within_3h_share",
    "threads_unanswered": "threads_unanswered_share",
    "threads_answered_within_3h": "thread_answered_within_3h_share",
    "threads_started": "threads",  # None: no message is known to open a thread (a count, not a share)
    "requests": "requests",  # None: likewise, so no first message is known to open a thread
}
#: How a period is named by the unit of the run (``--period``): its start's week, month or year.
PERIOD_FORMATS = {"week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def seen(rows: list[dict[str, Any]], summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``rows`` of a community run (its ``summary``) with the counts no source can see (:data:`UNSEEN_WHEN`) as
    None; a run made before a share was in its summary keeps its counts."""
    unseen = [count for count, share in UNSEEN_WHEN.items() if share in summary and summary[share] is None]
    return [{**row, **dict.fromkeys(unseen)} for row in rows]


#: Why a first-reply delay of a run some source of which dates messages by day only is not given in hours in its
#: JSON (:func:`delays_by_day`).
HOURS_UNKNOWN = (
    "{sources} date{s} messages by day only: a first-reply delay is a whole number of days (0: the same day), which "
    "cannot be told in hours, so the *_hours delays are null and the *_days keys give them"
)


def _is_delay(key: str) -> bool:
    """Whether a key of a community run's figures is a first-reply delay in hours (median, p90)."""
    return "_first_reply_" in key and key.endswith("_hours")


def delays_by_day(figures: Mapping[str, Any], summary: Mapping[str, Any]) -> dict[str, Any]:
    """``figures`` (a community run's ``summary``, one of its ``newcomers_by_board`` or a row by period) as
    ``chrysalide community --json`` gives them: where some source of the run (``summary``) dates messages by day only
    (:func:`chrysalide.units.dated_by_day`), each first-reply delay in hours (``*_first_reply_*_hours``) is null and
    the same delay in days is given beside it (``*_first_reply_*_days``), since 0.0 hours there means "the same day",
    not "at once"; unchanged otherwise. Nested figures (``newcomers_by_board``) are read the same way."""
    if not dated_by_day(summary):
        return dict(figures)
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, Mapping) and key == "newcomers_by_board":
            value = {board: delays_by_day(f, summary) for board, f in value.items()}
        if _is_delay(key):
            hours = None if value is None or value != value else float(value)
            out[key] = None
            out[f"{key[: -len('_hours')]}_days"] = None if hours is None else hours / 24
        else:
            out[key] = value
    return out


def hours_unknown(summary: Mapping[str, Any]) -> str | None:
    """Why the first-reply delays of a community run (``summary``) are not in hours in its JSON (:data:`HOURS_UNKNOWN`),
    None where every source dates messages to the minute."""
    names = [name for name, traits in (summary.get("sources") or {}).items() if traits.get("day_only")]
    if not names:
        return None
    return HOURS_UNKNOWN.format(sources=source_names(names), s="s" if len(names) == 1 else "")


def period_name(start: Any, period: str | None) -> str:
    """A period by its start in the run's unit: ``2021-04`` (month), ``2021-04-05`` (week), ``2021`` (year)."""
    return pd.Timestamp(start).strftime(PERIOD_FORMATS.get(period or "", "%Y-%m-%d"))


def period_cells(row: Mapping[str, Any], *, by_day: bool = False, part: str | None = None) -> list[str]:
    """A row of :func:`seen` as the table shows it, one cell per :data:`PERIOD_COLUMNS` (of ``part`` only, when
    given; ``by_day``: delays in days, :func:`chrysalide.units.dated_by_day`): "-" where a count is unknown, or where
    none of the period's could be judged (a period wholly near the end of collection: "0 of 0" would read as a
    measure)."""
    cells = []
    for column in PERIOD_COLUMNS:
        if part is not None and column.part != part:
            continue
        value = row.get(column.key)
        if value is None or value != value:  # None, or NaN from a data frame
            cells.append("-")
        elif column.kind == "delay":
            cells.append(duration(float(value), by_day=by_day))
        elif (known := _out_of(row, column)) == 0:  # none of the period's could be judged: unknown, not "0 of 0"
            cells.append("-")
        else:
            cells.append(number(int(value)) + (f" of {number(known)}" if known is not None else ""))
    return cells


def _count(row: Mapping[str, Any], key: str | None) -> int | None:
    """A stored count of a row, None where it is not given (None, or NaN from a data frame)."""
    value = row.get(key) if key is not None else None
    return None if value is None or value != value else int(value)


def _out_of(row: Mapping[str, Any], column: Column) -> int | None:
    """The count a cell's count is out of (``column.known``) where it is below the count of all (``column.total``);
    None where it is all of them, or not stored (a run made before migration 0036)."""
    known, total = _count(row, column.known), _count(row, column.total)
    return known if known is not None and total is not None and known < total else None


def out_of_shown(rows: list[dict[str, Any]]) -> bool:
    """Whether a cell of the table of ``rows`` (rows of :func:`seen`) reads "N of M" (:data:`OUT_OF` says what)."""
    return any(_count(row, c.key) is not None and _out_of(row, c) is not None for row in rows for c in PERIOD_COLUMNS)


#: The columns of a group's newcomer figures (a year's, a board's: :func:`group_row`), after the group's name.
GROUP_COLUMNS = ("newcomers", "answered", "within 3 h", "median delay", "requests", "requests within 3 h")


def group_row(figures: Mapping[str, Any], *, by_day: bool = False) -> list[Any]:
    """A group's newcomer figures (:func:`chrysalide.community.responses.newcomer_figures`: a year's in the report, a
    board's in the report and ``chrysalide community``) as the cells of :data:`GROUP_COLUMNS`: every newcomer and
    request counted, each share with the number it rests on, "79% (of 421)"."""

    def share(value: str, known: str) -> str:
        if figures.get(value) is None:
            return "-"
        return f"{percent(figures.get(value))} (of {int(figures.get(known) or 0):,})"

    return [int(figures["newcomers"]), share("newcomers_answered_share", "newcomers_answered_known"),
            share("newcomer_answered_within_3h_share", "newcomers_within_3h_known"),
            duration(figures.get("newcomer_first_reply_median_hours"), by_day=by_day), int(figures["requests"]),
            share("request_answered_within_3h_share", "requests_within_3h_known")]  # fmt: skip


def threads_apart(store: Connected, summary: dict[str, Any]) -> str:
    """What a community run's (``summary``) threads and threads started leave out, in the overview's words
    (:func:`chrysalide.report.html.sections.overview.named_threads`): "the export names no thread", or the tables
    without thread ids whose messages are not counted as threads; where no stored message opens a thread
    (:func:`chrysalide.community.responses.opens_no_thread`), that; '' when every source names its threads and
    some message opens one."""
    from chrysalide.report.html.sections.overview import named_threads

    unthreaded = unthreaded_in(summary)
    apart = named_threads(store, unthreaded)[1] if unthreaded else ""
    if opens_no_thread(summary) and not names_no_thread(summary):
        return "; ".join(filter(None, [apart, OPENERS_MISSING]))
    return apart
