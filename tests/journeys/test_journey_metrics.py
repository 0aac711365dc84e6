"""Pure per-member functions: I-to-we trend, vous-to-tu shift, active-period runs, RFM scores, survival."""

import numpy as np
import pandas as pd
import pytest
from forum_builder import Forum, reference_forum

from chrysalide.journeys import (
    ProgressionSurvival,
    entry_table,
    member_metrics,
    score_rfm,
    survival,
    tu_shift,
    we_trend,
)
from chrysalide.journeys.survival_model import WEEK_DAYS


def _frame(member_id, n, **cols):
    base = {
        "message_id": range(member_id * 1000, member_id * 1000 + n), "member_id": member_id, "thread_id": 1,
        "posted_at": pd.date_range("2020-01-06", periods=n, freq="7D"), "words": 10, "code": None,
        "decentered": None, "first_singular": None, "first_plural": None, "second_informal": None,
        "second_formal": None, "lang": "en", "replies_to_other": False, "in_core": False, "arrived_helping": None,
        "risk_entry": False, "decentering": False, "arrival_shown": True, "target_unknown": False,
        "member_pos": range(n),
    }  # fmt: skip
    base.update(cols)
    return pd.DataFrame(base)


def test_we_trend_increasing_and_flat():
    rising = _frame(1, 10, first_singular=list(range(10, 0, -1)), first_plural=list(range(0, 10)))
    flat = _frame(2, 10, first_singular=1, first_plural=1)
    out = we_trend(pd.concat([rising, flat]), seed=3, permutations=999)
    assert out.loc[1, "we_slope"] == pytest.approx(0.1) and out.loc[1, "we_slope_p"] == pytest.approx(1 / 1000)
    assert out.loc[2, "we_slope"] == 0 and out.loc[2, "we_slope_p"] == 1.0
    # Seeded per member: the same member gets the same p-value in any partition.
    alone = we_trend(rising, seed=3, permutations=999)
    assert alone.loc[1, "we_slope_p"] == out.loc[1, "we_slope_p"]


def test_tu_shift_from_vous_to_tu():
    frame = _frame(1, 4, lang="fr", second_formal=[2, 1, 0, 0], second_informal=[0, 0, 1, 3])
    out = tu_shift(frame)
    assert out.loc[1, "tu_share_early"] == 0 and out.loc[1, "tu_share_late"] == 1 and out.loc[1, "tu_shift"] == 1
    assert tu_shift(_frame(2, 4, lang="en", second_formal=1)).empty


def test_active_periods_and_longest_run():
    dates = pd.to_datetime(["2020-01-06", "2020-01-08", "2020-01-13", "2020-01-20", "2020-02-10", "2020-02-17"])
    frame = _frame(1, 6, posted_at=dates)
    row = member_metrics(frame, corpus_end=pd.Timestamp("2020-02-27"), period="week").iloc[0]
    assert row["active_periods"] == 5 and row["longest_run"] == 3 and row["recency_days"] == pytest.approx(10)
    month = member_metrics(frame, corpus_end=pd.Timestamp("2020-02-27"), period="month").iloc[0]
    assert month["active_periods"] == 2 and month["longest_run"] == 2


def test_rfm_scores_and_segments():
    m = pd.DataFrame({"member_id": range(10), "recency_days": np.arange(10.0), "active_periods": np.arange(10, 0, -1),
                      "longest_run": 1, "words": np.arange(1000, 0, -100)})  # fmt: skip
    out = score_rfm(m).set_index("member_id")
    assert out.loc[0, ["r_score", "f_score", "v_score"]].tolist() == [5, 5, 5] and out.loc[0, "segment"] == "champion"
    assert out.loc[9, ["r_score", "f_score", "v_score"]].tolist() == [1, 1, 1] and out.loc[9, "segment"] == "dormant"


def test_survival_small_corpus_reports_why_no_cox(store):
    """A asks on 01-01 10:00 and decenters on 01-10 09:00; B arrived helping (left out); C asks on 03-01 08:00
    and is censored at her last message (05-01 11:00); D, registered before the record starts, is left out: the
    record does not show her arrive (view member_arrivals)."""
    reference_forum(store)
    table = entry_table(store).set_index("member_id")
    assert sorted(table.index) == [1, 3]
    assert table.loc[1, "days"] == pytest.approx(8 + 23 / 24) and bool(table.loc[1, "event"])
    assert table.loc[3, "days"] == pytest.approx(61 + 3 / 24) and not table.loc[3, "event"]  # censored at last post
    assert table.loc[1, "first_reply_hours"] == pytest.approx(2.0)  # B's answer in the flat T1
    assert pd.isna(table.loc[3, "first_reply_hours"])  # only C herself follows her in T3
    # Answers to A's messages within 7 days of her request: B's at 01-01 12:00 (A's 01-02 message answers B).
    assert table.loc[1, "replies_first_week"] == 1 and table.loc[1, "thanks_first_week"] == 0
    out = survival(store).summary
    assert out["at_risk"] == 2 and out["decentered"] == 1 and out["arrived_helping"] == 1
    assert out["members_arrival_unseen"] == 1 and out["arrived_helping_share"] == pytest.approx(1 / 3)
    assert out["censored_at_entry"] == 0
    assert out["median_days_among_decentered"] == pytest.approx(8 + 23 / 24)
    assert out["cox_fitted"] is False and "fewer than 10" in out["cox_error"]
    assert store.count("survival_curve") > 0


