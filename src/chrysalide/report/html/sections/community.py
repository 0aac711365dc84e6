"""Newcomer response and the reply network (core members), read from the stored ``community`` run."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from chrysalide.community.responses import (
    DELAY_BINS,
    DELAY_UNKNOWN,
    RECORDING_KINDS,
    UNANSWERED,
    UNTHREADED,
    ZEROS_CONTRADICTED,
    boards_apart_clause,
    delay_labels,
    newcomer_figures,
    openers_of,
    requests_of,
    requests_unknown,
    sampled_left_out,
    source_names,
    thread_unknown,
    uncoded_openers_warning,
)
from chrysalide.frames import each_row
from chrysalide.ingest.sampled import NEWCOMERS_COUNTED, undeclared_caveat
from chrysalide.report.histories import newcomer_histories
from chrysalide.report.html.context import Context, Section, Table, dated_by_day, duration, percent, sentence
from chrysalide.report.html.figures import base, configure, symlog_axis
from chrysalide.report.lacks import lacking, unmeasured
from chrysalide.report.periods import GROUP_COLUMNS, group_row
from chrysalide.units import counted, delay_bins

# The legend's words: short; the last, a first message of a table without thread ids (migration 0025).
_GROUPS = ["requests", "other thread openers", "first message is a reply", "no thread named"]


#: Why a source's newcomers cannot be seen answered, by its ``replies`` kind (``source_structure``).
_UNRECORDED = {
    "none": "no thread has a second message",
    UNTHREADED: "its export names no thread: each of its messages is stored as its own thread, so whether one answers "
    "another cannot be told",
    "parents_missing": "its messages reply to messages it lacks, as comments exported without their submissions "
    "do, so no reply between its own messages is recorded and none of them opens a thread",
    "submission_only": "its comments name only the post they are under, not the comment they answer (an export "
    "without parent ids), so whether a comment was answered cannot be told from the other comments on the post; "
    "the shares hold its newcomers who opened a thread",
}


def answer_words(summary: dict[str, Any]) -> str:
    """A first answer as a sentence names it ("got ..."): "a direct answer" where every source that records replies
    says whom each message answers; a flat source (``first_answers``: the first later message of the thread by
    someone else) is named, for a later message of a thread need not answer the message before it."""
    flat = _sources(summary, "flat")
    if not flat:
        return "a direct answer"
    several = sum(t.get("replies") == "flat" for t in summary.get("sources", {}).values()) > 1
    whose = f"{flat}, which do not" if several else f"{flat}, which does not"
    if _sources(summary, "tree") or _sources(summary, "submission_only"):
        return (
            f"a direct answer (in {whose} record whom a message answers, a later message of its thread by someone else)"
        )
    return f"an answer (a later message of its thread by someone else: {whose} record whom a message answers)"


def newcomers_judged(summary: dict[str, Any], known: str = "answered_known") -> str:
    """The newcomers a share of a community run (``summary``) rests on: "all newcomers", or "the 46 of the 85
    newcomers whose answer can be seen" when some are left out (posted where replies were not collected, in a
    source that records none, or with no known delay). ``known``: the key suffix of the share's denominator
    (``answered_known``, ``within_3h_known``); a run made before it was stored gives no count."""
    total, judged = int(summary.get("newcomers") or 0), summary.get(f"newcomers_{known}")
    if judged is not None and int(judged) >= total:
        return "all newcomers"
    what = "answer time" if known == "within_3h_known" else "answer"
    if judged is None:
        return f"the newcomers whose {what} can be seen"
    return f"the {int(judged):,} of the {total:,} newcomers whose {what} can be seen"


def _answer_rule(summary: dict[str, Any]) -> str:
    """What counts as an answer, in the words of this corpus's sources."""
    tree, flat, posts = _sources(summary, "tree"), _sources(summary, "flat"), _sources(summary, "submission_only")
    rules = []
    if tree:
        rules.append(f"in {tree}, where each message names the one it answers, a reply to that very message")
    if flat:
        rules.append(f"in {flat}, whose threads are flat, a later message of the same thread by someone else")
    if posts:
        rules.append(f"in {posts}, whose comments name only the post they are under, a later comment by someone "
                     "else answers the post; a comment's own answer is not recorded")  # fmt: skip
    rule = "; ".join(rules) if rules else "no source of this corpus records replies between its messages"
    days = summary.get("burn_in_days")  # absent from runs made before the burn-in (community reply-tree/7)
    who = (
        "a member whose arrival the corpus shows: registered on or after the start of the record that could hold their "
        f"earlier messages or, without a registration date, first seen at least {int(days)} days after it"
        if days is not None
        else "a member whose first message is in the corpus (a run made before members first seen in the corpus' "
        "first days were left out: run `chrysalide community` again)"
    )
    return (
        f"A newcomer is {who}. Their first message is answered when someone "
        f"else replied to it directly: {rule}. The delay runs from the first message to that answer. A request is a "
        "newcomer's first message that opens a thread and asks for help for themselves (coded individual: their own "
        "problem, story or worries): the study's newcomers' requests for information, 'usually answered in less "
        "than 3 hours' (Fayn et al. 2021)."
    )


