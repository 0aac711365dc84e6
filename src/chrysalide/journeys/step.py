"""The ``journeys`` step: milestones, metrics, stage runs and transitions of every member, stored.

Each run writes the tables ``journeys``, ``member_metrics``, ``journey_stages`` and ``journey_transitions``
under its id; earlier runs stay (history) and readers take the newest (``store.latest("journeys")``). On
unchanged data with the same parameters the newest run is returned (``StepResult.up_to_date``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from chrysalide.community.network import core_by_period, reply_edges
from chrysalide.community.responses import source_structure
from chrysalide.distributed import Execution, map_frames
from chrysalide.errors import ConfigError
from chrysalide.journeys.decentering import (
    ARRIVAL_NOT_SHOWN,
    UNKNOWN,
    decentering_status,
    decentering_summary,
    decentering_table,
    undeclared_arrivals,
)
from chrysalide.journeys.frame import corpus_bounds, load_frame
from chrysalide.journeys.members import MILESTONES, PERIODS, member_metrics, we_trend_counts
from chrysalide.journeys.panel import frequency_floor, rank_panel, score_rfm
from chrysalide.journeys.sequences import stage_runs, summarize_runs, transition_counts, transition_matrix
from chrysalide.store import Store
from chrysalide.store.bots import bot_counts
from chrysalide.store.codes import uncoded
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Relation, Rows, Step, StepResult, run_step
from chrysalide.store.unreadable import unreadable_counts

JOURNEY_COLUMNS = (
    ["member_id", "role", "first_post_at", "last_post_at"]
    + [c for pair in MILESTONES.values() for c in pair[:1]]
    + [pair[1] for pair in MILESTONES.values()]
    + ["arrived_helping", "at_risk_since"]
)
METRIC_COLUMNS = [
    "member_id", "n_messages", "n_coded", "active_days", "words", "n_threads", "we_messages", "we_ratio_mean",
    "we_slope", "we_slope_p", "tu_messages", "tu_share_early", "tu_share_late", "tu_shift", "recency_days",
    "active_periods", "longest_run", "r_score", "f_score", "v_score", "segment",
]  # fmt: skip


def member_partition(
    frame: pd.DataFrame, *, corpus_end: pd.Timestamp, period: str, seed: int, permutations: int, min_trend_messages: int
) -> dict[str, pd.DataFrame]:
    """The per-member work on one partition of whole members: what a Dask worker runs."""
    metrics = member_metrics(
        frame, corpus_end=corpus_end, period=period, seed=seed, permutations=permutations,
        min_trend_messages=min_trend_messages,
    )  # fmt: skip
    return {"metrics": metrics.reset_index(drop=True), "runs": stage_runs(frame), "counts": transition_counts(frame)}


@dataclass(frozen=True)
class JourneysParams(Params):
    """``period``: active periods for frequency (week or month); ``seed`` and ``permutations`` of the I-to-we
    permutation test; ``min_trend_messages``: messages with a first-person pronoun needed to test a trend."""

    period: str = "week"
    seed: int = 0
    permutations: int = 999
    min_trend_messages: int = 5

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise ConfigError(f"--period must be one of {', '.join(PERIODS)}, got {self.period!r}")
        if self.permutations < 0 or self.min_trend_messages < 2:
            raise ConfigError("--permutations must be >= 0 and min_trend_messages >= 2")


def compute(
    store: Store,
    params: JourneysParams,
    *,
    member_id: int | None = None,
    execution: Execution | None = None,
    decentering: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Member table, stage runs and transition counts (nothing written). ``member_id`` limits to one;
    ``decentering``: the rows of the view when already read.

    With a Dask execution the members are cut into Parquet partitions of whole members and
    :func:`member_partition` runs on the cluster; the permutation test is seeded per member, so the
    result does not depend on how members are split.
    """
    cores = core_by_period(reply_edges(store), "month")
    frame = load_frame(store, cores, member_id=member_id, decentering=decentering)
    store.release_memory()  # the frame query's buffers (3 GB at 5 million messages), before the members' work
    _, end = corpus_bounds(store)
    work = partial(
        member_partition, corpus_end=end if end is not None else pd.Timestamp(0), period=params.period,
        seed=params.seed, permutations=params.permutations, min_trend_messages=params.min_trend_messages,
    )  # fmt: skip
    store.register("chrys_journey_frame", frame)
    try:
        with map_frames(store, "SELECT * FROM chrys_journey_frame", work, execution=execution,
                        partition_by="member_id") as results:  # fmt: skip
            parts = {name: [] for name in ("metrics", "runs", "counts")}  # type: dict[str, list[pd.DataFrame]]
            for result in results:
                for name, rows in result.items():
                    parts[name].append(_frame(store, rows))
    finally:
        store.con.unregister("chrys_journey_frame")
    metrics, runs, counts = (pd.concat(p, ignore_index=True) if p else pd.DataFrame() for p in parts.values())
    if len(metrics):
        metrics = metrics.sort_values("member_id").reset_index(drop=True)
    else:
        metrics = member_metrics(frame.iloc[:0], corpus_end=pd.Timestamp(0)).reset_index(drop=True)
    runs = runs.sort_values(["member_id", "seq"]).reset_index(drop=True) if len(runs) else stage_runs(frame.iloc[:0])
    counts = counts.groupby(["from_stage", "to_stage"])["n"].sum().reset_index() if len(counts) else counts
    roles = store.con.execute("SELECT member_id, role FROM members").df()
    return metrics.merge(roles, on="member_id", how="left"), runs, counts


