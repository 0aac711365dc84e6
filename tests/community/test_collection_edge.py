"""A burst that begins where a source's collected conversations begin (or ends where they end) is a change in what
was collected, not in the forum (r/covidlonghaulers: the week its scraped threads begin); the alert says so."""

import pandas as pd
from forum_builder import Forum

from chrysalide.community import alerts, stored_alerts
from chrysalide.community.alerts import collection_edges

START = pd.Timestamp("2021-01-04")  # a Monday


def _forum(store, *, quiet_weeks: int = 40, collected_weeks: int = 3) -> None:
    """``quiet_weeks`` of a member history: 5 comments a week, each naming a parent the file lacks (replies not
    collected); then ``collected_weeks`` of whole conversations: 5 thread starts a day, each with a reply to it."""
    f = Forum(store)
    for m in range(1, 6):
        f.member(m)
    thread = 0
    for week in range(quiet_weeks):
        for k in range(5):
            thread += 1
            f.thread(thread)
            f.post(
                1 + k,
                thread,
                START + pd.Timedelta(days=7 * week + k),
                "fatigue brain fog",
                parent_missing=f"t1_{thread}",
            )
    for day in range(7 * collected_weeks):
        at = START + pd.Timedelta(days=7 * quiet_weeks + day)
        for k in range(5):
            thread += 1
            f.thread(thread)
            first = f.post(1 + k, thread, at + pd.Timedelta(hours=9), "brain fog and a crash today")
            f.post(1 + (k + 1) % 5, thread, at + pd.Timedelta(hours=10), "rest and pace", reply_to=first)
    f.save()


def test_a_burst_where_the_collected_conversations_begin_is_flagged(store):
    """By hand: weeks 0-39 hold 5 messages each, weeks 40-42 hold 70 (35 starts, 35 replies): one volume burst,
    2021-10-11 (week 40) to 2021-10-31; the collected stretch begins on its first day, 2021-10-11."""
    _forum(store)
    out = alerts(store)
    volume = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume"]
    assert [(str(a["start_at"]), str(a["end_at"]), a["collection_edge"]) for a in volume] == [
        ("2021-10-11", "2021-10-31", True)
    ]
    assert out.summary["collection_edge"] == [volume[0]["alert_id"]]


def test_edges_by_the_weeks_of_a_stretch(store):
    """The collected stretch runs from Monday 2021-10-11 to the end of the data, its first week 2021-10-11 to 10-17.
    A burst is at its edge when its first or last week shares a day with that one: that of 2021-10-11 begins there,
    that of 2021-03-01 to 10-17 ends there (the series' first weeks of whole conversations); those of 2021-10-04 (to
    10-10), 2021-10-18 and 2021-03-01 to 10-10 do not meet it. Ending with the data is no edge: nothing follows."""
    _forum(store)
    found = pd.DataFrame({
        "start_at": pd.to_datetime(["2021-10-04", "2021-10-11", "2021-10-18", "2021-03-01", "2021-03-01"]).date,
        "end_at": pd.to_datetime(["2021-10-10", "2021-10-31", "2021-10-24", "2021-10-17", "2021-10-10"]).date,
    })  # fmt: skip
    assert collection_edges(store.con, found).tolist() == [False, True, False, True, False]


def test_a_burst_ending_where_collection_ends_is_flagged(store):
    """Whole conversations first (weeks 0-2), then 40 weeks of a member history: the stretch ends on 2021-01-24,
    so a burst whose last week is that of 2021-01-18 ends at the edge; one ending a week later does not."""
    f = Forum(store)
    for m in range(1, 6):
        f.member(m)
    thread = 0
    for day in range(21):
        for k in range(5):
            thread += 1
            f.thread(thread)
            first = f.post(1 + k, thread, START + pd.Timedelta(days=day, hours=9), "brain fog")
            f.post(1 + (k + 1) % 5, thread, START + pd.Timedelta(days=day, hours=10), "pace", reply_to=first)
    for week in range(3, 43):
        thread += 1
        f.thread(thread)
        f.post(1, thread, START + pd.Timedelta(days=7 * week), "fatigue", parent_missing=f"t1_{thread}")
    f.save()
    found = pd.DataFrame({"start_at": pd.to_datetime(["2021-01-04", "2021-01-04"]).date,
                          "end_at": pd.to_datetime(["2021-01-24", "2021-01-31"]).date})  # fmt: skip
    assert collection_edges(store.con, found).tolist() == [True, False]
    assert [a["collection_edge"] for a in stored_alerts(store, alerts(store).run_id) if a["kind"] == "volume"] == [True]


def test_a_source_collected_throughout_has_no_edge(store):
    """Whole conversations all along: no stretch begins or ends, whatever the burst."""
    _forum(store, quiet_weeks=0, collected_weeks=10)
    found = pd.DataFrame({"start_at": [START.date()], "end_at": [(START + pd.Timedelta(days=69)).date()]})
    assert collection_edges(store.con, found).tolist() == [False]