_UNCOLLECTED_WHY = (
    "On those days most of the replies stored (that day and the next) answer messages the source lacks, as when "
    "members' own messages are collected without the conversations around them (user histories): whether these "
    "messages were answered cannot be seen, so they are counted but left out of every share and delay."
)


def left_out(summary: dict[str, Any]) -> str:
    """How many requests, newcomers and threads a community run (``summary``) left out because they were posted
    on days whose replies were not collected (view ``reply_collection``), as a clause without its full stop."""
    counts = [(summary.get(f"{key}_outside_reply_collection") or 0, summary.get(key) or 0, label)
              for key, label in (("requests", "requests"), ("newcomers", "newcomers' first messages"),
                                 ("threads", "threads"))]  # fmt: skip
    parts = ", ".join(f"{int(n):,} of the {int(total):,} {label}" for n, total, label in counts if n)
    return f"{parts} are left out: they were posted on days whose replies were not collected"


def not_requests(summary: dict[str, Any]) -> str:
    """The newcomers' first messages that open a thread without asking (``openers_not_requests`` of a community
    run's ``summary``, by code) and those whose body was removed or deleted (``openers_unreadable``), as sentences
    ('' when neither)."""
    codes = summary.get("openers_not_requests") or {}
    unreadable = int(summary.get("openers_unreadable") or 0)
    coded = ", ".join(f"{code} {int(n):,}" for code, n in codes.items())
    said = [f"{sum(codes.values()):,} newcomers' first messages open a thread without asking for help (coded {coded}): "
            "not requests." if codes else "",
            f"{unreadable:,} more open a thread with a body removed or deleted, which holds no word of its author: "
            "whether they ask cannot be read, so they are neither requests nor openers that do not ask (as the "
            "journeys read no step in them)." if unreadable else ""]  # fmt: skip
    return " ".join(filter(None, said))


def burn_in_left_out(summary: dict[str, Any]) -> str:
    """How many members a community run (``summary``) did not count as newcomers because their record starts less
    than ``burn_in_days`` before their first message (view ``member_arrivals``, migration 0023), or because it lies in a
    source declared a selection of threads (0031), as sentences ('' when none)."""
    sampled = sampled_left_out(summary, int(summary.get("first_seen_in_sampled_threads") or 0),
                               "not counted as newcomers")  # fmt: skip
    return " ".join(filter(None, [_burn_in_sentence(summary), sentence(sampled) if sampled else ""]))


def undeclared_newcomers(summary: dict[str, Any]) -> str:
    """The sources of a community run (``summary``'s ``undeclared_selections``) that look like a selection of threads
    not declared at import, whose members' first messages are counted as arrivals, as a clause
    (:func:`chrysalide.ingest.sampled.undeclared_caveat`; '' when none, or in a run made before ``reply-tree/14``)."""
    return undeclared_caveat(summary.get("undeclared_selections") or {}, NEWCOMERS_COUNTED)


