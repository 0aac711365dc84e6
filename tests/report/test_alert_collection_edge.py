"""A burst at an edge of the collected conversations (its alerts run names it: ``collection_edge``) is said to be a
change in what was collected, once, where the report and the dashboard name it; the crisis finding names the
heaviest other burst beside it (r/covidlonghaulers: the collaborative burst of the week its scraped threads begin).
By hand: a series of 200 weeks (one message a week) and two bursts in a share, the heavier one at the edge."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "journeys"))
from forum_builder import weekly_alerts  # noqa: E402

from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections import section_summary  # noqa: E402
from chrysalide.report.html.sections.alerts import section_alerts  # noqa: E402
from chrysalide.store import Store  # noqa: E402

#: Also read by the dashboard's test (tests/web/test_alerts_collection_edge.py).
ALERTS = [("stage", "collaborative", "2018-10-29", "2018-11-04", 1, 1.7, 40.0),
          ("stage", "societal", "2018-09-03", "2018-10-14", 6, 1.9, 20.0)]  # fmt: skip
READING = ("a change in what was collected rather than in the forum (its first or last week meets the first week of "
           "a source, of a member's record or of the days over which a source's replies were collected, or the last "
           "week of a source or of those days; or, a burst of volume, every source is declared a selection of "
           "threads, whose weekly volume counts the threads taken)")  # fmt: skip


def _store(store: Store) -> Store:
    weekly_alerts(store, ALERTS)
    store.con.execute("UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"collection_edge": [1]})])
    return store


def test_the_report_says_a_burst_at_the_edge_is_a_change_of_collection(store: Store) -> None:
    ctx = Context(_store(store))
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "crisis"]
    assert row[1] == (
        "heaviest burst in a share: collaborative messages, 2018-10-29 to 2018-11-04 (1 week), 1.7 times their average "
        f"share of the week's messages: {READING}; heaviest other burst in a share: societal messages, 2018-09-03 to "
        "2018-10-14 (6 weeks), 1.9 times their average share of the week's messages"
    )
    said = [p for p in section_alerts(ctx).paragraphs if "edge of the collected" in p]
    assert said == [
        "Burst at an edge of the collected conversations (collaborative messages, 2018-10-29 to 2018-11-04 (1 week)): "
        f"{READING}."
    ]


def test_the_report_says_a_burst_one_member_wrote_most_of_is_their_voice(store: Store) -> None:
    """The heavier burst is one member's (their alerts run names it: ``one_voice``, 55% of its messages): the crisis
    finding names it with that reading and the heaviest other burst beside it; the alerts section says why."""
    weekly_alerts(store, ALERTS)
    store.con.execute("UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"one_voice": {"1": 0.55}})])
    ctx = Context(store)
    voice = "one member's spell of posting rather than the forum's"
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "crisis"]
    assert row[1] == (
        "heaviest burst in a share: collaborative messages, 2018-10-29 to 2018-11-04 (1 week), 1.7 times their average "
        f"share of the week's messages: {voice}; heaviest other burst in a share: societal messages, 2018-09-03 to "
        "2018-10-14 (6 weeks), 1.9 times their average share of the week's messages"
    )
    said = [p for p in section_alerts(ctx).paragraphs if "one member wrote" in p]
    assert said == [
        "Burst more than a third of whose messages one member wrote (collaborative messages, 2018-10-29 to 2018-11-04 "
        f"(1 week): 55%): {voice}, as a lexical class one member wrote most of is their voice."
    ]
