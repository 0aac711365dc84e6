"""Alerts timeline: weekly message volume (members', as the alerts count it) with the burst periods of the newest
alerts run shaded."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import altair as alt
import pandas as pd

from chrysalide.community.alerts import (
    FEW_THREADS,
    edge_alerts,
    few_threads_alerts,
    one_voice_alerts,
    undeclared_of,
    watch_counts,
    weekly_volume,
)
from chrysalide.community.bursts import LEVEL_WEEKS, level_change
from chrysalide.frames import each_row
from chrysalide.ingest.sampled import VOLUME_COUNTED, undeclared_caveat
from chrysalide.report.authors import author_status_sql
from chrysalide.report.html.context import Context, Section, Table
from chrysalide.report.html.figures import base, configure, time_axis
from chrysalide.report.html.sections.community import bots_left_out
from chrysalide.store.bots import bot_counts
from chrysalide.units import counted, percent, sentence

SAMPLE_ALERTS = 3  # alerts illustrated with sample messages
SAMPLES_PER_ALERT = 2
TOP_TERMS = 8  # an alert's top terms shown, here and on the dashboard (the alerts step stores more)
#: What a volume burst longer than a year (or than half the corpus) reflects (``community.bursts.level_change``).
LEVEL_READING = "a change of level (how the data were collected, or the forum's growth) rather than a crisis"
#: What a burst in a stage's or term's share that long reflects: the mix of messages moved for good.
SHARE_LEVEL_READING = (
    "a change of level in what was written (how the data were collected, or how the forum changed) rather than a crisis"
)


#: What a burst at an edge of the collected conversations reflects (``community.alerts.collection_edges``).
COLLECTION_READING = (
    "a change in what was collected rather than in the forum (its first or last week meets the first week of a "
    "source, of a member's record or of the days over which a source's replies were collected, or the last week of "
    "a source or of those days; or, a burst of volume, every source is declared a selection of threads, whose weekly "
    "volume counts the threads taken)"
)


#: What a burst most of whose messages one member wrote reflects (``community.alerts.one_voice_alerts``).
ONE_VOICE_READING = "one member's spell of posting rather than the forum's"
#: What a burst resting on a few threads reflects (``community.alerts.few_threads``).
FEW_THREADS_READING = "a few conversations (or ones that cannot be counted) rather than the forum"
#: The rule of ``community.alerts.few_threads`` in words, after "Burst(s) ...".
FEW_THREADS_RULE = (
    f"whose messages lie in fewer than {FEW_THREADS} threads (or may, in a table without thread ids), or more than a "
    "third of whose messages one thread holds"
)

#: What a run's counts of the watched terms count (``community.alerts.watch_counts``), said before them.
WATCH_COUNTED = "messages holding each watched term (members' dated messages)"


def watched(counts: dict[str, int]) -> tuple[list[tuple[str, int]], list[str]]:
    """A run's counts of the watched terms (:func:`chrysalide.community.alerts.watch_counts`) as the command line, the
    report and the dashboard say them: the terms some message holds, with how many, and those none holds, said
    apart (a term no message holds cannot burst, and looks, without it, like a frequent one without a burst)."""
    return [(term, n) for term, n in counts.items() if n], [term for term, n in counts.items() if not n]


def watch_paragraphs(counts: dict[str, int]) -> list[str]:
    """The report's sentences of a run's counts of the watched terms (:func:`watched`): how many messages hold each,
    then one for each term none holds."""
    held, unheld = watched(counts)
    each = ", ".join(f"'{term}' {n:,}" for term, n in held)
    said = [sentence(f"{WATCH_COUNTED}: {each}")] if held else []
    return said + [f"No message contains '{term}': a term no message holds cannot burst." for term in unheld]


def level_reading(kind: str) -> str:
    """What a burst of ``kind`` (volume, stage, term) that reads as a change of level reflects."""
    return LEVEL_READING if kind == "volume" else SHARE_LEVEL_READING


def burst_span(row: Any) -> str:
    """An alert's dates and length: '2016-02-08 to 2019-04-21 (167 weeks)'."""
    weeks = int(row.weeks)
    return f"{str(row.start_at)[:10]} to {str(row.end_at)[:10]} ({counted(weeks, 'week')})"


def burst_name(row: Any) -> str:
    """An alert by its series and dates, as the report's paragraphs and the command line's notes name it: 'volume,
    2016-02-08 to 2016-03-20 (6 weeks)', "messages containing 'dbt', 2016-02-08 to ..." (:func:`target`)."""
    return f"{row.kind if row.kind == 'volume' else target(row)}, {burst_span(row)}"


def level_changes(found: pd.DataFrame, span: int) -> pd.Series:
    """Which alerts of ``found`` (any kind) read as a change of level rather than a crisis, in a series of ``span``
    weeks (:func:`chrysalide.community.bursts.level_change`), as a boolean mask."""
    return pd.Series([level_change(int(w), span) for w in found["weeks"]], index=found.index, dtype=bool)


