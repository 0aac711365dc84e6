"""The corpus's count of threads says how many lack their opening message when many do.

Regression: the r/covidlonghaulers histories gave "20,385 messages in 15,712 threads", where 14,101 of those
threads hold no opening message (comments whose thread start the corpus lacks, often one or two): a reader took
them for 15,712 conversations.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum

from chrysalide.community import community
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_overview, section_summary
from chrysalide.report.html.sections.overview import openless
from chrysalide.store import Store
from chrysalide.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_fixtures import BASE  # noqa: E402

SAID = "2 of them without their opening message, which the corpus lacks"


def test_the_clause_names_the_threads_without_opening_from_a_tenth():
    assert openless({"threads_without_opening": 14_101}, 15_712).startswith("14,101 of them without their opening")
    assert openless({"threads_without_opening": 9}, 100) == ""
    assert openless({"threads_without_opening": 10}, 100) != ""
    assert openless({}, None) == ""


def test_the_clause_says_how_long_those_threads_are():
    """Regression: r/mentalhealth's comment table, 10 comments in each of 964 of its 1,000 threads, was "pieces of
    conversations, often a comment or two". A run made before the median was kept says nothing of their size."""
    said = "1,000 of them without their opening message, which the corpus lacks: pieces of conversations"
    assert openless({"threads_without_opening": 1000, "threads_without_opening_median_messages": 10}, 1000) == (
        f"{said}, 10 messages in the median one"
    )
    assert openless({"threads_without_opening": 1000, "threads_without_opening_median_messages": 2}, 1000) == (
        f"{said}, often a comment or two"
    )
    assert openless({"threads_without_opening": 1000}, 1000) == said


def _forum(store: Store) -> None:
    """By hand: a tree source of 3 threads; two hold only a reply to a message the source lacks."""
    f = Forum(store)
    f.member(1), f.member(2)
    for t in (1, 2, 3):
        f.thread(t)
    start = f.post(1, 1, "2021-01-01 10:00", "any advice?")
    f.post(2, 1, "2021-01-01 11:00", "rest", reply_to=start)
    f.post(2, 2, "2021-01-02 11:00", "same here", parent_missing="t1_gone")
    f.post(1, 3, "2021-01-03 11:00", "thanks", parent_missing="t1_lost")
    f.save()
    community(store)


def test_the_overview_and_the_corpus_row_say_it(store):
    _forum(store)
    ctx = Context(store)
    assert (
        dict(section_overview(ctx).facts)["threads"] == f"3 ({SAID}: pieces of conversations, often a comment or two)"
    )
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "corpus"]
    assert str(row[1]).startswith(f"4 messages in 3 threads ({SAID}")


def test_the_dashboard_overview_says_it(tmp_path: Path):
    """Regression: the dashboard's overview gave the 3 threads without the clause the report gives."""
    path = tmp_path / "openless.duckdb"
    with Store(path) as store:
        _forum(store)
    client = TestClient(create_app(path), base_url=BASE)
    assert client.get("/.json").json()["threads_apart"].startswith(SAID)
    assert f'<small id="threads-apart">({SAID}' in client.get("/").text


def _comments(path: Path, sizes: list[int]) -> Path:
    """A table of comments, thread ``t`` holding ``sizes[t]`` of them, each replying to a post the table lacks: every
    thread is without its opening message."""
    rows = ["message_id,thread_id,author,posted_at,text,reply_to"]
    for t, size in enumerate(sizes):
        rows += [f"m{t}-{i},t{t},a{i},2021-01-{1 + t:02d} {10 + i}:00,reply {i},p{t}" for i in range(size)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_overview_gives_the_median_size_of_comments_kept_by_the_ten(store, tmp_path):
    """A scraper's 4 comments of most posts (r/mentalhealth's 10): the run keeps their median size, the overview
    says it."""
    sizes = [4] * 15 + [1, 2, 3, 2, 1]
    ingest(store, _comments(tmp_path / "c.csv", sizes))
    summary = community(store).summary
    median = statistics.median(sizes)
    assert (summary["threads_without_opening"], summary["threads_without_opening_median_messages"]) == (20, median)
    assert dict(section_overview(Context(store)).facts)["threads"] == (
        f"20 (20 of them without their opening message, which the corpus lacks: pieces of conversations, {median:g} "
        "messages in the median one)"
    )


def test_members_comments_a_comment_or_two_a_thread_are_said_so(store, tmp_path):
    """Members' comments without their conversations: threads of 1 or 2 messages (r/covidlonghaulers' histories)."""
    ingest(store, _comments(tmp_path / "c.csv", [1 + t % 2 for t in range(10)]))
    community(store)
    assert dict(section_overview(Context(store)).facts)["threads"].endswith(
        "pieces of conversations, often a comment or two)"
    )
