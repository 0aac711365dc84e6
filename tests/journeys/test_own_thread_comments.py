"""A thread author's comment in their own thread, in a source of comments without parents, answers someone unknown.

Regression: r/BPD's CSVs give each comment only the submission it is under, so a thread author's comments in their
own thread (7,420 in its store) read as answers to themselves: 1,421 members whose only replies were there counted
as never having replied to another member, though on Reddit such a comment mostly answers a helper's comment.

Source "posts" (every comment names only its submission), by hand:
- T1: member 1 posts (2021-01-01 10:00); member 2 comments at 10:30; member 1 comments under her own post at 10:40.
- T2: member 4 posts (01-02 09:00) and comments under it herself (09:30), and nowhere else.
- T3: member 2 posts (01-03 08:00); member 1 comments under it (01-04 08:00).
Member 1's comment of 01-01 10:40 may answer member 2: her recorded first reply to another member (01-04) keeps its
date and gets no delay. Member 4 replied only to someone unknown: she reaches no first reply, and is counted among
the members whose replies are all of unknown target. Member 2's comment under member 1's post, her first message, answers another member: a known target, delay 0.
Source "tree" (Reddit with parent ids): member 11 posts (02-01 10:00), member 12 comments (10:30), member 11
answers that comment (10:45): a recorded reply to another member, 45 minutes after her first post.
"""

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import journeys, member_table
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys


def _forums(store) -> None:
    f = Forum(store, "posts", first_id=1)
    for member in (1, 2, 4):
        f.member(member)
    f.thread(1), f.thread(2), f.thread(3)
    t1 = f.post(1, 1, "2021-01-01 10:00", "my mood swings scare me", code="individual")
    f.post(2, 1, "2021-01-01 10:30", "I know that feeling", code="community", reply_to=t1)
    f.post(1, 1, "2021-01-01 10:40", "thank you, it helps", code="community", reply_to=t1)
    t2 = f.post(4, 2, "2021-01-02 09:00", "is this splitting?", code="individual")
    f.post(4, 2, "2021-01-02 09:30", "edit: thanks everyone", code="other", reply_to=t2)
    t3 = f.post(2, 3, "2021-01-03 08:00", "skills that work for me", code="collaborative")
    f.post(1, 3, "2021-01-04 08:00", "the TIPP skill helped me too", code="collaborative", reply_to=t3)
    f.save()
    g = Forum(store, "tree", first_id=100)
    g.member(11), g.member(12)
    g.thread(10)
    t10 = g.post(11, 10, "2021-02-01 10:00", "new diagnosis, scared", code="individual")
    c = g.post(12, 10, "2021-02-01 10:30", "welcome, you are not alone", code="community", reply_to=t10)
    g.post(11, 10, "2021-02-01 10:45", "thank you so much", code="community", reply_to=c)
    g.save()


def test_reply_targets_marks_a_thread_authors_comments_unknown_only_under_a_submission(store):
    _forums(store)
    rows = store.con.execute(
        "SELECT m.native_id, r.reply_to_other, r.target_unknown FROM reply_targets r JOIN messages m USING (message_id)"
    ).fetchall()
    got = {native: (other, unknown) for native, other, unknown in rows}
    posts = {n: v for n, v in got.items() if int(n) < 100}
    assert sorted(n for n, (_, unknown) in posts.items() if unknown) == ["3", "5"]
    assert not any(unknown for n, (_, unknown) in got.items() if int(n) >= 100)
    assert [other for n, (other, _) in sorted(got.items(), key=lambda x: int(x[0])) if int(n) >= 100] == [
        False,
        True,
        True,
    ]


def test_an_own_thread_comment_hides_the_first_reply_to_another_member(store):
    _forums(store)
    summary = journeys(store, permutations=0).summary
    j = member_table(store, store.latest("journeys")).set_index("member_id")
    one, two, four, eleven = 1, 2, 4, 11
    assert j.loc[one, "first_reply_to_other_at"] == pd.Timestamp("2021-01-04 08:00")
    assert pd.isna(j.loc[one, "days_to_reply_to_other"])
    assert pd.isna(j.loc[four, "first_reply_to_other_at"])
    assert j.loc[two, "days_to_reply_to_other"] == 0
    assert j.loc[eleven, "days_to_reply_to_other"] == pytest.approx(0.75 / 24)
    assert summary["members_reply_delay_unseen"] == 2  # 1, and 4, who has no recorded reply to another
    assert summary["members_replies_unknown_only"] == 1


def test_the_report_says_whose_first_reply_is_hidden_and_that_the_share_is_a_floor(store):
    _forums(store)
    journeys(store, permutations=0)
    paragraphs = section_journeys(Context(store)).paragraphs
    assert any(
        p.startswith("Of the members whose arrival the record shows, 2 wrote a reply whose target is unknown")
        and "a comment in the member's own thread where the source names only the post" in p
        for p in paragraphs
    )
    assert any(
        p.startswith("Of all the posting members, 1 wrote replies whose target is unknown and none known")
        and p.endswith("so its share is a floor.")
        for p in paragraphs
    )
