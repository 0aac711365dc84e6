"""The ``journeys`` stage: milestones, metrics, stage runs and transitions of every member, stored.

Each call is a new run; earlier runs stay in the tables (history), and readers take the newest
successful run (``store.latest("journeys")``). A call on unchanged data with the same parameters
returns that run (``summary["up_to_date"]``) instead of computing it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from chrysalide import __version__
from chrysalide.community.network import core_by_period, reply_edges
from chrysalide.distributed import map_partitions
from chrysalide.journeys.frame import corpus_bounds, load_frame
from chrysalide.journeys.members import MILESTONES, member_metrics
from chrysalide.journeys.panel import rank_panel, score_rfm
from chrysalide.journeys.sequences import stage_runs, summarize_runs, transition_counts, transition_matrix
from chrysalide.store import Store
from chrysalide.store.state import unchanged_run

JOURNEY_COLUMNS = (
    ["member_id", "role", "first_post_at", "last_post_at"]
    + [c for pair in MILESTONES.values() for c in pair[:1]]
    + [pair[1] for pair in MILESTONES.values()]
)
METRIC_COLUMNS = [
    "member_id", "n_messages", "n_coded", "active_days", "words", "n_threads", "we_messages", "we_ratio_mean",
    "we_slope", "we_slope_p", "tu_messages", "tu_share_early", "tu_share_late", "tu_shift", "recency_days",
    "active_periods", "longest_run", "r_score", "f_score", "v_score", "segment",
]  # fmt: skip


@dataclass
class JourneysResult:
    """What one journeys run produced (also in the store under ``run_id``)."""

    run_id: int
    summary: dict[str, Any]
    members: pd.DataFrame
    stages: pd.DataFrame
    transitions: pd.DataFrame = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        cols = ["member_id", "first_post_at", "last_post_at", "n_messages", "role", "segment"]
        cols += [c for pair in MILESTONES.values() for c in pair]
        members = self.members[cols].astype(object).where(self.members[cols].notna(), None)
        return {
            "run_id": self.run_id,
            "summary": self.summary,
            "members": members.to_dict(orient="records"),
            "transitions": self.transitions.to_dict(orient="records"),
        }


def member_partition(
    frame: pd.DataFrame, *, corpus_end: pd.Timestamp, period: str, seed: int, permutations: int, min_trend_messages: int
) -> dict[str, pd.DataFrame]:
    """The per-member work on one partition of whole members: what a Dask worker runs."""
    metrics = member_metrics(
        frame, corpus_end=corpus_end, period=period, seed=seed, permutations=permutations,
        min_trend_messages=min_trend_messages,
    )  # fmt: skip
    return {"metrics": metrics.reset_index(drop=True), "runs": stage_runs(frame), "counts": transition_counts(frame)}


def compute(
    store: Store,
    *,
    period: str = "week",
    seed: int = 0,
    permutations: int = 999,
    min_trend_messages: int = 5,
    member_id: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Member table, stage runs and transition counts (nothing written). ``member_id`` limits to one.

    With ``executor="dask"`` the members are cut into Parquet partitions of whole members and
    :func:`member_partition` runs on the cluster; the permutation test is seeded per member, so the
    result does not depend on how members are split.
    """
    cores = core_by_period(reply_edges(store), "month")
    frame = load_frame(store, cores, member_id=member_id)
    store.release_memory()  # the frame query's buffers (3 GB at 5 million messages), before the members' work
    _, end = corpus_bounds(store)
    work = partial(
        member_partition, corpus_end=end if end is not None else pd.Timestamp(0), period=period, seed=seed,
        permutations=permutations, min_trend_messages=min_trend_messages,
    )  # fmt: skip
    if executor == "local" and scheduler is None:
        parts = work(frame)
        metrics, runs, counts = parts["metrics"], parts["runs"], parts["counts"]
    else:
        metrics, runs, counts = _distributed(store, frame, work, executor, scheduler)
    roles = store.con.execute("SELECT member_id, role FROM members").df()
    metrics = metrics.merge(roles, on="member_id", how="left")
    return metrics, runs, counts


