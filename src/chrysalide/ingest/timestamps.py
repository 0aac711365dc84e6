"""Timestamps as forums write them, to naive UTC datetimes.

Accepted: epoch seconds or milliseconds (numbers or digit strings), ISO 8601 with or without a zone,
dates of three numbers (``25.3.2010``, ``25/03/2010 14:05``, ``03/25/2010``, ``2010/03/25``, ``2010-3-5``), and
dates with French, English or German month names (``25 mars 2010 à 14:05``, ``lun. 25 mars 2010, 14:05``,
``March 25, 2010 2:05 pm``, RFC 2822's ``Thu, 25 Mar 2010 14:05:00 +0100``), each also as an RDF typed literal,
the N-Triples form SPARQL exports write (W3C RDF 1.1 N-Triples, 2.5.1):
``"2014-05-08"^^<http://www.w3.org/2001/XMLSchema#date>`` in the Doctissimo IVG export. A time may end with its
zone: an offset (``+0200``, ``-05:00``), ``UTC``, ``GMT`` or an abbreviation that names one offset
(:data:`ZONE_ABBREVIATIONS`); one that names several (``CST``, ``IST``, ``BST``) is read only where the source's
zone writes it at that date. Times without a zone are taken as UTC unless the caller gives the source's zone.

A date of three numbers whose first is no four-digit year is read in the ``order`` given (:data:`DATE_ORDERS`, day
first by default): ``01/05/2021`` is 1 May day first and 5 January month first. The loader chooses one order for a
whole source (``ingest/dateorder.py``). Unparseable or impossible values return ``None``: the loader keeps the
message with ``posted_at`` NULL and a warning (:func:`unreadable_reason` says why, where more can be said).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chrysalide.errors import ConfigError

MONTHS = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "october": 10, "november": 11, "december": 12,
    # German (phpBB forums like ADFD)
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7,
    "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
}  # fmt: skip

#: How a date of three numbers can be written, by the names ``--date-order`` takes.
DATE_ORDERS = {"dmy": "day first (31/12/2021)", "mdy": "month first (12/31/2021)", "ymd": "year first (21/12/31)"}
#: The order of a value read on its own (one month-first value cannot tell a source's order).
DEFAULT_ORDER = "dmy"

#: Zone abbreviations that name one offset from UTC wherever they are written (hours). RFC 2822 (3.3, 4.3) reads
#: EST, EDT, MST, MDT, PST and PDT as North American zones; CST and CDT are left out, since China and Cuba write
#: them too, and so are IST (India, Ireland, Israel), BST (British summer, Bangladesh) and AST (Atlantic, Arabia).
ZONE_ABBREVIATIONS = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2,
    "EET": 2, "EEST": 3, "EST": -5, "EDT": -4, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
    "AKDT": -8, "HST": -10, "AEST": 10, "AEDT": 11, "ACST": 9.5, "ACDT": 10.5, "AWST": 8, "NZST": 12,
    "NZDT": 13, "JST": 9, "KST": 9,
}  # fmt: skip

# Plausible forum dates: before the web, or far in the future, a value is a parsing accident.
EARLIEST = datetime(1980, 1, 1)
LATEST = datetime(2100, 1, 1)

# An RDF typed literal: the lexical form in double quotes, then ^^ and the datatype's IRI (or a prefixed name).
_RDF_LITERAL = re.compile(r'^"([^"]{1,100})"\^\^(?:<[^<>\s]{0,300}>|[\w.-]{0,50}:[\w.-]{1,50})$')
# Three numbers (a four-digit year first, or a year of two or four digits last, or two digits each), then a time.
_NUMERIC = re.compile(
    r"^(\d{1,2}|\d{4})[./-](\d{1,2})[./-](\d{1,2}|\d{4})"
    r"(?:[ ,T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$",
    re.I,
)
# A zone after a time: an offset, or letters (an abbreviation, maybe in brackets).
_ZONE_SUFFIX = re.compile(
    r"^(.*\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?)"
    r"\s*(?:([+-])(\d{2}):?(\d{2})|\(?([A-Za-z]{1,5})\)?)$",
    re.I,
)
_AMPM = {"AM", "PM", "A", "P"}
_MONTH_NAME = re.compile(
    r"^(?:[^\W\d]+\.?,?\s+)?"  # optional weekday: "lun.", "Monday,"
    r"(?:(\d{1,2})(?:er|st|nd|rd|th)?\.?\s+([^\W\d]+)\.?|([^\W\d]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?)"
    r"\s+(\d{4})"
    r"(?:\s*(?:,|à|a|at|um|-)?\s*(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$",
    re.I,
)


def _plausible(value: datetime) -> datetime | None:
    return value if EARLIEST <= value < LATEST else None


def _utc(value: datetime) -> datetime | None:
    """``value`` (aware) as naive UTC when plausible; None at the calendar's edge, where the shift to UTC leaves it
    ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00")."""
    try:
        return _plausible(value.astimezone(UTC).replace(tzinfo=None))
    except OverflowError:
        return None


def _from_epoch(number: float) -> datetime | None:
    if math.isnan(number) or math.isinf(number):
        return None
    if abs(number) >= 1e11:  # milliseconds: 1e11 s is year 5138, 1e11 ms is 1973
        number /= 1000.0
    try:
        return _plausible(datetime(1970, 1, 1) + timedelta(seconds=number))
    except OverflowError:
        return None


def _hour(hour: int, ampm: str | None) -> int:
    if ampm:
        pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    return hour


def _build(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, zone: tzinfo | None = None) -> datetime | None:
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        value = datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    return _plausible(value) if zone is None else _utc(value.replace(tzinfo=zone))


