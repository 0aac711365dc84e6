"""RFM panels like the study's: recency, frequency and volume scores and segments of members.

Hughes 1994 (*Strategic Database Marketing*) scores each of recency, frequency and monetary value in
quintiles 1-5; the study's president chose its 21 members the same way (Fayn et al. 2021, note 5):
recency = last message, frequency = active periods (and the longest run of consecutive ones),
volume = words written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chrysalide.units import percent

SEGMENTS = ["champion", "loyal", "recent_infrequent", "lapsing", "dormant", "occasional"]
#: Segments that journeys runs stored under another name, each with its name now: "newcomer" was the community
#: figures' word for a member whose arrival the corpus shows, whatever their scores, and "at_risk" the
#: survival figures' for a member who has not yet decentred.
FORMER_SEGMENTS = {"newcomer": "recent_infrequent", "at_risk": "lapsing"}


def segment_name(stored: str) -> str:
    """A member's segment (``member_metrics.segment``) by its name now (:data:`FORMER_SEGMENTS`), whichever journeys
    run stored it."""
    return FORMER_SEGMENTS.get(stored, stored)


def _quintile(values: pd.Series) -> pd.Series:
    """Score 1-5 by percentile rank, tied values taking their lowest rank (SAS PROC RANK's ``TIES=LOW``).

    Hughes 1994 sorts the members and cuts them into fifths. Equal values cannot be cut apart, so a block of ties
    scores in the fifth where it starts: a score says how many members rank below, and a member scores no higher
    than members equal to them. With the average rank, the 85% of r/breastcancer's members tied at the bottom
    (one active week) scored 3, as if they were above the members they equal, and those not seen lately were
    "lapsing"; with the highest rank they would score 5.
    """
    if values.empty:
        return pd.Series(dtype="int64")
    pct = values.rank(method="min", pct=True)
    # np.ceil(Series) is typed as an ndarray; apply hands a ufunc the whole Series (one vectorised call)
    return (pct * 5).apply(np.ceil).clip(1, 5).astype("int64")


def score_rfm(metrics: pd.DataFrame) -> pd.DataFrame:
    """Add r_score, f_score, v_score (1-5, 5 = most recent / frequent / voluminous) and segment.

    Frequency ranks by active periods, then by the longest run of consecutive ones. Segments:
    champion (R, F, V >= 4); loyal (F >= 4); recent_infrequent (R >= 4, F <= 2); lapsing (R <= 2, F >= 3);
    dormant (R <= 2, F <= 2); occasional (the rest). The first rule that matches wins.
    """
    out = metrics.copy()
    out["r_score"] = _quintile(-out["recency_days"])
    # Longest run breaks ties in active periods (it is < 1e6, so the sum keeps the order).
    out["f_score"] = _quintile(out["active_periods"] * 1e6 + out["longest_run"])
    out["v_score"] = _quintile(out["words"].astype(float))
    r, f, v = out["r_score"], out["f_score"], out["v_score"]
    conditions = [
        (r >= 4) & (f >= 4) & (v >= 4),
        f >= 4,
        (r >= 4) & (f <= 2),
        (r <= 2) & (f >= 3),
        (r <= 2) & (f <= 2),
    ]
    out["segment"] = np.select(conditions, SEGMENTS[:-1], default=SEGMENTS[-1]) if len(out) else []
    return out


def frequency_floor(metrics: pd.DataFrame) -> tuple[int, float] | None:
    """Where the frequency score cannot tell the regular members apart: the fewest active periods that score F = 5
    and the share of ``metrics``' members (scored, :func:`score_rfm`) active in one period only, when two periods or
    fewer already score 5; None otherwise.

    Quintiles cut the members into fifths (Hughes 1994), and a block of ties stays whole (:func:`_quintile`): where
    most members post in one period only, the next value is above four fifths of them and scores 5, so a member of
    two active weeks is "champion" beside one of two hundred (r/breastcancer: 1,659 of its 1,949 members are active
    in one week), and the panel's ranking rests on recency and words written.
    """
    top = metrics.loc[metrics["f_score"] == 5, "active_periods"]
    if top.empty or int(top.min()) > 2:
        return None
    return int(top.min()), float((metrics["active_periods"] <= 1).mean())


def frequency_floor_clause(floor: tuple[int, float] | None, period: str) -> str:
    """'; here 85% of the members were active in one week only, so 2 active weeks already score F = 5, ...' ('' when
    ``floor`` is None)."""
    if floor is None:
        return ""
    least, alone = floor
    periods = f"{least} active {period}{'s' if least > 1 else ''}"
    return (f"; here {percent(alone)} of the members were active in one {period} only, so {periods} already "
            f"score{'s' if least == 1 else ''} the highest frequency (F = 5), as high as the most regular members: "
            "the ranking rests on recency and words written")  # fmt: skip


def rank_panel(metrics: pd.DataFrame, top: int = 30) -> pd.DataFrame:
    """The ``top`` members a researcher would invite: highest R+F+V, then most words, then oldest id; their
    ``segment`` by its name now (:func:`segment_name`)."""
    ranked = metrics.assign(rfm=metrics["r_score"] + metrics["f_score"] + metrics["v_score"])
    if "segment" in ranked:
        ranked["segment"] = ranked["segment"].map(segment_name)
    ranked = ranked.sort_values(["rfm", "words", "member_id"], ascending=[False, False, True], kind="stable")
    return ranked.head(top).reset_index(drop=True)
