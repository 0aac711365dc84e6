"""Response times, newcomers, periods and the reply network of the reference forum, derived by hand.

The forum is flat (one explicit reply of ten): a message answers the previous one of its thread, and a
thread or first message is answered by the first later message of anyone else (views of migration 0008).
Threads: T1 answered after 2 h, T2 after 1 h (by the guest: anyone but the author), T3 never, T4 and T5
after 1 h. Newcomers: A, B, C (D registered before the corpus starts); A (by B, 2 h) and B (her first
message is a reply in T1, followed by A's after 22 h) answered, C not. Requests (newcomers' first messages
that open a thread): A's T1 (answered in 2 h) and C's T3 (never).
"""

import pandas as pd
import pytest
from forum_builder import reference_forum

from chrysalide.community import community, core_by_period, core_members, periods, reply_edges


@pytest.fixture
def result(store):
    reference_forum(store)
    run = community(store)
    return {"summary": run.summary, "periods": periods(store, run.run_id), "core": core_members(store, run.run_id)}


def test_summary(result):
    s = result["summary"]
    assert s["threads"] == 5 and s["newcomers"] == 3 and s["newcomers_without_replies_recorded"] == 0
    assert s["newcomers_answered_share"] == pytest.approx(2 / 3)
    assert s["newcomer_first_reply_median_hours"] == pytest.approx(12.0)  # A 2 h, B 22 h
    assert s["newcomer_first_reply_p90_hours"] == pytest.approx(2 + 0.9 * 20)
    assert s["newcomer_answered_within_3h_share"] == pytest.approx(1 / 3)  # A only, of all three
    assert s["requests"] == 2 and s["requests_answered_share"] == pytest.approx(0.5)
    assert s["request_first_reply_median_hours"] == pytest.approx(2.0)
    assert s["request_answered_within_3h_share"] == pytest.approx(0.5)
    assert s["thread_first_reply_median_hours"] == pytest.approx(1.0)
    assert s["thread_first_reply_p90_hours"] == pytest.approx(1 + 0.7 * 1)  # linear interpolation of [1, 1, 1, 2]
    assert s["thread_answered_within_3h_share"] == pytest.approx(0.8)  # T1, T2, T4, T5 of 5
    assert s["threads_unanswered_share"] == pytest.approx(0.2)
    assert s["messages_uncoded"] == 6


def test_periods(result, store):
    p = result["periods"].set_index("period")
    jan = p.loc[pd.Timestamp("2020-01-01")]
    assert jan["messages"] == 6 and jan["active_members"] == 2 and jan["new_members"] == 2
    assert jan["newcomers_answered"] == 2 and jan["threads_started"] == 2 and jan["threads_unanswered"] == 0
    assert jan["newcomers_answered_within_3h"] == 1 and jan["newcomer_first_reply_median_hours"] == pytest.approx(12)
    assert jan["newcomer_answered_within_3h_share"] == pytest.approx(0.5)  # A in 2 h, B in 22 h
    assert jan["requests"] == 1 and jan["requests_answered"] == 1 and jan["requests_answered_within_3h"] == 1
    assert jan["thread_first_reply_median_hours"] == pytest.approx(1.5)  # T1 2 h, T2 1 h
    assert jan["thread_answered_within_3h_share"] == pytest.approx(1.0)
    assert jan["share_individual"] == pytest.approx(2 / 5) and jan["share_collaborative"] == pytest.approx(2 / 5)
    assert (jan["coded"], jan["n_individual"], jan["n_community"], jan["n_collaborative"]) == (5, 2, 1, 2)
    mar = p.loc[pd.Timestamp("2020-03-01")]
    assert mar["threads_unanswered"] == 1 and mar["new_members"] == 1 and mar["newcomers_answered"] == 0
    assert mar["requests"] == 1 and mar["requests_answered"] == 0 and mar["newcomer_answered_within_3h_share"] == 0
    assert store.count("community_metrics") == 5


def test_network(result, store):
    edges = reply_edges(store)
    pairs = sorted(zip(edges["source"], edges["target"], edges["weight"], strict=True))
    # B->A and A->B in T1 (previous message), A->D in T4, C->B in T5 (0.5: inferred); A->C and A->B in T5 are
    # explicit (1.0). A's reply after the guest in T2 answers a non-member: a reply to another, but no edge.
    assert pairs == [(1, 2, 0.5), (1, 2, 1.0), (1, 3, 1.0), (1, 4, 0.5), (2, 1, 0.5), (3, 2, 0.5)]
    nodes = store.con.execute("SELECT * FROM member_network ORDER BY member_id").df().set_index("member_id")
    assert nodes.loc[1, "out_degree"] == 3 and nodes.loc[2, "in_degree"] == 2
    assert nodes.loc[1, "strength"] == pytest.approx(3.5)  # 0.5 + 1 + 0.5 with B, 1 with C, 0.5 with D
    assert nodes["core_number"].to_dict() == {1: 2, 2: 2, 3: 2, 4: 1}
    assert set(result["core"]["member_id"]) == {1, 2, 3}
    assert nodes.loc[1, "betweenness"] > 0 and nodes.loc[4, "betweenness"] == 0
    cores = core_by_period(edges)
    assert sorted(cores["member_id"]) == [1, 2, 3] and set(cores["period"]) == {pd.Timestamp("2020-05-01")}


def test_newcomer_rows_are_stored(result, store):
    rows = store.con.execute("SELECT * FROM newcomer_responses ORDER BY member_id").df().set_index("member_id")
    assert rows["answered"].tolist() == [True, True, False] and rows["starts_thread"].tolist() == [True, False, True]
    assert rows.loc[1, "first_reply_hours"] == pytest.approx(2) and rows.loc[2, "first_reply_hours"] == pytest.approx(
        22
    )
    assert rows["within_3h"].tolist() == [True, False, False]


def test_empty_store(store):
    r = community(store)
    assert r.summary["threads"] == 0 and r.summary["newcomers_answered_share"] is None
