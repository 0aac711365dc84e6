"""Each count of those answered in the table by period says what it is out of, and a count no source can see is
"-" (null in ``--json``), in the command line, its ``--json`` and the dashboard alike.

Regressions: r/BPD's 2023 read "newcomers 1,043 | newcomers answered 334" (32%) where 421 newcomers could be seen
answered or not (79% of them: the others first wrote a comment of a source of comments without parents, whose
answers are not recorded); r/mentalhealth's comments without their posts read "requests 0" and "threads started 0"
in every month, and Fiv.fr's ``--json`` periods said 0 where its summary said null.

A source of comments without parents (every comment names only the post it is under), April 2021, by hand (every
member registered at their first message: a newcomer):

- 04-01 10:00 member 1 opens thread 1, coded individual (a request); member 2 comments at 10:30 (1's answer, 0.5 h),
  member 3 comments at 11:00;
- 04-02 09:00 member 4 opens thread 2, coded individual (a request): no one comments;
- 04-03 08:00 member 5 opens thread 3, coded societal (no request); member 2 comments at 13:30 (5.5 h).

6 messages, 5 active members, 5 newcomers; the first messages of 2 and 3 are comments, whose answers the source
does not record: 3 newcomers can be seen answered or not (1, 4, 5), 2 of them answered (1 and 5), 1 within 3 hours
(1), median first answer (0.5 + 5.5) / 2 = 3.0 h; 2 requests, both seen, 1 answered within 3 hours in 30 minutes;
3 threads started, all seen, 1 never answered (thread 2), 1 answered within 3 hours (thread 1).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from forum_builder import Forum, code_all, register_at_first_post  # type: ignore[import-not-found]
from test_period_tables import HEADERS, _command_line, _page_cells  # type: ignore[import-not-found]
from typer.testing import CliRunner
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.cli.main import app
from chrysalide.community import community
from chrysalide.ingest import ingest
from chrysalide.report.periods import OUT_OF
from chrysalide.store import Store
from chrysalide.web.app import create_app

APRIL = ["6", "5", "5", "2 of 3", "1 of 3", "3.0 h", "2", "1", "1", "30 min", "3", "1", "1"]
# Comments whose posts the source lacks: no message opens a thread, so neither threads started nor requests can be
# counted, and no answer can be seen.
OPENLESS = ["2", "2", "2", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"]


def _comments(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store, "posts")
        for member in (1, 2, 3, 4, 5):
            f.member(member)
        f.thread(1), f.thread(2), f.thread(3)
        one = f.post(1, 1, "2021-04-01 10:00", code="individual")
        f.post(2, 1, "2021-04-01 10:30", reply_to=one, code="collaborative")
        f.post(3, 1, "2021-04-01 11:00", reply_to=one, code="community")
        f.post(4, 2, "2021-04-02 09:00", code="individual")
        five = f.post(5, 3, "2021-04-03 08:00", code="societal")
        f.post(2, 3, "2021-04-03 13:30", reply_to=five, code="collaborative")
        f.save()
        community(store)


def _openless(path: Path) -> None:
    """Two members' comments under a post the source lacks (top-level comments exported without their posts)."""
    with Store(path) as store:
        f = Forum(store, "comments")
        f.member(1), f.member(2), f.thread(1)
        for member in (1, 2):
            f.post(member, 1, f"2021-04-0{member} 10:00", code="individual", parent_missing="t3_a")
        f.save()
        community(store)


def _json(path: Path) -> dict:
    printed = CliRunner().invoke(app, ["community", "--db", str(path), "--json"])
    assert printed.exit_code == 0, printed.output
    return json.loads(printed.output)


def test_counts_of_the_answered_say_what_they_are_out_of(tmp_path: Path, wide_console: None) -> None:
    path = tmp_path / "comments.duckdb"
    _comments(path)
    assert _command_line(path) == (HEADERS, APRIL)
    printed = CliRunner().invoke(app, ["community", "--db", str(path)])
    assert " ".join(OUT_OF.split()) in " ".join(printed.output.split())  # what "2 of 3" means, under the tables
    (april,) = _json(path)["periods"]
    assert {key: april[key] for key in (
        "new_members", "newcomers_answered", "newcomers_answered_known", "newcomers_answered_within_3h",
        "newcomers_within_3h_known", "requests", "requests_answered", "requests_answered_known",
        "requests_answered_within_3h", "requests_within_3h_known", "threads_started", "threads_unanswered",
        "threads_answered_known")} == {
        "new_members": 5, "newcomers_answered": 2, "newcomers_answered_known": 3, "newcomers_answered_within_3h": 1,
        "newcomers_within_3h_known": 3, "requests": 2, "requests_answered": 1, "requests_answered_known": 2,
        "requests_answered_within_3h": 1, "requests_within_3h_known": 2, "threads_started": 3,
        "threads_unanswered": 1, "threads_answered_known": 3}  # fmt: skip
    page = TestClient(create_app(path), base_url=BASE).get("/community").text  # last: it holds the file read-only
    assert _page_cells(page) == (HEADERS, APRIL)
    assert f'<p class="note" id="out-of">{OUT_OF}.</p>' in html.unescape(page)


