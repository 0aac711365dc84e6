"""Kaplan-Meier curve and Cox model of the time from asking for help to the first decentered message, fitted by
:class:`ProgressionSurvival` on the members at risk of :func:`chrysalide.journeys.survival.entry_table`.

Kaplan-Meier (Kaplan & Meier 1958): its median is reported only where enough members are still followed
(:func:`km_median`, :func:`followed`). Cox proportional hazards (Cox 1972): covariates known by the end of the first
week at risk (:data:`COVARIATES`), from then on (a landmark analysis), boards as indicators (:func:`board_indicators`,
:func:`reference_board`), floors on events per covariate (Peduzzi et al. 1995; Vittinghoff & McCulloch 2007). Both
with lifelines (Davidson-Pilon 2019, JOSS 4(40):1317); their results in words: :mod:`chrysalide.journeys.survival_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: The first week at risk over which the Cox covariates are measured, and the landmark (its last day) from which
#: the Cox model counts time (ProgressionSurvival).
WEEK_DAYS = 7
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
#: The Cox model's covariates (columns of :func:`chrysalide.journeys.survival.entry_table`) in a reader's words, each
#: with what its hazard ratio is per; the report and the command line show these, the stored tables and JSON keep the
#: names.
COVARIATES = {
    "log_first_reply_hours": "wait for the first reply (1 + hours, capped at a week): per doubling",
    "answered_first_week": "answered within the first week: yes against no",
    "replies_first_week": "replies received in the first week: per reply",
    "thanks_first_week": "thanks received in the first week (replies saying thanks or coded community): per reply",
    "year": "year of the first request: per year later",
}
BOARD_PREFIX = "board_"  # the model's indicator of a board: board_<name>
MIN_BOARD_SHARE = 0.05  # a board with fewer of the members the Cox model is fitted on is one of the SMALL_BOARDS
#: The indicator of the boards of fewer than ``min_board_share`` of the Cox model's members, grouped: outside the
#: BOARD_PREFIX names, so that no board, whatever the source calls it ("other" included), is merged with them.
SMALL_BOARDS = "small_boards"


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


def counted_events(events: int, covariates: int) -> str:
    """A Cox model's decentered members per covariate, in words."""
    members = "1 decentered member" if events == 1 else f"{events:,} decentered members"
    return (f"{members} for {covariates} covariate{'s' if covariates != 1 else ''} (each board indicator counted "
            f"as one), {events / covariates:.1f} per covariate")  # fmt: skip


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
    read none of its hazard ratios (:func:`chrysalide.journeys.survival_text.few_events_per_covariate`): below 10,
    Peduzzi, Concato, Feinstein & Holford (1995, J Clin Epidemiol 48(12):1503-1510) found proportional-hazards
    coefficients biased and their intervals' coverage wrong (as Peduzzi, Concato, Kemper, Holford & Feinstein 1996,
    J Clin Epidemiol 49(12):1373-1379, for logistic regression).
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
