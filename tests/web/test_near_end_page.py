"""The community page says which newcomers are too near the end of collection to be judged, and its chart of delays
does not count them as unanswered; by hand.

A reply tree (csv): ann opens 20 threads (1 to 20 January 2021, 00:00), bob answers thread i i hours later and ann
answers bob's first reply (a reply to a reply: the source is a tree); the follow-up window is the 95th percentile of
1..20 h (position 0.95 * 19 = 18.05: 19 + 0.05 = 19.05 h). dan opens a thread on 25 January and cat one on 1 February 00:00, the end of the collection; neither
is answered. dan's thread (7 days before the end) is unanswered; cat's, 0 h before the end, is not judged. Chart: ann,
bob and dan judged, 1 not answered (2 before, with cat).
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
    rows = [f"a{i},t{i},,ann,2021-01-{i:02d} 00:00,My scan {i}.\nb{i},t{i},a{i},bob,2021-01-{i:02d} {i:02d}:00,Ask.\n"
            for i in range(1, 21)]  # fmt: skip
    csv.write_text(
        "message_id,thread_id,reply_to,author,posted_at,text\n"
        + "".join(rows)
        + "a0,t1,b1,ann,2021-01-01 02:00,Thanks.\n"
        "d2,d2,,dan,2021-01-25 00:00,My dose is wrong.\nc3,c3,,cat,2021-02-01 00:00,Any advice?\n"
    )
    with Store(path) as store:
        ingest(store, csv, keep_names=True)
        register_at_first_post(store)
        community(store)
    client = TestClient(create_app(path), base_url=BASE)
    data = client.get("/community.json").json()
    assert data["summary"]["newcomers_near_end"] == 1 and data["summary"]["threads_near_end"] == 1
    assert data["near_end"] == data["summary"]["near_end_note"]
    assert data["near_end"].startswith("1 newcomer and 1 thread posted in the last 19.1 h")
    assert "h of source 'forum' (ending 2021-02-01, 20 first answers)" in data["near_end"]
    assert sum(r["newcomers"] for r in data["responses"]) == 3
    assert next(r["newcomers"] for r in data["responses"] if r["delay"] == UNANSWERED) == 1
    assert f'id="near-end">{data["near_end"]}' in html.unescape(client.get("/community").text)


def test_a_period_none_of_whose_newcomers_can_be_judged_reads_unknown(tmp_path: Path) -> None:
    """February 2021 holds cat's thread alone, posted at the end of the collection: 1 newcomer and 1 thread started,
    none of which can be judged answered (or answered within 3 hours) or not: "-", not "0 of 0"."""
    path = tmp_path / "end.duckdb"
    csv = tmp_path / "forum.csv"
    rows = [f"a{i},t{i},,ann,2021-01-{i:02d} 00:00,My scan {i}.\nb{i},t{i},a{i},bob,2021-01-{i:02d} {i:02d}:00,Ask.\n"
            for i in range(1, 21)]  # fmt: skip
    csv.write_text("message_id,thread_id,reply_to,author,posted_at,text\n" + "".join(rows)
                   + "c3,c3,,cat,2021-02-01 00:00,Any advice?\n")  # fmt: skip
    with Store(path) as store:
        ingest(store, csv, keep_names=True)
        register_at_first_post(store)
        community(store, period="month")
    page = TestClient(create_app(path), base_url=BASE).get("/community").text
    row = page.split('<td class="nowrap">2021-02</td>')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    # messages, active members, newcomers, answered, within 3 h, median; requests...; threads started, never
    # answered, answered within 3 h (test_period_tables)
    assert cells[:6] == ["1", "1", "1", "-", "-", "-"]
    assert cells[10:] == ["1", "-", "-"]
