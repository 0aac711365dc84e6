"""The overview and the report's corpus overview tell registered members and named guests apart, in one wording.

Regression: ADFD's report said "members registered 108", counting every row of ``members``: 94 registered accounts
and 14 guests who signed a name (role ``guest``), so it repeated "posting members". By hand: members 1 and 2 are
registered, member 3 is a named guest, and a guest who signed no name posts once (no member): 3 members post, 2
registered and 1 named guest.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_overview
from chrysalide.store import Store
from chrysalide.web.app import create_app

APART = "2 registered, 1 named guest: a name signed without an account"


def _forum(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store, "board")
        f.member(1), f.member(2), f.member(3, role="guest"), f.thread(1)
        for i, member in enumerate((1, 2, 3, None, 1)):
            f.post(member, 1, f"2004-09-0{i + 1} 10:00")
        f.save()


def test_the_overview_counts_named_guests_apart_from_registered_members(tmp_path: Path) -> None:
    path = tmp_path / "guests.duckdb"
    _forum(path)
    client = TestClient(create_app(path), base_url=BASE)
    data = client.get("/.json").json()
    assert (data["members"], data["registered_members"], data["named_guests"]) == (3, 2, 1)
    assert f'<small id="named-guests">({APART})</small>' in client.get("/").text


def test_the_report_counts_named_guests_apart_from_registered_members(tmp_path: Path) -> None:
    path = tmp_path / "guests.duckdb"
    _forum(path)
    with Store(path) as store:
        facts = dict(section_overview(Context(store)).facts)
    assert facts["posting members"] == f"3 ({APART})"
    assert "members registered" not in facts