def _burn_in_sentence(summary: dict[str, Any]) -> str:
    """The members first seen within the burn-in, not counted as newcomers, as a sentence ('' when none)."""
    burn_in, days = int(summary.get("first_seen_in_burn_in") or 0), int(summary.get("burn_in_days") or 0)
    if not burn_in:
        return ""
    clause = boards_apart_clause(summary)
    boards = (
        f" {clause[:1].upper()}{clause[1:]}: a board collected over a few weeks shows no newcomer." if clause else ""
    )
    return (
        f"{burn_in:,} members first seen less than {days} days after the start of the record that could hold their "
        "earlier messages (or undated) are not counted as newcomers: a record that starts after its community did "
        "(one scraped week of a subreddit, one year of a forum's export) shows old members first there, and nothing "
        f"tells them from new ones but a registration date, which they lack.{boards}"
    )


def requests_caveat(summary: dict[str, Any]) -> str:
    """Why a community run's (``summary``) request count leaves some out or is read by an older rule, as a clause
    without its full stop ('' when neither)."""
    if "openers_uncoded" not in summary:  # a run made before requests were read from the codes
        return (
            "these requests were counted by the rule of before, every newcomer's first message that opens a thread, "
            "whatever it says: run `chrysalide community` again"
        )
    return uncoded_openers_warning(summary) or ""


def judged_by_count(summary: dict[str, Any]) -> str:
    """How many threads and requests a community run (``summary``) judged by the number of replies their source
    declares (view ``declared_replies``), and what that means, as sentences ('' when none)."""
    judged = {key: int(summary.get(f"{key}_by_reply_count") or 0) for key in ("threads", "requests")}
    unread = int(summary.get("threads_declared_zero_unread") or 0)
    zeros = (
        f" {unread:,} threads whose source declares no reply are not judged by that count, and are left out with "
        f"those whose replies were not collected: in their source, {ZEROS_CONTRADICTED:.0%} or more of the thread "
        "starts whose replies were collected and that declare none hold an answer (the archive counted before the "
        "replies came), so a declared 0 says nothing."
        if unread
        else ""
    )
    if not any(judged.values()):
        return zeros.strip()
    counts = [f"{n:,} of the {int(summary.get(key) or 0):,} {key}" for key, n in judged.items() if n]
    first = "threads" if judged["threads"] else "requests"  # the answered ones of the first named
    answered = int(summary.get(f"{first}_answered_by_reply_count") or 0)
    others = (
        "; the others are never answered, every reply counted being in the corpus and none by someone else (none at "
        "all, or only the author's own)"
        if answered < judged[first]
        else ""
    )
    return (
        f"{' and '.join(counts)} are judged by the number of replies their source declares for them (Reddit's count "
        "of a post's comments), as the corpus lacks those replies: posted where replies were not collected, or "
        f"answered by replies missing from the corpus. {answered:,} of those {first} got an answer{others}. Whether "
        "they were answered is known, not when: they count in the answered shares, in no delay and in no "
        "within-3-hours share. The count is the archive's when it took the post: a post taken within hours of being "
        f"posted can declare none and have been answered later.{zeros}"
    )


def bots_left_out(counts: dict[str, Any], where: str, why: str = "a bot is not a member") -> str | None:
    """The sentence saying that ``where`` leaves out the bot accounts' messages, and ``why`` (``bot_accounts`` and
    ``bot_messages`` of a run's summary, or of :func:`chrysalide.store.bots.bot_counts`); None without bots."""
    accounts, messages = int(counts.get("bot_accounts") or 0), int(counts.get("bot_messages") or 0)
    if not accounts:
        return None
    return (
        f"{where} leave out the {messages:,} messages of {accounts:,} bot account{'s' if accounts > 1 else ''} "
        f"(accounts whose messages are nearly all signed by a bot, such as Reddit's AutoModerator, or one long text"
        f" posted again and again): {why}."
    )


