"""A newcomer's request is a first message that opens a thread and asks for help (coded individual), derived by hand.

ADFD's nine "requests" were mostly moderators' articles, news links and a book announcement: every first message
that opened a thread counted, whatever it said. A flat forum; member 9, registered before the corpus, answers.
- T1: newcomer 1 opens it, coded individual (2021-01-04 10:00); 9 answers at 11:00 (1 h); newcomer 7's first
  message replies in it at 12:00, coded individual (a reply, no request).
- T2: newcomer 2 opens it with a news link, coded societal (01-05 10:00); 9 answers the next day (24 h).
- T3 and T4: newcomers 3 (01-06) and 8 (01-07) open them with articles, coded collaborative; nobody answers.
- T5: newcomer 4 opens it with a meme, coded other (02-01 10:00); nobody answers.
- T6: newcomer 5 opens it, not coded yet (02-02 10:00); 9 answers at 10:30.
- T7: newcomer 6 opens it, coded individual (02-03 10:00); 9 answers at 15:00 (5 h).
Newcomers 1-8: 8. Requests: 1 and 6, both answered, 1 of 2 within 3 hours, median 3 h (January 1, February 1).
Before: 7 requests (every thread opener), 4 of 7 answered. Not requests: collaborative 2, other 1, societal 1;
not coded: 1 (newcomer 5).
"""

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.community import community, newcomer_responses, periods
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses
from chrysalide.report.html.sections.community import requests_caveat


def _forum(store, *, coded: bool = True):
    f = Forum(store, "forum")
    for member in range(1, 9):
        f.member(member)
    f.member(9, registered_at="2020-01-01")
    for thread in range(1, 8):
        f.thread(thread)

    def post(member, thread, at, code=None):
        return f.post(member, thread, at, code=code if coded else None)

    post(1, 1, "2021-01-04 10:00", "individual")
    post(9, 1, "2021-01-04 11:00", "collaborative")
    post(7, 1, "2021-01-04 12:00", "individual")
    post(2, 2, "2021-01-05 10:00", "societal")
    post(9, 2, "2021-01-06 10:00", "community")
    post(3, 3, "2021-01-06 10:00", "collaborative")
    post(8, 4, "2021-01-07 10:00", "collaborative")
    post(4, 5, "2021-02-01 10:00", "other")
    post(5, 6, "2021-02-02 10:00")
    post(9, 6, "2021-02-02 10:30", "collaborative")
    post(6, 7, "2021-02-03 10:00", "individual")
    post(9, 7, "2021-02-03 15:00", "collaborative")
    return f.save()


def test_only_first_messages_coded_individual_are_requests(store):
    _forum(store)
    rows = newcomer_responses(store).set_index("member_id")
    assert rows["starts_thread"].to_dict() == {1: True, 2: True, 3: True, 4: True, 5: True, 6: True, 7: False, 8: True}
    request = {member: None if pd.isna(value) else bool(value) for member, value in rows["request"].items()}
    assert request == {1: True, 2: False, 3: False, 4: False, 5: None, 6: True, 7: False, 8: False}  # 5: not coded
    assert pd.isna(rows.loc[5, "first_code"]) and rows.loc[2, "first_code"] == "societal"
    s = community(store).summary
    assert s["newcomers"] == 8
    assert s["requests"] == 2 and s["requests_answered_share"] == pytest.approx(1.0)
    assert s["request_answered_within_3h_share"] == pytest.approx(1 / 2)
    assert s["request_first_reply_median_hours"] == pytest.approx(3.0)
    assert s["openers_not_requests"] == {"collaborative": 2, "other": 1, "societal": 1}
    assert list(s["openers_not_requests"]) == ["collaborative", "other", "societal"]  # most first, then by name
    assert s["openers_uncoded"] == 1
    assert s["warnings"] == [
        "1 newcomers' first messages open a thread but are not coded, so whether they ask for help cannot be told: "
        "they are not counted as requests (run `chrysalide code`, then `chrysalide community`)"
    ]
    assert s["threads"] == 7  # threads stay about threads, whatever their first message says


def test_periods_and_stored_rows_count_the_same_requests(store):
    _forum(store)
    run = community(store)
    months = periods(store, run.run_id).set_index("period")
    assert months["requests"].to_dict() == {pd.Timestamp("2021-01-01"): 1, pd.Timestamp("2021-02-01"): 1}
    assert months["requests_answered_within_3h"].to_dict() == {pd.Timestamp("2021-01-01"): 1,
                                                               pd.Timestamp("2021-02-01"): 0}  # fmt: skip
    assert months["new_members"].sum() == 8 and months["threads_started"].sum() == 7
    stored = run.table(store, "newcomer_responses").set_index("member_id")
    assert stored["first_code"].to_dict()[3] == "collaborative" and stored["request"].sum() == 2


def test_the_report_says_which_thread_openers_are_not_requests(store):
    _forum(store)
    community(store)
    section = section_responses(Context(store))
    facts = dict(section.facts)
    assert facts["requests (first message opens a thread, coded individual)"] == "2; 1 more open a thread, not coded"
    assert facts["requests answered / within 3 h"] == "100% / 50%"
    said = " ".join(section.paragraphs)
    assert (
        "4 newcomers' first messages open a thread without asking for help (coded collaborative 2, other 1, "
        "societal 1): not requests." in said
    )
    assert "1 newcomers' first messages open a thread but are not coded" in said


def test_a_run_before_coding_gives_no_silent_zero(store):
    _forum(store, coded=False)
    s = community(store).summary
    assert s["requests"] == 0 and s["requests_answered_share"] is None and s["openers_uncoded"] == 7
    assert s["openers_not_requests"] == {} and "7 newcomers' first messages open a thread" in s["warnings"][0]
    facts = dict(section_responses(Context(store)).facts)
    assert facts["requests (first message opens a thread, coded individual)"] == "0; 7 more open a thread, not coded"


def test_a_run_of_the_older_rule_is_said() -> None:
    assert "run `chrysalide community` again" in requests_caveat({"requests": 9})
    assert requests_caveat({"requests": 2, "openers_uncoded": 0, "openers_not_requests": {"other": 7}}) == ""
