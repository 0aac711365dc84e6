"""A community run that stored no newcomer still measured its threads, and the newcomer section says so.

Regression: ADFD, declared a selection of threads, has no newcomer; its newcomer section said "The newest run of
`chrysalide community` (run 7) stored nothing to show here" though the run holds its threads' figures (141
threads, 50% never answered).

By hand, a forum declared a selection of threads: two threads, one answered after 2 hours, one never.
"""

from __future__ import annotations

from forum_builder import Forum

from chrysalide.community import community
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses


def test_the_threads_are_said_where_no_newcomer_is(store):
    f = Forum(store, options={"sampled_threads": True})
    f.member(1), f.member(2)
    f.thread(1), f.thread(2)
    f.post(1, 1, "2021-01-01 10:00", "any advice?", code="individual")
    f.post(2, 1, "2021-01-01 12:00", "rest helped me", code="collaborative")
    f.post(2, 2, "2021-01-02 10:00", "my fatigue is back", code="individual")
    f.save()
    s = community(store).summary
    assert s["newcomers"] == 0 and s["threads"] == 2
    missing = section_responses(Context(store)).missing
    assert "declared a selection of threads" in missing and "stored nothing" not in missing
    assert missing.endswith("The threads (2) are measured: 50% never answered; median time to the first answer of "
                            "the others: 2.0 h.")  # fmt: skip
