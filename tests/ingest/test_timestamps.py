from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.ingest.timestamps import parse_timestamp, unreadable_reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1502000000, datetime(2017, 8, 6, 6, 13, 20)),
        ("1502000000", datetime(2017, 8, 6, 6, 13, 20)),
        (1502000000000, datetime(2017, 8, 6, 6, 13, 20)),
        ("1502000000.0", datetime(2017, 8, 6, 6, 13, 20)),
        ("2017-08-01T10:00:00Z", datetime(2017, 8, 1, 10, 0)),
        ("2017-08-01T12:00:00+02:00", datetime(2017, 8, 1, 10, 0)),
        ("2017-08-01 10:00", datetime(2017, 8, 1, 10, 0)),
        ("2020-04-01T19:09+00:00", datetime(2020, 4, 1, 19, 9)),
        ("25.3.2010", datetime(2010, 3, 25)),
        ("25/03/2010 14:05", datetime(2010, 3, 25, 14, 5)),
        ("25 mars 2010 à 14:05", datetime(2010, 3, 25, 14, 5)),
        ("lun. 25 mars 2010, 14:05", datetime(2010, 3, 25, 14, 5)),
        ("1er août 2017 9h30", datetime(2017, 8, 1, 9, 30)),
        ("March 25, 2010 2:05 pm", datetime(2010, 3, 25, 14, 5)),
        ("24. Oktober 2003", datetime(2003, 10, 24)),
        ('"2014-05-08"^^<http://www.w3.org/2001/XMLSchema#date>', datetime(2014, 5, 8)),
        ('"2014-05-08T09:30:00Z"^^xsd:dateTime', datetime(2014, 5, 8, 9, 30)),
    ],
)
def test_formats_forums_use(raw, expected):
    assert parse_timestamp(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not a date",
        "31/02/2010",
        "32.1.2010",
        "99 foo 2010",
        None,
        "1e400",
        True,
        '"no date"^^<http://www.w3.org/2001/XMLSchema#date>',
    ],
)
def test_unreadable_or_impossible_is_none(raw):
    assert parse_timestamp(raw) is None


def test_implausible_epoch_is_none():
    assert parse_timestamp(-5_000_000_000) is None  # 1811: before any forum


def test_source_zone_applies_to_naive_values():
    paris_winter = timezone(timedelta(hours=1))
    assert parse_timestamp("25/03/2010 14:05", paris_winter) == datetime(2010, 3, 25, 13, 5)


@pytest.mark.parametrize(
    ("raw", "zone"),
    [
        ("9999-12-31T23:59:59-05:00", None),
        ("0001-01-01T00:00:00+05:00", None),
        ("9999-12-31T23:00:00", ZoneInfo("America/New_York")),
        ("31/12/9999 23:00", ZoneInfo("America/New_York")),
        (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), None),
    ],
)
def test_a_zone_that_shifts_a_date_off_the_calendar_is_none(raw, zone):
    """Regression: the shift to UTC overflowed, and one such date aborted the whole import."""
    assert parse_timestamp(raw, zone) is None


@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.timezones()),
)
def test_never_raises_on_any_zoned_moment(moment):
    parse_timestamp(moment)
    parse_timestamp(moment.isoformat())


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_iso_round_trip(moment):
    moment = moment.replace(microsecond=0)
    assert parse_timestamp(moment.isoformat()) == moment
    assert parse_timestamp(moment.replace(tzinfo=UTC).isoformat()) == moment


@given(st.text(max_size=40))
def test_never_raises(text):
    parse_timestamp(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021/04/10", datetime(2021, 4, 10)),
        ("2021.04.10 10:00", datetime(2021, 4, 10, 10, 0)),
        ("2021-4-3", datetime(2021, 4, 3)),
        ("2021-4-3 9:05", datetime(2021, 4, 3, 9, 5)),
        ("2021-04-10 10:00 UTC", datetime(2021, 4, 10, 10, 0)),
        ("2021-04-10 10:00:00 GMT", datetime(2021, 4, 10, 10, 0)),
        ("10/04/2021 10:00 CEST", datetime(2021, 4, 10, 8, 0)),  # Central European summer time, UTC+2
        ("2021-01-10 10:00 CET", datetime(2021, 1, 10, 9, 0)),
        ("2021-01-10 10:00 EST", datetime(2021, 1, 10, 15, 0)),  # RFC 2822's North American zones
        ("2021-04-10 10:00 (EDT)", datetime(2021, 4, 10, 14, 0)),
        ("Sat, 10 Apr 2021 10:00:00 +0200", datetime(2021, 4, 10, 8, 0)),  # RFC 2822
        ("Sat, 10 Apr 2021 10:00:00 GMT", datetime(2021, 4, 10, 10, 0)),
        ("10 Apr 2021 10:00 -0500", datetime(2021, 4, 10, 15, 0)),
        ("April 10, 2021 2:05 pm UTC", datetime(2021, 4, 10, 14, 5)),
    ],
)
def test_common_forms_read_since_the_new_user_audit(raw, expected):
    """Regression: each of these was "unreadable timestamp", its message kept undated."""
    assert parse_timestamp(raw) == expected


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("01/05/2021", "dmy", datetime(2021, 5, 1)),
        ("01/05/2021", "mdy", datetime(2021, 1, 5)),
        ("01/13/2021", "dmy", None),
        ("01/13/2021", "mdy", datetime(2021, 1, 13)),
        ("12/31/21 11:30 pm", "mdy", datetime(2021, 12, 31, 23, 30)),
        ("21/04/10", "ymd", datetime(2021, 4, 10)),
        ("10/04/2021", "ymd", None),  # a four-digit year last is not year first
        ("2021/04/10", "mdy", datetime(2021, 4, 10)),  # a four-digit year first, in any order
        ("05/05/2021", "mdy", datetime(2021, 5, 5)),
    ],
)
def test_a_date_of_three_numbers_is_read_in_the_order_given(raw, order, expected):
    assert parse_timestamp(raw, order=order) == expected


def test_an_abbreviation_of_several_zones_is_read_only_in_the_source_zone_that_writes_it():
    """CST is US Central, China and Cuba: alone it is no date; under --zone America/Chicago it is Chicago's winter
    time (UTC-6), and in July, when Chicago writes CDT, it is still none."""
    chicago = ZoneInfo("America/Chicago")
    assert parse_timestamp("2021-01-10 10:00 CST") is None
    assert parse_timestamp("2021-01-10 10:00 CST", chicago) == datetime(2021, 1, 10, 16, 0)
    assert parse_timestamp("2021-07-10 10:00 CST", chicago) is None
    assert parse_timestamp("2021-07-10 10:00 CDT", chicago) == datetime(2021, 7, 10, 15, 0)
    assert "zone abbreviation 'IST' is not read alone" in unreadable_reason("2021-04-10 10:00 IST")


def test_unreadable_reason_names_the_order_that_reads_the_date():
    assert unreadable_reason("01/13/2021") == "a date only when read month first (--date-order mdy)"
    assert unreadable_reason("13/01/2021", order="mdy") == "a date only when read day first (--date-order dmy)"
    assert unreadable_reason("01/05/2021") is None  # read: nothing to explain
    assert unreadable_reason("31/02/2021") is None  # no date in any order


@pytest.mark.parametrize("raw", ["2021-04-10 10:00 +9999", "2021-04-10 10:00 +2400", "10/04/2021 10:00 -0560"])
def test_an_offset_no_zone_has_is_none(raw):
    """An offset beyond 14 hours (or of 60 minutes and more) made ``timezone`` raise, which aborted the import."""
    assert parse_timestamp(raw) is None
