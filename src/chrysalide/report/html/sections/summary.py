"""Key findings: a paragraph written from the stored runs' numbers, beside the study's own claims.

Every figure comes from a stored run (the ``runs`` summaries of community, journeys, survival and alerts,
and ``current_codes``); a step that has not run gives "run `chrysalide X`" in its row. The study's claims
are quoted from Fayn, des Garets & Rivière (2021), who followed 21 members of a French thyroid forum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chrysalide.coding.audit import AUDIT, describe
from chrysalide.coding.reasons import by_language, review_reasons
from chrysalide.coding.shares import SHARE_MARGIN, removed_bodies, shares_by
from chrysalide.community.alerts import edge_alerts, few_threads_alerts, one_voice_alerts, undeclared_of, weekly_volume
from chrysalide.community.boards import BOARD_MIN_KNOWN, board_range
from chrysalide.community.responses import sampled_left_out, unthreaded_in
from chrysalide.frames import each_row
from chrysalide.journeys.decentering import arrival_unseen_text, undeclared_arrivals
from chrysalide.journeys.members import we_trend_counts
from chrysalide.report.authors import message_authors, posting_members
from chrysalide.report.histories import at_risk_histories, message_histories, newcomer_histories
from chrysalide.report.html.context import Context, Section, Table, dated_by_day, duration, percent, sentence
from chrysalide.report.html.sections.alerts import burst_span, level_changes, readings, target, volume_caveat
from chrysalide.report.html.sections.community import (
    answer_words,
    day_only_sources,
    left_out,
    newcomers_judged,
    requests_caveat,
    undeclared_newcomers,
    unrecorded,
)
from chrysalide.report.html.sections.journeys import unreadable_members, unseen_decentering, we_trend_text
from chrysalide.report.html.sections.overview import (
    board_spread,
    boards_left_out,
    counted_threads,
    removed_sentence,
    unlearned_sentence,
    unsure_sentence,
)
from chrysalide.report.lacks import lacking
from chrysalide.store.bots import bot_counts
from chrysalide.store.unreadable import NO_WORD_OF_THEIRS
from chrysalide.units import SAME_DAY, counted, km_median_text, rate

STAGE_ORDER = ("individual", "community", "collaborative", "societal", "other")
# The study's "usually answered in less than 3 hours", read as more than half of the requests.
STUDY_USUALLY = 0.5
Z_95 = 1.959963984540054  # the standard normal's 97.5% quantile: two-sided 95%


@dataclass
class Finding:
    """One comparison: what this corpus shows, in one sentence, and what the study says."""

    topic: str
    here: str
    study: str
    sentence: str = ""  # for the paragraph; empty when the step has not run


def _authors(ctx: Context, n: int) -> str:
    """Who wrote the ``n`` messages: "by 272 members", or, with messages without a member or by bot accounts, "794
    by 272 members and 71 by guests" (:func:`chrysalide.report.authors.message_authors`)."""
    apart = message_authors(ctx.store, n)
    return f", {apart}" if apart else f" by {counted(sum(posting_members(ctx.con)), 'member')}"


