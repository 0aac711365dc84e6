"""Bot accounts are no members: no newcomer, no answer, no thread, no edge, no journey, no stage share; by hand.

A flat forum, January 2021. Member 9 is a bot: its 5 messages are all signed by a bot (the text step's
``left_out = 'bot'``), so it is a bot account (at least 5 messages, 90% signed).
- T1: A (1) asks (01-01 10:00, individual); the bot welcomes her (10:01); B (2) answers (12:00, collaborative);
  A thanks B (13:00, community).
- T2..T5: the bot opens each with an announcement (01-02..01-05 09:00, community); B answers T2 (01-02 10:00,
  collaborative).
Without the bot: newcomers A and B; A's request answered by B in 2 h (not by the bot in a minute); B's first
message answered by A in 1 h; one thread (T1, first answer 2 h), the bot's four apart; one reply edge, A -> B
(B's replies follow the bot's messages: a reply to a bot makes no edge); 4 messages of 2 members in January,
coded 1 individual, 1 community, 2 collaborative (the bot's 5 community codes are not in the mix).
"""

import pytest
from forum_builder import Forum

from chrysalide.community import community
from chrysalide.journeys import journeys
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys, section_responses, section_stage_mix, section_summary
from chrysalide.store.bots import bot_accounts, bot_counts

A, B, BOT = 1, 2, 9


def _forum(store):
    f = Forum(store, "flat")
    for member in (A, B, BOT):
        f.member(member)
    for thread in (1, 2, 3, 4, 5):
        f.thread(thread)
    signed = {"code": "community", "left_out": "bot"}
    f.post(A, 1, "2021-01-01 10:00", code="individual")
    f.post(BOT, 1, "2021-01-01 10:01", **signed)
    f.post(B, 1, "2021-01-01 12:00", code="collaborative")
    f.post(A, 1, "2021-01-01 13:00", code="community")
    for thread in (2, 3, 4, 5):
        f.post(BOT, thread, f"2021-01-0{thread} 09:00", **signed)
    f.post(B, 2, "2021-01-02 10:00", code="collaborative")
    return f.save()


def test_the_bot_account_is_known_from_its_signed_messages(store):
    _forum(store)
    assert bot_accounts(store) == [BOT]
    assert bot_counts(store) == {"bot_accounts": 1, "bot_messages": 5}


def test_community_leaves_the_bot_out(store):
    _forum(store)
    run = community(store)
    s = run.summary
    assert s["newcomers"] == 2 and s["requests"] == 1
    assert (s["bot_accounts"], s["bot_messages"]) == (1, 5)
    rows = run.table(store, "newcomer_responses").set_index("member_id")
    assert rows["first_reply_hours"].to_dict() == {A: pytest.approx(2), B: pytest.approx(1)}
    assert s["threads"] == 1 and s["threads_opened_by_bots"] == 4 and s["thread_first_reply_median_hours"] == 2
    assert (s["network_members"], s["network_edges"]) == (2, 1)
    (month,) = run.table(store, "community_metrics").to_dict("records")
    assert (month["messages"], month["active_members"], month["coded"]) == (4, 2, 4)
    assert (month["n_individual"], month["n_community"], month["n_collaborative"]) == (1, 1, 2)


def test_the_bot_has_no_journey(store):
    _forum(store)
    run = journeys(store, permutations=0)
    assert sorted(run.table(store, "journeys")["member_id"]) == [A, B]
    assert run.summary["members_coded"] == 2 and run.summary["bot_messages"] == 5


def test_the_report_says_what_it_left_out(store):
    _forum(store)
    community(store), journeys(store, permutations=0)
    ctx = Context(store)
    said = "leave out the 5 messages of 1 bot account"
    for section in (section_stage_mix, section_responses, section_journeys):
        assert any(said in p for p in section(ctx).paragraphs), section.__name__
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "stage mix"]
    assert "community 25.0% (1)" in row[1] and " of 4 coded messages" in row[1]  # the bot's 5 community codes apart
    assert row[1].endswith("; the 5 messages of bot accounts are left out")


HOTLINES = (
    "If you or someone you know is contemplating suicide, please reach out. You can find help at a National"
    " Suicide Prevention Lifeline"
)  # 22 words: the start of r/mentalhealth's hotlinehelpbot's comment
QUESTION = (
    "Has anyone here tried a new dose of their medication and felt worse for the first two weeks before it got better"
)


def _template_forum(store):
    """Regression: r/mentalhealth's hotlinehelpbot signs nothing but comments one 40-word list of hotlines under
    11 threads. A flat forum, March 2021, one thread a day, every message read by the text step, none signed:
    - T (7) posts HOTLINES (22 words) under threads 1-6 (6 of 6 one text of 20 words or more): a template account;
    - S (3) posts "thank you so much" under threads 1-6 (6 of 6, but 4 words: short replies are how people talk);
    - Q (4) asks QUESTION (23 words) under threads 1-5 and says something else under thread 6 (5 of 6, 83%).
    By hand: one bot account, T, 6 messages; journeys for S and Q only."""
    f = Forum(store, "flat")
    T, S, Q = 7, 3, 4
    for member in (T, S, Q):
        f.member(member)
    for day in range(1, 7):
        f.thread(day)
        at = f"2021-03-0{day}"
        f.post(T, day, f"{at} 10:00", HOTLINES, code="collaborative", fs=0)
        f.post(S, day, f"{at} 11:00", "thank you so much", code="community", fs=0)
        f.post(
            Q,
            day,
            f"{at} 12:00",
            QUESTION if day < 6 else "It got better after a month, thanks all",
            code="individual",
            fs=0,
        )
    return f.save()


def test_an_account_posting_one_long_text_again_and_again_is_a_bot(store):
    _template_forum(store)
    assert bot_accounts(store) == [7]
    assert bot_counts(store) == {"bot_accounts": 1, "bot_messages": 6}
    run = journeys(store, permutations=0)
    assert sorted(run.table(store, "journeys")["member_id"]) == [3, 4]
    assert run.summary["members_coded"] == 2 and run.summary["bot_messages"] == 6
