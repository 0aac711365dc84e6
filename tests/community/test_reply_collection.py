"""Newcomers' requests from days whose replies were never collected are left out, derived by hand.

One tree source, as Reddit members' histories beside one scraped week: for years only some members' own messages
(their posts without the comments that answered them, their comments without the messages they answer), then
whole conversations.
- Histories: member 1 opens thread 1 (2020-01-10 10:00, a request) and comments on a missing parent (11:00);
  member 2's first message comments on a missing parent (2020-01-11 09:00). Member 3 opens thread 3 on a quiet
  day (2020-06-01 10:00): nothing replies on that day or the next. Member 9 opens thread 9 (2021-02-27 10:00) and
  member 2 comments on a missing parent (12:00).
- The scraped days: member 8 opens thread 8 (2021-02-28 23:00), member 5 answers (2021-03-01 00:30: 1.5 h).
  Member 4 opens thread 4 (03-01 10:00), member 5 answers (11:00: 1 h), member 4 answers member 5 (11:30: not member
  5's first message, which stays unanswered). Member 6 opens thread 6 (03-01 12:00), member 7 answers (03-02 08:00: 20 h).
  Member 1 comments on a missing parent (03-02 09:00).

Replies to another member's stored message (answers) and to a missing parent, on a day and the next:
2020-01-10 0/2, 2020-01-11 0/1, 2020-06-01 0/0, 2021-02-27 0/1, 02-28 3/0, 03-01 4/1, 03-02 1/1. Replies were
collected where the missing parents are not the most: requests 1 and 9 and member 2's comment are left out;
member 3's request counts (no evidence either way) and is unanswered; member 7 counts (a tie).
Requests counted: 3 (no), 8 (1.5 h), 4 (1 h), 6 (20 h): 3/4 answered, 2/4 within 3 h, median 1.5 h (before: 3/6
and 2/6). Newcomers counted: 3 (no), 4, 5 (no), 6, 7 (no), 8: 3/6 answered, 2/5 within 3 h (member 7's answer comes 1 h
before member 1's last comment, the end of the collection: whether it was answered within 3 hours cannot be told;
with 3 first answers the source has no follow-up window, so it is judged unanswered), median 1.5 h.
Threads opened: 1, 3, 9, 8, 4, 6; counted 3, 8, 4, 6: 1/4 never answered.
Every message is coded individual (the author's own problem), so each first message that opens a thread is a
request.
"""

import pytest
from forum_builder import Forum, code_all

from chrysalide.community import community, newcomer_responses
from chrysalide.report.html.sections.community import newcomers_judged

OUTSIDE = {1, 2, 9}


def _mixed(store):
    f = Forum(store, "mixed", first_id=1)
    for member in range(1, 10):
        f.member(member)
    for thread in (1, 2, 3, 4, 6, 8, 9, 21, 22, 23):
        f.thread(thread)
    f.post(1, 1, "2020-01-10 10:00")
    f.post(1, 21, "2020-01-10 11:00", parent_missing="t1_a")
    f.post(2, 2, "2020-01-11 09:00", parent_missing="t1_b")
    f.post(3, 3, "2020-06-01 10:00")
    f.post(9, 9, "2021-02-27 10:00")
    f.post(2, 22, "2021-02-27 12:00", parent_missing="t1_c")
    r8 = f.post(8, 8, "2021-02-28 23:00")
    f.post(5, 8, "2021-03-01 00:30", reply_to=r8)
    r4 = f.post(4, 4, "2021-03-01 10:00")
    a5 = f.post(5, 4, "2021-03-01 11:00", reply_to=r4)
    f.post(4, 4, "2021-03-01 11:30", reply_to=a5)
    r6 = f.post(6, 6, "2021-03-01 12:00")
    f.post(7, 6, "2021-03-02 08:00", reply_to=r6)
    f.post(1, 23, "2021-03-02 09:00", parent_missing="t1_d")
    return code_all(f.save())  # every message coded individual: each first message that opens a thread asks


def test_the_days_whose_replies_were_collected(store):
    _mixed(store)
    days = store.con.execute(
        "SELECT day::VARCHAR, answers, parents_missing, replies_collected FROM reply_collection ORDER BY day"
    ).fetchall()
    assert days == [
        ("2020-01-10", 0, 2, False), ("2020-01-11", 0, 1, False), ("2020-06-01", 0, 0, True),
        ("2021-02-27", 0, 1, False), ("2021-02-28", 3, 0, True), ("2021-03-01", 4, 1, True),
        ("2021-03-02", 1, 1, True),
    ]  # fmt: skip


def test_requests_outside_the_collection_are_left_out(store):
    _mixed(store)
    rows = newcomer_responses(store).set_index("member_id")
    assert set(rows.index[~rows["replies_collected"]]) == OUTSIDE
    assert set(rows.index[~rows["replies_recorded"]]) == OUTSIDE
    assert rows.loc[sorted(OUTSIDE), "within_3h"].isna().all()
    s = community(store).summary
    assert s["newcomers"] == 9 and s["requests"] == 6 and s["threads"] == 6
    assert s["newcomers_outside_reply_collection"] == 3 and s["newcomers_without_replies_recorded"] == 0
    assert s["requests_outside_reply_collection"] == 2 and s["threads_outside_reply_collection"] == 2
    assert s["requests_answered_share"] == pytest.approx(3 / 4)
    assert s["request_answered_within_3h_share"] == pytest.approx(2 / 4)
    assert s["request_first_reply_median_hours"] == pytest.approx(1.5)
    assert s["newcomers_answered_share"] == pytest.approx(3 / 6)
    assert (s["newcomers_answered_known"], s["newcomers_within_3h_known"]) == (6, 5)  # the shares' denominators
    assert newcomers_judged(s) == "the 6 of the 9 newcomers whose answer can be seen"
    assert s["newcomer_answered_within_3h_share"] == pytest.approx(2 / 5)
    assert s["newcomer_first_reply_median_hours"] == pytest.approx(1.5)
    assert s["threads_unanswered_share"] == pytest.approx(1 / 4)


def test_stored_rows_and_periods_leave_them_out(store):
    _mixed(store)
    run = community(store, period="year")
    stored = run.table(store, "newcomer_responses").set_index("member_id")
    assert set(stored.index[~stored["replies_collected"]]) == OUTSIDE
    years = run.table(store, "community_metrics").set_index("period")
    years.index = years.index.year
    # 2021: newcomers 8 (1.5 h) and 4 (1 h) of 8, 4, 5, 6 within 3 hours (7: unknown); member 9 is left out (before: 2/6).
    assert years.loc[2021, "newcomer_answered_within_3h_share"] == pytest.approx(2 / 4)  # 4, 5, 6, 8 (7 unknown)
    assert years.loc[2021, "requests"] == 4 and years.loc[2021, "requests_answered_within_3h"] == 2
