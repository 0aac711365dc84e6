"""The dashboard's alerts page reads a burst of more than 52 weeks (or half the series) as a change of level, as the
report does (docs/community.md), whether it is of volume or in a share; a shorter one stays a burst. By hand: a
series of 200 weeks (one message a week), a 134-week burst in the share of individual messages (more than 52
weeks) and a 5-week burst in a term's share."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import weekly_alerts  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.store import Store
from chrysalide.web.app import create_app

ALERTS = [("stage", "individual", "2015-03-02", "2017-09-24", 134, 1.9, 80.0),
          ("term", "levothyrox", "2017-06-05", "2017-07-09", 5, 4.0, 30.0)]  # fmt: skip


def test_a_long_burst_in_a_share_is_said_to_be_a_change_of_level(tmp_path: Path) -> None:
    path = tmp_path / "weekly.duckdb"
    with Store(path) as store:
        weekly_alerts(store, ALERTS)
    page = TestClient(create_app(path), base_url=BASE).get("/alerts").text
    long, short = page.split('id="alert-1"')[1].split('id="alert-2"')
    assert (
        "Longer than 52 weeks or than half the corpus: a change of level in what was written (how the data were "
        "collected, or how the forum changed) rather than a crisis."
    ) in long
    assert "change of level" not in short
