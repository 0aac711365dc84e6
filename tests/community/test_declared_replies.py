"""Thread starts judged by the number of replies their source declares (Reddit's num_comments), derived by hand.

One tree source, as Reddit members' histories beside one scraped day. Histories (every day from 2020-01-10 to
01-14 has more replies to missing parents than answers over it and the next day: replies not collected):
- member 1 opens thread 1 (01-10 10:00, declares 0) and comments on a missing parent (11:00);
- member 2 opens thread 2 (01-11 09:00, declares 4) and comments on a missing parent (10:00);
- member 3 opens thread 3 (01-12 09:00, declares 2), comments in it twice (09:30 on the post, 10:00 on that
  comment: only the author) and on a missing parent (11:00); member 10 opens thread 10 (12:00, declares 3) and
  comments in it once (12:30);
- member 11 opens thread 11 (01-13 09:00, no count) and comments on a missing parent (10:00);
- member 12 opens thread 12 (01-14 09:00, declares 5) and comments on two missing parents (10:00, 11:00); member 2
  answers thread 12 (12:00).
The scraped day (2021-03-01; 2 answers, no missing parent): member 4 opens thread 4 (10:00, declares 1), member 5
answers (11:00: 1 h); member 6 opens thread 6 (12:00, declares 0: a count taken before the answer), member 7
answers (13:30: 1.5 h); member 8 opens thread 8 (14:00, declares 2, none stored); member 9 opens thread 9 (15:00,
declares 0); member 13 opens thread 13 (16:00, no count).

Declared / stored / missing: 1: 0/0/0, 2: 4/0/4, 3: 2/2/0, 10: 3/1/2, 12: 5/1/4, 4: 1/1/0, 6: 0/1/0, 8: 2/0/2,
9: 0/0/0. Threads: 11 is left out (no count, replies not collected); answered: 2, 10 and 8 (replies missing), 12, 4
and 6 (stored answers); not answered: 1, 3 (only its author), 9, 13: 4 of 10 never answered (before: 3 of the 5
of the scraped day). Judged by the count: 1, 2, 3, 10, 12 (histories) and 8, 4 of them answered; none has a delay.
Delays: 4 (1 h) and 6 (1.5 h); within 3 hours: 4 and 6, of 4 and 6 only: 9 and 13, posted less than 3 hours before
the end of the collection (13's post at 16:00, the last message), cannot be told answered within 3 hours or not
(docs/community.md, "End of collection"; with 2 first answers the source has no follow-up window, so they are judged
unanswered). Every newcomer's first message opens its thread except members 5's and 7's (unanswered replies):
newcomers 6 of 12 answered, 2 of 3 within 3 h (4, 6 and 5's reply: 7's, at 13:30, is less than 3 hours before
the end too); requests 6 of 10 answered, 2 of 2 within 3 h; member 11 is left out.
Every message is coded individual (the author's own problem), so each first message that opens a thread is a
request.
"""

import pytest
from forum_builder import Forum, code_all

from chrysalide.community import community, newcomer_responses, thread_responses

BY_COUNT = {1, 2, 3, 10, 12, 8}


def _histories_and_a_scraped_day(store):
    f = Forum(store, "histories", first_id=1)
    for member in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13):
        f.member(member)
    for thread in (1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 21, 22, 23, 24, 25, 26):
        f.thread(thread)
    f.post(1, 1, "2020-01-10 10:00", declared=0)
    f.post(1, 21, "2020-01-10 11:00", parent_missing="t1_a")
    f.post(2, 2, "2020-01-11 09:00", declared=4)
    f.post(2, 22, "2020-01-11 10:00", parent_missing="t1_b")
    r3 = f.post(3, 3, "2020-01-12 09:00", declared=2)
    own = f.post(3, 3, "2020-01-12 09:30", reply_to=r3)
    f.post(3, 3, "2020-01-12 10:00", reply_to=own)
    f.post(3, 23, "2020-01-12 11:00", parent_missing="t1_c")
    r10 = f.post(10, 10, "2020-01-12 12:00", declared=3)
    f.post(10, 10, "2020-01-12 12:30", reply_to=r10)
    f.post(11, 11, "2020-01-13 09:00")
    f.post(11, 24, "2020-01-13 10:00", parent_missing="t1_d")
    r12 = f.post(12, 12, "2020-01-14 09:00", declared=5)
    f.post(12, 25, "2020-01-14 10:00", parent_missing="t1_e")
    f.post(12, 26, "2020-01-14 11:00", parent_missing="t1_f")
    f.post(2, 12, "2020-01-14 12:00", reply_to=r12)
    r4 = f.post(4, 4, "2021-03-01 10:00", declared=1)
    f.post(5, 4, "2021-03-01 11:00", reply_to=r4)
    r6 = f.post(6, 6, "2021-03-01 12:00", declared=0)
    f.post(7, 6, "2021-03-01 13:30", reply_to=r6)
    f.post(8, 8, "2021-03-01 14:00", declared=2)
    f.post(9, 9, "2021-03-01 15:00", declared=0)
    f.post(13, 13, "2021-03-01 16:00")
    return code_all(f.save())  # every message coded individual: each first message that opens a thread asks


def _by_thread(store, column: str) -> dict[int, object]:
    rows = store.con.execute(
        f"SELECT m.thread_id, d.{column} FROM declared_replies d JOIN messages m USING (message_id)"
    ).fetchall()
    return dict(rows)