def test_the_periods_add_up_to_the_summary(tmp_path: Path) -> None:
    """The shares of the summary and the counts by period rest on the same newcomers, requests and threads."""
    path = tmp_path / "comments.duckdb"
    _comments(path)
    with Store(path) as store:
        s = store.run_summary(store.latest("community"))
        got = store.con.execute(
            "SELECT sum(newcomers_answered), sum(newcomers_answered_known), sum(newcomers_within_3h_known),"
            " sum(requests_answered_known), sum(requests_within_3h_known), sum(threads_answered_known),"
            " sum(threads_unanswered) FROM community_metrics WHERE run_id = ?",
            [store.latest("community")],
        ).fetchone()
    assert got == (
        round(s["newcomers_answered_share"] * s["newcomers_answered_known"]), s["newcomers_answered_known"],
        s["newcomers_within_3h_known"], s["requests_answered_known"], s["requests_within_3h_known"],
        s["threads_answered_known"], round(s["threads_unanswered_share"] * s["threads_answered_known"]),
    )  # fmt: skip
    assert got == (2, 3, 3, 2, 2, 3, 1)


def test_a_newcomer_whose_answers_are_not_recorded_is_neither_answered_nor_not(tmp_path: Path) -> None:
    """The stored rows' mean of ``answered`` is the summary's share: NULL, not false, where it cannot be seen."""
    path = tmp_path / "comments.duckdb"
    _comments(path)
    with Store(path) as store:
        run = store.latest("community")
        rows = store.con.execute(
            "SELECT member_id, answered FROM newcomer_responses WHERE run_id = ? ORDER BY member_id", [run]
        ).fetchall()
        share = store.run_summary(run)["newcomers_answered_share"]
    assert rows == [(1, True), (2, None), (3, None), (4, False), (5, True)]
    known = [answered for _, answered in rows if answered is not None]
    assert share == pytest.approx(sum(known) / len(known)) == pytest.approx(2 / 3)


def test_comments_without_their_posts_start_no_thread_that_can_be_counted(tmp_path: Path, wide_console: None) -> None:
    path = tmp_path / "openless.duckdb"
    _openless(path)
    assert _command_line(path) == (HEADERS, OPENLESS)
    printed = CliRunner().invoke(app, ["community", "--db", str(path)])
    assert "threads, threads started: no stored message opens a thread" in printed.output
    out = _json(path)
    assert out["summary"]["requests"] is None and out["summary"]["threads"] is None
    (april,) = out["periods"]
    assert april["requests"] is None and april["threads_started"] is None and april["newcomers_answered"] is None
    assert april["new_members"] == 2
    page = TestClient(create_app(path), base_url=BASE).get("/community").text  # last: it holds the file read-only
    assert _page_cells(page) == (HEADERS, OPENLESS)
    assert (
        '<small id="requests-unknown">(no stored message opens a thread: the messages reply to posts the corpus '
        "lacks, so requests cannot be told)</small>" in html.unescape(page)
    )


def test_a_table_without_thread_ids_gives_null_periods_in_json(tmp_path: Path) -> None:
    """Fiv.fr's export (author, date, text): its summary's requests and threads are null, so are its periods'."""
    table = tmp_path / "fiv.csv"
    table.write_text("author,posted_at,text\nann,2021-01-01 10:00,Bonjour\nbea,2021-01-02 11:00,Courage Ann\n",
                     encoding="utf-8")  # fmt: skip
    path = tmp_path / "fiv.duckdb"
    with Store(path) as store:
        ingest(store, table)
        register_at_first_post(code_all(store))
    out = _json(path)
    assert out["summary"]["requests"] is None and out["summary"]["threads"] is None
    assert [
        (p["new_members"], p["requests"], p["threads_started"], p["newcomers_answered"]) for p in out["periods"]
    ] == [(2, None, None, None)]
