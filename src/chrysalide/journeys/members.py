"""Per-member journey metrics: a pure function over a partition of the per-message frame.

``member_metrics`` needs every message of the members it is given (and nothing else), so it runs
unchanged on any partition split by member, e.g. one Dask partition per block of member ids.
Random draws are seeded per member (``seed`` and a digest of the member's own data), so results depend
neither on the split nor on the pseudonymisation key.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from chrysalide.journeys.frame import in_member_order

DAY = pd.Timedelta(days=1)

# Milestone name -> (date column, delay column); the frame mask that reaches it is in ``_masks``. Delays count
# from the first post, except decentering's, which counts from the start of the time at risk (``at_risk_since``).
MILESTONES = {
    "reply_to_other": ("first_reply_to_other_at", "days_to_reply_to_other"),
    "community": ("first_community_at", "days_to_community"),
    "collaborative": ("first_collaborative_at", "days_to_collaborative"),
    "decentered": ("first_decentered_at", "days_to_decentered"),
    "societal": ("first_societal_at", "days_to_societal"),
    "core": ("core_entry_at", "days_to_core"),
}
#: The milestones read from whom members answer: after a reply whose target is unknown (``target_unknown``: a parent
#: the source lacks, or a thread author's comment in a source of comments without parents; view ``reply_targets``),
#: the member's first reply to another member, or their entry into a month's core, may have come earlier than the
#: record shows, so it gets no delay (``reply_delay_unseen``), as a first post after the record's start gets none.
REPLY_MILESTONES = ("reply_to_other", "core")
PERIODS = {"week": "W-SUN", "month": "M"}
EXACT_MAX = 100  # above: normal limit of the permutation distribution (see ``we_trend``)
#: Significance level of the I-to-we test and false discovery rate of its correction (``we_trend_counts``).
TREND_ALPHA = 0.05
#: Fewest members tested for the I-to-we counts to be read: below, chance alone makes less than one member pass at
#: ``TREND_ALPHA`` and each member moves the share by more than 5 points, so no count tells a trend from chance.
TREND_MIN_TESTED = 20


def as_float(values: pd.Series) -> pd.Series:
    """Numbers as float64 with NaN for missing (DuckDB gives nullable integers or all-None objects)."""
    return pd.to_numeric(values, errors="coerce").astype("float64")


def in_days(delta: pd.Series) -> pd.Series:
    """Durations as fractional days (NaN where missing)."""
    return pd.to_timedelta(delta) / DAY


def _masks(frame: pd.DataFrame) -> dict[str, pd.Series]:
    code = frame["code"]
    return {
        "reply_to_other": frame["replies_to_other"].eq(True),
        "community": code.eq("community"),
        "collaborative": code.eq("collaborative"),
        "decentered": frame["decentering"].eq(True),  # view ``decentering``: after the time at risk starts
        "societal": code.eq("societal"),
        "core": frame["in_core"].eq(True),
    }


def member_metrics(
    frame: pd.DataFrame,
    *,
    corpus_end: pd.Timestamp,
    period: str = "week",
    seed: int = 0,
    permutations: int = 999,
    min_trend_messages: int = 5,
) -> pd.DataFrame:
    """One row per member: counts, milestones with delays, RFM raw values, I-to-we and vous-to-tu.

    ``frame`` has the columns of ``frame.FRAME_COLUMNS``. Delays are in days from the first post, except
    ``days_to_decentered``: from ``at_risk_since``, the member's first request (or first message), as the
    view ``decentering`` defines the passage from asker to helper. A member whose arrival the record does not show
    (``arrival_shown`` false: first seen within the burn-in of a record that starts after their community did, or
    registered before it; migration 0023) keeps the dates of their milestones but no delay: their first recorded
    post may come years into their membership (left truncation), as for the newcomers. Nor do the milestones of
    :data:`REPLY_MILESTONES` reached after a reply to a message the source lacks (``reply_delay_unseen``: the
    member's first reply to another member may be that one), nor the core entry of a member in the core of the month
    of their first message (``core_in_first_month``: dated at that message by construction, a month's core being
    known per month). RFM *scores* need every member and are added later
    (``panel.score_rfm``).
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {sorted(PERIODS)}, not {period!r}")
    frame = in_member_order(frame)
    members = frame["member_id"]
    groups = frame.groupby("member_id", sort=True)
    out = groups.agg(
        first_post_at=("posted_at", "min"),
        last_post_at=("posted_at", "max"),
        n_messages=("message_id", "size"),
        n_coded=("code", "count"),
        words=("words", "sum"),
        n_threads=("thread_id", "nunique"),
    )
    out["active_days"] = frame["posted_at"].dt.floor("D").groupby(members).nunique()
    start = out["first_post_at"].where(frame["arrival_shown"].astype(bool).groupby(members).first())
    unknown_since = frame["posted_at"].where(frame["target_unknown"].eq(True)).groupby(members).min()
    unknown_since = unknown_since.reindex(out.index)
    for name, mask in _masks(frame).items():
        date_col, delay_col = MILESTONES[name]
        out[date_col] = frame["posted_at"].where(mask).groupby(members).min()
        out[delay_col] = in_days(out[date_col] - start)
        if name in REPLY_MILESTONES:
            out[delay_col] = out[delay_col].mask(_hidden(out[date_col], unknown_since))
    # A month's core is computed over the whole month's replies, so a member in the core of the month of their first
    # message is dated at that first message whatever they wrote or received after: a delay of 0 by construction, not
    # a measure. Their delay is left out (counted apart, ``core_in_first_month``; not stored).
    core_at, core_delay = MILESTONES["core"]
    month = out["first_post_at"].dt.to_period("M")
    out["core_in_first_month"] = start.notna() & out[core_at].dt.to_period("M").eq(month)
    out[core_delay] = out[core_delay].mask(out["core_in_first_month"])
    # Members whose arrival the record shows and whose first reply to another member cannot be dated so (not stored).
    out["reply_delay_unseen"] = start.notna() & _hidden(out[MILESTONES["reply_to_other"][0]], unknown_since)
    # Members none of whose replies is known to answer another member, though some may (their reached share is a floor).
    out["replies_unknown_only"] = unknown_since.notna() & out[MILESTONES["reply_to_other"][0]].isna()
    out["arrived_helping"] = frame["arrived_helping"].astype("boolean").groupby(members).first()
    out["at_risk_since"] = frame["posted_at"].where(frame["risk_entry"].eq(True)).groupby(members).min()
    out["days_to_decentered"] = in_days(out["first_decentered_at"] - out["at_risk_since"])
    out["recency_days"] = in_days(pd.Timestamp(corpus_end) - out["last_post_at"])
    runs = _period_runs(frame, PERIODS[period])
    out = out.join(runs)
    out = out.join(we_trend(frame, seed=seed, permutations=permutations, min_messages=min_trend_messages))
    out = out.join(tu_shift(frame))
    for col in ("we_messages", "tu_messages"):
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).astype("int64")
    return out.reset_index()


