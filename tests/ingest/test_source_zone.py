"""``ingest --zone``: a source's dates written without a zone are read in the zone it names (an export of a French
forum writes Paris time), stored as UTC; dates that carry a zone and epoch times are instants already. A source is
read in one zone: an import again in another is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from chrysalide.errors import ConfigError
from chrysalide.ingest.loader import ingest

ROWS = (
    "message_id,author,posted_at,text\n"
    "1,ann,2021-01-15 10:00,En hiver\n"  # Paris is UTC+1 in winter
    "2,bob,2021-07-15 10:00,En été\n"  # and UTC+2 in summer
    "3,cat,2021-07-15T10:00:00+00:00,Avec son fuseau\n"  # an instant already
    "4,dan,1626343200,En secondes\n"  # 2021-07-15 10:00 UTC, an instant already
)


def _dates(store) -> dict[str, datetime]:
    return dict(store.con.execute("SELECT native_id, posted_at FROM messages").fetchall())


def test_dates_without_a_zone_are_read_in_the_source_zone(store, tmp_path: Path) -> None:
    path = tmp_path / "forum.csv"
    path.write_text(ROWS, encoding="utf-8")
    ingest(store, path, zone="Europe/Paris")
    assert _dates(store) == {
        "1": datetime(2021, 1, 15, 9, 0),
        "2": datetime(2021, 7, 15, 8, 0),
        "3": datetime(2021, 7, 15, 10, 0),
        "4": datetime(2021, 7, 15, 10, 0),
    }
    with pytest.raises(ConfigError, match="was imported with --zone Europe/Paris; re-import it the same way"):
        ingest(store, path)
    assert ingest(store, path, zone="Europe/Paris").duplicates == 4


def test_without_a_zone_dates_are_utc_and_utc_is_the_default(store, tmp_path: Path) -> None:
    path = tmp_path / "forum.csv"
    path.write_text(ROWS, encoding="utf-8")
    ingest(store, path)
    assert _dates(store)["1"] == datetime(2021, 1, 15, 10, 0)
    assert ingest(store, path, zone="UTC").duplicates == 4  # the same reading
    with pytest.raises(ConfigError, match=r"was imported without --zone \(dates without a zone read as UTC\)"):
        ingest(store, path, zone="Europe/Paris")


def test_an_unknown_zone_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "forum.csv"
    path.write_text(ROWS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(path), "--db",
         str(tmp_path / "z.duckdb"), "--zone", "Europe/Pariss"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--zone: unknown time zone 'Europe/Pariss' (an IANA name such as Europe/Paris" in done.stderr
    assert not (tmp_path / "z.duckdb").exists()
