"""The community page of a corpus dated by day says in words that the within-3-hours share cannot be told.

Regression: ADFD's page read "- were answered within 3 hours". Here old member 1 answers newcomer 2 on the day of
her request (2021-01-01); newcomer 3's request (2021-01-02) is never answered: delays are whole days.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.community import community
from chrysalide.store import Store
from chrysalide.web.app import create_app


def test_the_within_3_hours_share_of_a_day_dated_corpus_is_said_unknown(tmp_path: Path) -> None:
    path = tmp_path / "days.duckdb"
    with Store(path) as store:
        f = Forum(store, "content")
        f.member(1, registered_at="2019-06-01"), f.member(2), f.member(3)
        f.thread(1), f.thread(2)
        request = f.post(2, 1, "2021-01-01")
        f.post(1, 1, "2021-01-01", reply_to=request)
        f.post(3, 2, "2021-01-02")
        f.save()
        community(store)
    client = TestClient(create_app(path), base_url=BASE)
    page = client.get("/community").text
    assert (
        "How many were answered within 3 hours cannot be told: source &#39;content&#39; dates messages by day only."
    ) in page
    assert "- were answered" not in page
    assert client.get("/community.json").json()["day_only"] == "source 'content' dates messages by day only"
