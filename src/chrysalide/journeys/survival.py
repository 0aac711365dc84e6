"""The survival step: who is at risk of decentering, from when, with which covariates, and the step that fits and
stores the models of progression (:mod:`chrysalide.journeys.survival_model`).

Who is at risk, from when, and what counts as the event is the store view ``decentering`` (see
:mod:`chrysalide.journeys.decentering`): members are at risk from their first request (or first message),
members who arrived helping are left out (counted in the summary), and so are the members whose arrival the record
does not show (``members_arrival_unseen``: their first recorded message may not be their first). :func:`entry_table`
gives one row per member at risk, with the covariates measured over their first :data:`WEEK_DAYS` days at risk.
Members who never decenter are censored at their last message (``censor="last_message"``: the last one holding
their words, after which a decentering would not be seen, :mod:`chrysalide.store.unreadable`) or at the corpus end.
The step fits Kaplan-Meier (Kaplan & Meier 1958) and Cox (Cox 1972) on them with lifelines (Davidson-Pilon 2019,
JOSS 4(40):1317) and stores the curve (``survival_curve``) and the hazard ratios (``survival_cox``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.community.responses import ANSWERS_RECORDED, source_structure
from chrysalide.errors import ConfigError
from chrysalide.journeys.cox_year import year_volumes
from chrysalide.journeys.decentering import decentering_summary, decentering_table, registered, undeclared_arrivals
from chrysalide.journeys.frame import corpus_bounds
from chrysalide.journeys.members import in_days
from chrysalide.journeys.survival_model import COVARIATES, WEEK_DAYS, ProgressionSurvival
from chrysalide.store import Store
from chrysalide.store.bots import not_bot
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step
from chrysalide.store.unreadable import unreadable_counts

WEEK_HOURS = WEEK_DAYS * 24.0
#: Upper bound of the Cox model's L2 ``penalizer`` (SurvivalParams; ``chrysalide survival --penalizer``, 0.01 by
#: default): a penalty of a million already shrinks every hazard ratio to 1.0000 (30,000 demo messages); near 1e308
#: lifelines' gradient overflows, and at inf the fit stops ("delta contains nan value(s)").
PENALIZER_MAX = 1e6
THANKS = r"(?i)\b(merci|thanks?|thx|thank you)\b"


def entry_table(
    store: Store,
    *,
    censor: str = "last_message",
    decentering: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per member at risk: duration (days from ``at_risk_since``), event (decentered), covariates.

    ``decentering``: the rows of the view ``decentering`` when the caller has read them already.

    Covariates: ``first_reply_hours`` until the first answer to the member's entry message (view
    ``first_answers``: a direct reply by someone else); ``replies_first_week``, the answers the member's
    messages received (view ``reply_targets``, by someone else, not a bot) in the :data:`WEEK_DAYS` days from entry
    (whenever the member decentered: :class:`ProgressionSurvival` fits the Cox model only on the members still at
    risk then), and
    ``thanks_first_week``, those coded ``community`` or saying thanks; the entry's ``year`` and ``board`` (its
    thread's, as the source names it: :class:`ProgressionSurvival` groups the small ones).
    ``replies_recorded``: whether the answers to the entry message are recorded
    (:data:`chrysalide.community.responses.ANSWERS_RECORDED`); where they are not (a comment in a source of
    comments without parents, a source that records no reply, a day outside the period its replies were collected)
    the reply covariates are unknown (NaN), not "no answer".
    """
    if censor not in ("last_message", "corpus_end"):
        raise ValueError(f"censor must be 'last_message' or 'corpus_end', not {censor!r}")
    _, end = corpus_bounds(store)
    relation = registered(store, decentering)
    try:
        table = store.con.execute(
            f"""
            WITH d AS (SELECT * FROM {relation} WHERE arrival_shown AND NOT arrived_helping),
            week AS (
                SELECT d.member_id, count(*) AS replies,
                       count(*) FILTER (c.primary_code = 'community' OR regexp_matches(m.text, '{THANKS}')) AS thanks
                FROM d JOIN reply_targets r ON r.target_member_id = d.member_id
                 AND r.member_id IS DISTINCT FROM d.member_id AND {not_bot("r.member_id")}
                 AND r.posted_at >= d.at_risk_since AND r.posted_at <= d.at_risk_since + INTERVAL {WEEK_DAYS} DAY
                JOIN messages m ON m.message_id = r.message_id LEFT JOIN current_codes c ON c.message_id = r.message_id
                GROUP BY d.member_id)
            SELECT d.member_id, d.entry, d.at_risk_since AS first_at, d.last_at, d.decentered_at AS dec_at, t.board,
                   epoch(a.answered_at - d.at_risk_since) / 3600.0 AS first_reply_hours,
                   coalesce(w.replies, 0) AS replies_first_week, coalesce(w.thanks, 0) AS thanks_first_week,
                   coalesce(r.answers_recorded, false) AS replies_recorded
            FROM d JOIN messages e ON e.message_id = d.entry_message_id LEFT JOIN threads t ON t.thread_id = e.thread_id
            LEFT JOIN ({ANSWERS_RECORDED}) r ON r.message_id = d.entry_message_id
            LEFT JOIN first_answers a ON a.message_id = d.entry_message_id LEFT JOIN week w ON w.member_id = d.member_id
            ORDER BY d.member_id
            """
        ).df()
    finally:
        store.con.unregister(relation)
    stop = table["last_at"] if censor == "last_message" else pd.Series(end, index=table.index)
    table["event"] = table["dec_at"].notna()
    table["days"] = in_days(table["dec_at"].where(table["event"], stop) - table["first_at"])
    hours = table["first_reply_hours"]
    table["answered_first_week"] = (hours <= WEEK_HOURS).astype(int)
    # Unanswered within a week: the log-time is set at the week, the indicator carries the difference.
    table["log_first_reply_hours"] = np.log1p(hours.where(hours <= WEEK_HOURS, WEEK_HOURS).fillna(WEEK_HOURS))
    unknown = ~table["replies_recorded"].astype(bool)
    replies = ["first_reply_hours", *(c for c in COVARIATES if c != "year")]  # every covariate but the year
    table[replies] = table[replies].astype(float).mask(unknown)
    table["year"] = table["first_at"].dt.year
    return table