def reading(
    kind: str, weeks: int, alert_id: int, span: int, edges: Collection[int], voices: Collection[int],
    few: Collection[int] = (),
) -> str | None:  # fmt: skip
    """What one alert reads as when it is not an event, None when it is one: a change of level (a burst of ``weeks``
    in a series of ``span``, :func:`chrysalide.community.bursts.level_change`, said first), for an alert of ``edges``
    (:func:`chrysalide.community.alerts.edge_alerts`) a change in what was collected, for one of ``voices``
    (:func:`chrysalide.community.alerts.one_voice_alerts`) one member's spell of posting, or for one of ``few``
    (:func:`chrysalide.community.alerts.few_threads_alerts`) a few conversations. The report and the dashboard read
    alerts by it alike."""
    if level_change(weeks, span):
        return level_reading(kind)
    if alert_id in edges:
        return COLLECTION_READING
    return ONE_VOICE_READING if alert_id in voices else FEW_THREADS_READING if alert_id in few else None


def readings(
    found: pd.DataFrame, span: int, edges: Collection[int], voices: Collection[int] = (), few: Collection[int] = ()
) -> pd.Series:
    """:func:`reading` of each alert of ``found``."""
    return pd.Series([reading(r.kind, int(r.weeks), int(r.alert_id), span, edges, voices, few)
                      for r in each_row(found)], index=found.index, dtype=object)  # fmt: skip


def threads_text(threads: dict[str, Any]) -> str:
    """A burst's threads (``community.alerts.few_threads_alerts``) in words: '17 threads, the largest holding 20% of
    its messages'; '34 messages in a table without thread ids, whose threads cannot be counted'."""
    named, unthreaded = int(threads["threads"]), int(threads["unthreaded"])
    largest = f", the largest holding {percent(float(threads['top_thread_share']))} of its messages" if named else ""
    said = f"{counted(named, 'thread')}{largest}"
    if not unthreaded:
        return said
    unknown = f"{counted(unthreaded, 'message')} in a table without thread ids, whose threads cannot be counted"
    return f"{said} and {unknown}" if named else unknown


def _few_paragraph(few: pd.DataFrame, threads: dict[int, dict[str, Any]]) -> str:
    """Why the bursts resting on a few threads are not the forum's, each with its threads."""
    each = "; ".join(f"{burst_name(r)}: {threads_text(threads[int(r.alert_id)])}" for r in each_row(few))
    plural = "s" if len(few) > 1 else ""
    return (f"Burst{plural} {FEW_THREADS_RULE} ({each}): {FEW_THREADS_READING}. The messages of a thread answer one "
            "another, so that a few conversations on one subject make a burst the weekly series cannot tell from a "
            "crisis; read their threads.")  # fmt: skip


def volume_caveat(selections: dict[str, Any], kinds: Collection[str]) -> str:
    """What the sources that look like an undeclared selection of threads (``selections``: an alerts run's
    ``undeclared_selections``) do to its bursts of volume, when ``kinds`` (those of its alerts) holds one, as a
    clause ('' otherwise): their weekly volume counts the threads the export took."""
    if not selections or "volume" not in kinds:
        return ""
    return undeclared_caveat(selections, VOLUME_COUNTED)


def _voice_paragraph(voiced: pd.DataFrame, shares: dict[int, float]) -> str:
    """Why the bursts most of whose messages one member wrote are not the forum's, each with its share."""
    each = "; ".join(f"{burst_name(r)}: {shares[int(r.alert_id)]:.0%}" for r in each_row(voiced))
    plural = "s" if len(voiced) > 1 else ""
    return (f"Burst{plural} more than a third of whose messages one member wrote ({each}): {ONE_VOICE_READING}, "
            "as a lexical class one member wrote most of is their voice.")  # fmt: skip


def _edge_paragraph(edge: pd.DataFrame) -> str:
    """Why the bursts at an edge of the collected conversations are not events, each with its series and dates."""
    each = "; ".join(burst_name(r) for r in each_row(edge))
    plural = "s" if len(edge) > 1 else ""
    return f"Burst{plural} at an edge of the collected conversations ({each}): {COLLECTION_READING}."


def _level_paragraph(long: pd.DataFrame, span: int, *, share: bool) -> str:
    """Why the long bursts (all of volume, or all in a share) are changes of level, each with its length against
    the rule."""
    each = "; ".join(
        (f"{target(r)}, " if share else "")
        + f"{burst_span(r)}, "
        + (f"more than {LEVEL_WEEKS} weeks" if int(r.weeks) > LEVEL_WEEKS else f"more than half of {span:,} weeks")
        for r in each_row(long)
    )
    plural = "s" if len(long) > 1 else ""
    if share:
        return (f"Burst{plural} in a share lasting more than a year or more than half of the corpus ({each}): "
                f"{SHARE_LEVEL_READING}. A crisis in the study's sense lasts months.")  # fmt: skip
    return (f"Volume burst{plural} lasting more than a year or more than half of the corpus "
            f"({each}): {LEVEL_READING}. The weekly volume of an export reflects how it was collected; bursts in a "
            "stage's or a watched term's share are relative to each week's volume and compare better with the "
            "study's crisis.")  # fmt: skip


