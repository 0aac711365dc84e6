"""One day/month order for a whole source's dates of three numbers (``ingest/dateorder.py``, ``--date-order``).

Regression: a US export (MM/DD/YYYY, 8 rows) had each date read on its own, day first: five were stored with day
and month swapped (01/05/2021 became 1 May) and three undated as "unreadable", without a word about the order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import staging
from chrysalide.ingest.loader import ingest

# Invented members; the month is first: 01/13/2021 (record 4) is the first date that can only be month first.
US_ROWS = (
    "message_id,thread_id,author,posted_at,text\n"
    "m1,t1,Orla Vantreese,01/05/2021,Has anyone tried the new dosage?\n"
    "m2,t1,Bram Oskarsen,01/09/2021 08:15 PM,Yes it helped with the fatigue.\n"
    "m3,t1,Orla Vantreese,01/13/2021,Good to hear thank you.\n"
    "m4,t2,Pell Dunmore,02/03/2021,New here and a bit scared.\n"
    "m5,t2,Bram Oskarsen,02/28/2021,Welcome you are not alone.\n"
    "m6,t3,Ysolde Framp,03/07/2021,My scan results came back.\n"
    "m7,t3,Pell Dunmore,03/15/2021,How did it go?\n"
    "m8,t3,Ysolde Framp,04/02/2021,All clear for now.\n"
)
# Month first, by hand: January 5, January 9 at 20:15, January 13, February 3 and 28, March 7 and 15, April 2.
US_DATES = {
    "m1": datetime(2021, 1, 5),
    "m2": datetime(2021, 1, 9, 20, 15),
    "m3": datetime(2021, 1, 13),
    "m4": datetime(2021, 2, 3),
    "m5": datetime(2021, 2, 28),
    "m6": datetime(2021, 3, 7),
    "m7": datetime(2021, 3, 15),
    "m8": datetime(2021, 4, 2),
}
# One date that can only be day first (record 2), one either way, one that can only be month first (record 4).
MIXED_ROWS = (
    "message_id,author,posted_at,text\n"
    "a1,Tamsin Orrow,25/01/2021 09:30,Bonjour à toutes\n"
    "a2,Ilse Brannock,01/05/2021 10:00,Merci pour vos messages\n"
    "a3,Tamsin Orrow,01/13/2021 11:00,Je reviens vers vous\n"
)
# Every date either way: nothing tells the order.
AMBIGUOUS_ROWS = (
    "message_id,author,posted_at,text\nb1,Nell Quarrie,02/03/2021,Premier\nb2,Nell Quarrie,04/05/2021,Second\n"
)


def _write(tmp_path: Path, rows: str, name: str = "forum.csv") -> Path:
    path = tmp_path / name
    path.write_text(rows, encoding="utf-8")
    return path


def _dates(store) -> dict[str, datetime | None]:
    return dict(store.con.execute("SELECT native_id, posted_at FROM messages").fetchall())


def _options(store) -> dict[str, object]:
    (options,) = store.con.execute("SELECT options FROM sources").fetchone()
    return json.loads(options)


def test_month_first_dates_are_all_read_month_first(store, tmp_path: Path) -> None:
    """Regression: 01/05/2021 and 01/09/2021, read before 01/13/2021 proved the order, were stored as 1 May and
    1 September; 01/13/2021, 02/28/2021 and 03/15/2021 were undated."""
    report = ingest(store, _write(tmp_path, US_ROWS))
    assert _dates(store) == US_DATES
    assert report.date_order == "mdy" and _options(store)["date_order"] == "mdy"
    assert report.warning_count == 0


def test_month_first_values_read_before_the_proof_are_redated_in_earlier_chunks(
    store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dates read day first before the proof sit in chunks already staged: they are read again there."""
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", 1)
    ingest(store, _write(tmp_path, US_ROWS))
    assert _dates(store) == US_DATES


def test_importing_the_same_file_again_deduplicates(store, tmp_path: Path) -> None:
    """The content digest holds the date as written: the same file read in the source's order changes nothing."""
    path = _write(tmp_path, US_ROWS)
    ingest(store, path)
    again = ingest(store, path)
    assert (again.imported, again.duplicates, again.date_order) == (0, 8, "mdy")
    assert ingest(store, path, date_order="mdy").duplicates == 8
    assert _dates(store) == US_DATES


def test_another_order_than_the_source_s_is_refused(store, tmp_path: Path) -> None:
    """Read day first, the same rows would be duplicates by their digest and keep their month-first dates."""
    path = _write(tmp_path, US_ROWS)
    ingest(store, path)
    with pytest.raises(ConfigError, match=r"was imported with its dates read month first \(12/31/2021\) "
                                          r"\(--date-order mdy\); re-import it the same way"):  # fmt: skip
        ingest(store, path, date_order="dmy")


