"""Decentering as the passage from asker to helper: every reading of the definition on a forum coded by hand.

Members (day 0 = 2021-01-01 09:00; one thread each, so nothing else interferes):
1. asks on day 0, thanks on day 1, decentered on day 5: at risk from day 0, decentered after 5 days;
2. first message collaborative (helps, mentions her own case), asks on day 3, decentered on day 4: arrived
   helping, never at risk;
3. 'other' on day 0 ("hi"), decentered on day 2, first request on day 10, decentered on day 15: at risk from
   her request (day 10), decentered after 5 days; her day-2 help came before any request;
4. only 'community' messages, days 0 and 4: never asks, at risk from her first message, censored on day 4;
5. an uncoded message on day 0, asks on day 1, decentered on day 3: at risk from her first coded message,
   decentered after 2 days;
6. only uncoded messages: no decentering row, not counted;
7. one request on day 0, nothing else: at risk, censored at once (day 0);
8. 'societal' on day 0, decentered on day 20, never asks: at risk from day 0, decentered after 20 days;
9. first message decentered (collaborative, about someone else only): arrived helping, as 2;
10. asks on day 0; her decentered message is undated: undated messages do not count, censored at day 6.
"""

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import ProgressionSurvival, entry_table, journeys, member_table, survival
from chrysalide.journeys.decentering import decentering_table

DAY0 = pd.Timestamp("2021-01-01 09:00")


def day(n: float) -> pd.Timestamp:
    return DAY0 + pd.Timedelta(days=n)


def _forum(store):
    f = Forum(store)
    plan = {
        1: [(0, "individual", False), (1, "community", False), (5, "collaborative", True)],
        2: [(0, "collaborative", False), (3, "individual", False), (4, "collaborative", True)],
        3: [(0, "other", False), (2, "collaborative", True), (10, "individual", False), (15, "collaborative", True)],
        4: [(0, "community", False), (4, "community", False)],
        5: [(0, None, False), (1, "individual", False), (3, "collaborative", True)],
        6: [(0, None, False), (4, None, False)],
        7: [(0, "individual", False)],
        8: [(0, "societal", False), (20, "collaborative", True)],
        9: [(0, "collaborative", True), (2, "individual", False)],
        10: [(0, "individual", False), (6, "community", False)],
    }
    for member, posts in plan.items():
        f.member(member)
        f.thread(member)
        for offset, code, decentered in posts:
            f.post(member, member, day(offset), code=code, decentered=decentered)
    f.messages.append({**f.messages[-1], "message_id": 99, "native_id": "99", "member_id": 10, "posted_at": None,
                       "record_no": 99, "content_hash": "99"})  # fmt: skip
    f.codes.append({"run_id": 1, "message_id": 99, "primary_code": "collaborative", "decentered": True,
                    "origin": "human", "coder": "test", "decided_at": pd.Timestamp("2024-01-01")})  # fmt: skip
    return f.save()


# member -> (arrived_helping, at_risk_since day, entry, decentered day) as derived in the module docstring
EXPECTED = {
    1: (False, 0, "request", 5), 2: (True, None, None, None), 3: (False, 10, "request", 15),
    4: (False, 0, "first_message", None), 5: (False, 1, "request", 3), 7: (False, 0, "request", None),
    8: (False, 0, "first_message", 20), 9: (True, None, None, None), 10: (False, 0, "request", None),
}  # fmt: skip


def test_view_reads_the_definition(store):
    _forum(store)
    view = decentering_table(store).set_index("member_id")
    assert sorted(view.index) == sorted(EXPECTED)  # member 6 has no coded message
    for member, (helping, since, entry, decentered) in EXPECTED.items():
        row = view.loc[member]
        assert bool(row["arrived_helping"]) is helping, member
        assert (row["at_risk_since"] == day(since)) if since is not None else pd.isna(row["at_risk_since"]), member
        assert (row["entry"] == entry) if entry else row["entry"] is None, member
        if decentered is None:
            assert pd.isna(row["decentered_at"]), member
        else:
            assert row["decentered_at"] == day(decentered), member
            assert row["days_to_decentered"] == pytest.approx(decentered - since), member
    assert view["decentered_before_entry"].tolist() == [m == 3 for m in view.index]


def test_journeys_survival_and_summaries_agree(store):
    """The journeys table, the survival table and both summaries give the same members and delays."""
    _forum(store)
    j = member_table(store, journeys(store, permutations=0).run_id).set_index("member_id")
    table = entry_table(store).set_index("member_id")
    at_risk = [m for m, e in EXPECTED.items() if not e[0]]
    assert sorted(table.index) == at_risk
    for member, (helping, since, _entry, decentered) in EXPECTED.items():
        assert bool(j.loc[member, "arrived_helping"]) is helping
        if decentered is not None:
            assert j.loc[member, "days_to_decentered"] == pytest.approx(decentered - since)
            assert table.loc[member, "days"] == pytest.approx(decentered - since) and table.loc[member, "event"]
        else:
            assert pd.isna(j.loc[member, "first_decentered_at"])
    assert pd.isna(j.loc[6, "arrived_helping"]) and pd.isna(j.loc[6, "days_to_decentered"])
    # Censored at the last dated message: 4 on day 4, 7 at once, 10 on day 6 (her undated message is ignored).
    assert [table.loc[m, "days"] for m in (4, 7, 10)] == [4, 0, 6]
    js = journeys(store, permutations=0).summary
    ss = survival(store).summary
    for key in ("members_coded", "arrived_helping", "at_risk", "decentered", "at_risk_without_request"):
        assert js[key] == ss[key]
    assert (js["members_coded"], js["arrived_helping"], js["at_risk"], js["decentered"]) == (9, 2, 7, 4)
    assert js["arrived_helping_share"] == pytest.approx(2 / 9) and js["at_risk_without_request"] == 2
    assert js["reached_decentered"] == 4 and js["decentered_before_entry"] == 1
    # Delays of the four who decentered: 5, 5, 2, 20 days -> median 5 among them.
    assert js["median_days_to_decentered"] == ss["median_days_among_decentered"] == pytest.approx(5.0)
    assert ss["censored_at_entry"] == 1


def test_kaplan_meier_by_hand(store):
    """Durations (member): 0+ (7), 2 (5), 4+ (4), 5 (1), 5 (3), 6+ (10), 20 (8); + = censored. 7 leaves at day 0
    without an event, so S(2) = 5/6, S(5) = 5/6 * 2/4 = 5/12, S(20) = 0: the curve first falls below 1/2 at 5 days,
    with 4 members at risk, too few for its median to be reported."""
    _forum(store)
    model = ProgressionSurvival().fit(entry_table(store))
    curve = model.km_.set_index("days")
    assert curve.loc[0.0, "at_risk"] == 7 and curve.loc[0.0, "events"] == 0
    assert curve.loc[2.0, "survival"] == pytest.approx(5 / 6)
    assert curve.loc[5.0, "survival"] == pytest.approx(5 / 12)
    assert curve.loc[20.0, "survival"] == pytest.approx(0.0)
    assert model.median_.estimate == pytest.approx(5.0) and model.median_.at_risk == 4
    assert model.median_days_ is None
