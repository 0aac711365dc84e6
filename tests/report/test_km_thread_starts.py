"""In a corpus of thread starts only, the Kaplan-Meier curve's caption says it sees decentering in thread starts
alone, so the curve falls less than the forum's would.

Regression: the Doctissimo IVG thread starts (2,032 posts, no reply) drew the curve out to 14 months with no word
of it; only the decentering paragraph said what the corpus cannot see.

By hand: 12 members each open two threads 5 days apart, no thread has a reply; the second thread of members 1-6
helps others (coded collaborative, decentered).
"""

from __future__ import annotations

from forum_builder import thread_starts_forum

from chrysalide.journeys import journeys
from chrysalide.journeys.survival import survival
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys
from chrysalide.report.html.sections.journeys import UNSEEN_HELP


def test_the_curve_of_a_corpus_of_thread_starts_says_what_it_cannot_see(store):
    thread_starts_forum(store)
    journeys(store, permutations=0)
    survival(store)
    (caption,) = [fig.caption for fig in section_journeys(Context(store)).figures if "Kaplan-Meier" in fig.caption]
    assert caption.endswith(f"{UNSEEN_HELP}: the curve falls less than the forum's would.")
