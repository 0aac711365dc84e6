"""A source's declared 0 replies is not read where the thread starts whose replies were collected contradict it.

Regression: on the r/covidlonghaulers thread file 35 of the 91 posts declaring 0 comments hold answers by others
(the archive took them before their replies came), and 184 history posts outside the collected week were judged
never answered by their 0: "threads never answered 16%" (5% without them).

By hand, two Reddit-like sources (comments name their submission), every thread start declaring 0 comments:
- "t": 20 posts on days whose replies were collected, 5 of them answered by a stored comment (25% contradict the
  count); one post on 2020-06-01, a day of history comments whose parents the source lacks (not collected).
- "u": the same, none of the 20 answered (the count holds); its 2020-06-01 post is judged never answered by it.
"""

from __future__ import annotations

import pandas as pd
from forum_builder import Forum

from chrysalide.community import community, thread_responses


def _source(store, name: str, first_id: int, answered: int) -> None:
    f = Forum(store, name, first_id=first_id)
    base = first_id * 10
    f.member(base + 1), f.member(base + 2)
    for i in range(20):
        f.thread(base + i)
        day = pd.Timestamp("2021-01-01") + pd.Timedelta(days=i)
        start = f.post(base + 1, base + i, day + pd.Timedelta(hours=10), "any advice?", declared=0)
        if i < answered:
            f.post(base + 2, base + i, day + pd.Timedelta(hours=11), "rest helped", reply_to=start)
    f.thread(base + 50)
    f.post(base + 1, base + 50, "2020-06-01 10:00", "any advice?", declared=0)
    for k in (1, 2, 3):
        f.thread(base + 50 + k)
        f.post(base + 1, base + 50 + k, f"2020-06-01 1{k}:00", "my history", parent_missing=f"t3_gone{k}")
    f.save()


def test_a_contradicted_declared_zero_leaves_its_threads_out(store):
    _source(store, "t", 1, answered=5)
    _source(store, "u", 200, answered=0)
    s = community(store).summary
    assert s["threads_declared_zero_unread"] == 1  # t's post of 2020-06-01
    threads = thread_responses(store).set_index("thread_id")
    assert bool(threads.loc[60, "zero_unread"]) and not bool(threads.loc[60, "replies_recorded"])
    assert not bool(threads.loc[2050, "zero_unread"]) and bool(threads.loc[2050, "by_reply_count"])
    assert not bool(threads.loc[2050, "answered"])
    # 40 collected starts (5 answered) and u's start judged by its count: 36 of 41 never answered.
    assert s["threads_answered_known"] == 41 and s["threads_unanswered_share"] == 36 / 41
