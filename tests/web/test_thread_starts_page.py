"""The community page of a corpus of thread starts only says why its newcomers' answers cannot be seen.

Regression: r/breastcancer's submissions (no reply in the file) showed "No newcomer in this corpus." above a
summary counting 2,426 newcomers. Here: members 1 and 2 each open a thread that nobody answers (two newcomers).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.community import community
from chrysalide.store import Store
from chrysalide.web.app import create_app


def test_newcomers_of_a_forum_without_replies_are_said_unseen_not_absent(tmp_path: Path) -> None:
    path = tmp_path / "solo.duckdb"
    with Store(path) as store:
        f = Forum(store, "solo")
        for member in (1, 2):
            f.member(member), f.thread(member)
            f.post(member, member, f"2021-04-0{member} 10:00", code="individual")
        f.save()
        community(store)
    client = TestClient(create_app(path), base_url=BASE)
    page = client.get("/community").text
    assert "No newcomer in this corpus" not in page
    assert (
        "Whether the 2 newcomers were answered cannot be seen: no source of this corpus records replies between its "
        "messages (source &#39;solo&#39;: no thread has a second message)."
    ) in page
    assert client.get("/community.json").json()["unrecorded"] == "source 'solo': no thread has a second message"