def test_both_orders_in_one_file_stop_before_anything_is_written(store, tmp_path: Path) -> None:
    """A value of each kind: no order reads every date right, so nothing is stored and the error names both."""
    with pytest.raises(InputError) as error:
        ingest(store, _write(tmp_path, MIXED_ROWS))
    message = str(error.value)
    assert "forum.csv: its dates are written both day first (record 2: '25/01/2021 09:30') and month first " in message
    assert "(record 4: '01/13/2021 11:00')" in message and "--date-order dmy or --date-order mdy" in message
    assert message.endswith("nothing imported (docs/importers.md)")
    assert store.con.execute("SELECT count(*) FROM messages").fetchone() == (0,)
    assert store.con.execute("SELECT count(*) FROM sources").fetchone() == (0,)


def test_a_given_order_reads_every_date_so_and_the_others_are_undated_saying_why(store, tmp_path: Path) -> None:
    """--date-order dmy: 25/01 is 25 January, 01/05 is 1 May, and 01/13 is no date day first."""
    report = ingest(store, _write(tmp_path, MIXED_ROWS), date_order="dmy")
    assert _dates(store) == {"a1": datetime(2021, 1, 25, 9, 30), "a2": datetime(2021, 5, 1, 10, 0), "a3": None}
    assert report.warnings == [
        "record 4: unreadable timestamp '01/13/2021 11:00', kept with no date (a date only when read month first "
        "(--date-order mdy))"
    ]
    assert report.date_order == "dmy" and _options(store)["date_order"] == "dmy"


def test_dates_that_never_tell_are_read_day_first_with_a_warning(store, tmp_path: Path) -> None:
    """02/03 and 04/05 fit either order: read day first (2 March, 4 May), said once for the whole import."""
    report = ingest(store, _write(tmp_path, AMBIGUOUS_ROWS))
    assert _dates(store) == {"b1": datetime(2021, 3, 2), "b2": datetime(2021, 5, 4)}
    assert report.warnings == [
        "2 date(s) of three numbers, such as record 2: '02/03/2021', were read day first (31/12/2021): none of the "
        "source's dates tells whether it writes the day or the month first (no number above 12 in either place). If "
        "it writes the month first, import it into a new database with --date-order mdy (docs/importers.md)"
    ]
    assert _options(store)["date_order"] == "dmy"


def test_a_later_file_proving_the_other_order_than_the_source_s_is_refused(store, tmp_path: Path) -> None:
    """The source was read day first (nothing told otherwise); a later export whose 01/13/2021 proves month first
    would add dates read the other way: refused, nothing written."""
    ingest(store, _write(tmp_path, AMBIGUOUS_ROWS), source_name="forum")
    with pytest.raises(InputError, match=r"us.csv: source 'forum' was read day first \(31/12/2021\) \(--date-order "
                                         r"dmy\), but record 4: '01/13/2021' is a date only month first"):  # fmt: skip
        ingest(store, _write(tmp_path, US_ROWS, "us.csv"), source_name="forum")
    assert store.con.execute("SELECT count(*) FROM messages").fetchone() == (2,)


def test_dates_whose_order_does_not_matter_record_none(store, tmp_path: Path) -> None:
    """ISO 8601, a four-digit year first, month names and equal day and month: no order is read or kept."""
    rows = (
        "message_id,author,posted_at,text\n"
        "c1,Wren Halloway,2021-04-10T10:00:00+02:00,Un\n"
        "c2,Wren Halloway,2021/04/11,Deux\n"
        "c3,Wren Halloway,3 avril 2021,Trois\n"
        "c4,Wren Halloway,05/05/2021,Quatre\n"
    )
    report = ingest(store, _write(tmp_path, rows))
    assert _dates(store) == {
        "c1": datetime(2021, 4, 10, 8, 0),
        "c2": datetime(2021, 4, 11),
        "c3": datetime(2021, 4, 3),
        "c4": datetime(2021, 5, 5),
    }
    assert report.date_order is None and "date_order" not in _options(store)


def _ingest_command(path: Path, db: Path, order: str) -> subprocess.CompletedProcess[str]:
    """``chrysalide ingest PATH --db DB --date-order ORDER`` as a user runs it, on a wide terminal."""
    return subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(path), "--db", str(db),
         "--date-order", order],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip


def test_an_unknown_order_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = _write(tmp_path, US_ROWS)
    done = _ingest_command(path, tmp_path / "d.duckdb", "mdY")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--date-order: unknown order 'mdY'; one of dmy (day first (31/12/2021)), mdy" in done.stderr
    assert not (tmp_path / "d.duckdb").exists()


def test_the_cli_reads_the_order_given_and_prints_the_order_read(tmp_path: Path) -> None:
    path = _write(tmp_path, MIXED_ROWS)
    done = _ingest_command(path, tmp_path / "d.duckdb", "mdy")
    assert done.returncode == 0, done.stderr
    assert "dates of three numbers read │ month first (12/31/2021)" in done.stdout