def _distributed(
    store: Store, frame: pd.DataFrame, work: Any, executor: str, scheduler: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    store.register("chrys_journey_frame", frame)
    try:
        with map_partitions(
            store, "SELECT * FROM chrys_journey_frame", work, executor=executor, scheduler=scheduler,
            partition_by="member_id",
        ) as out:  # fmt: skip

            def read(name: str) -> pd.DataFrame:
                glob = out.glob(name)
                return store.con.execute(f"SELECT * FROM {out.relation(name)}").df() if glob else pd.DataFrame()

            metrics = read("metrics").sort_values("member_id").reset_index(drop=True)
            runs = read("runs").sort_values(["member_id", "seq"]).reset_index(drop=True)
            counts = read("counts")
    finally:
        store.con.unregister("chrys_journey_frame")
    if len(counts):
        counts = counts.groupby(["from_stage", "to_stage"], as_index=False)["n"].sum()
    return metrics, runs, counts


def journeys(
    store: Store,
    *,
    period: str = "week",
    seed: int = 0,
    permutations: int = 999,
    min_trend_messages: int = 5,
    executor: str = "local",
    scheduler: str | None = None,
) -> JourneysResult:
    """Compute and store every member's journey (tables journeys, member_metrics, journey_*).

    On data unchanged since the newest journeys run with the same parameters, that run is returned.
    """
    params = {"period": period, "seed": seed, "permutations": permutations, "min_trend_messages": min_trend_messages}
    component = f"chrysalide.journeys/{__version__}"
    done, inputs = unchanged_run(store, "journeys", component, params)
    if done is not None:
        return stored(store, done)
    with store.run("journeys", component, params, inputs=inputs) as run:
        metrics, runs, counts = compute(
            store, period=period, seed=seed, permutations=permutations, min_trend_messages=min_trend_messages,
            executor=executor, scheduler=scheduler,
        )  # fmt: skip
        metrics = score_rfm(metrics)
        transitions = transition_matrix(counts)
        _write(store, run.run_id, metrics, runs, transitions)
        run.summary.update(_summary(store, metrics, transitions))
    return JourneysResult(run.run_id, run.summary, metrics, runs, transitions)


def stored(store: Store, run_id: int) -> JourneysResult:
    """The result of a stored journeys run, as :func:`journeys` returned it (marked ``up_to_date``)."""
    con = store.con
    journey = ", ".join(f"j.{c}" for c in JOURNEY_COLUMNS)
    metric = ", ".join(f"mm.{c}" for c in METRIC_COLUMNS if c != "member_id")
    members = con.execute(
        f"SELECT {journey}, {metric} FROM journeys j JOIN member_metrics mm USING (run_id, member_id)"
        " WHERE j.run_id = ? ORDER BY j.member_id",
        [run_id],
    ).df()
    runs = con.execute(
        "SELECT * EXCLUDE (run_id) FROM journey_stages WHERE run_id = ? ORDER BY member_id, seq", [run_id]
    ).df()
    transitions = con.execute(
        "SELECT * EXCLUDE (run_id) FROM journey_transitions WHERE run_id = ? ORDER BY from_stage, to_stage", [run_id]
    ).df()
    return JourneysResult(run_id, {**store.run_summary(run_id), "up_to_date": True}, members, runs, transitions)


def _write(store: Store, run_id: int, metrics: pd.DataFrame, runs: pd.DataFrame, transitions: pd.DataFrame) -> None:
    con = store.con
    tables = {
        "journeys": metrics[JOURNEY_COLUMNS],
        "member_metrics": metrics[METRIC_COLUMNS],
        "journey_stages": runs[["member_id", "seq", "stage", "n_messages", "started_at", "ended_at"]],
        "journey_transitions": transitions[["from_stage", "to_stage", "n", "share"]],
    }
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in tables.items():
            store.insert_run_rows(table, run_id, frame)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _summary(store: Store, metrics: pd.DataFrame, transitions: pd.DataFrame) -> dict[str, Any]:
    row = store.con.execute(
        """
        SELECT count(*), count(*) FILTER (m.member_id IS NULL), count(*) FILTER (m.posted_at IS NULL),
               count(*) FILTER (m.member_id IS NOT NULL AND c.message_id IS NULL),
               count(*) FILTER (m.member_id IS NOT NULL AND tf.message_id IS NULL)
        FROM messages m LEFT JOIN current_codes c USING (message_id) LEFT JOIN text_features tf USING (message_id)
        """
    ).fetchone()
    assert row is not None
    summary: dict[str, Any] = {
        "members": len(metrics),
        "messages": int(row[0]),
        "messages_without_member": int(row[1]),
        "messages_undated": int(row[2]),
        "member_messages_uncoded": int(row[3]),
        "member_messages_without_text_features": int(row[4]),
        "transitions": int(transitions["n"].sum()) if len(transitions) else 0,
    }
    for name, (_date_col, delay_col) in MILESTONES.items():
        delays = metrics[delay_col].dropna()
        summary[f"reached_{name}"] = len(delays)
        summary[f"median_days_to_{name}"] = float(delays.median()) if len(delays) else None
    trend = metrics.dropna(subset=["we_slope_p"])
    summary["we_trend_tested"] = len(trend)
    summary["we_trend_increasing_p05"] = int(((trend["we_slope"] > 0) & (trend["we_slope_p"] < 0.05)).sum())
    summary["segments"] = {str(k): int(v) for k, v in metrics["segment"].value_counts().items()}
    return summary


def panel(store: Store, *, top: int = 30) -> pd.DataFrame:
    """The ``top`` members by RFM score, with their journey summary, from the newest journeys run.

    Runs the journeys stage first when it never ran. Columns: rank, member_id, pseudonym, role,
    segment, scores, recency/frequency/volume, first post, messages, days to decentered, stage runs.
    """
    run_id = store.latest("journeys")
    if run_id is None:
        run_id = journeys(store).run_id
    metrics = store.con.execute(
        """
        SELECT mm.*, j.role, j.first_post_at, j.last_post_at, j.days_to_reply_to_other, j.days_to_decentered,
               j.days_to_core, mb.pseudonym
        FROM member_metrics mm JOIN journeys j USING (run_id, member_id)
        LEFT JOIN members mb USING (member_id) WHERE mm.run_id = ?
        """,
        [run_id],
    ).df()
    ranked = rank_panel(metrics, top=top)
    runs = store.con.execute(
        "SELECT * FROM journey_stages WHERE run_id = ? AND member_id IN (SELECT unnest(?::BIGINT[]))"
        " ORDER BY member_id, seq",
        [run_id, ranked["member_id"].tolist()],
    ).df()
    ranked["stages"] = ranked["member_id"].map(summarize_runs(runs)).fillna("")
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    ranked["run_id"] = run_id
    keep = ["rank", "member_id", "pseudonym", "role", "segment", "rfm", "r_score", "f_score", "v_score",
            "recency_days", "active_periods", "longest_run", "words", "n_messages", "first_post_at",
            "last_post_at", "days_to_reply_to_other", "days_to_decentered", "days_to_core", "we_slope",
            "we_slope_p", "stages", "run_id"]  # fmt: skip
    return ranked[keep]