def community_bots(summary: dict[str, Any]) -> str | None:
    """The sentence saying that a community run's (``summary``) figures leave out the bot accounts' messages, and
    why (:func:`bots_left_out`); None without bots. A thread a bot opened is no thread of these figures (r/BPD's
    8,990 threads beside the corpus's 8,991)."""
    return bots_left_out(summary, "Newcomers, answers, threads and the reply network",
                         "a bot is not a member, and its notices answer no one")  # fmt: skip


def unrecorded_newcomers(summary: dict[str, Any]) -> str:
    """The newcomers a community run (``summary``) counts but leaves out of every share, as no source of theirs
    records replies (``newcomers_without_replies_recorded``), and why, as sentences ('' when none)."""
    n = int(summary.get("newcomers_without_replies_recorded") or 0)
    if not n:
        return ""
    return (f"{counted(n, 'newcomer')} {'is' if n == 1 else 'are'} counted but left out of every share, as whether "
            f"they were answered cannot be seen. {sentence(unrecorded(summary))}")  # fmt: skip


def without_opening(summary: dict[str, Any]) -> str:
    """The threads a community run (``summary``) gives no thread figure, as their first message by date is a reply
    (``threads_without_opening``, of which ``threads_opened_by_early_replies``), and why, as a sentence ('' when
    none): the run's threads are the corpus's less these."""
    unopened = int(summary.get("threads_without_opening") or 0)
    if not unopened:
        return ""
    early = int(summary.get("threads_opened_by_early_replies") or 0)
    why = [f"{n:,} {reason}" for n, reason in (
        (unopened - early, "to a message the source lacks (the message that opened the thread is not in the corpus)"),
        (early, "to a message dated after it or undated (the source's dates contradict its replies)"),
    ) if n]  # fmt: skip
    has, their = ("has", "its") if unopened == 1 else ("have", "their")
    return (f"{counted(unopened, 'thread')} {has} no thread figure: {their} first message by date is a reply, "
            f"{'; '.join(why)}.")  # fmt: skip


def day_only_sentence(summary: dict[str, Any]) -> str:
    """Why a community run (``summary``) gives delays in days and no 'within 3 hours' for the sources that date
    messages by day only (:func:`day_only_sources`; '' when none does), as a sentence."""
    day_only = day_only_sources(summary)
    if not day_only:
        return ""
    return sentence(
        f"{day_only}: their delays are whole days, so every delay here is shown in days ('same day' for an answer on "
        "the day of the message), and 'within 3 hours' cannot be told, so those newcomers are left out of the "
        "within-3-hours shares"
    )


def unrecorded(summary: dict[str, Any]) -> str:
    """The sources of a community run (``summary``) that record no reply between their messages, each with why, as
    one sentence without its full stop ('' when every source records replies)."""
    return "; ".join(
        f"{_sources(summary, kind)}: {why}" for kind, why in _UNRECORDED.items() if _sources(summary, kind)
    )


def day_only_sources(summary: dict[str, Any]) -> str:
    """The sources of a run that date messages by day only, as a clause ('' when none): "source 'content' dates
    messages by day only". Their delays are whole days: whether an answer came within 3 hours cannot be told."""
    names = [name for name, traits in summary.get("sources", {}).items() if traits.get("day_only")]
    return f"{source_names(names)} date{'' if len(names) > 1 else 's'} messages by day only" if names else ""


def _sources(summary: dict[str, Any], kind: str) -> str:
    """The sources whose replies are of ``kind`` (tree, flat, submission_only, none, unthreaded, parents_missing)
    as the subject of a sentence (:func:`source_names`; '' when none)."""
    names = [name for name, traits in summary.get("sources", {}).items() if traits.get("replies") == kind]
    return source_names(names) if names else ""


