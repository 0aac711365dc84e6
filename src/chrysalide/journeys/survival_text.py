"""The survival step's results in a reader's words: the Cox table's rows, labels and readings, and the sentences
the report and the command line say under it.

:func:`cox_rows` orders a stored Cox model (:class:`chrysalide.journeys.survival_model.ProgressionSurvival`) by
:data:`~chrysalide.journeys.survival_model.COVARIATES`, labels each covariate (:func:`covariate_label`, boards
against the reference of Hosmer, Lemeshow & May 2008) and reads each hazard ratio by its 95% interval
(:func:`hazard_reading`), none when the model rests on fewer than
:data:`~chrysalide.journeys.survival_model.MIN_EVENTS_PER_COVARIATE` events per covariate (Peduzzi et al. 1995,
:func:`few_events_per_covariate`). :func:`cox_notes` says how to read a hazard ratio, whether the model rests on too
few events, whom it leaves out (:func:`cox_left_out_text`: the landmark, unrecorded answers, boards with too few
events) and whether the year of the first request is read (:mod:`chrysalide.journeys.cox_year`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from chrysalide.journeys.cox_year import COLLECTION_READING, volume_change, volume_change_text
from chrysalide.journeys.survival_model import (
    BOARD_PREFIX,
    COVARIATES,
    MIN_BOARD_EVENTS,
    MIN_BOARD_SHARE,
    MIN_EVENTS_PER_COVARIATE,
    SMALL_BOARDS,
    WEEK_DAYS,
    counted_events,
)

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


def cox_left_out_text(summary: dict[str, Any]) -> str:
    """The members at risk a survival run (its ``summary``) left out of the Cox model, one sentence per reason: they
    were no longer at risk at the landmark (``cox_left_out_decentered_first_week``,
    ``cox_left_out_followed_under_week``: see :class:`chrysalide.journeys.survival_model.ProgressionSurvival`), the
    answers to their first request are not recorded (``cox_left_out_unrecorded``), or too few members of their board
    decentered for its hazard ratio (``cox_left_out_few_events``, the boards in ``cox_boards_few_events``); empty when
    none were (or the run predates these keys)."""

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
    """A board of the Cox model (its indicator, :func:`chrysalide.journeys.survival_model.board_indicators`) in a
    reader's words: its name, or what the :data:`~chrysalide.journeys.survival_model.SMALL_BOARDS` are."""
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
