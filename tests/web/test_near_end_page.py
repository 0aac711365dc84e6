"""The community page says which newcomers are too near the end of collection to be judged, and its chart of delays
does not count them as unanswered; by hand.

A reply tree (csv): ann opens a thread (2021-01-01 00:00), bob answers it at 10:00 (the one first answer to a thread
start: the follow-up window is 10 h) and ann him at 10:30 (a reply to a reply: the source is a tree); dan opens a
thread at 12:00 and cat one on 2021-01-02 00:00, the end of the collection; neither is answered. dan's thread (12 h
before the end) is unanswered; cat's, 0 h before the end, is not judged. Chart: ann, bob and dan judged, 1 not
answered (2 before, with cat).
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import register_at_first_post  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.community import community
from chrysalide.community.responses import UNANSWERED
from chrysalide.ingest import ingest
from chrysalide.store import Store
from chrysalide.web.app import create_app


def test_the_page_says_it_and_charts_none_of_them_as_unanswered(tmp_path: Path) -> None:
    path = tmp_path / "end.duckdb"
    csv = tmp_path / "forum.csv"
    csv.write_text(
        "message_id,thread_id,reply_to,author,posted_at,text\n"
        "a1,t1,,ann,2021-01-01 00:00,My scan came back.\n"
        "b1,t1,a1,bob,2021-01-01 10:00,Ask again.\n"
        "a2,t1,b1,ann,2021-01-01 10:30,Thank you.\n"
        "d2,t2,,dan,2021-01-01 12:00,My dose is wrong.\n"
        "c3,t3,,cat,2021-01-02 00:00,Any advice?\n"
    )
    with Store(path) as store:
        ingest(store, csv, keep_names=True)
        register_at_first_post(store)
        community(store)
    client = TestClient(create_app(path), base_url=BASE)
    data = client.get("/community.json").json()
    assert data["summary"]["newcomers_near_end"] == 1 and data["summary"]["threads_near_end"] == 1
    assert data["near_end"] == data["summary"]["near_end_note"]
    assert data["near_end"].startswith("1 newcomer and 1 thread posted in the last 10.0 h of source 'forum'")
    assert sum(r["newcomers"] for r in data["responses"]) == 3
    assert next(r["newcomers"] for r in data["responses"] if r["delay"] == UNANSWERED) == 1
    assert f'id="near-end">{data["near_end"]}' in html.unescape(client.get("/community").text)