def _counted(summary: dict[str, Any], key: str, *, short: bool = False) -> str:
    """The count of ``key`` (requests, threads) and, when some were posted where replies were not collected, too near
    the end of collection to be judged (``<key>_near_end``) or were judged by the number of replies their source
    declares, how many the shares count (``short``: only those)."""
    total, near = int(summary.get(key) or 0), int(summary.get(f"{key}_near_end") or 0)  # answered or not
    outside = int(summary.get(f"{key}_outside_reply_collection") or 0) + near
    by_count = int(summary.get(f"{key}_by_reply_count") or 0)
    which = "whose replies were collected" + (" or declared by their source" if by_count else "")
    which += " and that could be seen answered or not before the end of collection" if near else ""
    if short:
        return f"the {total - outside:,} {which}"
    if outside:
        return f"{total:,}, {total - outside:,} of them {which}"
    return (
        f"{total:,}, {by_count:,} of them judged by the number of replies their source declares"
        if by_count
        else f"{total:,}"
    )


def _requests(summary: dict[str, Any], uncoded: int) -> str:
    """The count of requests as the facts give it: "-" with why where no message is known to open a thread (the
    summary's ``requests`` None: :func:`~chrysalide.community.responses.opens_no_thread`), else :func:`_counted`, with the thread openers not coded and the newcomers' first messages
    of tables without thread ids (``newcomers_thread_unknown``), whether they open a thread cannot be told."""
    if "requests" in summary and summary["requests"] is None:
        return f"- ({requests_unknown(summary)})"
    unknown = int(summary.get("newcomers_thread_unknown") or 0)
    return (
        _counted(summary, "requests")
        + (f"; {uncoded:,} more open a thread, not coded" if uncoded else "")
        + (f"; {unknown:,} more first messages in tables without thread ids, whether they ask cannot be told"
           if unknown else "")
    )  # fmt: skip


def _dates(rows: pd.DataFrame) -> str:
    """When the newcomers left out (``replies_collected`` and ``replies_recorded`` false) posted their first message
    ('' when none)."""
    if "replies_collected" not in rows:
        return ""
    left = rows["replies_collected"].eq(False) & ~rows["replies_recorded"].astype(bool)
    dates = pd.to_datetime(rows.loc[left, "first_post_at"]).dropna()
    return f" (newcomers' first messages from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d})" if len(dates) else ""


def _delay_chart(rows: pd.DataFrame, *, by_day: bool) -> alt.Chart:
    """Shares of each group by delay bin; when dates are days, the bins under a day are one, "same day"."""
    shown = delay_bins(DELAY_BINS, by_day=by_day)
    binned = delay_labels(rows["answered"], rows["first_reply_hours"], shown)
    bins = [label for _, label in shown]
    group = np.select([requests_of(rows), openers_of(rows), thread_unknown(rows)],
                      [_GROUPS[0], _GROUPS[1], _GROUPS[3]], _GROUPS[2])  # fmt: skip
    dist = pd.DataFrame({"delay": binned, "group": group}).value_counts().rename("newcomers").reset_index()
    dist["share"] = dist["newcomers"] / dist.groupby("group")["newcomers"].transform("sum")
    return base(dist, height=220).mark_bar().encode(
        x=alt.X("delay:N", sort=[*bins, UNANSWERED, DELAY_UNKNOWN], title="time from a newcomer's first message to its answer"),
        xOffset=alt.XOffset("group:N", sort=_GROUPS),
        y=alt.Y("share:Q", axis=alt.Axis(format="%"), title="share of the group"),
        color=alt.Color("group:N", sort=_GROUPS, scale=alt.Scale(range=["#1b9e77", "#d9a441", "#7f9fbf", "#bbbbbb"]), title=None),
    )  # fmt: skip


