"""Comments without parents (a Reddit export naming only each comment's submission) against a flat phpBB forum.

Source "posts": every comment names the submission it is under (the importer attaches it there), none names the
comment it answers.
- T1: member 1 posts at 10:00 (2021-01-01); member 2 comments at 10:30, member 1 at 10:40, member 3 at 11:00.
- T2: member 4 posts (01-02 09:00) and comments under it herself (09:30).
- T3: member 2 posts (01-03 08:00); member 5 comments at 14:00.
Newcomers 1 and 4 opened a thread asking for help (coded individual: requests): 1 answered by 2 in 0.5 h, 4 by nobody (her own comment is no answer). The first
messages of 2, 3 and 5 are comments: their answers cannot be seen, so they are counted and left out of every share.
Read flat, 2's comment was answered by 1's (10 minutes later): 3 of 5 newcomers answered. Threads: T1 0.5 h, T2 never,
T3 6 h: a third never answered, median 3.25 h. Reply edges, each to the submission's author and inferred (weight 0.5):
2 -> 1, 3 -> 1, 5 -> 2 (1's and 4's own comments answer no one else); strength of member 1: 0.5 + 0.5 = 1.

Source "forum" (phpBB: no post names a parent, except a quote of the post before): T10 opened by 11 at 10:00
(2021-02-01), 12 at 11:00, 13 at 12:00 quoting 12's post. Flat: 11 answered by 12 (1 h), 12 by 13 (1 h), 13 by
nobody; edges 12 -> 11 (inferred, 0.5) and 13 -> 12 (the quote, 1).
"""

import pytest
from forum_builder import Forum

from chrysalide.community import community, newcomer_responses, source_structure
from chrysalide.report.html.sections.community import unrecorded


def _comments(store):
    f = Forum(store, "posts", first_id=1)
    for member in (1, 2, 3, 4, 5):
        f.member(member)
    f.thread(1), f.thread(2), f.thread(3)
    t1 = f.post(1, 1, "2021-01-01 10:00", code="individual")
    f.post(2, 1, "2021-01-01 10:30", reply_to=t1)
    f.post(1, 1, "2021-01-01 10:40", reply_to=t1)
    f.post(3, 1, "2021-01-01 11:00", reply_to=t1)
    t2 = f.post(4, 2, "2021-01-02 09:00", code="individual")
    f.post(4, 2, "2021-01-02 09:30", reply_to=t2)
    t3 = f.post(2, 3, "2021-01-03 08:00")
    f.post(5, 3, "2021-01-03 14:00", reply_to=t3)
    return f.save()


def _phpbb(store):
    f = Forum(store, "forum", first_id=101)
    for member in (11, 12, 13):
        f.member(member)
    f.thread(10)
    f.post(11, 10, "2021-02-01 10:00")
    quoted = f.post(12, 10, "2021-02-01 11:00")
    f.post(13, 10, "2021-02-01 12:00", reply_to=quoted)
    return f.save()


def test_comments_without_parents_count_requests_not_comments(store):
    _comments(store)
    assert source_structure(store) == {
        "posts": {"replies": "submission_only", "day_only": False, "boards_apart": False, "sampled_threads": False}
    }
    rows = newcomer_responses(store).set_index("member_id")
    assert rows["starts_thread"].to_dict() == {1: True, 2: False, 3: False, 4: True, 5: False}
    assert rows["replies_recorded"].to_dict() == {1: True, 2: False, 3: False, 4: True, 5: False}
    # whether the comments 2, 3 and 5 were answered cannot be seen: NULL, not false
    assert rows["answered"].to_dict() == {1: True, 2: None, 3: None, 4: False, 5: None}
    assert rows.loc[1, "first_reply_hours"] == pytest.approx(0.5)
    s = community(store).summary
    assert s["newcomers"] == 5 and s["newcomers_without_replies_recorded"] == 3
    assert s["newcomers_answered_share"] == s["requests_answered_share"] == pytest.approx(1 / 2)
    assert s["newcomer_answered_within_3h_share"] == s["request_answered_within_3h_share"] == pytest.approx(1 / 2)
    assert s["newcomer_first_reply_median_hours"] == pytest.approx(0.5)
    assert s["threads"] == 3 and s["threads_unanswered_share"] == pytest.approx(1 / 3)
    assert s["thread_first_reply_median_hours"] == pytest.approx(3.25)


def test_comments_without_parents_answer_the_submissions_author(store):
    _comments(store)
    run = community(store)
    assert run.summary["network_members"] == 4 and run.summary["network_answering_pairs"] == 3
    nodes = run.table(store, "member_network").set_index("member_id")
    assert nodes["out_degree"].to_dict() == {1: 0, 2: 1, 3: 1, 5: 1}
    assert nodes["in_degree"].to_dict() == {1: 2, 2: 1, 3: 0, 5: 0}
    assert nodes["strength"].to_dict() == pytest.approx({1: 1.0, 2: 1.0, 3: 0.5, 5: 0.5})


def test_the_report_says_why_comments_are_left_out(store):
    _comments(store)
    why = unrecorded(community(store).summary)
    assert why.startswith("source 'posts': its comments name only the post they are under")


def test_a_flat_phpbb_forum_stays_flat(store):
    _phpbb(store)
    assert source_structure(store) == {
        "forum": {"replies": "flat", "day_only": False, "boards_apart": False, "sampled_threads": False}
    }
    rows = newcomer_responses(store).set_index("member_id")
    assert rows["replies_recorded"].all()
    assert rows["answered"].to_dict() == {11: True, 12: True, 13: False}
    assert rows["first_reply_hours"].dropna().tolist() == pytest.approx([1.0, 1.0])
    run = community(store)
    assert run.summary["newcomers_answered_share"] == pytest.approx(2 / 3)
    nodes = run.table(store, "member_network").set_index("member_id")
    assert nodes["strength"].to_dict() == pytest.approx({11: 0.5, 12: 1.5, 13: 1.0})


def test_each_source_keeps_its_own_reading(store):
    _comments(store)
    _phpbb(store)
    assert {k: v["replies"] for k, v in source_structure(store).items()} == {
        "forum": "flat",
        "posts": "submission_only",
    }
    s = community(store).summary
    assert s["newcomers"] == 8 and s["newcomers_without_replies_recorded"] == 3
    assert s["newcomers_answered_share"] == pytest.approx(3 / 5)  # 1, 11, 12 of 1, 4, 11, 12, 13
