"""Numbers as a reader expects them, shared by the report, the command line, the dashboard and the import's warnings.

Delays in minutes, hours, days, months or years (never "0.00237 days"; only in days and longer when the dates
are days), shares as percentages, counts with thousands separators, and a step's summary (a dict of counts,
shares, delays and nested counts) as lines.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

SAME_DAY = "same day"  # a delay of 0 between dates without a time of day


def dated_by_day(summary: Mapping[str, Any]) -> bool:
    """Whether the delays of a step's summary are whole days: some source of its ``sources`` (the per-source
    ``day_only`` of :func:`chrysalide.community.responses.source_structure`) dates messages by day only.

    A figure over several sources is as precise as the coarsest: one day-dated source makes every delay whole
    days, and a median over them may be one (0 h means "the same day", not "at once").
    """
    sources = summary.get("sources") or {}
    return any(bool(traits.get("day_only")) for traits in sources.values())


def duration(hours: float | None, *, by_day: bool = False) -> str:
    """A delay in the unit a reader expects: minutes, hours, days, months or years.

    ``by_day``: the delay is between dates without a time of day (:func:`dated_by_day`), so it is said in days
    ("same day", "1 day", "3 days") and never in minutes or hours; to the half day, where a median of two whole
    days falls.
    """
    if hours is None or hours != hours:
        return "-"
    if by_day and hours < 60 * 24:
        days = round(hours / 12) / 2
        return SAME_DAY if days == 0 else "1 day" if days == 1 else f"{days:g} days"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    days = hours / 24
    if days < 60:
        return f"{days:.0f} days"
    if days < 730:
        return f"{days / 30.44:.1f} months"
    return f"{days / 365.25:.1f} years"


def delay_bins(bins: Sequence[tuple[float, str]], *, by_day: bool = False) -> list[tuple[float, str]]:
    """The delay bins (upper bound in hours, label) as shown: as they are, or when ``by_day`` (delays in whole
    days, :func:`dated_by_day`) the bins under a day as one, :data:`SAME_DAY`, which only 0 h can fill."""
    under_a_day = [upper for upper, _ in bins if upper <= 24]
    if not (by_day and under_a_day):
        return list(bins)
    return [(max(under_a_day), SAME_DAY), *((upper, label) for upper, label in bins if upper > 24)]


def percent(share: float | None) -> str:
    """A share in [0, 1] as a percentage (one decimal under 10%, where 4% and 4.4% differ in meaning). A share
    that is neither none nor all never reads as either: "<0.1%" (1 of 3,456 is no "0.0%"), ">99%"."""
    if share is None or share != share:
        return "-"
    value = float(share) * 100
    if 0 < value < 0.05:
        return "<0.1%"
    if 99.5 <= value < 100:
        return ">99%"
    return f"{value:.1f}%" if 0 < abs(value) < 10 else f"{value:.0f}%"


def rate(value: float) -> str:
    """A rate (messages a week): one decimal under 100, where 3.7 and 4.3 differ, none from 100 ("6,109", not
    "6,109.0": r/BPD's collection burst)."""
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def counted(n: int, noun: str) -> str:
    """A count and its noun, singular for one: "1 thread", "2,000 threads" (regular plurals only)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def sentence(clause: str) -> str:
    """A clause as a sentence: its first letter upper-case (the rest as written), a full stop after it."""
    return f"{clause[:1].upper()}{clause[1:]}."


def number(value: Any) -> str:
    """A count with thousands separators; another number to three significant digits (whole above them);
    '-' for missing or infinite. The report, the CLI and the dashboard all print numbers with it."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def summary_value(key: str, value: Any, *, by_day: bool = False) -> str:
    """One value of a step's summary, read from its key: ``*_share`` / ``*_ratio`` as a percentage, ``*_hours``
    and ``*_days`` as a delay (in days when ``by_day``: see :func:`dated_by_day`), but a whole number of days (an
    int: a setting, such as the burn-in's 90 days) in days, as it was set, a dict as ``name count`` pairs, a list by
    its length or items."""
    if isinstance(value, dict):
        if not value:
            return "-"
        items = sorted(value.items(), key=lambda kv: -kv[1] if isinstance(kv[1], int | float) else 0)
        return ", ".join(f"{k} {summary_value(str(k), v, by_day=by_day)}" for k, v in items)
    if isinstance(value, list | tuple):
        simple = all(isinstance(v, str | int | float) for v in value)
        return (", ".join(map(str, value)) or "-") if simple and len(value) <= 8 else f"{len(value):,} items"
    if isinstance(value, int | float) and not isinstance(value, bool):
        words = key.split("_")
        if "share" in words or "ratio" in words:
            return percent(value)
        if "hours" in words:
            return duration(float(value), by_day=by_day)
        if "days" in words:
            return counted(value, "day") if isinstance(value, int) else duration(float(value) * 24, by_day=by_day)
    return number(value)


def km_median_text(summary: Mapping[str, Any]) -> str:
    """A survival run's Kaplan-Meier median with its 95% confidence interval, or why it is withheld
    (:func:`chrysalide.journeys.survival_model.km_median` gives the rule)."""
    if "km_median_withheld" not in summary:  # a run made before the rule
        return "not checked against the rule: run chrysalide survival again"
    median = summary.get("km_median_days_to_decentered")
    if median is None:
        return f"withheld: {summary['km_median_withheld']}"
    by_day = dated_by_day(summary)
    low, high = (summary.get(f"km_median_ci_{end}_days") for end in ("lower", "upper"))
    days = [duration(None if d is None else float(d) * 24, by_day=by_day) for d in (median, low, high)]
    return f"{days[0]} (95% CI {days[1]} to {days[2]})"


def label(key: str) -> str:
    """A summary key as words: ``answered_within_3h_share`` -> ``answered within 3h (share)``,
    ``median_days_to_decentered`` -> ``median delay to decentered``."""
    words = key.split("_")
    unit = " (share)" if words[-1] == "share" else ""
    words = [w for w in words if w not in ("share", "hours")] if unit or "hours" in words else words
    text = " ".join(words).replace("days to", "delay to")
    return (text or key) + unit