def test_survival_fits_cox_on_enough_members(store):
    f = Forum(store)
    rng = np.random.default_rng(0)
    t = 0
    for m in range(1, 61):
        f.member(m)
        t += 1
        f.thread(t)
        start = pd.Timestamp("2020-01-01") + pd.Timedelta(days=int(m))
        f.post(m, t, start, "help me", code="individual")
        answered = m % 2 == 0
        if answered:
            f.post((m % 60) + 1, t, start + pd.Timedelta(hours=1), "thanks for asking, try this", code="collaborative")
        delay = WEEK_DAYS + rng.exponential(5 if answered else 40)
        f.post(m, t, start + pd.Timedelta(days=float(delay)), "here is what I learned", code="collaborative",
               decentered=bool(rng.random() < 0.8))  # fmt: skip
    f.save()
    model = ProgressionSurvival().fit(entry_table(store))
    assert model.cox_ is not None, model.cox_error_
    assert model.concordance_ > 0.5 and "answered_first_week" in set(model.cox_["covariate"])


def test_survival_empty_and_constant(store):
    assert survival(store).summary["cox_error"].startswith("no member at risk")


def test_we_trend_normal_limit_agrees_with_permutations():
    """Above EXACT_MAX messages the normal limit is used; it matches Monte Carlo permutations closely."""
    from chrysalide.journeys import members

    rng = np.random.default_rng(5)
    n = members.EXACT_MAX + 50
    y = np.clip(0.3 + 0.0005 * np.arange(n) + rng.normal(0, 0.3, n), 0, 1)
    x = np.arange(n, dtype=float)
    _, p_normal = members._slope_test(x, y, np.random.default_rng(0), 999)
    saved, members.EXACT_MAX = members.EXACT_MAX, 10**9
    try:
        _, p_perm = members._slope_test(x, y, np.random.default_rng(0), 4999)
    finally:
        members.EXACT_MAX = saved
    assert abs(p_normal - p_perm) < 0.02


def test_fdr_adjusted_is_benjamini_hochberg_by_hand():
    """Benjamini & Hochberg (1995): sorted p(i) * m / i, then the running minimum from the largest down."""
    from chrysalide.journeys.members import fdr_adjusted

    # m = 4; sorted 0.01, 0.03, 0.04, 0.20 -> 0.04, 0.06, 0.0533, 0.20 -> minimum from the top:
    # 0.04, 0.0533, 0.0533, 0.20; back in the input's order:
    got = fdr_adjusted(np.array([0.01, 0.04, 0.03, 0.20]))
    np.testing.assert_allclose(got, [0.04, 0.16 / 3, 0.16 / 3, 0.20])
    assert fdr_adjusted(np.array([])).size == 0


def test_we_trend_counts_corrected_for_testing_every_member():
    """Regression: "11 of 192 members (5.7%) use 'we' increasingly (p < 0.05)" was set beside the study's claim
    although about 5% of the members tested pass p < 0.05 by chance alone."""
    from chrysalide.journeys.members import we_trend_counts

    metrics = pd.DataFrame({"we_slope": [0.1, 0.2, -0.1, 0.3, 0.05], "we_slope_p": [0.01, 0.04, 0.03, 0.20, np.nan]})
    counts = we_trend_counts(metrics)
    # Tested: the four members with a p-value. p < 0.05: 0.01 and 0.04 rising, 0.03 falling. Adjusted (test
    # above): only 0.01 -> 0.04 stays below 0.05, a rising one. Chance: 5% of 4 tested.
    assert counts == {
        "we_trend_tested": 4, "we_trend_increasing_p05": 2, "we_trend_decreasing_p05": 1,
        "we_trend_increasing_fdr05": 1, "we_trend_decreasing_fdr05": 0, "we_trend_expected_by_chance": 0.2,
    }  # fmt: skip
    flat = we_trend_counts(pd.DataFrame({"we_slope": [0.1] * 20, "we_slope_p": [0.04] + [0.5] * 19}))
    # One of 20 at p = 0.04: 0.04 * 20 / 1 = 0.8 adjusted; chance alone gives 1 of 20.
    assert flat["we_trend_increasing_p05"] == 1 and flat["we_trend_increasing_fdr05"] == 0
    assert flat["we_trend_expected_by_chance"] == pytest.approx(1.0)
