"""The Kaplan-Meier median and its Brookmeyer-Crowley interval, against a product-limit estimate written out here.

``plain_km`` is Kaplan & Meier (1958) by hand: at each event time t, n members still followed (duration >= t) and
d events; S(t) = prod(1 - d/n). Greenwood's sum g = sum d / (n (n - d)) gives the log(-log) 95% band
S^exp(+-1.96 sqrt(g) / |log S|) (Klein & Moeschberger 2003, section 4.3). The median is the first time S <= 1/2;
its interval (Brookmeyer & Crowley 1982) runs from the first time the lower band is <= 1/2 to the first time the
upper band is.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chrysalide.journeys import ProgressionSurvival, survival
from chrysalide.journeys.survival_model import MIN_AT_RISK_MEDIAN, followed, km_median

Z = 1.959963984540054

# 40 members followed 1..40 days; every third is censored (stops posting without decentering).
STEADY = [(float(t), t % 3 != 0) for t in range(1, 41)]
# Like the French IVF forum: most members seen only on their first day, few events, the curve falls to half late.
SPARSE = [(0.0, False)] * 5 + [(10.0, True), (20.0, False), (30.0, False), (40.0, True), (50.0, False)]


def plain_km(data: list[tuple[float, bool]]) -> list[tuple[float, int, float, float, float]]:
    """(time, at risk, S, lower band, upper band) at each event time."""
    s, g, rows = 1.0, 0.0, []
    for t in sorted({u for u, event in data if event}):
        n = sum(u >= t for u, _ in data)
        d = sum(u == t and event for u, event in data)
        s *= 1 - d / n
        g += d / (n * (n - d)) if n > d else math.inf
        se = math.sqrt(g) / abs(math.log(s)) if 0 < s < 1 else math.nan
        rows.append((t, n, s, s ** math.exp(Z * se), s ** math.exp(-Z * se)))
    return rows


def plain_median(data: list[tuple[float, bool]]) -> tuple[float | None, int | None, float | None, float | None]:
    """Median, members at risk there, lower and upper limits of its interval (None where never reached)."""
    rows = plain_km(data)

    def first(column: int) -> float | None:
        return next((r[0] for r in rows if r[column] <= 0.5), None)

    median = first(2)
    at_risk = next((r[1] for r in rows if r[0] == median), None)
    return median, at_risk, first(3), first(4)


def fitted(data: list[tuple[float, bool]], **options: int) -> ProgressionSurvival:
    table = pd.DataFrame(data, columns=["days", "event"])
    return ProgressionSurvival(min_members=10**6, **options).fit(table)  # the Cox model is not the point here


def test_curve_and_band_match_the_product_limit_by_hand() -> None:
    curve = fitted(STEADY).km_.set_index("days")
    for t, n, s, lower, upper in plain_km(STEADY)[:-1]:  # the last event takes S to 0, where the band is undefined
        assert curve.loc[t, "at_risk"] == n
        assert curve.loc[t, "survival"] == pytest.approx(s)
        assert curve.loc[t, "ci_lower"] == pytest.approx(lower, abs=1e-6)
        assert curve.loc[t, "ci_upper"] == pytest.approx(upper, abs=1e-6)


def test_median_reported_with_its_interval_when_enough_are_followed() -> None:
    median, at_risk, lower, upper = plain_median(STEADY)
    assert (median, at_risk, lower, upper) == (26.0, 15, 17.0, 32.0)  # read off plain_km's rows
    model = fitted(STEADY)
    m = model.median_
    assert (m.estimate, m.at_risk, m.ci_lower, m.ci_upper) == (median, at_risk, lower, upper)
    assert model.median_days_ == median and m.withheld is None


def test_median_withheld_where_few_are_still_at_risk() -> None:
    """The same curve under a floor above the 15 members at risk at its median: withheld, and why."""
    model = fitted(STEADY, min_at_risk_median=16)
    assert model.median_.estimate == 26.0 and model.median_days_ is None
    assert model.median_.withheld == "15 members still at risk where the curve falls to 50%, fewer than 16"


def test_regression_median_on_two_members_at_risk_is_withheld() -> None:
    """French IVF forum: 6 of 55 decentered and the median (2.1 years) was read where 2 members were at risk."""
    median, at_risk, lower, upper = plain_median(SPARSE)
    assert (median, at_risk, upper) == (40.0, 2, None)  # S = 4/5 * 1/2; the upper band never reaches 1/2
    model = fitted(SPARSE)
    assert model.median_.estimate == median and model.median_.ci_lower == lower and model.median_.ci_upper is None
    assert model.median_days_ is None
    assert model.median_.withheld == (
        f"2 members still at risk where the curve falls to 50%, fewer than {MIN_AT_RISK_MEDIAN}; "
        "its 95% confidence interval has no upper limit"
    )


def test_curve_that_never_falls_to_half() -> None:
    curve = pd.DataFrame({"days": [0.0, 5.0], "survival": [1.0, 0.9], "ci_lower": [None, 0.6],
                          "ci_upper": [None, 0.98], "at_risk": [20, 20]})  # fmt: skip
    m = km_median(curve)
    assert (m.estimate, m.days, m.ci_upper) == (None, None, None)
    assert m.withheld == "the curve does not fall to 50%"


def test_survival_summary_says_why_the_median_is_withheld(store) -> None:
    """The step's summary carries the rule's outcome: the 7 members at risk of the hand-coded forum of
    test_decentering reach 50% on day 5 with 4 of them still at risk."""
    from test_decentering import _forum

    _forum(store)
    out = survival(store).summary
    assert out["km_median_days_to_decentered"] is None and out["km_median_at_risk"] == 4
    assert out["km_median_withheld"].startswith("4 members still at risk where the curve falls to 50%")
    assert out["sources"]["t"]["day_only"] is False


def test_curve_drawn_only_while_enough_are_at_risk() -> None:
    """STEADY: 41 - t of the 40 members are still followed at day t, at least 10 up to day 31: the curve kept
    for drawing runs from day 0 to day 31, the median's floor."""
    curve = fitted(STEADY).km_
    shown = followed(curve)
    assert shown["days"].tolist() == [float(t) for t in range(0, 32)]
    assert shown["at_risk"].min() == MIN_AT_RISK_MEDIAN == 41 - 31
    assert followed(curve, min_at_risk=40)["days"].tolist() == [0.0, 1.0]  # all 40 followed up to day 1
