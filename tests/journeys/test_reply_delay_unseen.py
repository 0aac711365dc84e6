"""A reply to a message the source lacks hides whom it answers: the member's first reply to another member may be
that one, so the recorded one gets no delay.

Regression: on r/covidlonghaulers (86 members' whole histories, one scraped week of threads) the history comments
answer posts and comments never collected, so "first reply to another member" (median 3.1 months after the first
message) and "entry into the core" fell mostly in the scraped week; counted over the raw histories, the members'
first comment answering someone else's message came on the day of their first message (median 0 days).
"""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import journeys, member_table


def _forum(store) -> None:
    """By hand. A (registered at her first post, 01-01) answers a comment the source lacks on 01-05, then B's post on
    02-01: her recorded first reply to another member is 02-01, with no delay, as her reply of 01-05 may be one. C
    opens a thread on 01-03 and answers D's post on 01-10 (7 days later), and only then a missing comment: her delay
    stands. B and D reply to no one."""
    f = Forum(store)
    a, b, c, d = (f.member(i) for i in (1, 2, 3, 4))
    for t in range(1, 6):
        f.thread(t)
    f.post(a, 1, "2020-01-01 10:00", "my fatigue started last month", code="individual")
    f.post(a, 2, "2020-01-05 10:00", "pacing helped me a lot", code="collaborative", parent_missing="t1_gone")
    b_post = f.post(b, 3, "2020-01-20 10:00", "any advice on brain fog?", code="individual")
    f.post(a, 3, "2020-02-01 10:00", "try resting after meals", code="collaborative", reply_to=b_post)
    f.post(c, 4, "2020-01-03 10:00", "hello, new here", code="community")
    d_post = f.post(d, 5, "2020-01-08 10:00", "my heart races", code="individual")
    f.post(c, 5, "2020-01-10 10:00", "see a cardiologist", code="collaborative", reply_to=d_post)
    f.post(c, 2, "2020-01-25 10:00", "same here", code="community", parent_missing="t1_also_gone")
    f.save()


def test_a_reply_to_a_missing_message_leaves_the_next_reply_to_another_without_delay(store):
    _forum(store)
    summary = journeys(store, permutations=0).summary
    j = member_table(store, store.latest("journeys")).set_index("member_id")
    assert j.loc[1, "first_reply_to_other_at"] == pd.Timestamp("2020-02-01 10:00")
    assert pd.isna(j.loc[1, "days_to_reply_to_other"])
    assert j.loc[3, "days_to_reply_to_other"] == pytest.approx(7.0)
    assert summary["members_reply_delay_unseen"] == 1
    assert (summary["reached_reply_to_other"], summary["timed_reply_to_other"]) == (2, 1)  # A's has no delay
