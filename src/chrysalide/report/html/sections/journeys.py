"""Member journeys: transitions between stages, time to decentering, I-to-we trend, panel timelines."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from chrysalide.community.responses import RECORDING_KINDS, UNTHREADED
from chrysalide.frames import each_row
from chrysalide.journeys.decentering import arrival_unseen_text, undeclared_arrivals
from chrysalide.journeys.members import MILESTONES, TREND_ALPHA, TREND_MIN_TESTED, fdr_adjusted, we_trend_counts
from chrysalide.journeys.panel import frequency_floor_clause
from chrysalide.journeys.survival_model import MIN_AT_RISK_MEDIAN, WEEK_DAYS, followed
from chrysalide.journeys.survival_text import COX_COLUMNS, cox_left_out_text, cox_notes, cox_rows
from chrysalide.report.histories import at_risk_histories
from chrysalide.report.html.context import Context, Section, Table, dated_by_day, duration, percent, sentence
from chrysalide.report.html.figures import STAGE_COLORS, STAGES, base, configure, time_axis
from chrysalide.report.html.sections.community import bots_left_out, unrecorded
from chrysalide.report.lacks import unmeasured
from chrysalide.store.unreadable import NO_WORD_OF_THEIRS
from chrysalide.units import counted, km_median_text

MILESTONE_LABELS = {
    "first_reply_to_other_at": "first reply to another member",
    "first_community_at": "first community message",
    "first_collaborative_at": "first collaborative message",
    "first_decentered_at": "decentered after their time at risk started",
    "first_societal_at": "first societal message",
    "core_entry_at": "in a month's core",  # the network section's core is the whole corpus'
}
_SHOWN_MILESTONES = ["first_decentered_at", "core_entry_at", "first_societal_at"]  # the timeline marks
_REPLY_MILESTONES = ["first_reply_to_other_at", "core_entry_at"]  # seen only where replies are recorded
#: What makes whom a reply answers unknown (view ``reply_targets``, ``target_unknown``).
_UNKNOWN_TARGET = (
    "a comment whose parent was not collected, as in members' histories, or a comment in the member's own thread "
    "where the source names only the post a comment is under"
)
#: Why decentering is undercounted in a corpus of thread starts (Fayn et al. 2021: members help by answering others).
UNSEEN_HELP = (
    "Decentering is seen only in messages that open a thread, not in the help given in replies, where the study "
    "saw it: fewer members are found decentered than the forum holds"
)
#: What a corpus of tables without thread ids may miss: the export does not say whether its messages are replies.
UNSEEN_IF_STARTS = (
    "If its messages are only the posts that open threads, the help given in replies, where the study saw "
    "decentering, is not seen: fewer members are then found decentered than the forum holds"
)
#: What a corpus of comments kept without their posts lacks (r/mentalhealth's comment CSV): the requests themselves.
UNSEEN_REQUESTS = (
    "Its messages answer posts it does not hold: the requests for help that open its threads are missing, so a "
    "member's time at risk starts at a request only where one of their comments tells their own problem, else at a "
    "comment that asks nothing (never asked), and decentering here is not the study's passage from asking for help "
    "to helping others"
)


def unreadable_members(n: int) -> str:
    """``9 members whose every message holds no word of theirs``: the journeys' ``members_unreadable``, by name."""
    return f"{counted(n, 'member')} whose every message holds no word of theirs"


def unreadable_left_out(counts: dict[str, Any], where: str) -> str | None:
    """The sentence saying that ``where`` leaves out the messages holding no word of their author and why
    (``members_unreadable`` and ``messages_unreadable`` of a journeys or survival run's summary, or of
    :func:`chrysalide.store.unreadable.unreadable_counts`); None when there is none (or the run predates them)."""
    messages, members = int(counts.get("messages_unreadable") or 0), int(counts.get("members_unreadable") or 0)
    if not messages:
        return None
    only = (f" {counted(members, 'member')} wrote nothing else: they have no journey and are not among the members "
            "coded." if members else "")  # fmt: skip
    which = "messages of members that hold" if messages != 1 else "message of a member that holds"
    return (
        f"{where} leave out the {messages:,} {which} no word of their author: {NO_WORD_OF_THEIRS} (a thread "
        "start coded on its title is kept). The coder codes them 'other', but they are no step of a journey, no "
        f"first message that never asks for help, and do not count as activity: what was written cannot be read.{only}"
    )


