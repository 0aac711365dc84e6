"""The Kaplan-Meier chart of the report stops where the median's rule stops reading the curve, and says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum  # noqa: E402

from chrysalide.journeys import journeys, survival  # noqa: E402
from chrysalide.journeys.survival_model import MIN_AT_RISK_MEDIAN  # noqa: E402
from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections import section_journeys  # noqa: E402
from chrysalide.store import Store  # noqa: E402


def _asking(store: Store, later: list[tuple[int, bool]]) -> None:
    """Member i asks on 2021-01-01 and posts again ``later[i - 1]`` = (days, decentered) later: helping
    someone (decentered, the event) or asking again (censored at this last message)."""
    f = Forum(store)
    start = pd.Timestamp("2021-01-01 10:00")
    for i, (days, decentered) in enumerate(later, start=1):
        f.member(i), f.thread(i)
        f.post(i, i, start, code="individual")
        f.post(i, i, start + pd.Timedelta(days=days), code="collaborative" if decentered else "individual",
               decentered=decentered)  # fmt: skip
    f.save()
    journeys(store, permutations=0)
    survival(store)


def _km_captions(store: Store) -> list[str]:
    return [f.caption for f in section_journeys(Context(store)).figures if f.caption.startswith("Kaplan-Meier")]


def test_regression_km_chart_tail_where_few_are_at_risk_is_not_drawn(store: Store) -> None:
    """r/mentalhealth's curve ran on to 6.2 years and 0%, its last 9 steps resting on 9 members down to 1.

    12 members followed 1..12 days (even days decentered): 13 - t at risk at day t, at least 10 up to day 3;
    after it 9 (day 4) down to 1 (day 12), the 9 times 4..12 left undrawn."""
    assert MIN_AT_RISK_MEDIAN == 10  # the numbers below are worked out for this floor
    _asking(store, [(i, i % 2 == 0) for i in range(1, 13)])
    (caption,) = _km_captions(store)
    assert caption.endswith(
        " The curve stops at 3 days: after it fewer than 10 members are still at risk (9 down to 1), where one "
        "member's decentering would move it by a tenth or more; its last 9 times are not drawn, as its median is "
        "not read there."
    )


def test_curve_not_drawn_when_fewer_than_the_floor_were_ever_at_risk(store: Store) -> None:
    _asking(store, [(i, i % 2 == 0) for i in range(1, 10)])
    section = section_journeys(Context(store))
    assert not [f for f in section.figures if f.caption.startswith("Kaplan-Meier")]
    assert any(p.startswith("The Kaplan-Meier curve is not drawn: fewer than 10 members were at risk from the start")
               for p in section.paragraphs)  # fmt: skip


def test_whole_curve_drawn_when_enough_stay_at_risk_to_its_end(store: Store) -> None:
    """Two members decentered on days 1 and 2, ten still asking on day 30: 12, 11 and 10 at risk at the curve's
    times 1, 2 and 30, never fewer than 10: nothing to leave out, nothing said."""
    _asking(store, [(1, True), (2, True)] + [(30, False)] * 10)
    (caption,) = _km_captions(store)
    assert caption.endswith("members who arrived helping are not in it.")


def test_the_key_finding_says_what_the_median_supposes_of_the_members_who_stop(store: Store) -> None:
    """24 members decentered on days 1..24, 12 more followed 30..41 days: the curve falls to 50% on day 18 with 19
    still at risk, so its median is read. Censored at their last message, the members who stopped posting are supposed to
    decentre as those who went on; counted to the corpus' end instead, that is said."""
    from chrysalide.report.html.sections import section_summary

    _asking(store, [(i, True) for i in range(1, 25)] + [(29 + i, False) for i in range(1, 13)])

    def said() -> str:
        (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == "decentering"]
        return str(row[1])

    assert ("after their time at risk started, had those who stopped posting decentered as often as those who went "
            "on (each member counts until their last message)") in said()  # fmt: skip
    survival(store, censor="corpus_end")
    assert "after their time at risk started, each member who never decentered counting until the corpus ends" in said()
