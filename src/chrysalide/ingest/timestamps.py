"""Timestamps as forums write them, to naive UTC datetimes.

Accepted: epoch seconds or milliseconds (numbers or digit strings), ISO 8601 with or without a zone,
``25.3.2010``, ``25/03/2010 14:05``, ``2010-03-25 14:05:33``, and dates with French or English month
names (``25 mars 2010 à 14:05``, ``lun. 25 mars 2010, 14:05``, ``March 25, 2010 2:05 pm``), each also
as an RDF typed literal, the N-Triples form SPARQL exports write (W3C RDF 1.1 N-Triples, 2.5.1):
``"2014-05-08"^^<http://www.w3.org/2001/XMLSchema#date>`` in the Doctissimo IVG export. Times without a
zone are taken as UTC unless the caller gives the source's zone. Unparseable or impossible
values return ``None``: the loader keeps the message with ``posted_at`` NULL and a warning.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
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

# Plausible forum dates: before the web, or far in the future, a value is a parsing accident.
EARLIEST = datetime(1980, 1, 1)
LATEST = datetime(2100, 1, 1)

# An RDF typed literal: the lexical form in double quotes, then ^^ and the datatype's IRI (or a prefixed name).
_RDF_LITERAL = re.compile(r'^"([^"]{1,100})"\^\^(?:<[^<>\s]{0,300}>|[\w.-]{0,50}:[\w.-]{1,50})$')
_DMY = re.compile(
    r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})(?:[ ,T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$",
    re.I,
)
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


def parse_timestamp(value: Any, zone: tzinfo | None = None) -> datetime | None:
    """Parse one timestamp to naive UTC, or return None when it cannot be read or is impossible.

    ``zone`` is the source's local zone for values that carry none (default: UTC).
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
        return parse_timestamp(literal.group(1), zone)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _from_epoch(float(text))
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    if re.match(r"^\d{4}-\d{2}-\d{2}", iso):
        try:
            parsed = datetime.fromisoformat(iso)
        except ValueError:
            parsed = None
        if parsed is not None:
            return parse_timestamp(parsed, zone)
    m = _DMY.match(text)
    if m:
        d, mo, y, h, mi, s, ampm = m.groups()
        return _build(int(y), int(mo), int(d), _hour(int(h or 0), ampm), int(mi or 0), int(s or 0), zone)
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
