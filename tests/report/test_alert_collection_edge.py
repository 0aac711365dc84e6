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


#: The heavier burst's threads, as an alerts run keeps them (``few_threads``): 4 threads, the largest half.
FEW = {"1": {"threads": 4, "unthreaded": 0, "top_thread_share": 0.5}}


def test_the_report_says_a_burst_of_a_few_threads_is_no_event(store: Store) -> None:
    """The heavier burst rests on 4 threads: the crisis finding names it with that reading and the heaviest other
    burst beside it, as it does one member's; the alerts section says why, with its threads."""
    weekly_alerts(store, ALERTS)
    store.con.execute("UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"few_threads": FEW})])
    ctx = Context(store)
    few = "a few conversations (or ones that cannot be counted) rather than the forum"
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "crisis"]
    assert row[1] == (
        "heaviest burst in a share: collaborative messages, 2018-10-29 to 2018-11-04 (1 week), 1.7 times their average "
        f"share of the week's messages: {few}; heaviest other burst in a share: societal messages, 2018-09-03 to "
        "2018-10-14 (6 weeks), 1.9 times their average share of the week's messages"
    )
    said = [p for p in section_alerts(ctx).paragraphs if "threads" in p]
    assert said == [
        "Burst whose messages lie in fewer than 20 threads (or may, in a table without thread ids), or more than a "
        "third of whose messages one thread holds (collaborative messages, 2018-10-29 to 2018-11-04 (1 week): 4 threads, the largest holding 50% of its "
        f"messages): {few}. The messages of a thread answer one another, so that a few conversations on one subject "
        "make a burst the weekly series cannot tell from a crisis; read their threads."
    ]


#: A source that looks like a selection of threads not declared, as an alerts run keeps it.
UNDECLARED = {"comments": {"capped_threads": {"threads": 1000, "size": 10, "at_size": 964}}}
#: What the report says of it beside the bursts of volume.
UNDECLARED_SAID = (
    "source 'comments' was not declared a selection of threads at import but looks like one (964 of the 1,000 threads "
    "(96%) hold exactly 10 messages and none holds more, as in an export cut at 10 messages a thread): its weekly "
    "volume counts the threads the export took, so that a burst of volume may be the export's rather than the "
    "forum's; if it is one, import it again with --sampled-threads (into a new database)"
)


def test_the_report_says_an_undeclared_selection_beside_the_bursts_of_volume(store: Store) -> None:
    """r/mentalhealth's comment table, not declared: its heaviest short burst of volume was the comments of 68
    sampled posts, with no word of it."""
    weekly_alerts(store, [("volume", "messages", "2016-01-04", "2016-02-07", 5, 3.0, 90.0)])
    store.con.execute(
        "UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"undeclared_selections": UNDECLARED})]
    )
    ctx = Context(store)
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "crisis"]
    assert row[1].endswith(f"(3.0 times the average week); {UNDECLARED_SAID}; no burst in a stage's or watched term's "
                           "share")  # fmt: skip
    assert f"{UNDECLARED_SAID[0].upper()}{UNDECLARED_SAID[1:]}." in section_alerts(ctx).paragraphs


def test_without_a_burst_of_volume_the_selection_is_not_said_there(store: Store) -> None:
    """Its bursts in a share are relative to each week's volume: nothing to say beside them."""
    weekly_alerts(store, ALERTS)
    store.con.execute(
        "UPDATE runs SET summary = ? WHERE stage = 'alerts'", [json.dumps({"undeclared_selections": UNDECLARED})]
    )
    ctx = Context(store)
    assert not any("not declared" in p for p in section_alerts(ctx).paragraphs)
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "crisis"]
    assert "not declared" not in row[1]
