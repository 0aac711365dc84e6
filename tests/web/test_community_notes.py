"""The community page gives the report's notes beside the community run's figures, each when it applies; by hand.

Regression: on r/BPD /community gave 902 newcomers and 8,990 threads without the notes the report's newcomer
section gives beside them: 1,202 more newcomers counted but in no share (their source records no replies between
comments), the bot account left out (the 8,990 threads against the overview's 8,991: one thread the bot opened),
254 threads and 4 requests judged by the replies Reddit declares; and on a small CSV whose overview said "8 threads
(3 of them without their opening message ...)", /community said "threads 5" without saying that 3 threads have no
thread figure.

Two sources, January 2021, every member registered at their first message (each a newcomer):

- source 'forum': A (1) opens thread 1 (01-04 10:00, individual), B (2) answers it (11:00); C (3) opens thread 2
  (01-05 10:00, individual) which declares 2 replies, none stored; B (01-20) and A (01-21) each write a comment whose
  parent the source lacks, alone in threads 3 and 7; a bot account (9) posts 5 notices in thread 4 (01-04 .. 01-08,
  signed by a bot: the text step's ``left_out = 'bot'``), opening it;
- source 'starts': E (5) and F (6) open threads 5 and 6 (01-10, 01-11, individual) and no thread has a second message.

Threads: 7 in the corpus (the overview's count); threads 3 and 7 have no opening (their first message is a reply to a
message the source lacks) and thread 4 is the bot's: 7 - 2 - 1 = 4 in the run's figures. Newcomers: A, B, C, E, F (the
bot is no member): 5, of whom E and F are counted but in no share (their source records no reply). Requests (first
messages opening a thread, coded individual): A, C, E, F: 4. Thread 2 and C's request are judged by the 2 replies their
source declares (answered, by replies the corpus lacks): 1 of the 4 threads and 1 of the 4 requests, 1 thread answered.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.community import community
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections.community import section_responses
from chrysalide.store import Store
from chrysalide.web.app import create_app

A, B, C, E, F, BOT = 1, 2, 3, 5, 6, 9
UNRECORDED = ("2 newcomers are counted but left out of every share, as whether they were answered cannot be seen. "
              "Source 'starts': no thread has a second message.")  # fmt: skip
BOTS = "Newcomers, answers, threads and the reply network leave out the 5 messages of 1 bot account ("
JUDGED = "1 of the 4 threads and 1 of the 4 requests are judged by the number of replies their source declares for them"
WITHOUT_OPENING = ("2 threads have no thread figure: their first message by date is a reply, 2 to a message the source "
                   "lacks (the message that opened the thread is not in the corpus).")  # fmt: skip


def _forum(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store, "forum")
        for member in (A, B, C, BOT):
            f.member(member)
        for thread in (1, 2, 3, 4, 7):
            f.thread(thread)
        start = f.post(A, 1, "2021-01-04 10:00", "my scan came back", code="individual")
        f.post(B, 1, "2021-01-04 11:00", "ask for a second opinion", code="collaborative", reply_to=start)
        f.post(C, 2, "2021-01-05 10:00", "my dose is wrong", code="individual", declared=2)
        f.post(B, 3, "2021-01-20 10:00", "same here", code="community", parent_missing="t1_gone")
        f.post(A, 7, "2021-01-21 10:00", "thank you all", code="community", parent_missing="t1_lost")
        for day in range(4, 9):
            f.post(BOT, 4, f"2021-01-0{day} 09:00", "rules of the board", code="other", left_out="bot")
        f.save()
        g = Forum(store, "starts", first_id=100)
        g.member(E), g.member(F), g.thread(5), g.thread(6)
        g.post(E, 5, "2021-01-10 10:00", "my story", code="individual")
        g.post(F, 6, "2021-01-11 10:00", "my question", code="individual")
        g.save()
        community(store)


def test_the_community_page_gives_the_reports_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    _forum(path)
    with Store(path, read_only=True) as store:  # the report's section gives each note, in the same words
        paragraphs = section_responses(Context(store)).paragraphs
    client = TestClient(create_app(path), base_url=BASE)
    data = client.get("/community.json").json()
    assert (client.get("/.json").json()["threads"], data["summary"]["threads"]) == (7, 4)
    assert (data["summary"]["newcomers"], data["newcomers"], data["summary"]["requests"]) == (5, 3, 4)
    assert data["unrecorded_newcomers"] == UNRECORDED
    assert data["bots_left_out"].startswith(BOTS) and data["bots_left_out"].endswith("its notices answer no one.")
    assert data["judged_by_count"].startswith(JUDGED) and "1 of those threads got an answer." in data["judged_by_count"]
    assert data["without_opening"] == WITHOUT_OPENING
    notes = ("unrecorded_newcomers", "bots_left_out", "judged_by_count", "without_opening")
    assert all(data[key] in paragraphs for key in notes)
    page = html.unescape(client.get("/community").text)
    for key in notes:
        assert f'id="{key.replace("_", "-")}">{data[key]}</p>' in page


def test_no_note_where_none_applies(client: TestClient) -> None:
    """The tiny forum: one tree source, no bot, no declared count, every thread opened by its first message."""
    data = client.get("/community.json").json()
    assert (data["unrecorded_newcomers"], data["bots_left_out"], data["judged_by_count"], data["without_opening"]) == (
        "", None, "", "")  # fmt: skip
    page = client.get("/community").text
    assert not any(f'id="{key}"' in page for key in ("unrecorded-newcomers", "judged-by-count", "without-opening"))


def test_without_newcomers_the_threads_left_out_are_said(tmp_path: Path) -> None:
    """Regression: with no newcomer, the report said "The threads (1) are measured" of a corpus of 2 threads, one
    without its opening message. Members A and B, registered in 2019: A opens thread 1, B answers; B's comment in
    thread 2 replies to a message the source lacks."""
    path = tmp_path / "no-newcomer.duckdb"
    with Store(path) as store:
        f = Forum(store)
        f.member(A, registered_at="2019-01-01"), f.member(B, registered_at="2019-01-01")
        f.thread(1), f.thread(2)
        start = f.post(A, 1, "2021-01-04 10:00", "my scan", code="individual")
        f.post(B, 1, "2021-01-04 11:00", "ask again", code="collaborative", reply_to=start)
        f.post(B, 2, "2021-01-06 10:00", "same here", code="community", parent_missing="t1_gone")
        f.save()
        community(store)
        missing = section_responses(Context(store)).missing
    said = ("1 thread has no thread figure: its first message by date is a reply, 1 to a message the source lacks "
            "(the message that opened the thread is not in the corpus).")  # fmt: skip
    assert "The threads (1) are measured" in missing and missing.endswith(said)
    data = TestClient(create_app(path), base_url=BASE).get("/community.json").json()
    assert (data["summary"]["threads"], data["without_opening"]) == (1, said)
