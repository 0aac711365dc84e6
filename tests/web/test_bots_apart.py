"""The overview's stage mix and the alerts' weekly volume leave bot accounts out, as the report does; by hand.

A forum of January 2021: members A (1) and B (2) and a bot account (9), whose 5 messages are all signed by a bot
(the text step's ``left_out = 'bot'``: at least 5 messages, 90% signed). Codes and their probabilities:

- A, 01-04, individual: individual .6, community .2, collaborative .1, societal 0, other .1
- B, 01-05, collaborative: .1, .1, .7, 0, .1
- A, 01-12, community, entered without probabilities: counts as certain (0, 1, 0, 0, 0)
- the bot, 01-04 .. 01-08 (one week), community: 0, .9, 0, 0, .1

Without the bot, the sums of probabilities are individual .7, community 1.3, collaborative .8, societal 0,
other .2, of 3: estimated shares .7/3, 1.3/3, .8/3, 0, .2/3, one primary code each for the first three stages.
Weekly volume (weeks from Monday 01-04): 2 members' messages that week (the bot's 5 apart), 1 the next.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.coding.codebook import CODES
from chrysalide.store import Store
from chrysalide.web.app import create_app

A, B, BOT = 1, 2, 9
SCORES = {  # message index -> probabilities in CODES order (individual, community, collaborative, societal, other)
    0: (0.6, 0.2, 0.1, 0.0, 0.1),
    1: (0.1, 0.1, 0.7, 0.0, 0.1),
    **{i: (0.0, 0.9, 0.0, 0.0, 0.1) for i in range(3, 8)},
}


@pytest.fixture
def bot_db(tmp_path: Path) -> Path:
    path = tmp_path / "bots.duckdb"
    with Store(path) as store:
        f = Forum(store)
        for member in (A, B, BOT):
            f.member(member)
        for thread in (1, 2, 3):
            f.thread(thread)
        ids = [
            f.post(A, 1, "2021-01-04 10:00", code="individual"),
            f.post(B, 1, "2021-01-05 10:00", code="collaborative"),
            f.post(A, 3, "2021-01-12 10:00", code="community"),
            *[f.post(BOT, 2, f"2021-01-0{day} 09:00", code="community", left_out="bot") for day in range(4, 9)],
        ]
        f.save()
        for i, scores in SCORES.items():
            store.con.execute(
                f"UPDATE codes SET {', '.join(f'score_{c} = ?' for c in CODES)} WHERE message_id = ?",
                [*scores, ids[i]],
            )
    return path


def test_the_overview_shows_the_members_estimated_mix_with_raw_counts(bot_db: Path) -> None:
    client = TestClient(create_app(bot_db), base_url=BASE)
    data = client.get("/.json").json()
    mix = {r["code"]: r for r in data["stage_mix"]}
    assert list(mix) == list(CODES)
    expected = {
        "individual": 0.7 / 3,
        "community": 1.3 / 3,
        "collaborative": 0.8 / 3,
        "societal": 0.0,
        "other": 0.2 / 3,
    }
    assert {c: r["estimated_share"] for c, r in mix.items()} == pytest.approx(expected)
    assert {c: r["messages"] for c, r in mix.items()} == {"individual": 1, "community": 1, "collaborative": 1,
                                                          "societal": 0, "other": 0}  # fmt: skip
    assert (data["coded"], data["messages"], data["bot_accounts"], data["bot_messages"]) == (3, 8, 1, 5)
    page = client.get("/").text
    assert "leave out the 5 messages of 1 bot account" in page
    assert "43.3%" in page and "Estimated share" in page  # community: 1.3 / 3


def test_the_alerts_weekly_volume_leaves_the_bot_out(bot_db: Path) -> None:
    client = TestClient(create_app(bot_db), base_url=BASE)
    data = client.get("/alerts.json").json()
    assert data["weeks"] == [{"week": "2021-01-04", "messages": 2}, {"week": "2021-01-11", "messages": 1}]
    assert "leave out the 5 messages of 1 bot account" in data["bots_left_out"]