def _transitions(ctx: Context, run_id: int) -> alt.Chart | None:
    tr = ctx.df("SELECT from_stage, to_stage, n, share FROM journey_transitions WHERE run_id = ?", [run_id])
    if tr.empty:
        return None
    tr["label"] = (tr["share"] * 100).round().astype(int).astype(str) + "%"
    order = [s for s in STAGES if s in set(tr["from_stage"]) | set(tr["to_stage"])]
    order += sorted((set(tr["from_stage"]) | set(tr["to_stage"])) - set(order))
    heat = base(tr, height=220, width=300).encode(
        x=alt.X("to_stage:N", sort=order, title="next message"), y=alt.Y("from_stage:N", sort=order, title="message"),
    )  # fmt: skip
    rect = heat.mark_rect().encode(color=alt.Color("share:Q", scale=alt.Scale(scheme="blues"), title="share"))
    text = heat.mark_text(fontSize=11).encode(
        text="label:N", color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("#222")),
    )  # fmt: skip
    return rect + text


DECENTERING = (
    "Decentering is the passage from asking for help to helping others (Fayn et al. 2021). A member is at risk "
    "from their first request for help for themselves (their first message coded individual; a member who never "
    "asks: their first message), and decenters with their first decentered message after it (collaborative, "
    "without a first-person reference to their own health). Members whose first message already helps others "
    "(collaborative) arrived helping: they made no such passage here and are counted apart, not as decentered "
    "on day 0. Delays count from the start of the time at risk."
)
MEDIANS = (
    "Two medians answer different questions. The median among members who decentered counts only them; members "
    "still at risk when their messages stop (censored) do not enter it, so it is short. The Kaplan-Meier median "
    "is the time at which the estimated share of members at risk not yet decentered first falls to 50%, each "
    "censored member counting for as long as they are observed (members seen only on the day their time at risk "
    "started barely count). It is given with its 95% confidence interval (Brookmeyer & Crowley 1982: the times "
    "where the curve's 95% band contains 50%), and only when the curve falls to 50% while at least "
    f"{MIN_AT_RISK_MEDIAN} members are still at risk and that interval has an upper limit; otherwise it is "
    "withheld and the reason given."
)


