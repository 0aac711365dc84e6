"""The demo forum's clock: observation window, daily activity with a crisis burst, Paris local time.

Times are handled as float epoch seconds (UTC) and written as ISO 8601 in the forum's zone
(Europe/Paris, like the study's forum), so importers have a zone offset to convert. The Paris rule is
computed here (EU summer time since 1996: last Sunday of March to last Sunday of October, 01:00 UTC)
rather than read from the system tz database, so output is byte-identical on every machine.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np

WINDOW_START = datetime(2012, 1, 1, tzinfo=UTC)
"""First day of the generated forum (UTC)."""
WINDOW_END = datetime(2019, 7, 1, tzinfo=UTC)
"""Thread starts stop here; late replies in long threads may run a little past it."""
CRISIS_START = datetime(2017, 3, 27, tzinfo=UTC)
"""Launch of the new formula of the levothyroxine drug in the demo forum (the study's Levothyrox case)."""
CRISIS_PEAK = (datetime(2017, 8, 1, tzinfo=UTC), datetime(2017, 10, 1, tzinfo=UTC))
"""Months in which the crisis burst peaks (media coverage, petitions, lawsuits)."""

DAY = 86_400.0
HOUR = 3_600.0
_T0 = WINDOW_START.timestamp()

# Local hour-of-day profile of forum posting (Paris time): quiet nights, a lunch and an evening peak.
HOUR_WEIGHTS = np.array(
    [1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 3.6, 4.2, 4.6, 4.4, 3.8, 4.3, 4.6, 4.4, 4.2, 4.3, 4.6, 5.0,
     5.6, 6.0, 4.8, 2.6]
)  # fmt: skip
HOUR_WEIGHTS = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()


def ts(moment: datetime) -> float:
    """Epoch seconds of an aware datetime."""
    return moment.timestamp()


def n_days() -> int:
    """Number of days in the observation window."""
    return (WINDOW_END - WINDOW_START).days


def _level(d: float) -> float:
    start = (CRISIS_START - WINDOW_START).days
    ramp_end = (CRISIS_PEAK[0] - WINDOW_START).days
    surge_end = ramp_end + 15
    peak_end = (CRISIS_PEAK[1] - WINDOW_START).days
    if d < start:
        return 0.0
    if d < ramp_end:
        return 0.15 + 0.55 * (d - start) / (ramp_end - start)
    if d < surge_end:
        return 0.7 + 2.8 * (d - ramp_end) / (surge_end - ramp_end)
    if d < peak_end:
        return 3.5 - 1.0 * (d - surge_end) / (peak_end - surge_end)
    return 2.5 * math.exp(-(d - peak_end) / 75.0) + 0.1 * (d < peak_end + 450)


# One value per day of the window (and a year after it, for late replies): look-ups are O(1).
_LEVEL_LIST = [_level(d) for d in range((WINDOW_END - WINDOW_START).days + 366)]
_LEVELS = np.array(_LEVEL_LIST)


def crisis_level(day_index: np.ndarray) -> np.ndarray:
    """Extra activity caused by the crisis, as a multiple of ordinary activity, per window day.

    Shape follows the study's account: uncertainty after the launch (27 March 2017), a surge when
    the media took the story up in August-September 2017, then a slow decline over 2018.
    """
    return _LEVELS[np.clip(np.asarray(day_index, dtype=np.int64), 0, _LEVELS.size - 1)]


def crisis_at(t: float) -> float:
    """Crisis level at epoch time ``t`` (0 outside the crisis)."""
    d = int((t - _T0) // DAY)
    return _LEVEL_LIST[d] if 0 <= d < len(_LEVEL_LIST) else 0.0


def daily_intensity(lang: str) -> np.ndarray:
    """Relative number of new threads per window day for one sub-forum.

    Slow growth of the forum, a mild weekend dip, and (mostly for the French sub-forum, whose members
    took the reformulated drug) the crisis burst.
    """
    days = np.arange(n_days())
    growth = 1.0 + 0.8 * days / days[-1]
    weekday = np.array([date.fromordinal(WINDOW_START.date().toordinal() + int(k)).weekday() for k in range(7)])
    weekend = np.where(weekday[days % 7] >= 5, 0.8, 1.0)
    echo = 1.0 if lang == "fr" else 0.08
    return growth * weekend * (1.0 + echo * crisis_level(days))


def paris_offset_hours(t: float) -> int:
    """UTC offset of Paris at epoch time ``t``: +2 in EU summer time, +1 otherwise."""
    year = time.gmtime(t).tm_year
    bounds = _SUMMER.get(year)
    if bounds is None:
        bounds = _SUMMER[year] = (_last_sunday_1utc(year, 3), _last_sunday_1utc(year, 10))
    return 2 if bounds[0] <= t < bounds[1] else 1


_SUMMER: dict[int, tuple[float, float]] = {}


def _last_sunday_1utc(year: int, month: int) -> float:
    last = date(year, month + 1, 1) - timedelta(days=1)
    last -= timedelta(days=(last.weekday() - 6) % 7)
    return datetime(last.year, last.month, last.day, 1, tzinfo=UTC).timestamp()


def iso_paris(t: float) -> str:
    """ISO 8601 local Paris time with its offset, to the second (``2017-08-21T21:14:05+02:00``)."""
    off = paris_offset_hours(t)
    g = time.gmtime(int(t) + off * 3600)
    return (f"{g.tm_year:04d}-{g.tm_mon:02d}-{g.tm_mday:02d}T{g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d}"
            f"+0{off}:00")  # fmt: skip