def _corpus(ctx: Context) -> Finding:
    n = ctx.scalar("SELECT count(*) FROM messages")
    first, last = ctx.con.execute("SELECT min(posted_at), max(posted_at) FROM messages").fetchone() or (None, None)
    span = (
        ""
        if first is None or last is None
        else f", {first.year}" + (f"-{last.year}" if last.year != first.year else "")
    )
    if first is not None and last is not None and last.year != first.year:
        # A span of years can hide that most messages fall in one (r/BPD's 2019-2024: 89% in 2024).
        year, share = ctx.con.execute(
            "SELECT year(posted_at), count(*) / sum(count(*)) OVER () FROM messages WHERE posted_at IS NOT NULL"
            " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone() or (None, 0.0)
        if share > 0.5:
            span += f" ({percent(float(share))} of the dated messages in {year})"
    # A table without thread ids stores each message as its own thread, not counted as one (named_threads). The
    # sources' structure is read from the newest community run, as every figure here is read from a stored run.
    community = ctx.run_summary(ctx.latest("community"))
    threads, said = counted_threads(ctx, unthreaded_in(community), community)
    where = ("" if threads is None else f" in {counted(threads, 'thread')}") + (f" ({said})" if said else "")
    here = f"{counted(n, 'message')}{where}{_authors(ctx, n)}{span}"
    spread = board_spread(ctx)
    if spread:
        here += f", in {spread}"
    left_out = boards_left_out(ctx)
    if left_out:
        here += f". {left_out}"
    return Finding("corpus", here, "485,000 messages in 54,305 threads of a French thyroid forum; 21 members "
                   "followed from their first message", f"This corpus holds {here}.")  # fmt: skip


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The 95% Wilson score interval of a share of ``k`` in ``n`` (Wilson 1927, JASA 22:209-212), which keeps
    its coverage for small ``n`` and shares near 0 or 1 where the normal approximation does not (Brown, Cai &
    DasGupta 2001, Statistical Science 16:101-133)."""
    p, z2 = k / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def beside_study(k: int, n: int) -> bool:
    """Whether a share of ``k`` in ``n`` may be set beside the study's "usually" (more than half): its 95% Wilson
    interval lies wholly on one side of one half. This is the floor of the verdict: the Wilson interval is the
    score test turned around, so a share whose interval takes in one half could be half (the study's claim
    neither confirmed nor refuted) at the 5% level; 6 of 10 (31% to 83%) and 14 of 23 (41% to 78%) could be, 60
    of 100 (50.2% to 69%) and 33% of 80 (24% to 44%) could not."""
    low, high = wilson_interval(k, n)
    return n > 0 and (low > STUDY_USUALLY or high < STUDY_USUALLY)


def _too_few(within: float, n: int) -> str | None:
    """The clause saying that the share ``within`` of ``n`` requests answered within 3 hours is too few to set
    beside the study's claim (:func:`beside_study`), with its count and interval; None when it is not."""
    k = round(within * n)
    if n and beside_study(k, n):
        return None
    low, high = wilson_interval(k, n) if n else (0.0, 1.0)
    return (f"{k:,} of {n:,}, too few to set beside the study's 'usually in less than 3 hours' (95% interval "
            f"{percent(low)} to {percent(high)}, which takes in one half)")  # fmt: skip


def _not_computed(ctx: Context, step: str, name: str, study: str) -> Finding:
    """The finding ``name`` when no run of ``step`` stored it: not measurable, and why, when the step ran on a corpus
    without dates or members (:func:`~chrysalide.report.lacks.lacking`); else not computed (run the step)."""
    if ctx.latest(step) is not None and (why := lacking(ctx.store)):
        return Finding(name, f"not measurable ({why})", study)
    return Finding(name, f"not computed: run `chrysalide {step}`", study)


def _responses(ctx: Context) -> Finding:
    """Newcomers' requests (first messages that open a thread and are coded individual), as the study's claim is
    about them."""
    study = "newcomers' requests for information are 'quickly answered, usually in less than 3 hours'"
    run_id = ctx.latest("community", "community_metrics")
    if run_id is None:
        return _not_computed(ctx, "community", "response to newcomers", study)
    s = ctx.run_summary(run_id)
    burn_in = int(s.get("first_seen_in_burn_in") or 0)
    # Members first seen within the burn-in of their record's start (migration 0023), or in a source declared a
    # selection of threads (0031), and those counted in a source that looks like an undeclared one: said beside
    # every figure.
    truncated = "; ".join(filter(None, [
        (f"{burn_in:,} members first seen less than {s.get('burn_in_days')} days after the start of their "
         "record are not counted as newcomers (they may have posted before it)") if burn_in else "",
        sampled_left_out(s, int(s.get("first_seen_in_sampled_threads") or 0), "not counted as newcomers"),
        undeclared_newcomers(s),
    ]))  # fmt: skip
    if s.get("newcomers_answered_share") is None and s.get("requests_answered_share") is None:
        uncollected = any(s.get(f"{key}_outside_reply_collection") for key in ("newcomers", "threads"))
        why = unrecorded(s) or (left_out(s) if uncollected else "")
        why = "; ".join(filter(None, [why, truncated])) or "no newcomer's first message could have been answered"
        return Finding("response to newcomers", f"not measurable ({why})", study)
    within = s.get("request_answered_within_3h_share")
    answer = answer_words(s)  # "a direct answer", or what it is where a forum records no reply target
    median = duration(s.get("request_first_reply_median_hours"), by_day=dated_by_day(s))
    requests, outside = int(s.get("requests") or 0), int(s.get("requests_outside_reply_collection") or 0)
    by_count = int(s.get("requests_by_reply_count") or 0)  # answered or not is known, not when
    collected = ", whose replies were collected" if outside or by_count else ""
    judged = requests - outside - by_count
    counted = f"{judged:,} newcomers' requests (first messages opening a thread to ask for help{collected})"
    # A share that cannot be computed is said in words, with why: never "-" inside a sentence.
    why = day_only_sources(s) or ("no request had its replies collected" if judged <= 0 else "no delay is known")
    # The answered share counts the requests judged by their declared replies too: beside these only.
    answered_share = s.get("requests_answered_share") if not by_count else None
    # The verdict beside the study's claim needs the requests the share rests on (``beside_study``).
    known = s.get("requests_within_3h_known")
    few = None if within is None or known is None else _too_few(within, int(known))
    if within is not None:
        # The share rests on the requests whose answer within 3 hours or not is known: name them when fewer (an
        # answer dated by a reply at import has no delay).
        rests = (
            f"the {int(known):,} of {counted} whose answer time is known"
            if known is not None and known < judged
            else counted
        )
        here = f"{percent(within)} of {rests} got {answer} within 3 hours (median {median})"
        here += f"; {few}" if few else ""
    else:
        here = f"whether {counted} got {answer} within 3 hours cannot be told ({why})"
        if answered_share is not None:
            here += f"; {percent(answered_share)} of them got one (median {median})"
    if s.get("newcomers_answered_share") is not None:
        here += f"; {percent(s['newcomers_answered_share'])} of {newcomers_judged(s)} got one to their first message"
    threads = s.get("thread_answered_within_3h_share")
    if threads is not None:
        # The share rests on the threads whose answer time is known (a thread judged by its declared number of
        # replies has none): named when fewer than all, as the newcomers' are.
        total, known_threads = int(s.get("threads") or 0), s.get("threads_within_3h_known")
        which = ("threads" if known_threads is None or int(known_threads) >= total
                 else f"the {int(known_threads):,} of the {total:,} threads whose answer time is known")  # fmt: skip
        here += f"; {percent(threads)} of {which} were answered within 3 hours"
    else:
        here += f"; how many threads were answered within 3 hours cannot be told{' either' if within is None else ''}"
    if outside:
        here += f"; {left_out(s)}"
    if truncated:
        here += f"; {truncated}"
    if requests_caveat(s):
        here += f"; {requests_caveat(s)}"
    if by_count:
        here += (f"; {by_count:,} more requests are judged answered or not by the number of replies their source "
                 "declares, with no delay")  # fmt: skip
    boards = _board_range(s) if within is not None else ""
    if boards:
        here += f"; {boards}"
    if within is None:
        verdict = ""
    elif known is None:  # a run made before the rule (community reply-tree/7)
        verdict = "; not set beside the study's: run `chrysalide community` again to count the requests it rests on"
    elif few:
        verdict = f": {few}"
    elif within > STUDY_USUALLY:
        verdict = ", as the study reports"
    else:
        verdict = ", fewer than the study's 'usually in less than 3 hours'"
    half = "on the same day" if median == SAME_DAY else f"within {median}"
    answered = f" (half of the answered ones {half})" if s.get("request_first_reply_median_hours") is not None else ""
    if within is not None:
        said = f"{percent(within)} of newcomers' requests got {answer} within 3 hours{answered}{verdict}."
    else:
        said = f"Whether newcomers' requests got {answer} within 3 hours cannot be told ({why})"
        if answered_share is not None:
            said += f"; {percent(answered_share)} of the {judged:,} got one{answered}"
        said += "."
    if boards:
        said += f" {sentence(boards)}"
    if chosen := newcomer_histories(s):
        here += f"; {chosen}"
        said += f" {sentence(chosen)}"
    if outside:
        said += f" {outside:,} of the {requests:,} requests are left out: their replies were not collected."
    if by_count:
        said += (f" {by_count:,} more are judged answered or not by the number of replies their source declares "
                     "(their delays are unknown).")  # fmt: skip
    if truncated:
        said += f" {sentence(truncated)}"
    return Finding("response to newcomers", here, study, said)


def _board_range(s: dict[str, Any]) -> str:
    """How the requests' within-3-hours share ranges over the boards of a community run (``s``) whose share rests on
    enough requests (:func:`chrysalide.community.boards.board_range`), as a clause ('' when fewer than two boards)."""
    boards = board_range(s)
    if not boards:
        return ""
    (low, low_share, low_n), (high, high_share, high_n) = boards[0], boards[-1]
    return (f"by the board of the request, from {percent(low_share)} of {low_n:,} in '{low}' to {percent(high_share)} "
            f"of {high_n:,} in '{high}' ({len(boards)} boards with at least {BOARD_MIN_KNOWN} requests whose answer "
            "time is known): the corpus's share weighs the boards by how many requests each holds")  # fmt: skip


def _stages(ctx: Context) -> Finding:
    """The stage mix as the stage-mix section's table gives it: the corrected estimate (mean calibrated
    probability, docs/coding.md), the raw count of primary codes beside it."""
    study = "four stages, individual -> community (identity) -> collaborative -> societal (productive)"
    whole = shares_by(ctx.store, "'all'", key="all")
    if whole.empty or not int(whole["coded"].iloc[0]):
        return Finding("stage mix", "not computed: run `chrysalide code`", study)
    row = whole.iloc[0]
    total = int(row["coded"])
    shares = {k: float(row[f"est_{k}"]) for k in STAGE_ORDER}
    counts = {k: int(row[f"n_{k}"]) for k in STAGE_ORDER}
    order = sorted(STAGE_ORDER, key=lambda k: (-shares[k], STAGE_ORDER.index(k)))
    here = (", ".join(f"{k} {shares[k]:.1%} ({counts[k]:,})" for k in order) + f" of {total:,} coded messages: "
            "estimated share, corrected for the coder's errors (messages with that primary code)")  # fmt: skip
    bots = bot_counts(ctx.store)["bot_messages"]
    if bots:
        here += f"; the {bots:,} messages of bot accounts are left out"
    present = [k for k in STAGE_ORDER[:4] if counts[k] > 0]
    if present:
        sentence = f"{_largest_stage(shares, counts, total)}; {_stages_present(len(present))}."
    else:  # naming a largest stage that no message has would contradict "none occurs"
        top = max(STAGE_ORDER[:4], key=lambda k: shares[k])
        sentence = (f"No message is coded in one of the study's stages: all {total:,} primary codes are 'other' (the "
                    f"estimates, corrected for the coder's errors, give the study's stages at most {shares[top]:.1%}, "
                    f"{top}).")  # fmt: skip
    reasons = review_reasons(ctx.con)
    if reasons.unlearned:
        n = reasons.not_learned
        here += (f"; {n:,} ({percent(n / total)}) in a language the model did not learn "
                 f"({by_language(reasons.unlearned)}), their codes awaiting review")  # fmt: skip
        sentence += f" {unlearned_sentence(reasons, total)}"
    if unsure := unsure_sentence(reasons, total):
        here += f"; {reasons.unsure:,} ({percent(reasons.unsure / total)}) below the model's confidence threshold, awaiting review"
        sentence += f" {unsure}"
    removed = removed_bodies(ctx.store)
    if removed:
        here += f"; {removed:,} ({percent(removed / total)}) of them removed or deleted bodies, coded 'other'"
        sentence += f" {removed_sentence(removed, total)}"
    community = ctx.latest("community", "community_metrics")
    if community is not None and (chosen := message_histories(ctx.run_summary(community))):
        here += f"; {chosen}"
        sentence += f" {chosen[:1].upper()}{chosen[1:]}."  # (``sentence`` is this finding's text here)
    audit = ctx.review_agreement.get(AUDIT)
    if audit is not None:  # the coder measured on this forum (docs/coding.md)
        here += f"; the reviewers' {describe(audit)}"
        sentence += f" The coder measured on this corpus by the reviewers' {describe(audit)}."
    return Finding("stage mix", here, study, sentence)


def _largest_stage(shares: dict[str, float], counts: dict[str, int], total: int) -> str:
    """The largest of the study's stages by estimated share ("mostly" only above half), and 'other' beside it
    when it is larger by its estimate or by its primary codes.

    Two stages whose estimates are within :data:`~chrysalide.coding.shares.SHARE_MARGIN` (the coder's error on a
    share), or that the estimate and the primary codes rank in opposite orders, are said to be about as large,
    both with their figures: naming one the largest would be the coder's noise (Fiv.fr: individual 40.7%, 53
    primary codes; collaborative 38.6%, 62).
    """
    top, second = sorted(STAGE_ORDER[:4], key=lambda k: (-shares[k], STAGE_ORDER.index(k)))[:2]
    close = round(shares[top] * 1000) - round(shares[second] * 1000) <= round(SHARE_MARGIN * 1000)  # as shown
    crossed = counts[second] > counts[top]
    if close or crossed:
        if close:
            why = (f"their estimates, corrected for the coder's errors, are within {SHARE_MARGIN * 100:.0f} points of "
                   "each other, the coder's error on a stage's share")  # fmt: skip
            why += ", and the primary codes rank them the other way" if crossed else ""
        else:
            why = f"the estimate, corrected for the coder's errors, ranks {top} first and the primary codes {second}"
        sentence = (f"The two largest stages are about as large: {top}, an estimated {shares[top]:.1%} "
                    f"({counts[top]:,} of {total:,} primary codes), and {second}, an estimated "
                    f"{shares[second]:.1%} ({counts[second]:,}): {why}")  # fmt: skip
    else:
        lead = f"Messages are coded mostly {top}" if shares[top] > 0.5 else f"The largest stage is {top}"
        sentence = (f"{lead} (an estimated {shares[top]:.1%}, corrected for the coder's errors; {counts[top]:,} of "
                    f"{total:,} primary codes)")  # fmt: skip
    other = "'other' (none of the study's stages)"
    if shares["other"] > shares[top]:
        sentence += (f", but more messages are {other}: an estimated {shares['other']:.1%} "
                     f"({counts['other']:,} primary codes)")  # fmt: skip
    elif counts["other"] > counts[top]:
        sentence += f"; {other} has more primary codes ({counts['other']:,}) for an estimated {shares['other']:.1%}"
    return sentence


def _stages_present(n: int) -> str:
    """How many of the study's four stages occur (one or more), in words: 'all four of the study's stages occur'."""
    if n == len(STAGE_ORDER) - 1:
        return "all four of the study's stages occur"
    return f"{n} of the study's 4 stages occur{'s' if n == 1 else ''}"


def _decentering(ctx: Context) -> Finding:
    """The passage from asking to helping (view ``decentering``): members who arrived helping apart."""
    study = "active members come to 'forget their own problems in order to focus on those of others' (decentering)"
    run_id = ctx.latest("journeys", "journeys")
    if run_id is None:
        return _not_computed(ctx, "journeys", "decentering", study)
    s = ctx.run_summary(run_id)
    coded, unseen_n = int(s.get("members_coded") or 0), int(s.get("members_arrival_unseen") or 0)
    if coded and unseen_n >= coded:  # no member's arrival is shown: no share to give, said in words
        why = arrival_unseen_text(s)
        return Finding(
            "decentering", f"not measurable: {why}", study, sentence(f"Decentering cannot be measured: {why}")
        )
    at_risk, reached = int(s.get("at_risk") or 0), int(s.get("decentered") or 0)
    here = (f"{reached:,} of the {at_risk:,} members at risk ({percent(reached / max(at_risk, 1))}) went on to help "
            "others (decentering); at risk: the members whose first message did not already help others, from "
            f"their first request for help ({int(s.get('at_risk_without_request') or 0):,} never asked: from their "
            f"first message); {percent(s.get('arrived_helping_share'))} of "
            f"{'the members whose arrival the record shows' if s.get('members_arrival_unseen') else 'members'} "
            "arrived helping")  # fmt: skip
    unreadable = int(s.get("members_unreadable") or 0)
    if unreadable:
        who = unreadable_members(unreadable)
        here += (f"; {who} ({NO_WORD_OF_THEIRS}) {'are' if unreadable != 1 else 'is'} left out, as what they wrote "
                 "cannot be read")  # fmt: skip
    if unseen := arrival_unseen_text(s):
        here += f"; {unseen}"
    if undeclared := undeclared_arrivals(s):  # a selection of threads not declared: its first messages read as arrivals
        here += f"; {undeclared}"
    survival = ctx.latest("survival", "survival_curve")
    if survival is not None:
        km = ctx.run_summary(survival)
        if km.get("km_median_days_to_decentered") is not None:
            # Members never decentered count until their last message (the default) or the corpus' end: the first
            # reading supposes that those who stopped posting would have decentered as often as those who went on.
            entry = int(km.get("censored_at_entry") or 0)
            barely = f"{entry:,} of them, seen only on the day it started, barely count in it" if entry else ""
            if km.get("censor", "last_message") == "last_message":
                reading = ("had those who stopped posting decentered as often as those who went on (each member counts "
                           f"until their last message{'; ' + barely if barely else ''})")  # fmt: skip
            else:
                reading = (
                    f"each member who never decentered counting until the corpus ends{f' ({barely})' if barely else ''}"
                )
            here += (f"; by the Kaplan-Meier estimate, half of the members at risk would have decentered "
                     f"{km_median_text(km)} after their time at risk started, {reading}")  # fmt: skip
        else:
            here += f"; Kaplan-Meier median time to decentering {km_median_text(km)}"
    if chosen := at_risk_histories(s):
        here += f"; {chosen}"
    if unseen := unseen_decentering(s):
        here += f". {unseen}"
    return Finding("decentering", here, study, sentence(here))


def _we(ctx: Context) -> Finding:
    """The I-to-we trend corrected for testing every member (the journeys section's figures)."""
    study = '\'In the messages, "I" gradually becomes "we"\''
    run_id = ctx.latest("journeys", "member_metrics")
    if run_id is None:
        return _not_computed(ctx, "journeys", "from I to we", study)
    counts = we_trend_counts(ctx.df("SELECT we_slope, we_slope_p FROM member_metrics WHERE run_id = ?", [run_id]))
    if not counts["we_trend_tested"]:
        return Finding("from I to we", "no member wrote enough messages with first-person pronouns to test", study)
    here = we_trend_text(counts)
    return Finding("from I to we", here, study, sentence(here))


def _volume_burst(row: Any, span: int) -> str:
    """A volume alert's dates, length and height in a series of ``span`` weeks: '2004-09-06 to 2004-11-21 (11
    weeks), 9.3 messages a week against 1.6 in the other weeks (4.7 times the average week)'. The automaton's
    height (``magnitude``) is against the average week of the whole series, burst weeks included: a change of level
    from 3.7 to 25.3 messages a week (r/breastcancer, 108 weeks) is 2.2 times that average, which reads as far less
    than it is, so the rates in and out of the burst come first."""
    weeks, observed = int(row.weeks), float(row.observed)
    inside = f"{rate(observed / weeks)} messages a week"
    if span > weeks:
        outside = (float(row.expected) / weeks * span - observed) / (span - weeks)
        inside += f" against {rate(max(outside, 0.0))} in the other weeks"
    return f"{burst_span(row)}, {inside} ({float(row.magnitude):.1f} times the average week)"


def _share_burst(row: Any) -> str:
    """A share alert's series, dates, length and height: "messages containing 'levothyrox', 2017-06-05 to
    2017-07-09 (5 weeks), 4.0 times their average share of the week's messages"."""
    return (
        f"{target(row)}, {burst_span(row)}, {float(row.magnitude):.1f} times their average share of the week's messages"
    )


def _crisis(ctx: Context) -> Finding:
    study = "the 2017 Levothyrox crisis 'overwhelmed' the forum, with 'first uncertainty and then anger'"
    run_id = ctx.latest("alerts")
    if run_id is None:
        return Finding("crisis", "not computed: run `chrysalide alerts`", study)
    found = ctx.df("SELECT alert_id, kind, target, start_at, end_at, weeks, observed, expected, magnitude FROM alerts"
                   " WHERE run_id = ?"
                   " ORDER BY weight DESC, alert_id", [run_id])  # fmt: skip
    if found.empty and (undated := lacking(ctx.store, ("dates",))):
        return Finding("crisis", f"not measurable ({undated})", study)
    if found.empty:
        return Finding("crisis", "no burst of message volume nor of a stage's or watched term's share", study,
                       "No burst of message volume or of a stage's or watched term's share stands out.")  # fmt: skip
    parts = []
    span = len(weekly_volume(ctx.con))  # the weeks of the series the alerts ran on (members' messages)
    long = level_changes(found, span)
    # What a burst reads as when it is not an event: a change of level, a change in what was collected, one
    # member's spell of posting, or a few conversations.
    read = readings(found, span, edge_alerts(ctx.con, run_id), one_voice_alerts(ctx.con, run_id),
                    few_threads_alerts(ctx.con, run_id))  # fmt: skip
    # A share is relative to each week's volume, which in an export reflects how it was collected: the heaviest
    # burst in a share is the comparison with the study's crisis, the volume burst beside it. A burst that reads as
    # a change of level is compared only when no shorter one was found, and then said to be one; a burst at an edge
    # of the collected conversations is named with its reading and the heaviest event beside it.
    share = found[found["kind"] != "volume"]
    if len(share):
        events = share[read[share.index].isna()]
        first, said = next(each_row(share.head(1))), read[share.index[0]]
        if said is None or events.empty:
            parts.append(f"heaviest burst in a share: {_share_burst(first)}" + (f": {said}" if said else ""))
        elif long[share.index[0]]:
            parts.append(f"heaviest short burst in a share: {_share_burst(next(each_row(events.head(1))))}")
        else:
            parts.append(f"heaviest burst in a share: {_share_burst(first)}: {said}; heaviest other burst in a share: "
                         f"{_share_burst(next(each_row(events.head(1))))}")  # fmt: skip
    volume = found[found["kind"] == "volume"]
    if len(volume):
        r = next(each_row(volume.head(1)))
        text = f"heaviest burst of volume {_volume_burst(r, span)}"
        said = read[volume.index[0]]
        if said is not None:
            # The change of level (or of collection) is named with its reading, and the heaviest event beside it:
            # that one is the comparison with the study's crisis (ADFD's 2004 SSRI warnings).
            text += f": {said}"
            events = volume[read[volume.index].isna()]
            if len(events):
                which = "short" if long[volume.index[0]] else "other"
                text += f"; heaviest {which} burst of volume {_volume_burst(next(each_row(events.head(1))), span)}"
        parts.append(text)
    # A source that looks like a selection of threads not declared: its weekly volume counts the threads taken.
    if caveat := volume_caveat(undeclared_of(ctx.con, run_id), set(found["kind"])):
        parts.append(caveat)
    if share.empty:
        parts.append("no burst in a stage's or watched term's share")
    here = "; ".join(parts)
    return Finding("crisis", here, study, f"The {here}.")


FINDINGS: list[Callable[[Context], Finding]] = [_corpus, _responses, _stages, _decentering, _we, _crisis]


def section_summary(ctx: Context) -> Section:
    """The key findings paragraph and the table comparing them with the study's claims."""
    s = Section("summary", "Key findings")
    if not ctx.scalar("SELECT count(*) FROM messages"):
        s.missing = "No messages in this store yet: run `chrysalide ingest FILE` (or `chrysalide demo`)."
        return s
    found = [f(ctx) for f in FINDINGS]
    s.paragraphs.append(" ".join(f.sentence for f in found if f.sentence))
    s.tables.append(Table(["", "this corpus", "Fayn et al. (2021)"], [[f.topic, f.here, f.study] for f in found],
                          "Key figures of the stored runs beside the study's claims"))  # fmt: skip
    return s
