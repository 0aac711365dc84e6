"""The dashboard's alerts page says that a burst at an edge of the collected conversations is a change in what
was collected, under that alert only, as the report does (tests/report/test_alert_collection_edge.py: the store)."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.store import Store
from chrysalide.web.app import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from test_alert_collection_edge import READING, _store  # type: ignore[import-not-found]  # noqa: E402


def test_the_dashboard_says_it_under_that_alert_only(tmp_path: Path) -> None:
    path = tmp_path / "weekly.duckdb"
    with Store(path) as store:
        _store(store)
    page = html.unescape(TestClient(create_app(path), base_url=BASE).get("/alerts").text)
    edge, other = page.split('id="alert-1"')[1].split('id="alert-2"')
    assert f"At an edge of the collected conversations: {READING}." in edge
    assert "edge of the collected" not in other


def test_the_dashboard_names_a_burst_one_member_wrote_most_of_under_that_alert_only(tmp_path: Path) -> None:
    import json

    from forum_builder import weekly_alerts  # type: ignore[import-not-found]
    from test_alert_collection_edge import ALERTS  # type: ignore[import-not-found]

    path = tmp_path / "weekly.duckdb"
    with Store(path) as store:
        weekly_alerts(store, ALERTS)
        store.con.execute(
            "UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"one_voice": {"1": 0.55}})]
        )
    page = html.unescape(TestClient(create_app(path), base_url=BASE).get("/alerts").text)
    voiced, other = page.split('id="alert-1"')[1].split('id="alert-2"')
    assert "One member wrote 55%: one member's spell of posting rather than the forum's." in voiced
    assert "One member wrote" not in other


def test_the_dashboard_names_a_burst_of_a_few_threads_under_that_alert_only(tmp_path: Path) -> None:
    import json

    from forum_builder import weekly_alerts  # type: ignore[import-not-found]
    from test_alert_collection_edge import ALERTS, FEW  # type: ignore[import-not-found]

    path = tmp_path / "weekly.duckdb"
    with Store(path) as store:
        weekly_alerts(store, ALERTS)
        store.con.execute("UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"few_threads": FEW})])
    page = html.unescape(TestClient(create_app(path), base_url=BASE).get("/alerts").text)
    few, other = page.split('id="alert-1"')[1].split('id="alert-2"')
    assert (
        "A burst whose messages lie in fewer than 20 threads (or may, in a table without thread ids), or more than a "
        "third of whose messages one thread holds: "
        "4 threads, the largest holding 50% of its messages: a few conversations (or ones that cannot be counted) "
        "rather than the forum." in few
    )
    assert "fewer than 20 threads" not in other


def test_the_dashboard_says_an_undeclared_selection_beside_the_bursts_of_volume(tmp_path: Path) -> None:
    import json

    from forum_builder import weekly_alerts  # type: ignore[import-not-found]
    from test_alert_collection_edge import UNDECLARED, UNDECLARED_SAID  # type: ignore[import-not-found]

    path = tmp_path / "weekly.duckdb"
    with Store(path) as store:
        weekly_alerts(store, [("volume", "messages", "2016-01-04", "2016-02-07", 5, 3.0, 90.0)])
        store.con.execute(
            "UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"undeclared_selections": UNDECLARED})]
        )
    page = html.unescape(TestClient(create_app(path), base_url=BASE).get("/alerts").text)
    assert f'id="undeclared-selection">{UNDECLARED_SAID[0].upper()}{UNDECLARED_SAID[1:]}.</p>' in page