def _hidden(reached: pd.Series, unknown_since: pd.Series) -> pd.Series:
    """Members whose milestone (its date ``reached``, NaT when never) is not seen before their first reply to a
    message the source lacks (``unknown_since``), which may have reached it first (:data:`REPLY_MILESTONES`)."""
    return unknown_since.notna() & ~(reached < unknown_since)


def _period_runs(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Distinct active periods per member and the longest run of consecutive ones (study, note 5)."""
    ordinal = frame["posted_at"].dt.to_period(freq).astype("int64")
    active = pd.DataFrame({"member_id": frame["member_id"].to_numpy(), "p": ordinal.to_numpy()})
    active = active.drop_duplicates().sort_values(["member_id", "p"])
    same_member = active["member_id"].eq(active["member_id"].shift())
    new_run = ~(same_member & active["p"].diff().eq(1))
    run_lengths = active.groupby(new_run.cumsum()).agg(member_id=("member_id", "first"), n=("p", "size"))
    return pd.DataFrame(
        {
            "active_periods": active.groupby("member_id").size(),
            "longest_run": run_lengths.groupby("member_id")["n"].max(),
        }
    )


def we_trend(frame: pd.DataFrame, *, seed: int = 0, permutations: int = 999, min_messages: int = 5) -> pd.DataFrame:
    """I-to-we trend: OLS slope of the we-ratio against the message's rank among the member's messages.

    we-ratio = first-person plural / (singular + plural) pronouns (CODEBOOK), only on messages with
    at least one first-person pronoun. The two-sided p-value is a permutation test of the slope
    (Good 2005, *Permutation, Parametric and Bootstrap Tests of Hypotheses*, ch. 3): the ratios are
    shuffled over the member's message ranks ``permutations`` times, p = (1 + #|b*| >= |b|) / (1 + B).
    Above ``EXACT_MAX`` messages the permutation distribution of the slope is replaced by its normal
    limit (Hoeffding 1951, "A combinatorial central limit theorem", Ann. Math. Stat. 22:558-566):
    mean 0, variance sum((y - mean y)^2) / ((n - 1) * sum((x - mean x)^2)); it keeps members with
    tens of thousands of messages from costing minutes.
    """
    rank = frame.groupby("member_id").cumcount().to_numpy(dtype=float)
    singular = as_float(frame["first_singular"]).to_numpy()
    plural = as_float(frame["first_plural"]).to_numpy()
    total = singular + plural
    keep = np.isfinite(total) & (total > 0)
    ids, x, y = frame["member_id"].to_numpy()[keep], rank[keep], plural[keep] / total[keep]
    # Plain numpy slices per member: a pandas groupby loop cost ~30 s on a forum of 70,000 members.
    order = np.argsort(ids, kind="stable")
    ids, x, y = ids[order], x[order], y[order]
    members, starts, counts = np.unique(ids, return_index=True, return_counts=True)
    rows = []
    for member_id, start, count in zip(members.tolist(), starts.tolist(), counts.tolist(), strict=True):
        xs, ys = x[start : start + count], y[start : start + count]
        slope, p = np.nan, np.nan
        if count >= max(min_messages, 2):
            slope, p = _slope_test(xs, ys, np.random.default_rng([seed, _data_seed(ys)]), permutations)
        rows.append((member_id, count, float(ys.mean()), slope, p))
    return pd.DataFrame(
        rows, columns=["member_id", "we_messages", "we_ratio_mean", "we_slope", "we_slope_p"]
    ).set_index("member_id")


def fdr_adjusted(p_values: np.ndarray | pd.Series) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (Benjamini & Hochberg 1995, "Controlling the false discovery rate: a
    practical and powerful approach to multiple testing", J. R. Stat. Soc. B 57:289-300), in the input's order.

    Calling every test whose adjusted value is below q keeps the expected share of false discoveries among them
    at q or less (``scipy.stats.false_discovery_control``, method ``bh``).
    """
    p = np.asarray(p_values, dtype=float)
    return stats.false_discovery_control(p, method="bh") if len(p) else p


def we_trend_counts(metrics: pd.DataFrame, *, alpha: float = TREND_ALPHA) -> dict[str, Any]:
    """How many members' I-to-we trends are significant, one by one and corrected for testing them all.

    ``metrics`` has ``we_slope`` and ``we_slope_p`` per member (NaN: not tested). Each member tested is one
    test at ``alpha``: with many members, about ``alpha`` of them pass by chance alone, in one direction or the
    other, even if nobody's use of "we" changed (``expected_by_chance``; fewer where permutation p-values
    are tied). ``*_fdr`` counts the members whose trend stays significant after the Benjamini-Hochberg
    correction over all the members tested (:func:`fdr_adjusted`: false discovery rate ``alpha``).
    """
    tested = metrics.dropna(subset=["we_slope_p"])
    slope = tested["we_slope"].to_numpy(float)
    p = tested["we_slope_p"].to_numpy(float)
    q = fdr_adjusted(p)
    return {
        "we_trend_tested": len(tested),
        "we_trend_increasing_p05": int(((slope > 0) & (p < alpha)).sum()),
        "we_trend_decreasing_p05": int(((slope < 0) & (p < alpha)).sum()),
        "we_trend_increasing_fdr05": int(((slope > 0) & (q < alpha)).sum()),
        "we_trend_decreasing_fdr05": int(((slope < 0) & (q < alpha)).sum()),
        "we_trend_expected_by_chance": round(alpha * len(tested), 2),
    }


def _data_seed(ys: np.ndarray) -> int:
    """A seed from the member's own ratios: the draws depend neither on the split nor on the member id, which
    changes with the pseudonymisation key (results must not depend on the key)."""
    return int.from_bytes(
        hashlib.blake2b(np.ascontiguousarray(ys, dtype=np.float64).tobytes(), digest_size=8).digest(), "big"
    )


def _slope_test(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, permutations: int) -> tuple[float, float]:
    xc = x - x.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ (y - y.mean()) / sxx)
    if np.ptp(y) == 0 or permutations <= 0:
        return slope, 1.0 if np.ptp(y) == 0 else np.nan
    if len(y) > EXACT_MAX:
        yc = y - y.mean()
        sd = np.sqrt(float(yc @ yc) / ((len(y) - 1) * sxx))
        return slope, float(2 * stats.norm.sf(abs(slope) / sd))
    # Blocks bound memory for members with tens of thousands of messages.
    block = max(1, min(permutations, 2_000_000 // len(y)))
    hits, done = 0, 0
    while done < permutations:
        b = min(block, permutations - done)
        shuffled = rng.permuted(np.broadcast_to(y, (b, len(y))), axis=1)
        hits += int(np.count_nonzero(np.abs(shuffled @ xc / sxx) >= abs(slope) - 1e-12))
        done += b
    return slope, (1 + hits) / (1 + permutations)


def tu_shift(frame: pd.DataFrame) -> pd.DataFrame:
    """Vous-to-tu shift in French: share of informal "tu" in the later vs the earlier half of messages.

    Only French messages with at least one second-person pronoun count. Shares pool the pronoun
    counts of each half (earlier half = the first floor(n/2) such messages); shift = late - early.
    """
    informal = as_float(frame["second_informal"])
    formal = as_float(frame["second_formal"])
    keep = frame["lang"].eq("fr") & (informal + formal).gt(0)
    data = pd.DataFrame({"member_id": frame["member_id"], "i": informal, "f": formal})[keep]
    if data.empty:
        return pd.DataFrame(columns=["tu_messages", "tu_share_early", "tu_share_late", "tu_shift"])
    data["k"] = data.groupby("member_id").cumcount()
    data["n"] = data.groupby("member_id")["i"].transform("size")
    data["late"] = data["k"] >= data["n"] // 2
    sums = data[data["n"] >= 2].groupby(["member_id", "late"])[["i", "f"]].sum()
    share = (sums["i"] / (sums["i"] + sums["f"])).unstack("late")
    out = pd.DataFrame({"tu_messages": data.groupby("member_id").size()})
    out["tu_share_early"] = share.get(False)
    out["tu_share_late"] = share.get(True)
    out["tu_shift"] = out["tu_share_late"] - out["tu_share_early"]
    return out