def source_zone(zone: tzinfo | str | None) -> tzinfo | None:
    """The time zone of a source's dates written without one: an IANA name (``Europe/Paris``, from the tz
    database that ``tzdata`` ships) or a ``tzinfo``; None and ``UTC`` mean UTC (None). An unknown name is a
    ConfigError naming it."""
    if zone is None or isinstance(zone, tzinfo):
        return zone
    if zone.strip().upper() in ("UTC", "Z", ""):
        return None
    try:
        return ZoneInfo(zone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"--zone: unknown time zone {zone!r} (an IANA name such as Europe/Paris, America/New_York or UTC)"
        ) from None


def parse_timestamp(value: Any, zone: tzinfo | None = None, order: str = DEFAULT_ORDER) -> datetime | None:
    """Parse one timestamp to naive UTC, or return None when it cannot be read or is impossible.

    ``zone`` is the source's local zone for values that carry none (default: UTC); ``order`` the order of a date of
    three numbers (:data:`DATE_ORDERS`).
    """
    if value is None:
        return None
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in "T ":
        # Fast path for the ISO 8601 most exports write (a few hundred thousand calls per import).
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is not None:
                return _utc(parsed)
            if zone is None:
                return _plausible(parsed)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return _build(value.year, value.month, value.day, value.hour, value.minute, value.second, zone)
        return _utc(value)
    if isinstance(value, date):
        return _build(value.year, value.month, value.day, zone=zone)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    literal = _RDF_LITERAL.match(text)
    if literal:
        return parse_timestamp(literal.group(1), zone, order)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _from_epoch(float(text))
    found = _dated_text(text, zone, order)
    if found is not None or (suffix := _ZONE_SUFFIX.match(text)) is None:
        return found
    local, sign, hours, minutes, letters = suffix.groups()
    if letters is None:
        if int(hours) > 14 or int(minutes) >= 60:  # no zone is further from UTC than 14 hours (Kiribati)
            return None
        offset = int(hours) * 60 + int(minutes)
        return parse_timestamp(local, timezone(timedelta(minutes=offset if sign == "+" else -offset)), order)
    return _abbreviated(local, letters.upper(), zone, order)


def _dated_text(text: str, zone: tzinfo | None, order: str) -> datetime | None:
    """A date written without a zone after its time (ISO 8601 may carry one), read in ``zone``."""
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    if re.match(r"^\d{4}-\d{2}-\d{2}", iso):
        try:
            parsed = datetime.fromisoformat(iso)
        except ValueError:
            parsed = None
        if parsed is not None:
            return parse_timestamp(parsed, zone)
    m = _NUMERIC.match(text)
    if m:
        first, second, third, h, mi, s, ampm = m.groups()
        ymd = _numbers(first, second, third, order)
        if ymd is None:
            return None
        return _build(*ymd, _hour(int(h or 0), ampm), int(mi or 0), int(s or 0), zone)
    m = _MONTH_NAME.match(text)
    if m:
        d1, name1, name2, d2, y, h, mi, s, ampm = m.groups()
        name = (name1 or name2).lower().rstrip(".")
        month = MONTHS.get(name)
        if month is None:
            return None
        day = int(d1 or d2)
        return _build(int(y), month, day, _hour(int(h or 0), ampm), int(mi or 0), int(s or 0), zone)
    return None


def _numbers(first: str, second: str, third: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date of three numbers read in ``order``; a four-digit first number is a year in any
    order (nobody writes 2021/31/12), and a year that is not first has two or four digits."""
    if len(first) == 4 or order == "ymd":
        return (int(first), int(second), int(third)) if len(third) <= 2 else None
    if len(third) == 1:
        return None
    if order == "mdy":
        return int(third), int(first), int(second)
    return int(third), int(second), int(first)


def _abbreviated(local: str, letters: str, zone: tzinfo | None, order: str) -> datetime | None:
    """A time followed by a zone's abbreviation: the source's zone when it writes that abbreviation at that date
    (``CST`` under ``--zone America/Chicago`` in winter), else the offset the abbreviation names alone, else None."""
    if letters in _AMPM:
        return None
    if zone is not None:
        naive = parse_timestamp(local, None, order)
        if naive is not None and zone.tzname(naive) == letters:
            return _utc(naive.replace(tzinfo=zone))
    hours = ZONE_ABBREVIATIONS.get(letters)
    if hours is None:
        return None
    return parse_timestamp(local, timezone(timedelta(hours=hours)), order)


def unreadable_reason(value: Any, zone: tzinfo | None = None, order: str = DEFAULT_ORDER) -> str | None:
    """Why :func:`parse_timestamp` could not read ``value``, where more can be said than "unreadable": a zone
    abbreviation that names several offsets, or a date that is one only in another order than ``order``."""
    if parse_timestamp(value, zone, order) is not None:
        return None
    suffix = _ZONE_SUFFIX.match(str(value).strip())
    if suffix is not None and suffix.group(5) and suffix.group(5).upper() not in _AMPM:
        local, letters = suffix.group(1), suffix.group(5).upper()
        if letters not in ZONE_ABBREVIATIONS and parse_timestamp(local, None, order) is not None:
            return (
                f"the zone abbreviation {letters!r} is not read alone, as some name several zones (CST, IST, BST): "
                "--zone naming the source's zone (such as America/Chicago) reads the abbreviations it writes"
            )
    for other in DATE_ORDERS:
        if other != order and parse_timestamp(value, zone, other) is not None:
            return f"a date only when read {DATE_ORDERS[other].split(' (')[0]} (--date-order {other})"
    return None
