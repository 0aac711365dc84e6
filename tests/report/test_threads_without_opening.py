"""The corpus's count of threads says how many lack their opening message when many do.

Regression: the r/covidlonghaulers histories gave "20,385 messages in 15,712 threads", where 14,101 of those
threads hold no opening message (comments whose thread start the corpus lacks, often one or two): a reader took
them for 15,712 conversations.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum

from chrysalide.community import community
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
    assert dict(section_overview(ctx).facts)["threads"].startswith(f"3 ({SAID}")
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