@dataclass(frozen=True)
class SurvivalParams(Params):
    """``censor``: members never decentered are censored at their ``last_message`` or at the ``corpus_end``;
    ``penalizer``: L2 penalty of the Cox model."""

    censor: str = "last_message"
    penalizer: float = 0.01

    def __post_init__(self) -> None:
        if self.censor not in ("last_message", "corpus_end"):
            raise ConfigError(f"--censor must be last_message or corpus_end, got {self.censor!r}")
        if not 0 <= self.penalizer <= PENALIZER_MAX:  # nan too: every comparison with it is false
            raise ConfigError(f"--penalizer must be from 0 to {PENALIZER_MAX:,.0f}, got {self.penalizer}")


class SurvivalStep(Step[SurvivalParams]):
    """Kaplan-Meier curve and Cox model of the time from asking to the first decentered message (survival_*)."""

    name = "survival"
    # What its figures mean (decentering's definition; /2: the Kaplan-Meier median's rule, the sources' dating;
    # /3: removed and deleted bodies left out of the time at risk; /4: the Cox model only on members whose entry's
    # answers are recorded; /5: no hazard ratio for a board where fewer than MIN_EVENTS of the model's members
    # decentered, small boards grouped by their share of the model's members, the largest board the reference,
    # the Cox model not fitted below MIN_EVENTS_PER_COVARIATE_FIT events per covariate; /6: the small boards'
    # indicator is SMALL_BOARDS, no longer board_other, which a board named "other" shared, and the summary names
    # boards by their indicators; /7: the Cox model a landmark analysis, on the members still at risk WEEK_DAYS
    # after the start, time counted from then, and a board compared only with MIN_BOARD_EVENTS of its members
    # decentered, no longer MIN_EVENTS; /8: only the members whose arrival the record shows, view member_arrivals as
    # for the newcomers, the others counted apart; /9: bot accounts also those that post one long template,
    # migration 0024; /10: the record of a member of a source whose boards were collected apart starts with their
    # first message's board's, migration 0029; /11: the summary gives the record's messages a day in each year of the
    # Cox model's first requests, chrysalide.journeys.cox_year; /12: the summary names the sources that look like a
    # selection of threads not declared at import, ``undeclared_selections``, with a warning): runs made under another
    # version are not reused.
    version = "asker-to-helper/12"
    reads = ("messages", "threads", "decentering", "first_answers", "reply_targets", "current_codes",
             "unreadable_messages", "thread_order", "reply_collection", "member_arrivals", "newcomers")  # fmt: skip
    after = ("coding",)
    writes = ("survival_curve", "survival_cox")

    def __init__(self, params: SurvivalParams) -> None:
        self.params = params

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        model = ProgressionSurvival(penalizer=self.params.penalizer)
        decentering = decentering_table(store)
        table = entry_table(store, censor=self.params.censor, decentering=decentering)
        model.fit(table)
        reached = table.loc[table["event"], "days"]
        median = model.median_
        run.summary.update(decentering_summary(store, decentering))
        run.summary.update(unreadable_counts(store))
        run.summary.update({
            # Members whose last message is dated when their time at risk starts (often their only message):
            # they leave the Kaplan-Meier risk set at day 0 without an event and weigh nothing in the curve.
            "censored_at_entry": int(((table["days"] == 0) & ~table["event"]).sum()),
            "censor": self.params.censor,
            "km_median_days_to_decentered": median.days, "km_median_withheld": median.withheld,
            "km_median_at_risk": median.at_risk,
            "km_median_ci_lower_days": median.ci_lower, "km_median_ci_upper_days": median.ci_upper,
            "median_days_among_decentered": float(reached.median()) if len(reached) else None,
            "cox_fitted": model.cox_ is not None, "cox_error": model.cox_error_, "concordance": model.concordance_,
            "cox_board_reference": model.board_reference_,
            "cox_left_out_decentered_first_week": model.cox_left_out_decentered_first_week_,
            "cox_left_out_followed_under_week": model.cox_left_out_followed_under_week_,
            "cox_left_out_unrecorded": model.cox_left_out_unrecorded_,
            "cox_left_out_few_events": model.cox_left_out_few_events_,
            "cox_boards_few_events": model.cox_boards_few_events_,
            "cox_events": model.cox_events_, "cox_covariates": model.cox_covariates_,
            "cox_events_per_covariate": model.cox_events_per_covariate_,
            "cox": [] if model.cox_ is None else model.cox_.to_dict(orient="records"),
            "cox_year_volume": year_volumes(store, model.cox_years_) if model.cox_ is not None else {},
            "sources": source_structure(store),  # whether delays are whole days (chrysalide.units.dated_by_day)
        })  # fmt: skip
        if undeclared := undeclared_arrivals(run.summary):  # the curve's members may be old ones: said beside it
            run.summary["warnings"] = [undeclared]
        if model.km_ is not None:
            yield "survival_curve", model.km_
        if model.cox_ is not None:
            yield "survival_cox", model.cox_


def survival(store: Store, params: SurvivalParams | None = None, *, force: bool = False, **options: Any) -> StepResult:
    """Fit and store the progression model (``options``: :class:`SurvivalParams` fields)."""
    return run_step(store, SurvivalStep(Params.build(SurvivalParams, params, options)), force=force)