def _frame(store: Store, rows: Rows) -> pd.DataFrame:
    return store.con.execute(rows.sql).df() if isinstance(rows, Relation) else rows


#: What of the journeys the stage codes make (said when no message is coded).
JOURNEYS_READ_CODES = "the journeys read the stage codes (stage runs, decentering, transitions)"


class JourneysStep(Step[JourneysParams]):
    """Every member's journey: milestones (first reply to another, first community / collaborative / societal
    message, decentering after the time at risk starts, core entry), metrics, RFM scores, stage runs and
    transitions. Bot accounts have none (:mod:`chrysalide.store.bots`), nor do removed or deleted bodies
    (:mod:`chrysalide.store.unreadable`); the summary counts both."""

    name = "journeys"
    # What its figures mean (decentering's definition; /2: the summary names its sources' dating; /3: bot
    # accounts apart, comments whose parent is missing answer nobody; /4: the I-to-we counts corrected for
    # testing every member; /5: removed and deleted bodies are no step of a journey; /6: the summary's sources say
    # whether a table named its threads, which the report's wording reads; /7: tied RFM values score by their
    # lowest rank, so members active in one week score F = 1, not 3; /8: arrived helping, the time at risk and the
    # decentering only of the members whose arrival the record shows, view member_arrivals as for the newcomers,
    # the others counted apart, and their milestones without delays; /9: bot accounts also those that post one
    # long template, migration 0024; /10: the record of a member of a source whose boards were collected apart
    # starts with their first message's board's, migration 0029; /13: stage runs, transitions and the I-to-we rank read
    # a member's messages of one date in file order, as the view decentering does, not by our ids; /14: the summary
    # names the sources that look like a selection of threads not declared at import, whose members' first messages
    # are read as arrivals, ``undeclared_selections``, with a warning; /15: no delay to the core for a member in the
    # core of the month of their first message, 0 by construction, counted apart, ``members_core_in_first_month``):
    # runs made under another version are not reused.
    version = "asker-to-helper/15"
    reads = ("messages", "members", "reply_targets", "member_order", "current_codes", "decentering", "text_features",
             "bot_accounts", "unreadable_messages", "member_arrivals", "newcomers")  # fmt: skip
    after = ("text", "coding")
    writes = ("journeys", "member_metrics", "journey_stages", "journey_transitions")

    def __init__(self, params: JourneysParams, *, execution: Execution | None = None) -> None:
        self.params = params
        self.execution = execution

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        decentering = decentering_table(store)
        metrics, runs, counts = compute(store, self.params, execution=self.execution, decentering=decentering)
        metrics = score_rfm(metrics)
        transitions = transition_matrix(counts)
        run.summary.update(_summary(store, metrics, transitions))
        run.summary.update(decentering_summary(store, decentering))
        run.summary.update(bot_counts(store))  # bot accounts have no journey
        run.summary.update(unreadable_counts(store))  # nor do messages without a word of their author
        missing_codes = uncoded(store, JOURNEYS_READ_CODES)
        # Run out of order: every member's stages and decentering are unknown, not absent; and a selection of threads
        # not declared at import, whose members' first messages are read as their arrivals (said beside the figures).
        warnings = [w for w in (missing_codes, undeclared_arrivals(run.summary)) if w]
        if warnings:
            run.summary["warnings"] = warnings
        run.summary["sources"] = source_structure(
            store
        )  # whether delays are whole days (chrysalide.units.dated_by_day)
        yield "journeys", metrics[JOURNEY_COLUMNS]
        yield "member_metrics", metrics[METRIC_COLUMNS]
        yield "journey_stages", runs[["member_id", "seq", "stage", "n_messages", "started_at", "ended_at"]]
        yield "journey_transitions", transitions[["from_stage", "to_stage", "n", "share"]]


