"""The dashboard's overview says who wrote the messages, as the report's corpus row does; by hand.

Regression: the overview gave r/BPD's 51,523 messages and 15,812 members and never said that 2,027 of the messages are
by deleted accounts (and 488 by a bot account), where the report's key findings say "49,008 by 15,812 members, 488 by
1 bot account and 2,027 by deleted accounts".

A forum of January 2021: members A (1) and B (2) write 2 and 1 messages; a bot account (9) 5, all signed by a bot
(the text step's ``left_out = 'bot'``); then 2 messages of deleted accounts, 1 of a guest and 1 whose import recorded
no reason (an unknown author). 12 messages: 12 - 5 - 2 - 1 - 1 = 3 by the 2 members. The messages without a member,
most first, then by label: deleted accounts 2, guests 1, unknown authors 1.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_summary
from chrysalide.store import Store
from chrysalide.web.app import create_app

A, B, BOT = 1, 2, 9
AUTHORS = "3 by 2 members, 5 by 1 bot account, 2 by deleted accounts, 1 by guests and 1 by unknown authors"


def _forum(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store)
        for member in (A, B, BOT):
            f.member(member)
        f.thread(1), f.thread(2)
        f.post(A, 1, "2021-01-04 10:00", "my scan came back")
        f.post(B, 1, "2021-01-04 11:00", "ask your doctor")
        f.post(A, 1, "2021-01-04 12:00", "thank you")
        for day in range(4, 9):
            f.post(BOT, 2, f"2021-01-0{day} 09:00", "rules of the board", left_out="bot")
        without = [f.post(None, 1, f"2021-01-05 1{i}:00", "an answer") for i in range(4)]
        f.save()
        for message_id, status in zip(without, ("deleted", "deleted", "guest"), strict=False):
            store.con.execute(
                "UPDATE messages SET meta = json_object('author_status', ?) WHERE message_id = ?", [status, message_id]
            )


def test_the_overview_says_who_wrote_the_messages(tmp_path: Path) -> None:
    path = tmp_path / "authors.duckdb"
    _forum(path)
    with Store(path, read_only=True) as store:  # the report's words, the same figures
        (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == "corpus"]
        assert row[1].startswith(f"12 messages in 2 threads, {AUTHORS}")
    client = TestClient(create_app(path), base_url=BASE)
    data = client.get("/.json").json()
    assert (data["messages"], data["members"]) == (12, 2)
    assert data["message_authors"] == AUTHORS
    assert data["without_member"] == {"deleted accounts": 2, "guests": 1, "unknown authors": 1}
    assert f'<small id="message-authors">({AUTHORS})</small>' in client.get("/").text


def test_members_alone_need_no_clause(client: TestClient) -> None:
    """The tiny forum's 6 messages are all by its 4 members: nothing to say beside them."""
    data = client.get("/.json").json()
    assert (data["message_authors"], data["without_member"]) == ("", {})
    assert 'id="message-authors"' not in client.get("/").text
