"""Newcomer response on a reply tree, in a source without replies and in a source dated by day, derived by hand.

Tree source (every reply names its parent). Old members X, Y, Z, W, V, U registered before the corpus.
- T1: X starts (2020-01-01 00:00), Y answers X (01:00). Newcomer N1 answers X (2021-01-01 10:00), Z answers
  N1 (12:00): N1 answered in 2 h. Newcomer N2 answers Y (2021-02-01 10:00), W answers X, not N2 (10:30): in
  the tree nobody answered N2 (in a flat reading W's message would).
- T2: newcomer N3 opens it (2021-03-01 10:00: a request, coded individual), answers herself (10:10), V answers her self-reply
  (11:00: not a direct reply to N3's request), U answers the request (20:00): answered in 10 h.
Source without replies: newcomers P1 and P2 each post one message, each its own thread (a request, coded individual): nothing
could answer them, so they count as newcomers but not in any share.
Source dated by day: newcomer Q opens T3 (2021-01-01, a request coded individual), newcomer R answers the same day: Q answered in "0 h",
but whether within 3 hours cannot be told; R is not answered.
"""

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.community import community, newcomer_responses

OLD = "2019-06-01"


def _forums(store):
    tree = Forum(store, "tree", first_id=1)
    x, y, z, w, v, u = (tree.member(m, registered_at=OLD) for m in (1, 2, 3, 4, 5, 6))
    n1, n2, n3 = tree.member(11), tree.member(12), tree.member(13)
    tree.thread(1), tree.thread(2)
    start = tree.post(x, 1, "2020-01-01 00:00")
    y_msg = tree.post(y, 1, "2020-01-01 01:00", reply_to=start)
    n1_msg = tree.post(n1, 1, "2021-01-01 10:00", reply_to=start)
    tree.post(z, 1, "2021-01-01 12:00", reply_to=n1_msg)
    tree.post(n2, 1, "2021-02-01 10:00", reply_to=y_msg)
    tree.post(w, 1, "2021-02-01 10:30", reply_to=start)
    request = tree.post(n3, 2, "2021-03-01 10:00", code="individual")
    own = tree.post(n3, 2, "2021-03-01 10:10", reply_to=request)
    tree.post(v, 2, "2021-03-01 11:00", reply_to=own)
    tree.post(u, 2, "2021-03-01 20:00", reply_to=request)
    tree.save()
    solo = Forum(store, "solo", first_id=101)
    for member, thread in ((21, 21), (22, 22)):
        solo.member(member), solo.thread(thread)
        solo.post(member, thread, "2021-04-01 10:00", code="individual")
    solo.save()
    days = Forum(store, "days", first_id=201)
    days.member(31), days.member(32), days.thread(31)
    days.post(31, 31, "2021-01-01", code="individual")
    days.post(32, 31, "2021-01-01")
    days.save()


def test_newcomers_on_the_tree(store):
    _forums(store)
    rows = newcomer_responses(store).set_index("member_id")
    assert sorted(rows.index) == [11, 12, 13, 21, 22, 31, 32]
    # 21 and 22 are alone in their source, which records no reply: whether they were answered cannot be seen
    assert rows["answered"].to_dict() == {11: True, 12: False, 13: True, 21: None, 22: None, 31: True, 32: False}
    assert rows.loc[11, "first_reply_hours"] == pytest.approx(2) and rows.loc[13, "first_reply_hours"] == pytest.approx(
        10
    )
    assert rows.loc[31, "first_reply_hours"] == 0
    assert rows["replies_recorded"].to_dict() == {m: m not in (21, 22) for m in rows.index}
    within = rows["within_3h"].astype(object).where(rows["within_3h"].notna(), None).to_dict()
    assert within == {11: True, 12: False, 13: False, 21: None, 22: None, 31: None, 32: None}


def test_summary(store):
    _forums(store)
    s = community(store).summary
    assert s["newcomers"] == 7 and s["newcomers_without_replies_recorded"] == 2
    assert s["newcomers_answered_share"] == pytest.approx(3 / 5)  # N1, N3, Q of N1, N2, N3, Q, R
    assert s["newcomer_first_reply_median_hours"] == pytest.approx(2)  # of 2, 10, 0
    assert s["newcomer_first_reply_p90_hours"] == pytest.approx(2 + 0.8 * 8)
    assert s["newcomer_answered_within_3h_share"] == pytest.approx(1 / 3)  # N1 of N1, N2, N3 (Q, R: by day)
    assert s["requests"] == 4 and s["requests_answered_share"] == pytest.approx(1.0)  # N3 and Q (P1, P2: no replies)
    assert s["request_first_reply_median_hours"] == pytest.approx(5) and s["request_answered_within_3h_share"] == 0
    assert s["threads"] == 5 and s["threads_unanswered_share"] == 0  # T1, T2, T3 answered; P1's and P2's left out
    assert s["thread_first_reply_median_hours"] == pytest.approx(1)  # of 1, 10, 0
    assert s["thread_answered_within_3h_share"] == pytest.approx(0.5)  # T1 of T1, T2 (T3: by day)


def test_delay_labels_share_one_rule_for_report_and_dashboard() -> None:
    from chrysalide.community.responses import DELAY_UNKNOWN, UNANSWERED, delay_labels

    answered = pd.Series([True, True, True, True, False, True])
    hours = pd.Series([-0.5, 0.99, 3.0, 200.0, None, None])
    got = delay_labels(answered, hours).tolist()
    # Bins are [low, high): 3 h is past "1-3 h"; a negative delay (clocks disagree) is under an hour; an
    # answer whose pair has no date is answered, not unanswered.
    assert got == ["< 1 h", "< 1 h", "3-6 h", "> 7 days", UNANSWERED, DELAY_UNKNOWN]
    # Not judged answered or not (too near the end of collection): no label, never "unanswered".
    assert delay_labels(pd.Series([None, False], dtype="boolean"), pd.Series([None, None])).isna().tolist() == [
        True,
        False,
    ]
