"""One member's journey: coded timeline, milestones and metrics (``Corpus.journey(member)``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.community.network import core_by_period, reply_edges
from chrysalide.errors import InputError
from chrysalide.journeys.frame import corpus_bounds, load_frame
from chrysalide.journeys.members import MILESTONES, as_float, member_metrics
from chrysalide.journeys.panel import segment_name
from chrysalide.journeys.sequences import stage_runs
from chrysalide.store import Store


def _member_id(store: Store, member: int | str) -> int:
    """Accept a member_id or a pseudonym."""
    row = store.con.execute(
        "SELECT member_id FROM members WHERE TRY_CAST(? AS BIGINT) = member_id OR pseudonym = ? LIMIT 1",
        [str(member), str(member)],
    ).fetchone()
    if row is None:
        raise InputError(f"member {member!r}: no such member_id or pseudonym in {store.path}")
    return int(row[0])


def journey(store: Store, member: int | str, *, seed: int = 0, permutations: int = 999) -> dict[str, Any]:
    """The member's timeline (one row per message, oldest first), milestones, stage runs and metrics.

    Computed live from the store (so it reflects the current codes); RFM scores and the segment need
    every member and come from the newest journeys run when there is one (else they are absent).
    """
    member_id = _member_id(store, member)
    cores = core_by_period(reply_edges(store), "month")
    frame = load_frame(store, cores, member_id=member_id)
    result: dict[str, Any] = {"member_id": member_id, "n_messages": len(frame)}
    if frame.empty:
        result.update(milestones={}, metrics={}, stages=stage_runs(frame), timeline=frame)
        return result
    _, end = corpus_bounds(store)
    row = member_metrics(
        frame, corpus_end=end if end is not None else pd.Timestamp(0), seed=seed, permutations=permutations
    ).iloc[0]
    result["first_post_at"] = row["first_post_at"]
    result["milestones"] = {
        name: {"at": None if pd.isna(row[d]) else row[d], "days": None if pd.isna(row[k]) else float(row[k])}
        for name, (d, k) in MILESTONES.items()
    }
    # The decentering milestone's delay counts from here (view ``decentering``); None when uncoded.
    result["arrived_helping"] = None if pd.isna(row["arrived_helping"]) else bool(row["arrived_helping"])
    result["at_risk_since"] = None if pd.isna(row["at_risk_since"]) else row["at_risk_since"]
    metric_keys = [
        "n_coded",
        "active_days",
        "words",
        "n_threads",
        "we_ratio_mean",
        "we_slope",
        "we_slope_p",
        "tu_share_early",
        "tu_share_late",
        "tu_shift",
        "recency_days",
        "active_periods",
        "longest_run",
    ]
    result["metrics"] = {
        k: (None if pd.isna(row[k]) else row[k].item() if hasattr(row[k], "item") else row[k]) for k in metric_keys
    }
    run_id = store.latest("journeys")
    if run_id is not None:
        scores = store.con.execute(
            "SELECT r_score, f_score, v_score, segment FROM member_metrics WHERE run_id = ? AND member_id = ?",
            [run_id, member_id],
        ).fetchone()
        if scores is not None:
            result["metrics"].update(dict(zip(["r_score", "f_score", "v_score"], scores[:3], strict=True)))
            result["metrics"]["segment"] = segment_name(scores[3])
    plural = as_float(frame["first_plural"])
    total = as_float(frame["first_singular"]) + plural
    timeline = frame.drop(columns=["member_id"]).assign(we_ratio=plural / total.where(total > 0))
    result["stages"] = stage_runs(frame).drop(columns=["member_id"])
    result["timeline"] = timeline.reset_index(drop=True)
    return result
