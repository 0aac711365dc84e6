"""Determinants of progression: time from asking for help to the first decentered message.

Who is at risk, from when, and what counts as the event is the store view ``decentering`` (see
:mod:`chrysalide.journeys.decentering`): members are at risk from their first request (or first message),
members who arrived helping are left out (counted in the summary), and so are the members whose arrival the record
does not show (``members_arrival_unseen``: their first recorded message may not be their first). Kaplan-Meier (Kaplan & Meier 1958)
estimates the share of members at risk not yet decentered t days later, and its median is reported only where
enough members are still followed (:func:`km_median`); a Cox proportional-hazards model (Cox 1972) relates the
hazard to covariates known by the end of the member's first week at risk, from then on (a landmark analysis,
:class:`ProgressionSurvival`). Both with lifelines (Davidson-Pilon 2019, JOSS 4(40):1317). Members
who never decenter are censored at their last message (``censor="last_message"``: the last one holding their
words, after which a decentering would not be seen, :mod:`chrysalide.store.unreadable`) or at the corpus end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.community.responses import ANSWERS_RECORDED, source_structure
from chrysalide.errors import ConfigError
from chrysalide.journeys.cox_year import COLLECTION_READING, volume_change, volume_change_text, year_volumes
from chrysalide.journeys.decentering import decentering_summary, decentering_table, registered, undeclared_arrivals
from chrysalide.journeys.frame import corpus_bounds
from chrysalide.journeys.members import in_days
from chrysalide.store import Store
from chrysalide.store.bots import not_bot
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step
from chrysalide.store.unreadable import unreadable_counts

#: The first week at risk over which the Cox covariates are measured, and the landmark (its last day) from which
#: the Cox model counts time (ProgressionSurvival).
WEEK_DAYS = 7
WEEK_HOURS = WEEK_DAYS * 24.0
#: Upper bound of the Cox model's L2 ``penalizer`` (SurvivalParams; ``chrysalide survival --penalizer``, 0.01 by
#: default): a penalty of a million already shrinks every hazard ratio to 1.0000 (30,000 demo messages); near 1e308
#: lifelines' gradient overflows, and at inf the fit stops ("delta contains nan value(s)").
PENALIZER_MAX = 1e6
MIN_AT_RISK_MEDIAN = 10  # members still at risk where the curve falls to 50%, for its median to be reported
MIN_EVENTS = 3  # decentered members the Cox model needs in all (ProgressionSurvival)
#: Events per covariate of the Cox model (its decentered members over its fitted columns, each board indicator one):
#: below MIN_EVENTS_PER_COVARIATE its hazard ratios are indicative only and none is read (Peduzzi et al. 1995), below
#: MIN_EVENTS_PER_COVARIATE_FIT it is not fitted (Vittinghoff & McCulloch 2007); see ProgressionSurvival.
MIN_EVENTS_PER_COVARIATE = 10
MIN_EVENTS_PER_COVARIATE_FIT = 5
#: Decentered members of the Cox model a board needs to be compared (its indicator, or the reference the others are
#: against): a board indicator is a covariate whose information lies in its own members' events, so it gets the
#: events per covariate under which no hazard ratio is read (Peduzzi et al. 1995; see ProgressionSurvival).
MIN_BOARD_EVENTS = MIN_EVENTS_PER_COVARIATE
THANKS = r"(?i)\b(merci|thanks?|thx|thank you)\b"
#: The Cox model's covariates (columns of :func:`entry_table`) in a reader's words, each with what its hazard
#: ratio is per; the report and the command line show these, the stored tables and JSON keep the names.
COVARIATES = {
    "log_first_reply_hours": "wait for the first reply (1 + hours, capped at a week): per doubling",
    "answered_first_week": "answered within the first week: yes against no",
    "replies_first_week": "replies received in the first week: per reply",
    "thanks_first_week": "thanks received in the first week (replies saying thanks or coded community): per reply",
    "year": "year of the first request: per year later",
}
#: How to read the hazard ratios of :data:`COVARIATES`, for the report and the command line.
HAZARD_RATIOS = (
    "A hazard ratio above 1 means members decentre sooner, per unit stated or when yes (1.5: at any time half as "
    "likely again to decentre); below 1, later; where its 95% interval holds 1, the data show no clear difference"
)
#: Covariates fitted on a natural log, shown per doubling: a hazard ratio h per log unit is h ** ln 2 per doubling.
PER_DOUBLING = frozenset({"log_first_reply_hours"})
#: The columns of the Cox table the report and the command line show, the last one :func:`hazard_reading`'s.
COX_COLUMNS = ("covariate", "hazard ratio", "95% CI", "p", "reading")
#: The reading of every hazard ratio of a model with fewer than MIN_EVENTS_PER_COVARIATE events per covariate.
FEW_EVENTS_READING = "too few events to read"
BOARD_PREFIX = "board_"  # the model's indicator of a board: board_<name>
MIN_BOARD_SHARE = 0.05  # a board with fewer of the members the Cox model is fitted on is one of the SMALL_BOARDS
#: The indicator of the boards of fewer than ``min_board_share`` of the Cox model's members, grouped: outside the
#: BOARD_PREFIX names, so that no board, whatever the source calls it ("other" included), is merged with them.
SMALL_BOARDS = "small_boards"


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


def board_indicators(boards: pd.Series, min_share: float = MIN_BOARD_SHARE) -> pd.Series:
    """``boards``, one per member, as the Cox model's indicators: ``board_<name>``, or :data:`SMALL_BOARDS` for
    the boards of fewer than ``min_share`` of these members (and none)."""
    shares = boards.value_counts() / len(boards)
    large = boards.isin(shares.index[shares >= min_share])
    return (BOARD_PREFIX + boards.astype(str)).where(large, SMALL_BOARDS)


def reference_board(boards: pd.Series) -> str:
    """The board the Cox model compares the others with, ``boards`` holding one indicator per member
    (:func:`board_indicators`): the one with the most members (the first by name among equals), so that every hazard
    ratio is against the best-estimated baseline (Hosmer, Lemeshow & May 2008, *Applied Survival Analysis*, 2nd ed.,
    on the coding of nominal covariates); the grouped :data:`SMALL_BOARDS` only when no other board is left."""
    counts = boards.value_counts()
    named = counts.drop(SMALL_BOARDS, errors="ignore")
    counts = named if len(named) else counts
    return str(min(counts.index[counts == counts.max()]))


def cox_left_out_text(summary: dict[str, Any]) -> str:
    """The members at risk a survival run (its ``summary``) left out of the Cox model, one sentence per reason: they
    were no longer at risk at the landmark (``cox_left_out_decentered_first_week``,
    ``cox_left_out_followed_under_week``: see :class:`ProgressionSurvival`), the answers to their first request are
    not recorded (``cox_left_out_unrecorded``), or too few members of their board decentered for its hazard ratio
    (``cox_left_out_few_events``, the boards in ``cox_boards_few_events``); empty when none were (or the run
    predates these keys)."""

    def who(n: int) -> str:
        members = "1 member at risk is" if n == 1 else f"{n:,} members at risk are"
        return f"{members} left out of the Cox model (not of the Kaplan-Meier curve)"

    sentences = []
    early = int(summary.get("cox_left_out_decentered_first_week") or 0)
    brief = int(summary.get("cox_left_out_followed_under_week") or 0)
    if early or brief:
        whom = [f"{early:,} who decentered within the first week"] if early else []
        whom += [f"{brief:,} observed for less than a week"] if brief else []
        sentences.append(f"{who(early + brief)}: {' and '.join(whom)}. Its covariates (replies and thanks received) are measured "
                         f"up to day {WEEK_DAYS} after the start of the time at risk, so it is fitted on the members "
                         f"still at risk then, with time counted from day {WEEK_DAYS} (landmark analysis).")  # fmt: skip
    if unrecorded := int(summary.get("cox_left_out_unrecorded") or 0):
        sentences.append(f"{who(unrecorded)}: the answers to their first request (or first message) are not "
                         "recorded, as in a source of comments without parents or where replies were not collected, "
                         "so their reply covariates are unknown.")  # fmt: skip
    if few := int(summary.get("cox_left_out_few_events") or 0):
        events = summary.get("cox_boards_few_events") or {}
        boards = "; ".join(f"{n:,} in {board_words(b)}" for b, n in events.items())
        sentences.append(f"{who(few)}: too few of the members the model is fitted on decentered in the board of their "
                         f"first request to estimate its hazard ratio (fewer than {MIN_BOARD_EVENTS}): {boards}.")  # fmt: skip
    return " ".join(sentences)


def board_words(board: str) -> str:
    """A board of the Cox model (its indicator, :func:`board_indicators`) in a reader's words: its name, or what
    the :data:`SMALL_BOARDS` are."""
    if board == SMALL_BOARDS:
        return f"the small boards (each under {MIN_BOARD_SHARE:.0%} of the members the Cox model is fitted on)"
    return board.removeprefix(BOARD_PREFIX)


def covariate_label(name: str, reference_board: str | None = None) -> str:
    """A covariate of the Cox model in a reader's words (:data:`COVARIATES`); a board's indicator says the board
    its hazard ratio is against, ``reference_board`` (the run's ``cox_board_reference``) when it is known."""
    if name in COVARIATES:
        return COVARIATES[name]
    if not name.startswith(BOARD_PREFIX) and name != SMALL_BOARDS:
        return name
    against = f"against {board_words(reference_board)}" if reference_board else "against another board"
    return f"first request in {board_words(name)}: {against}"


def hazard_reading(ci_lower: float, ci_upper: float) -> str:
    """Which way a hazard ratio reads: members decentre sooner (its 95% interval above 1), later (below 1), or no
    clear difference (the interval holds 1)."""
    if ci_lower > 1:
        return "decentre sooner"
    if ci_upper < 1:
        return "decentre later"
    return "no clear difference"


def few_events_per_covariate(summary: dict[str, Any]) -> bool:
    """Whether a survival run's Cox model (its ``summary``) rests on fewer than :data:`MIN_EVENTS_PER_COVARIATE`
    events per covariate (``cox_events_per_covariate``), so that its hazard ratios are indicative only; False for a
    run that predates the key."""
    per = summary.get("cox_events_per_covariate")
    return per is not None and per < MIN_EVENTS_PER_COVARIATE


def cox_events_text(summary: dict[str, Any]) -> str:
    """The sentence saying that a survival run's Cox model (its ``summary``) rests on too few events per covariate
    for its hazard ratios to be read (:func:`few_events_per_covariate`); empty when it does not."""
    if not few_events_per_covariate(summary):
        return ""
    events, covariates = int(summary["cox_events"]), int(summary["cox_covariates"])
    return (f"The hazard ratios rest on few events: {counted_events(events, covariates)}, fewer than "
            f"{MIN_EVENTS_PER_COVARIATE}, where estimates are biased and their 95% intervals do not hold the true "
            "value as often as they say (Peduzzi et al. 1995); they are indicative only, and none is read "
            f"('{FEW_EVENTS_READING}').")  # fmt: skip


def cox_notes(summary: dict[str, Any]) -> str:
    """What the report's Cox caption and the command line say under a survival run's Cox table (its ``summary``):
    how to read a hazard ratio (:data:`HAZARD_RATIOS`), whether the model rests on too few events
    (:func:`cox_events_text`), whom it leaves out (:func:`cox_left_out_text`) and whether the year of the first
    request is read (:func:`chrysalide.journeys.cox_year.volume_change_text`)."""
    texts = (f"{HAZARD_RATIOS}.", cox_events_text(summary), cox_left_out_text(summary), volume_change_text(summary))
    return " ".join(t for t in texts if t)


def counted_events(events: int, covariates: int) -> str:
    """A Cox model's decentered members per covariate, in words."""
    members = "1 decentered member" if events == 1 else f"{events:,} decentered members"
    return (f"{members} for {covariates} covariate{'s' if covariates != 1 else ''} (each board indicator counted "
            f"as one), {events / covariates:.1f} per covariate")  # fmt: skip


def cox_rows(cox: pd.DataFrame, summary: dict[str, Any]) -> pd.DataFrame:
    """The rows of a stored Cox model (``survival_cox``, or a run's ``cox``) in the order of :data:`COVARIATES`,
    boards last, with each covariate's ``label`` and ``reading`` (:func:`covariate_label` against the run's
    ``cox_board_reference``, :func:`hazard_reading`), read from the run's ``summary``: no row is read, each reads
    :data:`FEW_EVENTS_READING`, when the model rests on too few events (:func:`few_events_per_covariate`). The
    ratios of :data:`PER_DOUBLING` covariates are per doubling, not per unit of their log."""
    order = {name: i for i, name in enumerate(COVARIATES)}
    rows = cox.assign(rank=cox["covariate"].map(lambda c: order.get(c, len(order))))
    rows = rows.sort_values(["rank", "covariate"], kind="stable").drop(columns="rank").reset_index(drop=True)
    rows["label"] = [covariate_label(c, summary.get("cox_board_reference")) for c in rows["covariate"]]
    # A log-scale covariate's ratio per unit of its log (a wait e times longer) is shown per doubling instead.
    doubling = rows["covariate"].isin(PER_DOUBLING)
    for col in ("hazard_ratio", "ci_lower", "ci_upper"):
        rows[col] = rows[col].where(~doubling, rows[col] ** np.log(2))
    few = few_events_per_covariate(summary)
    rows["reading"] = [FEW_EVENTS_READING if few else hazard_reading(lo, hi)
                       for lo, hi in zip(rows["ci_lower"], rows["ci_upper"], strict=True)]  # fmt: skip
    if not few and volume_change(summary) is not None:  # the year says what was collected (cox_year)
        rows.loc[rows["covariate"].eq("year"), "reading"] = COLLECTION_READING
    return rows


@dataclass(frozen=True)
class Median:
    """The Kaplan-Meier median of :func:`km_median`: ``days`` when reported, else None and ``withheld`` says why."""

    estimate: float | None  # first time the curve is at or below 50% (None: it never is)
    at_risk: int | None  # members at risk at that time
    ci_lower: float | None  # Brookmeyer-Crowley 95% interval; None: not reached (the upper limit: unbounded)
    ci_upper: float | None
    withheld: str | None  # why it is not reported; None: reported

    @property
    def days(self) -> float | None:
        """The median as reported: the estimate unless withheld."""
        return None if self.withheld else self.estimate


def km_median(curve: pd.DataFrame, *, min_at_risk: int = MIN_AT_RISK_MEDIAN) -> Median:
    """The median of a Kaplan-Meier curve (columns days, survival, ci_lower, ci_upper, at_risk), its 95% confidence
    interval, and whether it is reported.

    The median is the first time the curve falls to 50% or below. Its interval is Brookmeyer & Crowley's (1982,
    "A confidence interval for the median survival time", Biometrics 38(1):29-41): the times whose pointwise 95%
    band contains 50%, from the first time the lower band falls to 50% to the first time the upper band does (the
    band is lifelines' log(-log) transform of Greenwood's variance, as in R's ``survfit``; Klein & Moeschberger
    2003, *Survival Analysis*, 2nd ed., section 4.5). An upper band that never falls to 50% leaves the interval
    unbounded. The median is reported only when the curve falls to 50% with at least ``min_at_risk`` members
    still at risk and its interval is bounded; otherwise ``withheld`` says which condition failed. The floor is
    ours: a curve's tail rests on the few members still followed and should not be read where few remain
    (Pocock, Clayton & Altman 2002, Lancet 359:1686-1689).
    """

    def first(mask: pd.Series) -> float | None:
        days = curve.loc[mask.fillna(False).astype(bool), "days"]
        return float(days.iloc[0]) if len(days) else None

    estimate = first(curve["survival"] <= 0.5)
    lower, upper = first(curve["ci_lower"] <= 0.5), first(curve["ci_upper"] <= 0.5)
    if estimate is None:
        return Median(None, None, lower, upper, "the curve does not fall to 50%")
    at_risk = int(curve.loc[curve["days"] == estimate, "at_risk"].iloc[0])
    reasons = []
    if at_risk < min_at_risk:
        reasons.append(f"{at_risk:,} members still at risk where the curve falls to 50%, fewer than {min_at_risk}")
    if upper is None:
        reasons.append("its 95% confidence interval has no upper limit")
    withheld = "; ".join(reasons) or None
    return Median(estimate, at_risk, lower, upper, withheld)


def followed(curve: pd.DataFrame, *, min_at_risk: int = MIN_AT_RISK_MEDIAN) -> pd.DataFrame:
    """The part of a Kaplan-Meier curve (columns days, at_risk, ...) to draw: its times with at least
    ``min_at_risk`` members still at risk.

    The number at risk only falls with time, so this is the curve up to a time, after which each step rests on
    the few members still followed (one member's event can halve the estimate): the tail :func:`km_median` does
    not read a median from, with the same floor (Pocock, Clayton & Altman 2002, Lancet 359:1686-1689).
    """
    return curve[curve["at_risk"] >= min_at_risk]


class ProgressionSurvival:
    """Kaplan-Meier curve and Cox model of time to first decentered message (see module docstring).

    ``fit`` never raises on degenerate data: when the Cox model cannot be fitted ``cox_`` is None and
    ``cox_error_`` says why (too few members or events, no covariate varies, no convergence); ``median_``
    holds the Kaplan-Meier median, its interval and, when it is not reported (``median_days_`` None), why.
    The curve holds every member at risk; the Cox model only those still at risk at the landmark, and among them
    those whose entry's answers are recorded (the table's ``replies_recorded``, all when it has no such column):
    the others' reply covariates are unknown, and ``cox_left_out_unrecorded_`` counts them.

    Landmark (Anderson, Cain & Gelber 1983, J Clin Oncol 1(11):710-719; Dafni 2011, Circ Cardiovasc Qual Outcomes
    4(3):363-371): the covariates counted over the first :data:`WEEK_DAYS` days at risk are known only at their end,
    and a member's decentering within them (or the thanks it brings) would be counted among its own causes. So the
    Cox model is fitted only on the members at risk after day :data:`WEEK_DAYS` (neither decentered nor censored by
    then), with time counted from that day; the others are counted, ``cox_left_out_decentered_first_week_`` and
    ``cox_left_out_followed_under_week_``. Stopping each member's window at the event instead would make its length
    depend on the outcome. The boards of fewer than ``min_board_share`` of these members are
    grouped (:func:`board_indicators`), among them and not among all members at risk, so that "small" is said of the
    members the model compares. Boards are named by their indicators (``board_<name>``, or :data:`SMALL_BOARDS`) in
    ``board_reference_`` and ``cox_boards_few_events_`` as in ``cox_``.

    A board the Cox model would compare (one with an indicator, or the reference the others are against) where
    fewer than ``min_board_events`` (10) of the model's members decentered gets no hazard ratio: with none the partial
    likelihood keeps rising as its coefficient goes to minus infinity (monotone likelihood: Bryson & Johnson 1981,
    Technometrics 23(4):381-383; Heinze & Schemper 2001, Biometrics 57(1):114-119), and the finite number lifelines
    returns is the penalty's; with a few it rests on them alone (on r/BPD, once the landmark had left 6 members in the
    small boards, 3 of them decentered gave a hazard ratio of 29.3, 95% CI 7.3-116.9). A board indicator is a
    covariate whose information lies in its own members' events, so the floor is the events per covariate under which
    no hazard ratio is read (:data:`MIN_BOARD_EVENTS`, Peduzzi et al. 1995, below). Its members are left out of the
    Cox model, not merged into another board (that would change what the others are compared with):
    ``cox_left_out_few_events_`` counts them, ``cox_boards_few_events_`` maps each such board to its decentered
    members.

    Events per covariate: the decentered members the model is fitted on (``cox_events_``) over its fitted columns
    (``cox_covariates_``, each board indicator one; a column that does not vary is not fitted). Below
    ``min_events_per_covariate`` (5) the model is not fitted and ``cox_error_`` says why: Vittinghoff & McCulloch
    (2007, Am J Epidemiol 165(6):710-718) found bias and confidence-interval coverage often acceptable from 5 to 9
    events per variable, the problems grave from 2 to 4; from 5 to 9 it is fitted and the report and the command line
    read none of its hazard ratios (:func:`few_events_per_covariate`): below 10, Peduzzi, Concato, Feinstein &
    Holford (1995, J Clin Epidemiol 48(12):1503-1510) found proportional-hazards coefficients biased and their
    intervals' coverage wrong (as Peduzzi, Concato, Kemper, Holford & Feinstein 1996, J Clin Epidemiol
    49(12):1373-1379, for logistic regression).
    """

    covariates = list(COVARIATES)

    def __init__(
        self, *, penalizer: float = 0.01, min_members: int = 10, min_events: int = MIN_EVENTS,
        min_board_share: float = MIN_BOARD_SHARE, min_at_risk_median: int = MIN_AT_RISK_MEDIAN,
        min_events_per_covariate: float = MIN_EVENTS_PER_COVARIATE_FIT, min_board_events: int = MIN_BOARD_EVENTS,
    ) -> None:  # fmt: skip
        self.penalizer = penalizer
        self.min_members = min_members
        self.min_events = min_events
        self.min_board_events = min_board_events
        self.min_events_per_covariate = min_events_per_covariate
        self.min_board_share = min_board_share
        self.min_at_risk_median = min_at_risk_median

    @property
    def cox_events_per_covariate_(self) -> float | None:
        """The Cox model's events per covariate (``cox_events_ / cox_covariates_``); None before it is counted."""
        if self.cox_events_ is None or not self.cox_covariates_:
            return None
        return self.cox_events_ / self.cox_covariates_

    @property
    def median_days_(self) -> float | None:
        """The Kaplan-Meier median as reported (``median_.days``): None when withheld."""
        return self.median_.days

    def fit(self, table: pd.DataFrame) -> ProgressionSurvival:
        from lifelines import KaplanMeierFitter

        self.n_members_, self.n_events_ = len(table), int(table["event"].sum()) if len(table) else 0
        self.km_: pd.DataFrame | None = None
        self.cox_: pd.DataFrame | None = None
        self.median_ = Median(None, None, None, None, "no member at risk")
        self.cox_error_: str | None = None
        self.concordance_: float | None = None
        self.board_reference_: str | None = None
        self.cox_events_: int | None = None
        self.cox_covariates_: int | None = None
        self.cox_left_out_decentered_first_week_ = self.cox_left_out_followed_under_week_ = 0
        self.cox_left_out_unrecorded_ = self.cox_left_out_few_events_ = 0
        self.cox_boards_few_events_: dict[str, int] = {}
        self.cox_years_: dict[int, int] = {}
        if self.n_members_ == 0:
            self.cox_error_ = "no member at risk (no dated coded message, or every member arrived helping)"
            return self
        km = KaplanMeierFitter().fit(table["days"], table["event"])
        ci = km.confidence_interval_survival_function_
        events = km.event_table
        self.km_ = pd.DataFrame({
            "days": km.survival_function_.index.to_numpy(dtype=float),
            "survival": km.survival_function_.iloc[:, 0].to_numpy(),
            "ci_lower": ci.iloc[:, 0].to_numpy(), "ci_upper": ci.iloc[:, 1].to_numpy(),
            "at_risk": events["at_risk"].reindex(km.survival_function_.index).to_numpy(dtype=int),
            "events": events["observed"].reindex(km.survival_function_.index).to_numpy(dtype=int),
        })  # fmt: skip
        self.median_ = km_median(self.km_, min_at_risk=self.min_at_risk_median)
        landmark, event = table["days"] > WEEK_DAYS, table["event"].astype(bool)
        self.cox_left_out_decentered_first_week_ = int((~landmark & event).sum())
        self.cox_left_out_followed_under_week_ = int((~landmark & ~event).sum())
        recorded = table.get("replies_recorded", pd.Series(True, index=table.index)).astype(bool)
        self.cox_left_out_unrecorded_ = int((landmark & ~recorded).sum())
        self._fit_cox(table.loc[landmark & recorded].assign(days=lambda t: t["days"] - WEEK_DAYS))
        return self

    def _fit_cox(self, table: pd.DataFrame) -> None:
        from lifelines import CoxPHFitter

        members, events = len(table), int(table["event"].sum())
        before = self.cox_left_out_decentered_first_week_ + self.cox_left_out_followed_under_week_
        whose = f" still at risk on day {WEEK_DAYS}" if before else ""
        whose += " whose first request's answers are recorded" if self.cox_left_out_unrecorded_ else ""
        if members < self.min_members:
            self.cox_error_ = f"{members} members{whose}, fewer than {self.min_members}"
            return
        if events < self.min_events:
            self.cox_error_ = f"{events} decentered members{whose}, fewer than {self.min_events}"
            return
        table = table.assign(board=board_indicators(table["board"], self.min_board_share))
        table = self._leave_out_boards_with_few_events(table)
        if len(table) < self.min_members:
            self.cox_error_ = (f"{len(table)} members left in boards where at least {self.min_board_events} decentered, "
                               f"fewer than {self.min_members}")  # fmt: skip
            return
        data = table[self.covariates].astype(float)
        if "year" in table:  # the model's members by the year of their first request (chrysalide.journeys.cox_year)
            years = table["year"].astype(int).value_counts().sort_index()
            self.cox_years_ = {int(str(y)): int(n) for y, n in years.items()}
        reference = reference_board(table["board"])
        boards = pd.get_dummies(table["board"], dtype=float)
        data = data.join(boards.drop(columns=reference)).loc[:, lambda d: d.nunique() > 1]
        if data.empty:
            self.cox_error_ = "no covariate varies between members"
            return
        self.cox_events_, self.cox_covariates_ = int(table["event"].sum()), data.shape[1]
        if self.cox_events_ < self.min_events_per_covariate * self.cox_covariates_:
            self.cox_error_ = (f"{counted_events(self.cox_events_, self.cox_covariates_)}, fewer than "
                               f"{self.min_events_per_covariate:g}: too few for hazard ratios (Peduzzi et al. 1995; "
                               "Vittinghoff & McCulloch 2007)")  # fmt: skip
            return
        if any(c in boards.columns for c in data.columns):  # the board left out, that the others are against
            self.board_reference_ = reference
        data["days"], data["event"] = table["days"], table["event"].astype(int)
        try:
            cox = CoxPHFitter(penalizer=self.penalizer).fit(data, duration_col="days", event_col="event")
        except Exception as exc:  # lifelines raises ConvergenceError, LinAlgError or ValueError
            self.cox_error_ = f"Cox model not fitted: {type(exc).__name__}: {exc}".splitlines()[0]
            return
        s = cox.summary
        self.cox_ = pd.DataFrame({
            "covariate": s.index.astype(str), "coef": s["coef"].to_numpy(), "hazard_ratio": s["exp(coef)"].to_numpy(),
            "ci_lower": s["exp(coef) lower 95%"].to_numpy(), "ci_upper": s["exp(coef) upper 95%"].to_numpy(),
            "p": s["p"].to_numpy(),
        })  # fmt: skip
        self.concordance_ = float(cox.concordance_index_)

    def _leave_out_boards_with_few_events(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` without the members of the boards where fewer than ``min_board_events`` decentered, when it holds
        more than one board (see the class docstring); sets ``cox_left_out_few_events_`` and
        ``cox_boards_few_events_``."""
        events = table.groupby("board")["event"].sum().astype(int)
        few = events[events < self.min_board_events] if len(events) > 1 else events.iloc[:0]
        self.cox_boards_few_events_ = {str(b): int(n) for b, n in few.items()}
        left_out = table["board"].isin(few.index)
        self.cox_left_out_few_events_ = int(left_out.sum())
        return table.loc[~left_out]


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