def _yearly(rows: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The figures of the newcomers (rows of ``newcomer_responses``) by the year of their first message, by the
    definitions of the corpus's (``newcomer_figures``)."""
    dated = rows.dropna(subset=["first_post_at"])
    years = pd.to_datetime(dated["first_post_at"]).dt.year
    return {str(year): newcomer_figures(group) for year, group in dated.groupby(years, sort=True)}


def section_responses(ctx: Context) -> Section:
    """Newcomers answered, how fast, requests apart; per-newcomer rows of the newest community run."""
    s = Section("responses", "Newcomer response times")
    # A run that stored no newcomer (every member's arrival unseen: ADFD declared a selection of threads) still
    # measured its threads: read the newest community run then, not only the newest holding newcomers.
    run_id = ctx.latest("community", "newcomer_responses")
    if run_id is None and not lacking(ctx.store):  # a corpus without dates or members: unmeasured says why
        run_id = ctx.latest("community")
    if run_id is None:
        s.missing = unmeasured(
            ctx.store, "community", "Newcomer response is not computed yet: run `chrysalide community`."
        )
        return s
    s.runs = [ctx.run_label(run_id)]
    summary = ctx.run_summary(run_id)
    rows = ctx.df("SELECT * FROM newcomer_responses WHERE run_id = ? ORDER BY member_id", [run_id])
    if rows.empty:
        none = burn_in_left_out(summary) or (
            "No newcomer in this corpus (every member was registered before its first message)."
        )
        threads = _threads_sentence(summary)  # the threads figured: those without their opening said apart
        s.missing = " ".join(filter(None, [none, threads, without_opening(summary) if threads else ""]))
        return s
    undeclared = undeclared_newcomers(summary)
    s.paragraphs.extend(filter(None, [_answer_rule(summary), burn_in_left_out(summary),
                                      sentence(undeclared) if undeclared else ""]))  # fmt: skip
    bots = community_bots(summary)
    if bots:
        s.paragraphs.append(bots)
    by_day = dated_by_day(summary)
    uncoded = int(summary.get("openers_uncoded") or 0)  # whether they ask cannot be told
    s.facts = [
        ("newcomers", f"{summary.get('newcomers', len(rows)):,}"),
        (f"newcomers who got {answer_words(summary)}", percent(summary.get("newcomers_answered_share"))),
        (f"newcomers answered within 3 h (of {newcomers_judged(summary, 'within_3h_known')})",
         percent(summary.get("newcomer_answered_within_3h_share"))),
        ("median / 90th percentile delay of answered newcomers",
         f"{duration(summary.get('newcomer_first_reply_median_hours'), by_day=by_day)} / "
         f"{duration(summary.get('newcomer_first_reply_p90_hours'), by_day=by_day)}"),
        ("requests (first message opens a thread, coded individual)", _requests(summary, uncoded)),
        ("requests answered / within 3 h", f"{percent(summary.get('requests_answered_share'))} / "
         f"{percent(summary.get('request_answered_within_3h_share'))}"),
        ("median delay of answered requests", duration(summary.get("request_first_reply_median_hours"), by_day=by_day)),
        ("threads never answered", percent(summary.get("threads_unanswered_share"))
         + (f" of {_counted(summary, 'threads', short=True)}" if summary.get("threads_outside_reply_collection")
            or summary.get("threads_near_end")
            or summary.get("threads_by_reply_count") else "")),
    ]  # fmt: skip
    caveat, chosen = requests_caveat(summary), newcomer_histories(summary)
    s.paragraphs.extend(filter(None, [not_requests(summary), sentence(caveat) if caveat else "",
                                      sentence(chosen) if chosen else ""]))  # fmt: skip
    if said := unrecorded_newcomers(summary):
        s.paragraphs.append(said)
    if any(summary.get(f"{key}_outside_reply_collection") for key in ("newcomers", "threads")):
        s.paragraphs.append(f"{left_out(summary)}{_dates(rows)}. {_UNCOLLECTED_WHY}")
    if near_end := summary.get("near_end_note"):  # too near the end of collection to be judged, answered or not
        s.paragraphs.append(sentence(near_end))
    if judged_by_count(summary):
        s.paragraphs.append(judged_by_count(summary))
    if said := without_opening(summary):
        s.paragraphs.append(said)
    if day_only_sentence(summary):
        s.paragraphs.append(day_only_sentence(summary))
    shown = rows[rows["replies_recorded"].astype(bool) & rows["answered"].notna()]  # judged answered or not
    if len(shown):
        chart = configure(_delay_chart(shown, by_day=by_day))
        s.figures.append(ctx.figure(chart, f"How fast newcomers' first messages get {answer_words(summary)}: requests, "
                                    "other first messages that open a thread, and first messages that reply in a "
                                    "thread (share of each group; the study's benchmark is 3 hours)."))  # fmt: skip
        s.tables.append(_figures_table("year", _yearly(rows), by_day, "Newcomers by the year of their first message"))
    boards = summary.get("newcomers_by_board") or {}  # {} in a run made before it, or of one board
    if boards:
        s.tables.append(_figures_table("board", boards, by_day, "Newcomers by the board of their first message",
                                       "boards collected over different windows, or answering at different speeds, "
                                       "weigh on the corpus's figures by how many newcomers each holds"))  # fmt: skip
    return s


def _threads_sentence(summary: dict[str, Any]) -> str:
    """The threads' figures of a community run in a sentence, for a corpus without newcomers ('' without threads)."""
    if not summary.get("threads"):
        return ""
    median = duration(summary.get("thread_first_reply_median_hours"), by_day=dated_by_day(summary))
    return (f"The threads ({_counted(summary, 'threads')}) are measured: {percent(summary.get('threads_unanswered_share'))} "
            f"never answered; median time to the first answer of the others: {median}.")  # fmt: skip


def _figures_table(
    key: str, groups: dict[str, dict[str, Any]], by_day: bool, title: str, why: str | None = None
) -> Table:
    """The newcomers' and requests' figures of each group (``groups``: its ``newcomer_figures``,
    :mod:`chrysalide.community.responses`), one row each under the column ``key``: every newcomer
    counted, each share with the number it rests on (those whose answer, or answer time, can be seen)."""

    rows = [[name, *group_row(f, by_day=by_day)] for name, f in groups.items()]
    caption = (f"{title}: every newcomer counted; each share of the newcomers (or requests) whose answer, or answer "
               "time, can be seen (of N)")  # fmt: skip
    return Table([key, *GROUP_COLUMNS], rows, f"{caption}; {why}" if why else caption)


def _no_network(summary: dict[str, Any]) -> str:
    """Why a community run found no reply between two members, in the words of this corpus's sources."""
    if not any(_sources(summary, kind) for kind in RECORDING_KINDS):
        return f"no source of this corpus records replies between its messages. {sentence(unrecorded(summary))}"
    return "no message of this corpus answers another member's message."


def inferred_core(summary: dict[str, Any], core: pd.DataFrame) -> str:
    """What the replies whose member answered is inferred (a community run's ``network_inferred_replies`` of its
    ``network_replies``) do to the core members (``core``: their ``member_network`` rows), as a sentence ('' when
    none is inferred, or in a run made before ``reply-tree/14``): the k-core counts a link whatever its weight, so a
    member whose post drew many comments is in it without answering anyone (r/BPD, docs/community.md)."""
    inferred, replies = int(summary.get("network_inferred_replies") or 0), int(summary.get("network_replies") or 0)
    if not inferred:
        return ""
    which = (
        f"None of the {replies:,} replies that link members here says whom it answers"
        if inferred == replies
        else f"{inferred:,} of the {replies:,} replies that link members here do not say whom they answer"
    )
    silent = int((core["out_degree"] == 0).sum())
    none = f" ({silent:,} of the {len(core):,} core members answered no one)" if silent else ""
    return (f"{which}: the member answered is inferred "
            "(the author of the message before, in a flat thread; the author of the post a comment is under, where "
            "comments name no parent) and weighs less in a member's strength, but the core counts a link whatever its "
            "weight. A member whose post drew comments from many members is then a core member though they answered "
            f"few or none{none}: read the core as the members the conversations gather around, not as those who help "
            "most.")  # fmt: skip


def _log2_bin(values: pd.Series) -> np.ndarray:
    """Values below 4 as they are; larger ones down to the power of two below them (4, 8, 16, ...)."""
    v = values.to_numpy(dtype="int64")
    return np.where(v < 4, v, 2 ** np.floor(np.log2(np.maximum(v, 1))).astype("int64"))


def section_network(ctx: Context) -> Section:
    """Core members and a summary of the reply network, from ``member_network``."""
    s = Section("network", "Core members and reply network")
    run_id = ctx.latest("community")
    if run_id is None:
        s.missing = "The reply network is not computed yet: run `chrysalide community`."
        return s
    nodes = ctx.df("SELECT * FROM member_network WHERE run_id = ? ORDER BY betweenness DESC, member_id", [run_id])
    summary = ctx.run_summary(run_id)
    if nodes.empty:
        s.missing = f"No reply network: {_no_network(summary)}"
        s.runs = [ctx.run_label(run_id)]
        return s
    core = nodes[nodes["is_core"]]
    s.facts = [
        ("members in the network", f"{len(nodes):,}"),
        ("answering pairs (A answered B; B answering A is another)", f"{int(nodes['out_degree'].sum()):,}"),
        ("pairs of members linked by a reply, either way (the edges the core is computed on)",
         f"{int(summary['network_edges']):,}" if "network_edges" in summary else "-"),
        ("main core (k)", str(summary.get("main_core_k", int(nodes["core_number"].max())))),
        ("core members", f"{len(core):,} ({len(core) / max(len(nodes), 1):.1%} of the network)"),
        ("answering pairs in which a core member was answered",
         percent(core['in_degree'].sum() / max(nodes['in_degree'].sum(), 1))),
    ]  # fmt: skip
    s.paragraphs.append(
        "Core members are the main k-core of the reply network over the whole corpus. The journeys' milestone 'in "
        "a month's core' counts the members who were in the main k-core of some month's replies: cores of single "
        "months, so more members reach it than the core members here."
    )
    if said := inferred_core(summary, core):
        s.paragraphs.append(said)
    # One dot per (binned) position: degrees above 4 are grouped by powers of two, which the symlog axes
    # show evenly anyway, so a forum of 70,000 members draws hundreds of dots, not tens of thousands.
    shown = (
        nodes.assign(
            group=np.where(nodes["is_core"], "core", "other members"),
            in_degree=_log2_bin(nodes["in_degree"]),
            out_degree=_log2_bin(nodes["out_degree"]),
        )
        .groupby(["in_degree", "out_degree", "group"], as_index=False)
        .size()
    )
    chart = base(shown, height=300, width=420).mark_circle(opacity=0.7).encode(
        x=alt.X("out_degree:Q", scale=alt.Scale(type="symlog"),
                axis=symlog_axis(shown["out_degree"], "members answered (out-degree)")),
        y=alt.Y("in_degree:Q", scale=alt.Scale(type="symlog"),
                axis=symlog_axis(shown["in_degree"], "members who answered them (in-degree)")),
        color=alt.Color("group:N", scale=alt.Scale(domain=["core", "other members"], range=["#d95f02", "#7f9fbf"]), title=None),
        size=alt.Size("size:Q", title="members", scale=alt.Scale(range=[15, 400])),
    )  # fmt: skip
    s.figures.append(ctx.figure(configure(chart), "Helping (x) against being helped (y); core members in orange."))
    top = core[[not ctx.excluded(m) for m in core["member_id"]]].head(15)
    s.tables.append(Table(
        ["member", "answered", "answered by", "betweenness", "core number"],
        [[ctx.label(int(r.member_id)), int(r.out_degree), int(r.in_degree), float(r.betweenness), int(r.core_number)]
         for r in each_row(top)], "Core members with the highest betweenness (members who asked to be excluded are not"
        " listed)"))  # fmt: skip
    s.runs = [ctx.run_label(run_id)]
    return s
