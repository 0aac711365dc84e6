"""In a corpus of thread starts only, the Kaplan-Meier curve's caption says it sees decentering in thread starts
alone, so the curve falls less than the forum's would.

Regression: the Doctissimo IVG thread starts (2,032 posts, no reply) drew the curve out to 14 months with no word
of it; only the decentering paragraph said what the corpus cannot see.

By hand: 12 members each open two threads 5 days apart, no thread has a reply; the second thread of members 1-6
helps others (coded collaborative, decentered).
"""

from __future__ import annotations

from forum_builder import Forum

from chrysalide.journeys import journeys
from chrysalide.journeys.survival import survival
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys
from chrysalide.report.html.sections.journeys import UNSEEN_HELP


def test_the_curve_of_a_corpus_of_thread_starts_says_what_it_cannot_see(store):
    f = Forum(store)
    for member in range(1, 13):
        f.member(member)
        f.thread(member * 10), f.thread(member * 10 + 1)
        f.post(member, member * 10, f"2021-01-{member:02d} 10:00", "how do I cope, any advice?", code="individual")
        helps = member <= 6
        f.post(member, member * 10 + 1, f"2021-01-{member + 5:02d} 10:00", "what helped me: pacing" if helps
               else "still tired, any idea?", code="collaborative" if helps else "individual", decentered=helps)  # fmt: skip
    f.save()
    journeys(store, permutations=0)
    survival(store)
    (caption,) = [fig.caption for fig in section_journeys(Context(store)).figures if "Kaplan-Meier" in fig.caption]
    assert caption.endswith(f"{UNSEEN_HELP}: the curve falls less than the forum's would.")