def test_declared_stored_and_missing_replies(store):
    _histories_and_a_scraped_day(store)
    assert store.con.execute("SELECT count(*) FROM reply_collection WHERE NOT replies_collected").fetchone() == (5,)
    assert _by_thread(store, "declared") == {1: 0, 2: 4, 3: 2, 10: 3, 12: 5, 4: 1, 6: 0, 8: 2, 9: 0}
    assert _by_thread(store, "stored") == {1: 0, 2: 0, 3: 2, 10: 1, 12: 1, 4: 1, 6: 1, 8: 0, 9: 0}
    assert _by_thread(store, "missing") == {1: 0, 2: 4, 3: 0, 10: 2, 12: 4, 4: 0, 6: 0, 8: 2, 9: 0}


def test_threads_are_judged_by_their_declared_replies(store):
    _histories_and_a_scraped_day(store)
    threads = thread_responses(store).set_index("thread_id")
    assert sorted(threads.index) == [1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13]
    assert set(threads.index[~threads["replies_recorded"]]) == {11}
    assert set(threads.index[threads["by_reply_count"]]) == BY_COUNT
    recorded = threads[threads["replies_recorded"]]
    assert set(recorded.index[recorded["answered"]]) == {2, 10, 8, 12, 4, 6}
    assert threads.loc[sorted(BY_COUNT), "first_reply_hours"].isna().all()
    assert threads.loc[sorted(BY_COUNT), "within_3h"].isna().all()
    assert threads.loc[[4, 6], "first_reply_hours"].tolist() == pytest.approx([1.0, 1.5])
    assert threads.loc[[9, 13], "within_3h"].isna().all()  # posted less than 3 hours before the end
    s = community(store).summary
    assert s["threads"] == 11 and s["threads_outside_reply_collection"] == 1
    assert s["threads_by_reply_count"] == 6 and s["threads_answered_by_reply_count"] == 4
    assert s["threads_unanswered_share"] == pytest.approx(4 / 10)
    assert s["thread_answered_within_3h_share"] == pytest.approx(2 / 2)
    assert s["thread_first_reply_median_hours"] == pytest.approx(1.25)


def test_newcomers_and_requests_count_their_declared_replies(store):
    _histories_and_a_scraped_day(store)
    rows = newcomer_responses(store).set_index("member_id")
    assert set(rows.index[rows["by_reply_count"]]) == BY_COUNT
    assert set(rows.index[~rows["replies_recorded"]]) == {11}
    assert set(rows.index[~rows["replies_collected"]]) == {1, 2, 3, 10, 11, 12}
    s = community(store).summary
    assert s["newcomers"] == 13 and s["requests"] == 11
    assert s["newcomers_outside_reply_collection"] == s["requests_outside_reply_collection"] == 1
    assert s["newcomers_by_reply_count"] == s["requests_by_reply_count"] == 6
    assert s["newcomers_answered_by_reply_count"] == s["requests_answered_by_reply_count"] == 4
    assert s["newcomers_answered_share"] == pytest.approx(6 / 12)
    assert s["newcomer_answered_within_3h_share"] == pytest.approx(2 / 3)
    assert s["requests_answered_share"] == pytest.approx(6 / 10)
    assert s["request_answered_within_3h_share"] == pytest.approx(2 / 2)
    assert s["request_first_reply_median_hours"] == pytest.approx(1.25)


def test_stored_rows_and_periods(store):
    _histories_and_a_scraped_day(store)
    run = community(store, period="year")
    stored = run.table(store, "newcomer_responses").set_index("member_id")
    assert set(stored.index[stored["by_reply_count"].astype(bool)]) == BY_COUNT
    years = run.table(store, "community_metrics").set_index("period")
    years.index = years.index.year
    # 2020: threads 1 and 3 never answered (11 not counted); 2021: 9 and 13.
    assert years.loc[2020, "threads_unanswered"] == 2 and years.loc[2021, "threads_unanswered"] == 2
    assert years.loc[2020, "requests_answered"] == 3 and years.loc[2021, "requests_answered"] == 3


def test_a_bots_comment_is_a_reply_counted_but_no_answer(store):
    """Thread 1 declares 1 reply, AutoModerator's, which is stored: every declared reply is there, none answers."""
    f = Forum(store, "bots", first_id=1)
    f.member(1), f.member(2), f.member(99)
    for thread in range(1, 8):
        f.thread(thread)
    r1 = f.post(1, 1, "2021-03-01 10:00", declared=1)
    f.post(99, 1, "2021-03-01 10:01", "I am a bot", reply_to=r1, left_out="bot")
    for thread in range(3, 8):  # the bot's other notices make it a bot account (5 signed messages)
        f.post(99, thread, f"2021-03-0{thread} 10:00", "I am a bot", left_out="bot")
    r2 = f.post(2, 2, "2021-03-02 11:00", declared=2)
    f.post(1, 2, "2021-03-02 12:00", reply_to=r2)
    f.save()
    threads = thread_responses(store).set_index("thread_id")
    assert threads.loc[1, ["answered", "by_reply_count"]].tolist() == [False, False]
    assert threads.loc[2, ["answered", "by_reply_count"]].tolist() == [True, False]