def target(row: Any) -> str:
    """What a share alert counts, in words: 'societal messages', "messages containing 'levothyrox'"."""
    return f"{row.target} messages" if row.kind == "stage" else f"messages containing '{row.target}'"


def bots_apart(counts: dict[str, Any]) -> str | None:
    """The sentence saying that the weekly series leave the bot accounts' messages out (:func:`bots_left_out` of
    :func:`chrysalide.store.bots.bot_counts`); None without bots. The dashboard's alerts page says it too."""
    return bots_left_out(counts, "The weekly series", "a bot's scheduled posts would make or mask a burst")


def section_alerts(ctx: Context) -> Section:
    """Weekly volume (line), bursts (shaded), the alert table and consent-gated sample messages."""
    s = Section("alerts", "Alerts timeline")
    run_id = ctx.latest("alerts")
    if run_id is None:
        s.missing = "Crisis alerts are not computed yet: run `chrysalide alerts`."
        return s
    s.runs = [ctx.run_label(run_id)]
    weekly = weekly_volume(ctx.con)
    found = ctx.df("SELECT * FROM alerts WHERE run_id = ? ORDER BY weight DESC, alert_id", [run_id])
    if weekly.empty:
        s.missing = "No dated messages: nothing to plot."
        return s
    line = (
        base(weekly, height=220)
        .mark_line(color="#333", strokeWidth=1.2)
        .encode(
            x=alt.X("week:T", title=None, axis=time_axis(weekly["week"])),
            y=alt.Y("messages:Q", title="messages per week"),
        )
    )
    layers: Any = line
    if len(found):
        spans = found.assign(series=found["kind"] + ": " + found["target"].astype(str))
        spans = spans[["series", "start_at", "end_at"]]
        shade = base(spans, height=220).mark_rect(opacity=0.25).encode(
            x="start_at:T", x2="end_at:T",
            color=alt.Color("series:N", title="burst in", scale=alt.Scale(scheme="set2")),
        )  # fmt: skip
        layers = alt.layer(shade, line)
    s.figures.append(ctx.figure(configure(layers), "Weekly messages (bot accounts' apart); shaded: weeks in a burst "
                                "state of the Kleinberg model (volume, watched terms or stage shares)."))  # fmt: skip
    bots = bots_apart(bot_counts(ctx.store))
    if bots:
        s.paragraphs.append(bots)
    s.paragraphs += watch_paragraphs(watch_counts(ctx.con, run_id) or {})
    s.facts = [("alerts", f"{len(found):,}")] + [
        (f"{kind} alerts", f"{n:,}") for kind, n in found["kind"].value_counts().sort_index().items()
    ]
    if found.empty:
        s.paragraphs.append("No burst was found: weekly volumes stay close to their baseline.")
        return s
    long = found[level_changes(found, len(weekly))]
    for share in (False, True):
        some = long[(long["kind"] != "volume") == share]
        if len(some):
            s.paragraphs.append(_level_paragraph(some, len(weekly), share=share))
    voices, threads = one_voice_alerts(ctx.con, run_id), few_threads_alerts(ctx.con, run_id)
    read = readings(found, len(weekly), edge_alerts(ctx.con, run_id), voices, threads)
    edge = found[read == COLLECTION_READING]
    if len(edge):
        s.paragraphs.append(_edge_paragraph(edge))
    voiced = found[read == ONE_VOICE_READING]
    if len(voiced):
        s.paragraphs.append(_voice_paragraph(voiced, voices))
    few = found[read == FEW_THREADS_READING]
    if len(few):
        s.paragraphs.append(_few_paragraph(few, threads))
    if caveat := volume_caveat(undeclared_of(ctx.con, run_id), set(found["kind"])):
        s.paragraphs.append(sentence(caveat))
    s.tables.append(Table(
        ["kind", "series", "start", "peak week", "end", "weeks", "observed", "expected", "x baseline", "top terms"],
        [[r.kind, str(r.target), str(r.start_at)[:10], str(r.peak_at)[:10], str(r.end_at)[:10], int(r.weeks),
          int(r.observed), float(r.expected), float(r.magnitude), ", ".join(ctx.shown_terms(list(map(str, r.top_terms)))[:TOP_TERMS])]
         for r in each_row(found)], "Alerts, heaviest first"))  # fmt: skip
    for r in each_row(found.head(SAMPLE_ALERTS)):
        ids = [int(m) for m in list(r.sample_message_ids)[:SAMPLES_PER_ALERT]]
        if not ids:
            continue
        rows = ctx.df(f"SELECT message_id, member_id, posted_at, text, {author_status_sql()} AS author_status"
                      " FROM messages m WHERE message_id IN (SELECT unnest(?::BIGINT[])) ORDER BY posted_at, message_id",
                      [ids])  # fmt: skip
        for m in each_row(rows):
            member = None if pd.isna(m.member_id) else int(m.member_id)
            q = ctx.quote(member, m.text, f"{r.kind} alert on {r.target}, week of {str(r.peak_at)[:10]}, "
                          f"{ctx.label(member, m.author_status)}")  # fmt: skip
            if q is not None:
                s.quotes.append(q)
    return s
