"""The corpus's count of threads says how many lack their opening message when many do.

Regression: the r/covidlonghaulers histories gave "20,385 messages in 15,712 threads", where 14,101 of those
threads hold no opening message (comments whose thread start the corpus lacks, often one or two): a reader took
them for 15,712 conversations.
"""

from __future__ import annotations

from forum_builder import Forum

from chrysalide.community import community
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_overview, section_summary
from chrysalide.report.html.sections.overview import openless


def test_the_clause_names_the_threads_without_opening_from_a_tenth():
    assert openless({"threads_without_opening": 14_101}, 15_712).startswith("14,101 of them without their opening")
    assert openless({"threads_without_opening": 9}, 100) == ""
    assert openless({"threads_without_opening": 10}, 100) != ""
    assert openless({}, None) == ""


def test_the_overview_and_the_corpus_row_say_it(store):
    """By hand: a tree source of 3 threads; two hold only a reply to a message the source lacks."""
    f = Forum(store)
    f.member(1), f.member(2)
    for t in (1, 2, 3):
        f.thread(t)
    start = f.post(1, 1, "2021-01-01 10:00", "any advice?")
    f.post(2, 1, "2021-01-01 11:00", "rest", reply_to=start)
    f.post(2, 2, "2021-01-02 11:00", "same here", parent_missing="t1_gone")
    f.post(1, 3, "2021-01-03 11:00", "thanks", parent_missing="t1_lost")
    f.save()
    community(store)
    ctx = Context(store)
    said = "2 of them without their opening message, which the corpus lacks"
    assert dict(section_overview(ctx).facts)["threads"].startswith(f"3 ({said}")
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "corpus"]
    assert str(row[1]).startswith(f"4 messages in 3 threads ({said}")
