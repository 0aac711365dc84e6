"""The core milestone's delay is not given where it is 0 by construction: a month's core is computed over the whole
month's replies, and the milestone is the member's first message in a month they are in its core, so a member in the
core of the month of their first message is dated at that first message, whatever came after.

Regression: on r/BPD 583 of 756 members' delays to the core were 0 so (an audit of 7 December 2026), and the median
delay to the core read "same day" from them.

By hand (every member registered at their first post, so every arrival is shown): in January A posts on the 5th, B
answers A, C answers B the next day and A answers C on the 7th (a triangle: the main core, k = 2, of January is A, B,
C); D's only January message (the 20th, 10:00) answers A (degree 1, not in the core). In March D opens a thread on
the 10th at 10:00, E (first post) answers D, F (first post) answers E and D answers F: March's core is D, E, F. D
enters the core on 10 March, 49 days after her first post (11 days left in January, 28 in February, 10 in March); A,
B, C, E and F are in the core of the month of their first message: 5 counted apart, no delay.
"""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import journeys, member_table
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys
from chrysalide.store import Store


def _forum(store: Store) -> None:
    f = Forum(store)
    a, b, c, d, e, g = (f.member(i) for i in range(1, 7))  # g: F
    f.thread(1), f.thread(2)
    m_a = f.post(a, 1, "2021-01-05 10:00", "my dose?", code="individual")
    m_b = f.post(b, 1, "2021-01-05 11:00", "ask for a scan", code="collaborative", reply_to=m_a)
    m_c = f.post(c, 1, "2021-01-06 10:00", "same here", code="community", reply_to=m_b)
    f.post(a, 1, "2021-01-07 10:00", "thank you both", code="community", reply_to=m_c)
    f.post(d, 1, "2021-01-20 10:00", "me too", code="individual", reply_to=m_a)
    m_d = f.post(d, 2, "2021-03-10 10:00", "better now, ask me", code="collaborative")
    m_e = f.post(e, 2, "2021-03-10 11:00", "how did you do it?", code="individual", reply_to=m_d)
    m_f = f.post(g, 2, "2021-03-11 10:00", "I wonder too", code="individual", reply_to=m_e)
    f.post(d, 2, "2021-03-12 10:00", "slowly, with my doctor", code="collaborative", reply_to=m_f)
    f.save()


def test_the_delay_of_a_core_entered_in_the_first_month_is_not_given(store: Store) -> None:
    _forum(store)
    s = journeys(store, permutations=0).summary
    assert (s["reached_core"], s["timed_core"], s["members_core_in_first_month"]) == (6, 1, 5)
    assert s["median_days_to_core"] == pytest.approx(49.0)  # read from the five zeros, it was 0
    j = member_table(store, store.latest("journeys")).set_index("member_id")
    assert j.loc[4, "core_entry_at"] == pd.Timestamp("2021-03-10 10:00")
    assert j.loc[4, "days_to_core"] == pytest.approx(49.0)
    for member, first in ((1, "2021-01-05 10:00"), (2, "2021-01-05 11:00"), (3, "2021-01-06 10:00"),
                          (5, "2021-03-10 11:00"), (6, "2021-03-11 10:00")):  # fmt: skip
        assert j.loc[member, "core_entry_at"] == pd.Timestamp(first) and pd.isna(j.loc[member, "days_to_core"])
    # The other milestones keep their delays of 0: B's first collaborative message is her first message.
    assert j.loc[2, "days_to_collaborative"] == 0


def test_the_report_says_why(store: Store) -> None:
    _forum(store)
    journeys(store, permutations=0)
    section = section_journeys(Context(store))
    (row,) = [r for r in section.tables[0].rows if r[0] == "in a month's core"]
    assert row[1:3] == [6, "100%"] and row[3].endswith("(of 1)")
    (said,) = [p for p in section.paragraphs if "core of the month of their first message" in p]
    assert said.startswith("Of the 6 members in a month's core, 5 whose arrival the record shows were in the core")
