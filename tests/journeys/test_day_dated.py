"""A source dated by day only (ADFD's phpBB export): its delays are said in days, never in minutes or hours.

The forum below has no time of day. Thread 1: A asks on day 0, B answers the same day (her first message, helping),
A thanks B on day 1. Thread 2: C asks on day 2, D answers the same day (his first message, helping), A helps C on
day 4 without speaking of herself (decentered). By hand:
- first reply to another member: B day 0 (0 days after her first post), A day 1 (1 day), D day 2 (0 days); C
  never: median 0, "same day";
- decentering: A at risk from day 0, decentered on day 4: "4 days"; B and D arrived helping, C censored;
- newcomers' requests: A's and C's first messages open threads, both answered the same day: median "same day";
  B's first message is answered by A on day 1, D's by A on day 4 (2 days): the response-time bins hold 2
  newcomers "same day" and 2 at "1-3 days".
"""

from __future__ import annotations

import re
import threading

import pandas as pd
from forum_builder import Forum

from chrysalide.cli.pipeline import step_figures
from chrysalide.community import community
from chrysalide.journeys import journeys, survival
from chrysalide.pipeline import Timed
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections.community import _delay_chart, section_responses
from chrysalide.report.html.sections.journeys import section_journeys
from chrysalide.report.html.sections.summary import section_summary
from chrysalide.units import dated_by_day, duration, summary_value
from chrysalide.web.reader import Db
from chrysalide.web.views.overview import response_times

# A delay in minutes or hours, as the formatter writes them ("0 min", "24.0 h", "< 1 h", "12-24 h").
SUB_DAY = re.compile(r"\d min\b|\d h\b|< 1 h")


def day(n: int) -> pd.Timestamp:
    return pd.Timestamp("2014-03-10") + pd.Timedelta(days=n)


def _forum(store):
    f = Forum(store, source="adfd")
    for m in (1, 2, 3, 4):
        f.member(m)
    f.thread(1)
    f.thread(2)
    f.post(1, 1, day(0), "Ich brauche Hilfe", code="individual")
    f.post(2, 1, day(0), "Versuch es langsam", code="collaborative")
    f.post(1, 1, day(1), "Danke dir", code="community")
    f.post(3, 2, day(2), "Wer kennt das", code="individual")
    f.post(4, 2, day(2), "Das kenne ich", code="collaborative")
    f.post(1, 2, day(4), "Langsam reduzieren hilft", code="collaborative", decentered=True)
    return f.save()


def test_regression_day_dated_delays_are_days_not_minutes(store) -> None:
    _forum(store)
    j, s, c = journeys(store, permutations=0), survival(store), community(store, k_samples=10)
    assert all(dated_by_day(r.summary) for r in (j, s, c))
    assert j.summary["median_days_to_reply_to_other"] == 0 and j.summary["median_days_to_decentered"] == 4

    lines = [step_figures(Timed(name, 0.1, r)) for name, r in (("journeys", j), ("survival", s), ("community", c))]
    assert "median delay to decentered 4 days" in lines[0]
    assert "request first reply median same day" in lines[2]
    assert not any(SUB_DAY.search(line) for line in lines), lines

    ctx = Context(store)
    milestones = {row[0]: row[3] for row in section_journeys(ctx).tables[0].rows}
    assert milestones["first reply to another member"] == "same day"
    assert milestones["decentered after their time at risk started"] == "4 days"
    responses = section_responses(ctx)
    assert dict(responses.facts)["median delay of answered requests"] == "same day"
    summary = section_summary(ctx)
    assert "(median same day)" in summary.tables[0].rows[1][1]
    # Values only: labels name the study's benchmark, "within 3 h".
    texts = [str(v) for sec in (responses, summary) for v in (*sec.paragraphs, *(value for _, value in sec.facts))]
    texts += [str(cell) for sec in (responses, summary) for t in sec.tables for row in t.rows for cell in row[1:]]
    assert not any(SUB_DAY.search(t) for t in texts), [t for t in texts if SUB_DAY.search(t)]

    rows = ctx.df("SELECT * FROM newcomer_responses WHERE run_id = ?", [c.run_id])
    chart = _delay_chart(rows, by_day=True).data
    assert chart.groupby("delay")["newcomers"].sum().to_dict() == {"same day": 2, "1-3 days": 2}
    bins = response_times(Db("test", store.con.cursor(), {}, threading.Lock()), c.run_id, by_day=True)
    assert {b["delay"]: b["newcomers"] for b in bins if b["newcomers"]} == {"same day": 2, "1-3 days": 2}
    assert bins[0]["delay"] == "same day" and not bins[0]["within_study_hours"]
    assert not any(SUB_DAY.search(b["delay"]) for b in bins)


def test_dated_by_day_takes_the_coarsest_source() -> None:
    minutes, days = {"replies": "tree", "day_only": False}, {"replies": "flat", "day_only": True}
    assert not dated_by_day({"sources": {"reddit": minutes}}) and not dated_by_day({})
    assert dated_by_day({"sources": {"reddit": minutes, "adfd": days}})


def test_durations_by_day() -> None:
    hours = (0.0, 12.0, 24.0, 36.0, 72.0, 24 * 59.2, 24 * 100, 24 * 800)
    assert [duration(h, by_day=True) for h in hours] == [
        "same day", "0.5 days", "1 day", "1.5 days", "3 days", "59 days", "3.3 months", "2.2 years"]  # fmt: skip
    assert duration(0.0) == "0 min" and duration(None, by_day=True) == "-"
    assert summary_value("median_days_to_core", 0.0, by_day=True) == "same day"
    assert summary_value("request_first_reply_median_hours", 24.0, by_day=True) == "1 day"
