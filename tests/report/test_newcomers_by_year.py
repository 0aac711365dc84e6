"""The newcomers' table by year counts every newcomer, and each share with the number it rests on.

Regression: on the r/covidlonghaulers histories the table counted only the newcomers whose answer can be seen
(2026: 30 of 37) and said its within-3-hours share was "of all newcomers of the year", where it was of those whose
answer time is known (8 of 24).

By hand, a source of comments without parents (each comment names only its submission: a comment's own answers
cannot be seen), every member registered at their first message:
- 2020: member 1 opens a thread asking for help (2020-03-01 10:00); member 2's first message is a comment under it
  (10:30): 1 is answered in 30 minutes; 2's answer cannot be seen.
- 2021: member 3 opens a thread asking for help (2021-05-01 10:00); member 1 comments (15:00: 5 hours); member 4's
  first message is a comment (16:00).
Each year: 2 newcomers, 1 whose answer can be seen, answered; 2020 within 3 hours, 2021 not; 1 request each.
"""

from __future__ import annotations

from forum_builder import Forum

from chrysalide.community import community
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses


def test_every_newcomer_of_a_year_is_counted_and_each_share_says_its_base(store):
    f = Forum(store, "posts")
    for member in (1, 2, 3, 4):
        f.member(member)
    f.thread(1), f.thread(2)
    t1 = f.post(1, 1, "2020-03-01 10:00", "how do I cope, any advice?", code="individual")
    f.post(2, 1, "2020-03-01 10:30", "you are not alone", code="community", reply_to=t1)
    t2 = f.post(3, 2, "2021-05-01 10:00", "is this normal, any advice?", code="individual")
    f.post(1, 2, "2021-05-01 15:00", "rest helped me", code="collaborative", reply_to=t2)
    f.post(4, 2, "2021-05-01 16:00", "same here", code="community", reply_to=t2)
    f.save()
    community(store)
    (table,) = [t for t in section_responses(Context(store)).tables if t.columns[0] == "year"]
    assert table.columns == ["year", "newcomers", "answered", "within 3 h", "median delay", "requests",
                             "requests within 3 h"]  # fmt: skip
    assert [row[:4] + row[5:] for row in table.rows] == [
        ["2020", 2, "100% (of 1)", "100% (of 1)", 1, "100% (of 1)"],
        ["2021", 2, "100% (of 1)", "0% (of 1)", 1, "0% (of 1)"],
    ]
    assert "every newcomer counted" in table.caption and "can be seen (of N)" in table.caption
