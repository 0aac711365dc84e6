"""The dashboard's alerts page says how many messages hold each watched term, as ``chrysalide alerts`` does, from the
run's own counts (``community.alerts.watch_counts``), the terms escaped: a watch term is what a user typed.

Regression: the page listed the watched terms ("watching levothyrox, insuline") without how many messages hold each,
so a term no message holds looked like a frequent one without a burst there, as it did on the command line before.

A forum by hand, 2021 (member 9 writes every message, thread titles kept apart as patient.info's and phpBB's):
- thread 1, titled "Levothyrox : nouvelle formule": its opening message "j'ai des vertiges" holds 'levothyrox' by its
  title; the reply "moi aussi" does not;
- thread 2: "LEVOTHYROX encore" (any case);
- thread 3: "un avis <b>franc</b> svp" (holds the term '<b>', markup as a user may type it);
- thread 4: "rien à voir".
'levothyrox': threads 1 and 2, 2 messages; '<b>': 1; 'insuline': none.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum, weekly_alerts  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.community import alerts
from chrysalide.store import Store
from chrysalide.web.app import create_app

WATCH = ["levothyrox", "<b>", "insuline"]


def _forum(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store)
        f.member(9)
        f.thread(1, title="Levothyrox : nouvelle formule")
        for thread in (2, 3, 4):
            f.thread(thread, title="une question")
        first = f.post(9, 1, "2021-03-01 10:00", "j'ai des vertiges")
        f.post(9, 1, "2021-03-01 11:00", "moi aussi", reply_to=first)
        f.post(9, 2, "2021-03-08 10:00", "LEVOTHYROX encore")
        f.post(9, 3, "2021-03-15 10:00", "un avis <b>franc</b> svp")
        f.post(9, 4, "2021-03-22 10:00", "rien à voir")
        f.save()
        alerts(store, watch=WATCH)


def test_the_page_says_how_many_messages_hold_each_term(tmp_path: Path) -> None:
    path = tmp_path / "watched.duckdb"
    _forum(path)
    page = TestClient(create_app(path), base_url=BASE).get("/alerts").text
    (counts,) = re.findall(r'<p id="watch-counts">.*?</p>', page)
    assert html.unescape(counts) == (
        '<p id="watch-counts">Messages holding each watched term (members\' dated messages): <q>levothyrox</q> 2, '
        "<q><b></q> 1.</p>"
    )
    assert "<q>&lt;b&gt;</q> 1" in counts and "<q><b></q>" not in page  # the typed markup is shown, not read
    assert (
        '<p class="note watch-unheld">No message contains <q>insuline</q>: a term no message holds cannot burst.'
        in page
    )
    assert "insuline</q> 0" not in page


def test_a_run_that_did_not_count_them_says_nothing_of_them(tmp_path: Path) -> None:
    """A run made before ``members-weekly/9`` has no ``watch_messages``: no count, rather than 0 for every term."""
    path = tmp_path / "older.duckdb"
    with Store(path) as store:
        weekly_alerts(store, [("term", "levothyrox", "2016-01-04", "2016-02-07", 5, 3.0, 90.0)])
        store.con.execute(
            "UPDATE runs SET summary = ?, params = ? WHERE stage = 'alerts'",
            [json.dumps({"alerts": 1}), json.dumps({"watch": ["levothyrox"]})],
        )
    page = TestClient(create_app(path), base_url=BASE).get("/alerts").text
    assert "watching levothyrox" in page
    assert 'id="watch-counts"' not in page and "No message contains" not in page


def test_the_report_says_them_alike(tmp_path: Path) -> None:
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections.alerts import section_alerts

    path = tmp_path / "watched.duckdb"
    _forum(path)
    with Store(path) as store:
        said = [
            p
            for p in section_alerts(Context(store)).paragraphs
            if "watched term" in p or p.startswith("No message contains")
        ]
    assert said == [
        "Messages holding each watched term (members' dated messages): 'levothyrox' 2, '<b>' 1.",
        "No message contains 'insuline': a term no message holds cannot burst.",
    ]
