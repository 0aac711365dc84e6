"""Every milestone, delay, transition and run of the reference forum, derived by hand."""

import math

import pandas as pd
import pytest
from forum_builder import Forum, reference_forum

from chrysalide.journeys import journey, journeys, member_table, panel


class Stored:
    """A journeys run with its tables read back: what a reader of the store gets."""

    def __init__(self, store, result):
        self.run_id, self.summary = result.run_id, result.summary
        self.members = member_table(store, result.run_id)
        self.stages = result.table(store, "journey_stages", "member_id, seq")
        self.transitions = result.table(store, "journey_transitions", "from_stage, to_stage")


@pytest.fixture
def result(store):
    reference_forum(store)
    return Stored(store, journeys(store, permutations=99))


def _row(result, member_id):
    return result.members.set_index("member_id").loc[member_id]


def test_milestones_and_delays_of_member_a(result):
    """A starts T1 on 2020-01-01 10:00; thanks B on 01-02 (her first reply to another: B's message is the
    previous one of the flat thread); decentered on 01-10; societal on 02-01; the May triangle A-B-C makes A
    core at 05-01 12:00."""
    a = _row(result, 1)
    assert a["first_post_at"] == pd.Timestamp("2020-01-01 10:00")
    assert a["n_messages"] == 7 and a["active_days"] == 6 and a["n_coded"] == 4
    assert a["first_reply_to_other_at"] == pd.Timestamp("2020-01-02 10:00")
    assert a["days_to_reply_to_other"] == pytest.approx(1.0)
    assert a["days_to_community"] == pytest.approx(1.0)
    assert a["days_to_collaborative"] == pytest.approx(8 + 23 / 24)
    assert a["days_to_decentered"] == pytest.approx(8 + 23 / 24)  # from her request, her first message
    assert a["at_risk_since"] == a["first_post_at"] and not a["arrived_helping"]
    assert a["days_to_societal"] == pytest.approx(31.0)
    assert a["core_entry_at"] == pd.Timestamp("2020-05-01 12:00")
    assert a["days_to_core"] == pytest.approx(121 + 2 / 24)


def test_other_members(result):
    """B's first message helps A (collaborative): she arrived helping, so she has no decentering milestone and no
    time at risk. C asks twice and never helps. D registered in 2019, before the record starts (2020-01-01): the
    record does not show her arrive (view member_arrivals), so her first recorded message, the forum rules, starts
    no time at risk."""
    b, c, d = _row(result, 2), _row(result, 3), _row(result, 4)
    assert b["days_to_reply_to_other"] == 0 and bool(b["arrived_helping"])
    assert pd.isna(b["first_decentered_at"]) and pd.isna(b["days_to_decentered"]) and pd.isna(b["at_risk_since"])
    assert c["at_risk_since"] == pd.Timestamp("2020-03-01 08:00") and not c["arrived_helping"]
    assert pd.isna(d["at_risk_since"]) and pd.isna(d["arrived_helping"])
    assert b["days_to_core"] == pytest.approx(121 - 2 / 24)
    assert c["days_to_reply_to_other"] == pytest.approx(61 + 3 / 24)
    assert pd.isna(c["first_decentered_at"]) and pd.isna(c["days_to_community"])
    assert d["role"] == "moderator" and pd.isna(d["first_reply_to_other_at"]) and pd.isna(d["core_entry_at"])


def test_transitions_and_runs(result):
    t = result.transitions.set_index(["from_stage", "to_stage"])
    assert t["n"].to_dict() == {
        ("collaborative", "individual"): 1, ("collaborative", "societal"): 1, ("community", "collaborative"): 1,
        ("individual", "community"): 1, ("individual", "individual"): 1,
    }  # fmt: skip
    assert t.loc[("community", "collaborative"), "share"] == 1.0
    assert t.loc[("individual", "community"), "share"] == 0.5
    runs = result.stages
    assert runs[runs.member_id == 3][["stage", "n_messages"]].values.tolist() == [["individual", 2]]
    assert runs[runs.member_id == 1]["stage"].tolist() == ["individual", "community", "collaborative", "societal"]


def test_summary_and_store(result, store):
    s = result.summary
    assert s["members"] == 4 and s["messages_without_member"] == 1 and s["member_messages_uncoded"] == 5
    assert s["reached_decentered"] == 1 and s["transitions"] == 5
    # D registered before the record starts: coded, but her arrival is not shown, so she is counted apart.
    assert (s["members_coded"], s["members_arrival_unseen"], s["arrived_helping"], s["at_risk"], s["decentered"]) == (
        4, 1, 1, 2, 1)  # fmt: skip
    assert s["arrived_helping_share"] == pytest.approx(1 / 3) and s["at_risk_without_request"] == 0
    assert store.count("journeys") == 4 and store.count("journey_transitions") == 5
    assert set(result.members["member_id"]) == {1, 2, 3, 4}
    assert {"first_post_at", "days_to_decentered", "segment"} <= set(result.members.columns)
    again = journeys(store, permutations=98)  # history: a second run adds rows under its own run_id
    assert again.run_id != result.run_id and store.count("journeys") == 8


def test_journey_api_and_panel(result, store):
    j = journey(store, "m1")
    assert j["member_id"] == 1 and j["n_messages"] == 7
    assert j["milestones"]["societal"]["days"] == pytest.approx(31.0)
    assert j["arrived_helping"] is False and j["at_risk_since"] == pd.Timestamp("2020-01-01 10:00")
    assert (
        journey(store, "m2")["arrived_helping"] is True
        and journey(store, "m2")["milestones"]["decentered"]["at"] is None
    )
    assert j["timeline"]["code"].tolist()[:4] == ["individual", "community", "collaborative", "societal"]
    assert j["metrics"]["segment"] in {"champion", "loyal", "recent_infrequent", "lapsing", "dormant", "occasional"}
    top = panel(store, top=2)
    assert len(top) == 2 and top["rank"].tolist() == [1, 2]
    assert top.iloc[0]["member_id"] == 1  # most recent, most weeks, most words
    assert top.iloc[0]["stages"].startswith("individual×1 > community×1")


def test_degrades_without_codes_or_features(store):
    """No codes and no text features: milestones that need them are empty, nothing crashes."""
    f = Forum(store)
    f.member(1), f.member(2), f.thread(1)
    f.post(1, 1, "2021-01-01", "first")
    f.post(2, 1, "2021-01-02", "second")
    f.save()
    r = Stored(store, journeys(store, permutations=9))
    assert r.summary["member_messages_uncoded"] == 2 and r.summary["member_messages_without_text_features"] == 2
    assert r.members["first_decentered_at"].isna().all()
    assert math.isnan(r.members.set_index("member_id").loc[2, "we_slope"])
    assert _row(r, 2)["days_to_reply_to_other"] == 0


def test_empty_store(store):
    r = Stored(store, journeys(store))
    assert r.summary["members"] == 0 and r.members.empty
