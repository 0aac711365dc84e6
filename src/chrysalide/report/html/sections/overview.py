"""Corpus overview and stage mix over time: read straight from the core tables and ``current_codes``."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import PurePath
from typing import Any

import altair as alt

from chrysalide.coding.audit import MEASURE_HINT, describe
from chrysalide.coding.model import MIN_LANGUAGE_MESSAGES
from chrysalide.coding.reasons import REASONS, ReviewReasons, by_language, review_reasons
from chrysalide.community.responses import unthreaded_sources
from chrysalide.frames import each_row
from chrysalide.ingest.boards import board_counts
from chrysalide.ingest.report import reject_kinds
from chrysalide.report.authors import no_member_counts, posting_members, posting_members_text
from chrysalide.report.histories import message_histories
from chrysalide.report.html.context import Context, Section, Table, percent, sentence
from chrysalide.report.html.figures import STAGES, base, configure, stage_color, time_axis
from chrysalide.report.html.notes import NOTES
from chrysalide.report.html.sections.community import bots_left_out, source_names
from chrysalide.report.lacks import lacking
from chrysalide.store.bots import Connected, bot_counts, not_bot


def _counted(counts: dict[str, int]) -> str:
    """A total with its languages: ``779 (de 777, it 1, nl 1)``; ``0`` alone."""
    total = sum(counts.values())
    return f"{total:,} ({by_language(counts)})" if total else "0"


def removed_sentence(removed: int, coded: int) -> str:
    """The coded messages whose body was removed or deleted (:func:`chrysalide.coding.shares.removed_bodies`), in
    one sentence ('' when none)."""
    if not removed:
        return ""
    return (f"{removed:,} of the {coded:,} coded messages ({percent(removed / coded)}) hold no word of their author, "
            "their body removed or deleted ('[removed]', '[deleted]'): they are coded 'other' and counted in every "
            "share.")  # fmt: skip


def unlearned_sentence(reasons: ReviewReasons, coded: int) -> str:
    """What the stage shares rest on when some messages are in a language the model did not learn."""
    n = reasons.not_learned
    return (f"{n:,} of the {coded:,} coded messages ({percent(n / max(coded, 1))}) are in a language the model did "
            f"not learn ({by_language(reasons.unlearned)}): it learned from fewer than {MIN_LANGUAGE_MESSAGES} coded "
            "messages in each, so its confidence there is unmeasured and their codes await review whatever their "
            "confidence; the stage shares include them, unvalidated.")  # fmt: skip


def unsure_sentence(reasons: ReviewReasons, coded: int) -> str:
    """How many codes await review for their confidence alone (below the model's review threshold, in a language it
    learned: docs/coding.md), and what the stage shares do with them; '' when none does."""
    n = reasons.unsure
    if n <= 0:
        return ""
    return (f"{n:,} of the {coded:,} coded messages ({percent(n / max(coded, 1))}) have a confidence below the "
            "model's review threshold and await review: read each of their codes as unsure; the stage shares count "
            "them by their probabilities, as they do every message.")  # fmt: skip


def _file_names(paths: Any, location: str) -> str:
    """The names of the files a source's imports stored messages from, each once in its first import's order (its
    first location when no import recorded one: a store made before imports kept their summary)."""
    names = [PurePath(str(p)).name for p in (list(paths) if paths is not None else []) if p]
    return ", ".join(dict.fromkeys(names)) or PurePath(str(location)).name


def _without_member(ctx: Context) -> str:
    """``1,969 (deleted accounts 1,969)``: the messages of no member, by what the import recorded of their
    author (:mod:`chrysalide.report.authors`); ``0`` alone."""
    counts = no_member_counts(ctx.con)
    total = sum(n for _, n in counts)
    return f"{total:,} ({', '.join(f'{label} {n:,}' for label, n in counts)})" if total else "0"


def named_threads(store: Connected, unthreaded: Collection[str]) -> tuple[int | None, str]:
    """The threads the sources name, and what that count leaves out in words ('' when nothing).

    A table without thread ids (``unthreaded``, the sources :func:`chrysalide.community.responses.unthreaded_sources`
    finds) stores each of its messages as a thread of its own, no thread of the forum: its messages are not counted
    as threads, and when every source is such a table the count is None, "the export names no thread" (Fiv.fr's
    145 messages are not 145 threads). One definition for the report's overview and key findings and the
    dashboard's overview.
    """
    apart = sorted(unthreaded)
    named, stored_apart = store.con.execute(
        "SELECT count(*) FILTER (NOT list_contains(?, source_id)), count(*) FILTER (list_contains(?, source_id))"
        " FROM threads",
        [apart, apart],
    ).fetchone() or (0, 0)
    if not stored_apart:
        return int(named), ""
    if not named:
        return None, "the export names no thread"
    one = len(apart) == 1
    return int(named), (f"{source_names(apart)} name{'s' if one else ''} no thread: {'its' if one else 'their'} "
                        f"{int(stored_apart):,} messages are not counted as threads")  # fmt: skip


def threads_fact(store: Connected, community: dict[str, Any] | None = None) -> str:
    """The overview's count of threads (:func:`named_threads`): "1,234", "- (the export names no thread)", and how
    many lack their opening message (:func:`openless`, from the newest community run's ``community`` summary)."""
    threads, said = counted_threads(store, unthreaded_sources(store), community or {})
    count = "-" if threads is None else f"{threads:,}"
    return f"{count} ({said})" if said else count


def counted_threads(store: Connected, unthreaded: Collection[str], community: dict[str, Any]) -> tuple[int | None, str]:
    """The threads the sources name and what to say beside their count: what it leaves out (:func:`named_threads`)
    and how many lack their opening message (:func:`openless`, from a community run's summary). One reading for
    the overview and the key findings' corpus row."""
    threads, apart = named_threads(store, unthreaded)
    return threads, "; ".join(filter(None, [apart, openless(community, threads)]))


#: Share of the threads without their opening message from which the corpus's count of threads says how many.
OPENLESS_SHARE = 0.1
#: The median number of messages of the threads without their opening message up to which they are "a comment or
#: two".
FEW_MESSAGES = 2


def openless(summary: dict[str, Any], threads: int | None) -> str:
    """How many of the ``threads`` lack their opening message (a community run's ``threads_without_opening``: their
    first stored message is a reply), as a clause ('' under :data:`OPENLESS_SHARE` of them), with how many messages
    they hold (``threads_without_opening_median_messages``; a run made before ``reply-tree/14`` has none, and the
    clause then says nothing of their size). A thread is counted by its id: where the corpus holds members' comments
    without the conversations around them, most of its "threads" are a comment or two (r/covidlonghaulers'
    histories: 14,101 of its 15,712 threads); where a scraper kept some comments of each post without the post, they
    are as long as it kept (r/mentalhealth's comment table: 10 in the median one of its 1,000)."""
    n = int(summary.get("threads_without_opening") or 0)
    if not threads or n < OPENLESS_SHARE * threads:
        return ""
    median = summary.get("threads_without_opening_median_messages")
    size = (
        ""
        if not median
        else ", often a comment or two"
        if median <= FEW_MESSAGES
        else f", {int(median):,} messages in the median one"
    )
    return f"{n:,} of them without their opening message, which the corpus lacks: pieces of conversations{size}"


def board_spread(ctx: Context, shown: int = 3) -> str | None:
    """How many boards the messages are in and the ``shown`` largest with their share of the messages (None for
    a corpus of one board): a corpus mixing communities, such as Reddit members' whole histories, shows it."""
    boards, total = board_counts(ctx.con)
    if len(boards) < 2:
        return None
    largest = ", ".join(f"{board} {percent(n / total)}" for board, n, _ in boards[:shown])
    return f"{len(boards):,} boards (largest: {largest} of the messages)"


def boards_left_out(ctx: Context) -> str | None:
    """What the newest import of each source left out by choice (``ingest --boards``), or None."""
    runs = ctx.df(
        "SELECT summary FROM runs WHERE stage = 'ingest' AND status = 'ok' ORDER BY started_at DESC, run_id DESC"
    )
    newest: dict[str, dict] = {}
    for raw in runs["summary"]:
        summary = json.loads(raw) if raw else {}
        newest.setdefault(str(summary.get("source_id")), summary)
    parts = [f"{source}: only {', '.join(map(str, s['boards']))} ({int(s.get('left_out') or 0):,} messages of "
             f"{int(s.get('left_out_boards') or 0):,} other boards left out)"
             for source, s in sorted(newest.items()) if s.get("boards")]  # fmt: skip
    if not parts:
        return None
    return f"Imported from the boards chosen (--boards), the others left out by that choice, not rejected: {'; '.join(parts)}"


def section_overview(ctx: Context) -> Section:
    """Sources, counts, date range and rejects."""
    s = Section("overview", "Corpus overview")
    n_messages = ctx.scalar("SELECT count(*) FROM messages")
    if not n_messages:
        s.missing = "No messages in this store yet: run `chrysalide ingest FILE` (or `chrysalide demo`)."
        return s
    first, last = ctx.con.execute("SELECT min(posted_at), max(posted_at) FROM messages").fetchone() or (None, None)
    coded = ctx.scalar("SELECT count(*) FROM current_codes WHERE message_id IN (SELECT message_id FROM messages)")
    s.facts = [
        ("messages", f"{n_messages:,}"),
        ("threads", threads_fact(ctx, ctx.run_summary(ctx.latest("community")))),
        ("posting members", posting_members_text(*posting_members(ctx.con))),
        ("first message", str(first)[:10] if first else "-"),
        ("last message", str(last)[:10] if last else "-"),
        ("undated messages", f"{ctx.scalar('SELECT count(*) FROM messages WHERE posted_at IS NULL'):,}"),
        ("messages without a member", _without_member(ctx)),
        ("coded messages", f"{coded:,} ({percent(coded / n_messages)})"),
        ("rejected records", f"{ctx.scalar('SELECT count(*) FROM rejects'):,}"),
        (
            "members with a consent decision",
            f"{len(ctx.consent):,} ({len(ctx.consent.quotable_ids()):,} may be quoted)",
        ),
    ]
    # A source's files are those of its imports that stored messages (a later part of a forum goes into the source
    # of the first: docs/importers.md), in their order; its last import is the newest of them.
    sources = ctx.df(
        """
        WITH parts AS (
            SELECT json_extract_string(params, '$.source_id') AS source_id, json_extract_string(params, '$.path') AS path,
                   run_id, started_at
            FROM runs WHERE stage = 'ingest' AND status = 'ok'
              AND coalesce(TRY_CAST(json_extract(summary, '$.imported') AS BIGINT), 0) > 0)
        SELECT s.source_id, s.importer, s.location, s.imported_at, s.pseudonymised,
               (SELECT list(p.path ORDER BY p.run_id) FROM parts p WHERE p.source_id = s.source_id) AS paths,
               (SELECT max(p.started_at) FROM parts p WHERE p.source_id = s.source_id) AS last_import,
               (SELECT count(*) FROM messages m WHERE m.source_id = s.source_id) AS messages,
               (SELECT count(*) FROM rejects r WHERE r.source_id = s.source_id) AS rejects
        FROM sources s ORDER BY s.imported_at
        """
    )
    # Only the file names: a full path may carry a user name or a project's confidential folder.
    rows = [[r.source_id, r.importer, _file_names(r.paths, r.location), str(r.last_import or r.imported_at)[:16],
             bool(r.pseudonymised), int(r.messages), int(r.rejects)] for r in each_row(sources)]  # fmt: skip
    s.tables.append(Table(["source", "format", "files", "last import (UTC)", "pseudonymised", "messages", "rejects"],
                          rows, "Sources"))  # fmt: skip
    # The threads the sources name (named_threads): a board's messages of tables without thread ids are no threads.
    unthreaded = unthreaded_sources(ctx)
    boards = ctx.df(
        "SELECT coalesce(t.board, '(none)') AS board,"
        " count(DISTINCT t.thread_id) FILTER (NOT list_contains(?, t.source_id)) AS threads,"
        " bool_and(list_contains(?, t.source_id)) AS unnamed, count(m.message_id) AS n"
        " FROM threads t LEFT JOIN messages m USING (thread_id) GROUP BY 1 ORDER BY 4 DESC, 1 LIMIT 15",
        [unthreaded, unthreaded],
    )
    if len(boards) > 1:
        apart = named_threads(ctx, unthreaded)[1]
        s.tables.append(Table(["board", "threads", "messages"],
                              [[str(r.board), "-" if r.unnamed else int(r.threads), int(r.n)] for r in each_row(boards)],
                              "Boards (sub-forums), busiest first" + (f"; threads: {apart}" if apart else "")))  # fmt: skip
    spread = board_spread(ctx)
    if spread:
        s.facts.append(("boards", spread))
    left_out = boards_left_out(ctx)
    if left_out:
        s.paragraphs.append(f"{left_out}.")
    # By kind, without the records' particulars (ingest.report.kind): a reason names the record's id ("duplicate id
    # 't3_...'"), which leads to the public post, or quotes its values.
    kinds = reject_kinds(ctx.con)
    if kinds:
        top = kinds[:10]
        s.tables.append(Table(["reason", "records"], [[reason[:200], n] for reason, n in top],
                              "Why records were rejected (most frequent kinds of reason)"))  # fmt: skip
    monthly = ctx.df(
        "SELECT date_trunc('month', posted_at)::DATE AS month, count(*) AS messages,"
        " count(DISTINCT member_id) AS members FROM messages WHERE posted_at IS NOT NULL GROUP BY 1 ORDER BY 1"
    )
    if len(monthly):
        chart = base(monthly, height=180).mark_bar(color="#4c78a8").encode(
            x=alt.X("month:T", title=None, axis=time_axis(monthly["month"])), y=alt.Y("messages:Q", title="messages per month"),
        )  # fmt: skip
        s.figures.append(ctx.figure(configure(chart), "Messages per month (all sources)."))
    return s


# A share computed on a handful of messages jumps from 0 to 100% and back: the period grows until a typical
# one holds this many coded messages.
MIN_CODED_PER_PERIOD = 30
PERIODS = ("month", "quarter", "year")


def mix_period(store: Connected) -> str:
    """The period of a stage mix over time (the report's and the dashboard's): the shortest of month, quarter and
    year whose median period holds :data:`MIN_CODED_PER_PERIOD` coded messages of members (as
    :func:`chrysalide.coding.shares.shares_by` counts them, bot accounts apart)."""
    for unit in PERIODS:
        median = store.con.execute(
            f"SELECT median(n) FROM (SELECT date_trunc('{unit}', m.posted_at), count(*) AS n FROM messages m"
            f" JOIN current_codes c USING (message_id) WHERE m.posted_at IS NOT NULL AND {not_bot()} GROUP BY 1)"
        ).fetchone()[0]
        if median is not None and median >= MIN_CODED_PER_PERIOD:
            return unit
    return "year"


def mix_period_words(unit: str) -> str:
    """Whose shares a stage mix over ``unit`` (:func:`mix_period`) gives, and why it is not by month."""
    if unit == "month":
        return "the month's coded messages"
    return (f"each {unit}'s coded messages ({unit}s, not months, when a typical month holds fewer than "
            f"{MIN_CODED_PER_PERIOD} coded messages)")  # fmt: skip


def section_stage_mix(ctx: Context) -> Section:
    """Estimated share of each stage per month (quarter or year on a sparse corpus), with the raw counts.

    The share is the mean calibrated probability of the stage (:func:`chrysalide.coding.shares.shares_by`:
    corrected for the coder's errors); the table keeps the count of primary codes beside it, and the facts
    say how many codes are confident and how many await review.
    """
    from chrysalide.coding.shares import removed_bodies, shares_by

    s = Section("stage_mix", "Stage mix over time")
    unit = mix_period(ctx.store)
    periods = shares_by(ctx.store, f"date_trunc('{unit}', m.posted_at)::DATE", key="period")
    periods = periods[periods["period"].notna()]
    if periods.empty:
        undated = lacking(ctx.store, ("dates",)) if ctx.latest("coding") is not None else ""
        s.missing = (f"No stage mix over time: {undated}. The key findings give the stage mix of the whole corpus."
                     if undated else "No coded messages yet: run `chrysalide code` to assign a stage to each message.")  # fmt: skip
        return s
    mix = periods.melt(id_vars=["period"], value_vars=[f"est_{k}" for k in STAGES], var_name="stage",
                       value_name="share")  # fmt: skip
    mix["stage"] = mix["stage"].str.removeprefix("est_")
    mix["order"] = mix["stage"].map({k: i for i, k in enumerate(STAGES)})
    y = alt.Y("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="estimated share of coded messages")
    if mix["period"].nunique() <= 40:  # few periods: one bar each, gaps stay visible
        chart = base(mix).mark_bar().encode(
            x=alt.X(f"{'year' if unit == 'year' else 'yearmonth'}(period):O", title=None,
                    axis=alt.Axis(labelAngle=-45 if unit != "year" else 0)),
            y=y, color=stage_color(), order=alt.Order("order:Q"),
            tooltip=["period:T", "stage:N", alt.Tooltip("share:Q", format=".1%")],
        )  # fmt: skip
    else:
        chart = base(mix).mark_area().encode(
            x=alt.X("period:T", title=None, axis=time_axis(mix["period"])),
            y=y, color=stage_color(), order=alt.Order("order:Q"),
        )  # fmt: skip
    what = "Estimated stage shares (mean calibrated probability: corrected for the coder's errors) of "
    s.figures.append(ctx.figure(configure(chart), f"{what}{mix_period_words(unit)}."))
    bots = bots_left_out(bot_counts(ctx.store), "Stage shares and counts",
                         "their messages are coded, but they are not members' words")  # fmt: skip
    if bots:
        s.paragraphs.append(bots)
    community = ctx.latest("community", "community_metrics")
    if community is not None and (chosen := message_histories(ctx.run_summary(community))):
        s.paragraphs.append(sentence(chosen))
    whole = shares_by(ctx.store, "'all'", key="all").iloc[0]
    s.tables.append(Table(["stage", "messages (primary code)", "estimated share"],
                          [[k, int(whole[f"n_{k}"]), f"{whole[f'est_{k}']:.1%}"] for k in STAGES],
                          "Coded messages by stage (whole period): raw count and corrected share"))  # fmt: skip
    origins = ctx.df("SELECT origin, count(*) AS n FROM current_codes GROUP BY 1 ORDER BY 2 DESC")
    reasons = review_reasons(ctx.con)
    s.facts = [("codes by origin", ", ".join(f"{r.origin} {int(r.n):,}" for r in each_row(origins))),
               ("confident codes / awaiting review", f"{reasons.confident:,} / {reasons.awaiting:,}")]  # fmt: skip
    if reasons.awaiting > reasons.unrecorded or not reasons.unrecorded:
        s.facts += [(f"awaiting review: {REASONS['unlearned']}", _counted(reasons.unlearned)),
                    (f"awaiting review: {REASONS['unsure']}", f"{reasons.unsure:,}")]  # fmt: skip
    if reasons.unrecorded:  # a store coded before migration 0014
        s.facts.append((f"awaiting review: {REASONS['unrecorded']}", f"{reasons.unrecorded:,}"))
    s.facts.append(("codes in a language without markers", _counted(reasons.no_markers)))
    s.facts += [("reviewers against the automatic codes", describe(a)) for a in ctx.review_agreement.values()] or [
        ("reviewers against the automatic codes", f"no decision yet ({MEASURE_HINT})")
    ]
    if reasons.unlearned:
        s.paragraphs.append(unlearned_sentence(reasons, int(whole["coded"])))
    if unsure := unsure_sentence(reasons, int(whole["coded"])):
        s.paragraphs.append(unsure)
    removed = removed_sentence(removed_bodies(ctx.store), int(whole["coded"]))
    if removed:
        s.paragraphs.append(removed)
    runs = ctx.df("SELECT DISTINCT run_id FROM current_codes ORDER BY run_id DESC LIMIT 5")
    s.runs = [ctx.run_label(int(r)) for r in runs["run_id"]]
    s.note = NOTES["coding"]
    return s
