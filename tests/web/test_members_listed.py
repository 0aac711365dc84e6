"""The members list counts the rows it pages through and says whom it leaves out; the consent block counts the
members the overview counts; by hand.

Regression: on r/BPD the overview said "15,812 members" (bot accounts apart, as the report), the consent block
"15,813 are analysis only" (the bot counted), and /members "15,813 who posted" with a pager "15,801–15,813 of
15,813" over a list of 15,803 rows: the journeys run it reads leaves out the bot account and 9 members whose every
message was removed or deleted, which the heading counted.

A forum of April 2021: members A (1), B (2) and C (3) write readable messages; D (4) writes only a '[removed]'
body (left out by the text step); a bot account (9) posts 5 notices signed by a bot. Consent rows: A granted
quoting, C refused (excluded), and the bot granted quoting.

- The journeys run has a row for A, B and C: 3 listed; it counts 1 bot account and 1 member whose every message
  holds no word of theirs, not listed.
- The members who post are A, B, C and D (the bot is no member): 4, the overview's count. Of them A may be quoted,
  C is excluded, B and D have no consent row (analysis only): 1 + 2 + 1 = 4. The bot's consent row is in no part.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.journeys import journeys
from chrysalide.store import Store
from chrysalide.web.app import create_app

A, B, C, D, BOT = 1, 2, 3, 4, 9
NOT_LISTED = "1 bot account and 1 member whose every message holds no word of theirs are not listed"


def _forum(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store)
        for member in (A, B, C, D, BOT):
            f.member(member)
        f.thread(1), f.thread(2)
        start = f.post(A, 1, "2021-04-01 10:00", "My scan shows a shadow", code="individual", fs=1)
        f.post(B, 1, "2021-04-01 11:00", "Ask for a second opinion", code="collaborative", reply_to=start)
        f.post(C, 1, "2021-04-02 10:00", "Same here, we are not alone", code="community", fp=1)
        f.post(D, 1, "2021-04-02 12:00", "[removed]", code="other", left_out="removed")
        for day in range(3, 8):
            f.post(BOT, 2, f"2021-04-0{day} 09:00", "rules of the board", code="other", left_out="bot")
        f.save()
        store.con.execute(
            "INSERT INTO consent VALUES (?, 'granted', NULL, 'quote'), (?, 'refused', NULL, 'exclude'),"
            " (?, 'granted', NULL, 'quote')",
            [A, C, BOT],
        )
        with store.run("ingest", "test"):  # the members list reads the journeys run made after the last import
            pass
        journeys(store)


def test_the_members_list_counts_its_rows_and_says_whom_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "listed.duckdb"
    _forum(path)
    client = TestClient(create_app(path), base_url=BASE)
    listing = client.get("/members.json").json()
    assert sorted(m["member_id"] for m in listing["members"]) == [A, B, C]
    assert (listing["total"], listing["not_listed"]) == (3, NOT_LISTED)
    assert client.get("/members.json?limit=2&offset=2").json()["total"] == 3
    page = client.get("/members?limit=2&offset=2").text
    assert f'3 listed <span id="not-listed">({NOT_LISTED}: why below)</span>' in page
    assert "3–3 of 3" in page and "of 5" not in page
    assert any("leave out the 5 messages of 1 bot account" in s for s in listing["left_out"])  # the why, below


def test_the_consent_block_counts_the_overviews_members(tmp_path: Path) -> None:
    path = tmp_path / "consent.duckdb"
    _forum(path)
    client = TestClient(create_app(path), base_url=BASE)
    data = client.get("/.json").json()
    assert data["members"] == 4
    assert data["consent"] == {"members": 4, "quotable": 1, "excluded": 1, "analysed_only": 2,
                               "with_consent_row": 2, "listed": 3}  # fmt: skip
    assert "Of the 4 members, 1 " in client.get("/").text


def test_without_journeys_every_poster_is_listed(client: TestClient) -> None:
    """The tiny forum has no journeys run: its 4 members are listed from their messages, none said left out."""
    listing = client.get("/members.json").json()
    assert (listing["total"], listing["not_listed"], listing["left_out"]) == (4, "", [])
    assert "4 who posted" in client.get("/members").text
