"""The members pages say who has no journey because they wrote only removed or deleted bodies, and why.

Member 1 posts one '[removed]' body (left out by the text step), member 2 asks a question and writes one '[removed]'
reply: the journeys run has member 2 only, and leaves out 2 messages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.journeys import journeys
from chrysalide.store import Store
from chrysalide.web.app import create_app


def test_members_without_readable_messages_are_said_left_out(tmp_path: Path) -> None:
    path = tmp_path / "removed.duckdb"
    with Store(path) as store:
        f = Forum(store, "removed")
        for member in (1, 2):
            f.member(member), f.thread(member, title=None)
        f.post(1, 1, "2021-04-01 10:00", "[removed]", code="other", left_out="removed")
        f.post(2, 2, "2021-04-02 10:00", "My scan shows <b>a shadow</b>", code="individual", fs=1)
        f.post(2, 2, "2021-04-03 10:00", "[removed]", code="other", left_out="removed")
        f.save()
        with store.run("ingest", "test"):  # the members list reads the journeys run made after the last import
            pass
        journeys(store)
    client = TestClient(create_app(path), base_url=BASE)
    listing = client.get("/members.json").json()
    assert [m["member_id"] for m in listing["members"]] == [2]
    assert any("leave out the 2 messages of members that hold no word of their author" in s and
               "1 member wrote nothing else" in s for s in listing["left_out"])  # fmt: skip
    page = client.get("/members/1").text
    assert "No journey yet" not in page
    assert "Every dated message of this member holds no word of theirs" in page
    assert "Every dated message" not in client.get("/members/2").text
