"""Numbers as a reader expects them, shared by the report, the command line and the dashboard.

Delays in minutes, hours, days, months or years (never "0.00237 days"), shares as percentages, counts with
thousands separators, and a step's summary (a dict of counts, shares, delays and nested counts) as lines.
"""

from __future__ import annotations

import math
from typing import Any


def duration(hours: float | None) -> str:
    """A delay in the unit a reader expects: minutes, hours, days, months or years."""
    if hours is None or hours != hours:
        return "-"
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


def percent(share: float | None) -> str:
    """A share in [0, 1] as a percentage (one decimal under 10%, where 4% and 4.4% differ in meaning)."""
    if share is None or share != share:
        return "-"
    value = float(share) * 100
    return f"{value:.1f}%" if 0 < abs(value) < 10 else f"{value:.0f}%"


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


def summary_value(key: str, value: Any) -> str:
    """One value of a step's summary, read from its key: ``*_share`` / ``*_ratio`` as a percentage, ``*_hours``
    and ``*_days`` as a delay, a dict as ``name count`` pairs, a list by its length or items."""
    if isinstance(value, dict):
        if not value:
            return "-"
        items = sorted(value.items(), key=lambda kv: -kv[1] if isinstance(kv[1], int | float) else 0)
        return ", ".join(f"{k} {summary_value(str(k), v)}" for k, v in items)
    if isinstance(value, list | tuple):
        simple = all(isinstance(v, str | int | float) for v in value)
        return (", ".join(map(str, value)) or "-") if simple and len(value) <= 8 else f"{len(value):,} items"
    if isinstance(value, int | float) and not isinstance(value, bool):
        words = key.split("_")
        if "share" in words or "ratio" in words:
            return percent(value)
        if "hours" in words:
            return duration(float(value))
        if "days" in words:
            return duration(float(value) * 24)
    return number(value)


def label(key: str) -> str:
    """A summary key as words: ``answered_within_3h_share`` -> ``answered within 3h (share)``,
    ``median_days_to_decentered`` -> ``median delay to decentered``."""
    words = key.split("_")
    unit = " (share)" if words[-1] == "share" else ""
    words = [w for w in words if w not in ("share", "hours")] if unit or "hours" in words else words
    text = " ".join(words).replace("days to", "delay to")
    return (text or key) + unit
