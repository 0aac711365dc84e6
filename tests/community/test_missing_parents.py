"""Replies whose parent the source lacks: no request, no sibling answer, no reply edge; figures withheld, derived by hand.

Comments without their submissions (a Reddit comment export whose every comment is top-level): every message
names its parent, the submission, which is not in the file.
- T1 (submission t3_a missing): members 1 (10:00), 2 (10:30), 3 (11:00) comment on it.
- T2 (submission t3_b missing): member 2 (next day 09:00), member 4 (09:05).
Read as a flat forum, member 1's comment would be a request answered by member 2 in 30 minutes, and 2 -> 1,
3 -> 2, 4 -> 2 reply edges. They are siblings: no message answers another, none opens a thread.

A history with a lost parent (a tree source): member 11's comment answers a comment not in the file (first of
T11, 10:00); member 12 answers it (12:00), member 13 answers member 12 (12:30). Member 11's first message is a
reply, not a request, answered in 2 hours; member 12's in 30 minutes; T11 has no opening message.
"""

import pytest
from forum_builder import Forum

from chrysalide.coding.context import CONTEXT_SQL
from chrysalide.community import community, newcomer_responses, source_structure


def _comments(store):
    f = Forum(store, "comments", first_id=1)
    for member in (1, 2, 3, 4):
        f.member(member)
    f.thread(1), f.thread(2)
    f.post(1, 1, "2021-01-01 10:00", parent_missing="t3_a")
    f.post(2, 1, "2021-01-01 10:30", parent_missing="t3_a")
    f.post(3, 1, "2021-01-01 11:00", parent_missing="t3_a")
    f.post(2, 2, "2021-01-02 09:00", parent_missing="t3_b")
    f.post(4, 2, "2021-01-02 09:05", parent_missing="t3_b")
    return f.save()


def _history(store):
    f = Forum(store, "history", first_id=101)
    for member in (11, 12, 13):
        f.member(member)
    f.thread(11)
    lost = f.post(11, 11, "2021-03-01 10:00", parent_missing="t1_zz")
    answer = f.post(12, 11, "2021-03-01 12:00", reply_to=lost)
    f.post(13, 11, "2021-03-01 12:30", reply_to=answer)
    return f.save()


def test_comments_without_their_submissions_record_no_reply(store):
    _comments(store)
    assert source_structure(store) == {
        "comments": {"replies": "parents_missing", "day_only": False, "boards_apart": False, "sampled_threads": False}
    }
    rows = newcomer_responses(store).set_index("member_id")
    assert sorted(rows.index) == [1, 2, 3, 4]
    assert not rows["starts_thread"].any() and not rows["replies_recorded"].any() and not rows["answered"].any()
    s = community(store).summary
    assert s["newcomers"] == s["newcomers_without_replies_recorded"] == 4
    # no message opens a thread: how many threads started and how many requests cannot be told, not 0
    assert s["requests"] is None and s["threads"] is None and s["threads_without_opening"] == 2
    for key in ("newcomers_answered_share", "newcomer_answered_within_3h_share", "newcomer_first_reply_median_hours",
                "requests_answered_share", "threads_unanswered_share", "thread_first_reply_median_hours"):  # fmt: skip
        assert s[key] is None, key
    assert s["network_members"] == s["network_edges"] == s["core_members"] == 0


def test_coding_reads_every_comment_as_a_reply_to_no_known_member(store):
    _comments(store)
    ctx = store.con.execute(f"{CONTEXT_SQL} ORDER BY message_id").df()
    assert ctx["kind"].tolist() == ["reply"] * 5
    assert not ctx["reply_to_other"].any()  # its parent, the submission, is not in the store


def test_a_lost_parent_in_a_tree_source_makes_a_reply_not_a_request(store):
    _history(store)
    assert source_structure(store)["history"]["replies"] == "tree"
    rows = newcomer_responses(store).set_index("member_id")
    assert rows["starts_thread"].to_dict() == {11: False, 12: False, 13: False}
    assert rows["answered"].to_dict() == {11: True, 12: True, 13: False}
    assert rows.loc[11, "first_reply_hours"] == pytest.approx(2) and rows.loc[12, "first_reply_hours"] == 0.5
    s = community(store).summary
    assert s["requests"] == 0 and s["threads"] == 0 and s["threads_without_opening"] == 1
    assert s["newcomers_answered_share"] == pytest.approx(2 / 3)
    assert s["network_members"] == 3 and s["network_edges"] == 2  # 12 -> 11, 13 -> 12