def journeys(
    store: Store,
    params: JourneysParams | None = None,
    *,
    execution: Execution | None = None,
    force: bool = False,
    **options: Any,
) -> StepResult:
    """Compute and store every member's journey (``options``: :class:`JourneysParams` fields)."""
    step = JourneysStep(Params.build(JourneysParams, params, options), execution=execution)
    return run_step(store, step, force=force)


def member_table(store: Store, run_id: int) -> pd.DataFrame:
    """The member table of a journeys run: its milestones and metrics, one row per member."""
    journey = ", ".join(f"j.{c}" for c in JOURNEY_COLUMNS)
    metric = ", ".join(f"mm.{c}" for c in METRIC_COLUMNS if c != "member_id")
    return store.con.execute(
        f"SELECT {journey}, {metric} FROM journeys j JOIN member_metrics mm USING (run_id, member_id)"
        " WHERE j.run_id = ? ORDER BY j.member_id",
        [run_id],
    ).df()


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
    for name, (date_col, delay_col) in MILESTONES.items():
        delays = metrics[delay_col].dropna()
        # Every member who reached it; a delay only for those whose arrival the record shows (and whose first reply
        # to another member is not hidden): ``timed_*``, the members the median is of.
        summary[f"reached_{name}"] = int(metrics[date_col].notna().sum())
        summary[f"timed_{name}"] = len(delays)
        summary[f"median_days_to_{name}"] = float(delays.median()) if len(delays) else None
    summary["members_reply_delay_unseen"] = int(metrics["reply_delay_unseen"].sum())
    # In the core of the month of their first message: dated there by construction, no delay (journeys.members).
    summary["members_core_in_first_month"] = int(metrics["core_in_first_month"].sum())
    summary["members_replies_unknown_only"] = int(metrics["replies_unknown_only"].sum())
    summary.update(we_trend_counts(metrics))
    summary["segments"] = {str(k): int(v) for k, v in metrics["segment"].value_counts().items()}
    return summary


def frequency_floor_of(store: Store, run_id: int) -> tuple[tuple[int, float] | None, str]:
    """The journeys run's :func:`~chrysalide.journeys.panel.frequency_floor` over every member it scored, and the
    active period it counted (``week`` or ``month``)."""
    scored = store.con.execute("SELECT active_periods, f_score FROM member_metrics WHERE run_id = ?", [run_id]).df()
    return frequency_floor(scored), str(store.run_params(run_id).get("period", "week"))


def panel(store: Store, *, top: int = 30) -> pd.DataFrame:
    """The ``top`` members by RFM score, with their journey summary, from the newest journeys run.

    Runs the journeys step first when it never ran. Columns: rank, member_id, pseudonym, role,
    segment, scores, recency/frequency/volume, first post, messages, days to decentered and where the member stands
    in that passage (``decentering_status``: :func:`~chrysalide.journeys.decentering.decentering_status`, with
    ``arrived_helping`` and ``arrival_shown``, None where no message of theirs is coded), stage runs.
    """
    run_id = store.latest("journeys")
    if run_id is None:
        run_id = journeys(store).run_id
    metrics = store.con.execute(
        """
        SELECT mm.*, j.role, j.first_post_at, j.last_post_at, j.days_to_reply_to_other, j.days_to_decentered,
               j.days_to_core, j.arrived_helping, mb.pseudonym
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
    ranked["decentering_status"] = decentering_status(ranked)
    ranked["arrival_shown"] = [None if s == UNKNOWN else s != ARRIVAL_NOT_SHOWN for s in ranked["decentering_status"]]
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    ranked["run_id"] = run_id
    keep = ["rank", "member_id", "pseudonym", "role", "segment", "rfm", "r_score", "f_score", "v_score",
            "recency_days", "active_periods", "longest_run", "words", "n_messages", "first_post_at",
            "last_post_at", "days_to_reply_to_other", "days_to_decentered", "decentering_status", "arrived_helping",
            "arrival_shown", "days_to_core", "we_slope", "we_slope_p", "stages", "run_id"]  # fmt: skip
    return ranked[keep]
