"""Arrived helping, the time at risk and decentering read only the members whose arrival the record shows.

Regression: on r/covidlonghaulers (histories and one scraped week of threads) 992 of the 1,076 members coded were
first seen in the scraped week, most of whom had posted in the subreddit before, yet were counted as arriving
helping or at risk from their "first" request. The rule is the newcomers' (view ``member_arrivals``, migration 0023).
"""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import entry_table, journeys, member_table, survival
from chrysalide.journeys.decentering import arrival_unseen_text


def _forum(store) -> None:
    """The record starts with D's first message on 2020-01-01 (the source's first), so its burn-in ends on 03-31.

    A and B have no registration date (a Reddit export's) and are first seen in the burn-in: their arrival is not
    shown. A's first message helps (collaborative); B asks on 01-10 and decenters on 01-11. C, also unregistered, is
    first seen on 05-01, after the burn-in: she asks and decenters 4 days later. D, registered at her first post,
    arrives helping; E, registered at hers, asks on 02-01 and is censored at her last message on 02-11.
    """
    f = Forum(store)
    a, b, c = (f.member(i, registered_at=None) for i in (1, 2, 3))
    d, e = f.member(4), f.member(5)
    for t in range(1, 8):
        f.thread(t)
    f.post(d, 1, "2020-01-01 00:00", "welcome, here is how to get tested", code="collaborative", decentered=True)
    f.post(a, 2, "2020-01-02 00:00", "try pacing, it helped many here", code="collaborative", decentered=True)
    f.post(b, 3, "2020-01-10 00:00", "my fatigue is getting worse", code="individual")
    f.post(b, 2, "2020-01-11 00:00", "rest helps, take care", code="collaborative", decentered=True)
    f.post(e, 4, "2020-02-01 00:00", "is this brain fog normal?", code="individual")
    f.post(e, 4, "2020-02-11 00:00", "still foggy", code="individual")
    f.post(c, 5, "2020-05-01 00:00", "new here, my heart races", code="individual")
    f.post(c, 6, "2020-05-05 00:00", "see a cardiologist, it helped", code="collaborative", decentered=True)
    f.save()


def test_members_whose_arrival_is_unseen_are_left_out_and_counted(store):
    """By hand: of the 5 members coded, A and B are left out; of C, D and E, D arrived helping (1 of 3), C and E are
    at risk, C decentered (after 4 days). Counting A and B would give 2 arrived helping and 3 at risk, 2 decentered."""
    _forum(store)
    s = journeys(store, permutations=0).summary
    assert (s["members_coded"], s["members_arrival_unseen"]) == (5, 2)
    assert (s["arrived_helping"], s["at_risk"], s["decentered"], s["reached_decentered"]) == (1, 2, 1, 1)
    assert s["arrived_helping_share"] == pytest.approx(1 / 3) and s["burn_in_days"] == 90
    j = member_table(store, store.latest("journeys")).set_index("member_id")
    assert pd.isna(j.loc[1, "arrived_helping"]) and pd.isna(j.loc[2, "at_risk_since"])
    assert pd.isna(j.loc[2, "days_to_decentered"]) and j.loc[3, "days_to_decentered"] == pytest.approx(4.0)
    assert bool(j.loc[4, "arrived_helping"]) and j.loc[5, "at_risk_since"] == pd.Timestamp("2020-02-01")
    assert len(j) == 5 and j["segment"].notna().all()  # the member figures keep every member
    # Milestones: dates for every member, delays only where the arrival is shown. B's first collaborative message
    # (01-11) is a day after her first recorded one, which need not be her first: no delay; C's, 4 days.
    assert j.loc[2, "first_collaborative_at"] == pd.Timestamp("2020-01-11") and pd.isna(
        j.loc[2, "days_to_collaborative"]
    )
    assert j.loc[3, "days_to_collaborative"] == pytest.approx(4.0) and j.loc[4, "days_to_collaborative"] == 0


def test_survival_reads_the_same_members(store):
    """The curve starts with C and E at risk: C decentered on day 4, E censored on day 10, so the Kaplan-Meier
    estimate falls to 1/2 on day 4."""
    _forum(store)
    table = entry_table(store).set_index("member_id")
    assert sorted(table.index) == [3, 5]
    assert table.loc[3, "days"] == pytest.approx(4.0) and bool(table.loc[3, "event"])
    assert table.loc[5, "days"] == pytest.approx(10.0) and not table.loc[5, "event"]
    out = survival(store).summary
    assert (out["at_risk"], out["decentered"], out["members_arrival_unseen"]) == (2, 1, 2)
    curve = store.con.execute("SELECT days, survival, at_risk FROM survival_curve ORDER BY days").df()
    assert curve["at_risk"].iloc[0] == 2 and curve.set_index("days").loc[4.0, "survival"] == pytest.approx(0.5)
    said = arrival_unseen_text(out)
    assert said.startswith("2 members whose arrival the record does not show are left out") and "90 days" in said


def test_the_key_finding_says_of_whom_the_arrived_helping_share_is(store):
    """D arrived helping, 1 of the 3 members whose arrival the record shows (33%), not of the 5 coded."""
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections import section_summary

    _forum(store)
    journeys(store, permutations=0)
    row = next(r for r in section_summary(Context(store)).tables[0].rows if r[0] == "decentering")
    assert "33% of the members whose arrival the record shows arrived helping" in row[1]


def test_the_report_says_how_many_members_a_milestone_delay_rests_on(store):
    """Regression: the report's milestone table counted every member reaching a milestone beside a median delay of
    only the members whose arrival the record shows (r/covidlonghaulers: 756 reached their first collaborative
    message, the median delay rested on 64). By hand: A, B, C and D reach it; only C (4 days) and D (0) are timed."""
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections import section_journeys

    _forum(store)
    journeys(store, permutations=0)
    table = section_journeys(Context(store)).tables[0]
    (row,) = [r for r in table.rows if r[0] == "first collaborative message"]
    assert row[1] == 4 and str(row[3]).endswith(" (of 2)") and str(row[3]).startswith("2 ")
    (row,) = [r for r in table.rows if r[0] == "decentered after their time at risk started"]
    assert row[1] == 1 and "(of" not in str(row[3])  # C alone reached it, and is timed


def test_when_no_arrival_is_shown_the_decentering_finding_says_why_in_words(store):
    """Regression: with every member first seen in the burn-in (one scraped week; ADFD declared a selection of
    threads) the finding read "0 of the 0 members at risk (0%) ...; - of the members whose arrival the record shows
    arrived helping", a dash inside a sentence. By hand: A and B, unregistered, post within the record's first days."""
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections import section_summary

    f = Forum(store)
    a, b = (f.member(i, registered_at=None) for i in (1, 2))
    f.thread(1), f.thread(2)
    f.post(a, 1, "2020-01-01 00:00", "my fatigue is getting worse", code="individual")
    f.post(b, 2, "2020-01-02 00:00", "rest helps, take care", code="collaborative", decentered=True)
    f.post(a, 2, "2020-01-03 00:00", "pacing helped me", code="collaborative", decentered=True)
    f.save()
    journeys(store, permutations=0)
    (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == "decentering"]
    assert str(row[1]).startswith("not measurable: 2 members whose arrival the record does not show are left out")
    assert " - " not in str(row[1]) and "0 of the 0" not in str(row[1])