def _km_chart(km: pd.DataFrame) -> alt.LayerChart:
    km = km.assign(ci_lower=km["ci_lower"].fillna(km["survival"]), ci_upper=km["ci_upper"].fillna(km["survival"]))
    if len(km) > 800:  # thousands of event times: keep ~800 steps (and the last), invisible at this width
        km = km.iloc[sorted({*range(0, len(km), len(km) // 800), len(km) - 1})]
    band = base(km).mark_area(interpolate="step-after", opacity=0.25, color="#1b9e77").encode(
        x=alt.X("days:Q", title="days since the time at risk started"), y=alt.Y("ci_lower:Q", title="not yet decentred"),
        y2="ci_upper:Q")  # fmt: skip
    line = (
        base(km)
        .mark_line(interpolate="step-after", color="#1b9e77")
        .encode(x="days:Q", y=alt.Y("survival:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    )
    return band + line


def _km_tail(km: pd.DataFrame, shown: pd.DataFrame, by_day: bool) -> str:
    """Where and why the drawn curve (``shown``, :func:`chrysalide.journeys.survival_model.followed`) stops short of
    the whole curve ``km``; empty when it does not."""
    if len(shown) == len(km):
        return ""
    stop = float(shown["days"].iloc[-1])
    tail = km[km["days"] > stop]
    return (f" The curve stops at {_days(stop, by_day)}: after it fewer than {MIN_AT_RISK_MEDIAN} members are still "
            f"at risk ({int(tail['at_risk'].iloc[0]):,} down to {int(tail['at_risk'].iloc[-1]):,}), where one "
            f"member's decentering would move it by a tenth or more; its last {len(tail):,} times are not drawn, "
            "as its median is not read there.")  # fmt: skip


def _decentering(ctx: Context, s: Section, journeys_summary: dict) -> None:
    """Facts, curve and Cox table of the newest survival run; says when it is missing or disagrees."""
    s.paragraphs.append(DECENTERING)
    run_id = ctx.latest("survival", "survival_curve")
    if run_id is None:
        s.paragraphs.append(
            unmeasured(
                ctx.store,
                "survival",
                "The Kaplan-Meier curve and the Cox model are not computed yet: run chrysalide survival.",
            )
        )
        return
    summary = ctx.run_summary(run_id)
    s.runs.append(ctx.run_label(run_id))
    keys = ("arrived_helping", "at_risk", "decentered")
    if any(summary.get(k) != journeys_summary.get(k) for k in keys):
        s.paragraphs.append("The survival run read other data than the journeys run (their counts differ): run "
                            "chrysalide journeys and chrysalide survival again.")  # fmt: skip
    at_risk = summary.get("at_risk") or 0
    by_day = dated_by_day(summary)
    s.facts += [
        ("members with coded messages", f"{summary.get('members_coded', 0):,}"
         + (f" ({int(summary['members_unreadable']):,} more whose every message holds no word of theirs, left out)"
            if summary.get("members_unreadable") else "")
         + (f", of whom {int(summary['members_arrival_unseen']):,} whose arrival the record does not show (left out "
            "below)" if summary.get("members_arrival_unseen") else "")),
        ("arrived helping (first message collaborative)",
         f"{summary.get('arrived_helping', 0):,} ({percent(summary.get('arrived_helping_share'))})"),
        ("at risk (asked, or first message not helping)", f"{at_risk:,}, of whom "
         f"{summary.get('at_risk_without_request', 0):,} never asked for themselves"),
        ("decentered after their time at risk started", f"{summary.get('decentered', 0):,} "
         f"({percent(summary['decentered'] / at_risk if at_risk else None)} of those at risk)"),
        ("median delay among those who decentered", _days(summary.get("median_days_among_decentered"), by_day)),
        ("Kaplan-Meier median delay", km_median_text(summary)),
        ("at risk but observed only at their start (censored on day 0)", f"{summary.get('censored_at_entry', 0):,}"),
    ]  # fmt: skip
    s.paragraphs.append(MEDIANS)
    km = ctx.df("SELECT * FROM survival_curve WHERE run_id = ? ORDER BY days", [run_id])
    shown = followed(km)
    if len(shown):
        # A corpus of thread starts only sees decentering in the posts that open threads (UNSEEN_HELP).
        starts = f" {UNSEEN_HELP}: the curve falls less than the forum's would." if thread_starts_only(summary) else ""
        s.figures.append(ctx.figure(configure(_km_chart(shown)), "Kaplan-Meier estimate of the share of members at "
                                    "risk not yet decentred, with its 95% confidence band; members who arrived "
                                    f"helping are not in it.{_km_tail(km, shown, by_day)}{starts}"))  # fmt: skip
    elif len(km):
        s.paragraphs.append(f"The Kaplan-Meier curve is not drawn: fewer than {MIN_AT_RISK_MEDIAN} members were at "
                            "risk from the start, too few for its steps to mean anything.")  # fmt: skip
    cox = ctx.df("SELECT * FROM survival_cox WHERE run_id = ?", [run_id])
    if len(cox):
        rows = cox_rows(cox, summary)
        s.tables.append(Table(list(COX_COLUMNS),
                              [[r.label, float(r.hazard_ratio), f"{r.ci_lower:.2f}-{r.ci_upper:.2f}", float(r.p),
                                r.reading] for r in each_row(rows)],
                              f"Cox model of the time to decentering from day {WEEK_DAYS} after asking (the landmark), "
                              "on the members still at risk then; covariates of the member's first request and first "
                              f"week. {cox_notes(summary)}"))  # fmt: skip
    elif summary.get("cox_error"):
        s.paragraphs.append(" ".join(t for t in (f"Cox model not fitted: {summary['cox_error']}.",
                                                 cox_left_out_text(summary)) if t))  # fmt: skip


def _days(value: float | None, by_day: bool) -> str:
    return duration(None if value is None else value * 24, by_day=by_day)


def unseen_help(summary: dict[str, Any]) -> str:
    """What decentering cannot see in a run's corpus (its ``sources``) when no source records a reply: the help given
    in replies (:data:`UNSEEN_HELP`, thread starts only), or maybe (:data:`UNSEEN_IF_STARTS`, tables without thread
    ids, whose messages the export does not mark as thread starts or replies), or the requests for help
    (:data:`UNSEEN_REQUESTS`, comments kept without the posts they answer); '' otherwise."""
    if thread_starts_only(summary):
        return UNSEEN_HELP
    sources = summary.get("sources", {}).values()
    if sources and all(t.get("replies") in ("none", UNTHREADED) for t in sources):
        return UNSEEN_IF_STARTS
    if sources and all(t.get("replies") == "parents_missing" for t in sources):
        return UNSEEN_REQUESTS
    return ""


def unseen_decentering(summary: dict[str, Any]) -> str:
    """What a run's (``summary``) figure of decentering cannot see, with the sources that make it so, as sentences
    without the last full stop ('' when every source records replies): the key findings and ``chrysalide survival``
    say it beside the number decentered, which on a corpus of thread starts only counts the posts that open threads."""
    if thread_starts_only(summary):
        return f"The corpus holds no reply ({unrecorded(summary)}). {UNSEEN_HELP}"
    if unseen := unseen_help(summary):  # tables without thread ids, or comments without their posts
        return f"{sentence(unrecorded(summary))} {unseen}"
    return ""


def thread_starts_only(summary: dict[str, Any]) -> bool:
    """Whether every source of a run (its ``sources``: ``source_structure`` as the run saw it) holds no reply at
    all (``replies`` 'none': no thread has a second message), unlike comments kept without their submissions,
    which are replies, and unlike a table without thread ids (``unthreaded``), whose messages may be replies the
    export does not mark: its messages are not all thread starts."""
    sources = summary.get("sources", {}).values()
    return bool(sources) and all(t.get("replies") == "none" for t in sources)


def we_trend_text(counts: dict[str, Any]) -> str:
    """The I-to-we counts (:func:`chrysalide.journeys.members.we_trend_counts`) in words: the corrected count
    first, the uncorrected one with how many chance alone gives, so that a chance-level share is never shown
    as a finding; below :data:`~chrysalide.journeys.members.TREND_MIN_TESTED` members tested, only that they are
    too few."""
    tested = counts["we_trend_tested"]
    if tested < TREND_MIN_TESTED:
        return (f"only {counted(tested, 'member')} wrote enough messages with first-person pronouns to test: too few "
                f"(fewer than {TREND_MIN_TESTED}) to tell a trend towards 'we' from chance")  # fmt: skip
    rising, falling = counts["we_trend_increasing_p05"], counts["we_trend_decreasing_p05"]
    corrected, chance = counts["we_trend_increasing_fdr05"], counts["we_trend_expected_by_chance"]
    text = (f"{corrected:,} of {tested:,} members tested ({percent(corrected / tested)}) use 'we' increasingly once "
            f"corrected for testing {tested:,} members (Benjamini-Hochberg, false discovery rate {TREND_ALPHA:.0%}); "
            f"one by one, {rising:,} ({percent(rising / tested)}) move towards 'we' and {falling:,} towards 'I' at "
            f"p < {TREND_ALPHA}, where about {chance:,.1f} ({TREND_ALPHA:.0%} of them) would in one direction or the "
            "other by chance alone")  # fmt: skip
    if rising + falling <= chance:
        text += ": no more than chance"
    return text


def core_in_first_month(summary: dict[str, Any], reached: int) -> str:
    """Why a journeys run (``summary``'s ``members_core_in_first_month``) gives no delay to the core of so many of the
    ``reached`` members who entered a month's core, as a sentence ('' when none, or in a run made before journeys
    ``asker-to-helper/15``, whose delays of 0 were read as measured)."""
    n = int(summary.get("members_core_in_first_month") or 0)
    if not n:
        return ""
    return (f"Of the {reached:,} members in a month's core, {n:,} whose arrival the record shows "
            f"{'was' if n == 1 else 'were'} in the core of the month of their first message: a month's core is computed over the whole month's replies, so their entry is "
            "dated at their first message, a delay of 0 by construction whatever they wrote or were answered after. "
            "They have no delay to the core: its median is of the members whose arrival the record shows who entered "
            "it in a later month, dated at their first message of that month (they may have entered it later that "
            "month).")  # fmt: skip


def section_journeys(ctx: Context) -> Section:
    """Transition matrix, decentering (Kaplan-Meier, Cox) and I-to-we trends, from stored runs only."""
    s = Section("journeys", "Journeys: from asking to helping")
    run_id = ctx.latest("journeys", "journeys")
    if run_id is None:
        s.missing = unmeasured(
            ctx.store,
            "journeys",
            "Member journeys are not computed yet: run `chrysalide journeys` (after `chrysalide code`).",
        )
        return s
    s.runs = [ctx.run_label(run_id)]
    j = ctx.df("SELECT * FROM journeys WHERE run_id = ?", [run_id])
    delays = dict(MILESTONES.values())  # date column -> delay column
    summary = ctx.run_summary(run_id)
    by_day = dated_by_day(summary)
    at_risk = j["arrived_helping"].eq(False)
    sources = summary.get("sources", {}).values()  # source_structure, as the run saw it
    unseen = bool(sources) and not any(t.get("replies") in RECORDING_KINDS for t in sources)
    rows: list[list[object]] = []
    for col, label in MILESTONE_LABELS.items():
        if unseen and col in _REPLY_MILESTONES:
            rows.append([label, "-", "-", "-"])
            continue
        among = at_risk if col == "first_decentered_at" else pd.Series(True, index=j.index)
        reached = j.loc[among, col].notna()
        timed = int(j[delays[col]].notna().sum())  # delays are of the members whose arrival the record shows
        median = j[delays[col]].median() if timed else None
        delay = None if median is None else _days(median, by_day)
        if delay is not None and timed < reached.sum():
            delay = f"{delay} (of {timed:,})"
        rows.append([label, int(reached.sum()), percent(reached.mean() if len(reached) else None), delay])
    if unseen:
        s.paragraphs.append("Replying to another member and entering the core of the reply network cannot be seen: "
                            f"no source of this corpus records replies between its messages. {sentence(unrecorded(summary))}"
                            + (f" {unseen_help(summary)}." if unseen_help(summary) else ""))  # fmt: skip
    s.tables.append(Table(["milestone", "members reaching it", "share", "median delay"], rows,
                          f"Milestones of the {len(j):,} posting members: delay after the first post, except "
                          "decentering (share of the members at risk, delay after the time at risk started); a delay "
                          "is measured only for members whose arrival the record shows: '(of N)' where they are fewer "
                          "than the members reaching the milestone"))  # fmt: skip
    chart = _transitions(ctx, run_id)
    if chart is not None:
        s.figures.append(ctx.figure(configure(chart), "Transitions between the stage codes of a member's consecutive "
                                    "coded messages (row shares)."))  # fmt: skip
    hidden = int(summary.get("members_reply_delay_unseen") or 0)
    if hidden:
        s.paragraphs.append(
            f"Of the members whose arrival the record shows, {hidden:,} wrote a reply whose target is unknown "
            f"({_UNKNOWN_TARGET}) before any recorded reply of theirs to another member: their first reply to another "
            "member and their entry into a month's core may be earlier than recorded, and have no delay."
        )
    if not unseen and (first_month := core_in_first_month(summary, int(j["core_entry_at"].notna().sum()))):
        s.paragraphs.append(first_month)
    if chosen := at_risk_histories(summary):
        s.paragraphs.append(sentence(chosen))
    unknown_only = int(summary.get("members_replies_unknown_only") or 0)
    if unknown_only:
        s.paragraphs.append(
            f"Of all the posting members, {unknown_only:,} wrote replies whose target is unknown and none known to "
            "answer another member: they count as not reaching the first reply to another member, though they may "
            "have, so its share is a floor."
        )
    _decentering(ctx, s, summary)
    arrivals, undeclared = arrival_unseen_text(summary), undeclared_arrivals(summary)
    for left in (bots_left_out(summary, "Journeys, the panel and decentering"),
                 unreadable_left_out(summary, "Journeys, the panel and decentering"),
                 f"{sentence(arrivals)} The panel, the segments, the I-to-we trends and the transitions keep them: they "
                 "describe members, not arrivals." if arrivals else None,
                 sentence(undeclared) if undeclared else None):  # fmt: skip
        if left:
            s.paragraphs.append(left)
    mm = ctx.df("SELECT we_slope, we_slope_p FROM member_metrics WHERE run_id = ? AND we_slope IS NOT NULL", [run_id])
    if len(mm):
        # Coloured by the corrected test: at p < 0.05 one by one, about 5% of the members would be coloured by chance.
        tested = mm["we_slope_p"].notna()
        q = pd.Series(np.nan, index=mm.index)
        q[tested] = fdr_adjusted(mm.loc[tested, "we_slope_p"])
        domain = ["towards 'I' (FDR 5%)", "no clear trend", "towards 'we' (FDR 5%)"]
        mm["trend"] = np.select([(mm["we_slope"] > 0) & (q < TREND_ALPHA), (mm["we_slope"] < 0) & (q < TREND_ALPHA)],
                                [domain[2], domain[0]], default=domain[1])  # fmt: skip
        edges = np.linspace(mm["we_slope"].quantile(0.01), mm["we_slope"].quantile(0.99) + 1e-12, 31)
        mm["bin"] = edges[np.clip(np.searchsorted(edges, mm["we_slope"], side="right") - 1, 0, 29)]
        hist = mm.groupby(["bin", "trend"], as_index=False).size()
        hist["rank"] = hist["trend"].map({t: i for i, t in enumerate(domain)})
        hist = hist.sort_values(["bin", "rank"])
        # Stacked by hand: Vega-Lite turns a bar with x and x2 into a horizontal one, ignoring the stack.
        hist["top"] = hist.groupby("bin")["size"].cumsum()
        hist["bottom"] = hist["top"] - hist["size"]
        hist["bin_end"] = hist["bin"] + (edges[1] - edges[0])
        chart = base(hist, height=200).mark_rect(stroke="white", strokeWidth=0.5).encode(
            x=alt.X("bin:Q", title="slope of the we-share per message"), x2="bin_end:Q",
            y=alt.Y("bottom:Q", title="members"), y2="top:Q",
            color=alt.Color("trend:N", scale=alt.Scale(domain=domain, range=["#d95f02", "#bdbdbd", "#1b9e77"]), title=None),
        )  # fmt: skip
        s.figures.append(ctx.figure(configure(chart), "I-to-we trend of members with enough messages (1st-99th "
                                    "percentile range shown); coloured where the trend stays significant after the "
                                    "correction for testing every member (false discovery rate 5%)."))  # fmt: skip
        counts = we_trend_counts(mm)
        if counts["we_trend_tested"]:
            text = we_trend_text(counts)
            s.paragraphs.append(sentence(text))
            s.facts += [("members with a tested I-to-we trend", f"{counts['we_trend_tested']:,}"),
                        ("moving towards 'we' (false discovery rate 5%)",
                         percent(counts["we_trend_increasing_fdr05"] / counts["we_trend_tested"])),
                        ("towards 'we' at p < 0.05, uncorrected (chance alone: about 5% either way)",
                         percent(counts["we_trend_increasing_p05"] / counts["we_trend_tested"]))]  # fmt: skip
    return s


def panel_text(members: int, floor: tuple[int, float] | None = None, period: str = "week") -> str:
    r"""What the panel of ``members`` is (:func:`chrysalide.journeys.rank_panel`), as the study chose its own: not the
    members who wrote most, since recency weighs as much as how much they wrote. Equal totals are ranked by words
    written, which can pick the whole panel: r/breastcancer's 21 are 21 of the 74 members at the highest total, 15.
    ``floor`` (:func:`chrysalide.journeys.panel.frequency_floor`) says when few active ``period``\ s already score
    F = 5."""
    text = (f"The {members:,} members ranked highest by recency, frequency and volume of writing (RFM quintiles), "
            "as the study chose its panel: recency weighs as much as the words written, so a member who wrote "
            "little but lately can rank above one who wrote much long before; among members with the same total "
            "score, those who wrote more words rank first")  # fmt: skip
    return text + frequency_floor_clause(floor, period)


def section_timelines(ctx: Context) -> Section:
    """One row per panel member: monthly messages as dots coloured by stage, milestones marked.

    Months, not weeks: the busiest members post every week for years, and a dot per week made a 2 MB figure.
    """
    from chrysalide.journeys import rank_panel
    from chrysalide.journeys.step import frequency_floor_of

    s = Section("timelines", "Timelines of the panel members")
    run_id = ctx.latest("journeys", "member_metrics")
    if run_id is None:
        s.missing = unmeasured(
            ctx.store, "journeys", "No panel yet: run `chrysalide journeys` (the panel is ranked by its RFM scores)."
        )
        return s
    metrics = ctx.df("SELECT * FROM member_metrics WHERE run_id = ?", [run_id])
    metrics = metrics[[not ctx.excluded(m) for m in metrics["member_id"]]]
    panel = rank_panel(metrics, top=ctx.panel_size)
    if panel.empty:
        s.missing = "No member to show (every member asked to be excluded)."
        return s
    ids = [int(m) for m in panel["member_id"]]
    labels = {m: ctx.label(m) for m in ids}
    order = [labels[m] for m in ids]
    weeks = ctx.df(
        """
        SELECT m.member_id, date_trunc('month', m.posted_at)::DATE AS week, coalesce(c.primary_code, 'uncoded') AS stage,
               count(*) AS n
        FROM messages m LEFT JOIN current_codes c USING (message_id)
        WHERE m.member_id IN (SELECT unnest(?::BIGINT[])) AND m.posted_at IS NOT NULL GROUP BY 1, 2, 3
        """,
        [ids],
    )
    weeks = weeks.sort_values(["member_id", "week", "n", "stage"], ascending=[True, True, False, True])
    dots = weeks.groupby(["member_id", "week"], as_index=False).agg(stage=("stage", "first"), messages=("n", "sum"))
    dots["member"] = dots["member_id"].map(labels)
    miles = ctx.df(f"SELECT member_id, {', '.join(_SHOWN_MILESTONES)} FROM journeys WHERE run_id = ?"
                   " AND member_id IN (SELECT unnest(?::BIGINT[]))", [run_id, ids])  # fmt: skip
    miles = miles.melt(id_vars="member_id", var_name="milestone", value_name="at").dropna(subset=["at"])
    miles["milestone"] = miles["milestone"].map(MILESTONE_LABELS)
    miles["member"] = miles["member_id"].map(labels)
    height = max(120, 22 * len(ids))
    y = alt.Y("member:N", sort=order, title=None)
    points = base(dots, height=height).mark_circle(opacity=0.75).encode(
        x=alt.X("week:T", title=None, axis=time_axis(dots["week"])), y=y, color=alt.Color("stage:N", title="stage",
        scale=alt.Scale(domain=STAGES + ["uncoded"], range=[*STAGE_COLORS, "#e0e0e0"])),
        size=alt.Size("messages:Q", scale=alt.Scale(range=[8, 160]), title="messages / month"),
    )  # fmt: skip
    layers = points
    if len(miles):
        marks = base(miles, height=height).mark_point(filled=True, color="black", size=70).encode(
            x="at:T", y=y, shape=alt.Shape("milestone:N", title="milestone",
                                           scale=alt.Scale(range=["diamond", "triangle-up", "square"])))  # fmt: skip
        layers = alt.layer(points, marks).resolve_scale(size="independent")
    caption = panel_text(len(ids), *frequency_floor_of(ctx.store, run_id))
    s.figures.append(ctx.figure(configure(layers), f"{caption}. One row each, in rank order; compare "
                                "with the 4-step process of Fayn et al. (2021, Fig. 4)."))  # fmt: skip
    s.tables.append(Table(["rank", "member", "segment", "messages", "active periods", "R/F/V"],
                          [[i + 1, labels[int(r.member_id)], r.segment, int(r.n_messages), int(r.active_periods),
                            f"{r.r_score}/{r.f_score}/{r.v_score}"] for i, r in enumerate(each_row(panel))],
                          "The panel"))  # fmt: skip
    s.runs = [ctx.run_label(run_id)]
    return s
