"""Crisis alerts: Kleinberg bursts in weekly message volume, watch terms and stage shares.

Weeks start on Monday (ISO weeks, DuckDB ``date_trunc('week', ...)``); weeks without messages count
as zero. Every series counts members' messages: bot accounts' are left out (:func:`chrysalide.store.bots.not_bot`),
so that a bot's weekly thread or its stock reply neither makes nor masks a burst. Each burst becomes an alert with its start, peak and end weeks, observed vs expected counts,
the characteristic terms of the burst (documents inside vs outside ranked by log-likelihood G2, Dunning 1993, the
keyness statistic of Rayson & Garside 2000, among terms of at least 5 of its messages at p < 0.001) and a few sample message ids from the peak week, among the
messages that hold words of their author (not a '[removed]' body), each member's first before anyone's second.
The run's summary names the bursts one member wrote most of (``one_voice``) and those resting on a few threads
(``few_threads``), which the report reads as no event of the forum, and the sources that look like a selection of
threads not declared at import (``undeclared_selections``, :mod:`chrysalide.ingest.sampled`), whose weekly volume
counts the threads the export took.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.community.bursts import GAMMA_MAX, S_MAX, BurstDetector, level_change
from chrysalide.errors import ConfigError
from chrysalide.ingest.sampled import undeclared_selections
from chrysalide.lexical.keyness import g2_2x2
from chrysalide.lexical.writers import ONE_VOICE
from chrysalide.privacy.pseudonyms import PSEUDONYM
from chrysalide.store import Store
from chrysalide.store.bots import not_bot
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step

STAGES = ("individual", "community", "collaborative", "societal")
INSIDE_SAMPLE, OUTSIDE_SAMPLE = 5000, 20000
# Kleinberg's gamma = 1 flags isolated one-week outliers (about one per 4 quiet binomial series of
# 120 weeks in our simulations); gamma = 2 flagged none in 200 while keeping multi-week crises.
GAMMA = 2.0
# A top term is in at least MIN_MESSAGES of the burst's messages and over-represented there at G2 >= 10.83 (p < 0.001,
# 1 df): ranked by log-ratio without a floor, words of 3 or 4 posts, all inside the burst, came first (Doctissimo's
# IVG burst: 'rebelote', 'dela', 'lemonde').
MIN_MESSAGES, MIN_G2 = 5, 10.83
KEPT_TERMS, KEPT_SAMPLES = 10, 5  # the top terms and sample messages an alert keeps


#: Whether a message holds a watch term (``{0}``: the term's parameter), over the messages joined to
#: ``chrys_alert_codes c`` (:func:`_message_context`): a substring of the message's text or, for a message that opens
#: its thread, of the thread's title (as the coders read a thread start, store macro ``coded_text``: a Reddit
#: submission's text already opens with it, a patient.info or phpBB thread's title is kept apart), both lower-cased
#: (Unicode: 'LEVOTHYROX' matches 'levothyrox'), accents kept ('levothyrox' does not match 'lévothyrox'). The text
#: is the member's own: what an import set apart as quoted (``quoted_text``: phpBB's [quote] blocks, the inline
#: quotes of a scraped forum) is not searched; a Markdown quote ('> ...') left in a Reddit comment's text is.
TERM_MATCH = "(contains(lower(m.text), lower({0})) OR contains(lower(coalesce(c.title, '')), lower({0})))"


def _message_context(store: Store) -> None:
    """The temporary table ``chrys_alert_codes`` the series and the alerts' terms, samples and writers read: each
    message's current primary code (NULL while uncoded) and, for a message that opens its thread (view
    ``thread_order``), the thread's title (its own, else the thread's), which :data:`TERM_MATCH` searches. The
    current-code view ranks every code of every message: evaluated once, not once per burst."""
    store.con.execute(
        """
        CREATE OR REPLACE TEMP TABLE chrys_alert_codes AS
        SELECT m.message_id, c.primary_code, CASE WHEN o.opens_thread THEN coalesce(m.title, t.title) END AS title
        FROM messages m LEFT JOIN current_codes c USING (message_id) LEFT JOIN thread_order o USING (message_id)
        LEFT JOIN threads t ON t.thread_id = m.thread_id
        """
    )


#: A burst whose messages could lie in fewer than ``FEW_THREADS`` threads, or more than ``ONE_THREAD`` of whose
#: messages one thread holds, rests on a few conversations (docs/community.md, "Crisis alerts"): a thread's messages
#: answer one another, so a few conversations on one topic make a burst of it that the weekly series cannot tell from
#: the forum's. 20: as many threads as a source needs for its sizes to tell a cut (``ingest.sampled``), and members
#: as the I-to-we trend needs to be told from chance (``journeys.members.TREND_MIN_TESTED``); a third: the share that
#: makes a burst one member's voice (``lexical.writers.ONE_VOICE``).
FEW_THREADS, ONE_THREAD = 20, 1 / 3


def weekly_series(store: Store, watch: Sequence[str], stages: Sequence[str]) -> pd.DataFrame:
    """Per week (all weeks between the first and last message): messages, coded, watch and stage counts, bot
    accounts' messages left out. A watch term's count (``term_<i>``) is of the messages holding it
    (:data:`TERM_MATCH`)."""
    _message_context(store)
    term_cols = ", ".join(f"count(*) FILTER ({TERM_MATCH.format(f'${i + 1}')}) AS term_{i}" for i in range(len(watch)))
    stage_cols = ", ".join(
        f"count(*) FILTER (c.primary_code = ${len(watch) + i + 1}) AS stage_{i}" for i in range(len(stages))
    )
    extra = ", ".join(c for c in (term_cols, stage_cols) if c)
    counts = store.con.execute(
        f"""
        SELECT date_trunc('week', m.posted_at)::DATE AS week, count(*) AS messages, count(c.primary_code) AS coded
               {", " + extra if extra else ""}
        FROM messages m JOIN chrys_alert_codes c USING (message_id)
        WHERE m.posted_at IS NOT NULL AND {not_bot()} GROUP BY 1 ORDER BY 1
        """,
        [*watch, *stages],
    ).df()
    return every_week(counts)


def watch_messages(weekly: pd.DataFrame, watch: Sequence[str]) -> dict[str, int]:
    """How many messages hold each watch term, over the weekly series (:func:`weekly_series`: members' dated
    messages, bot accounts' apart): a term no message holds cannot burst, and a 0 says so where no alert would."""
    if weekly.empty:
        return dict.fromkeys(watch, 0)
    return {term: int(weekly[f"term_{i}"].sum()) for i, term in enumerate(watch)}


def weekly_volume(con: Any) -> pd.DataFrame:
    """Members' dated messages per week (``week``, ``messages``): the volume series of :func:`weekly_series`, bot
    accounts' messages left out, which the report and the dashboard draw. ``con``: a connection or a cursor."""
    counts = con.execute(
        "SELECT date_trunc('week', m.posted_at)::DATE AS week, count(*) AS messages FROM messages m"
        f" WHERE m.posted_at IS NOT NULL AND {not_bot()} GROUP BY 1 ORDER BY 1"
    ).df()
    return every_week(counts)


def every_week(counts: pd.DataFrame) -> pd.DataFrame:
    """Weekly counts (column ``week``, Mondays) with the weeks between the first and last one that have none, as 0."""
    if counts.empty:
        return counts
    counts["week"] = pd.to_datetime(counts["week"])
    weeks = pd.date_range(counts["week"].min(), counts["week"].max(), freq="7D")
    return counts.set_index("week").reindex(weeks, fill_value=0).rename_axis("week").reset_index()


# Raw text of a message the text step has not processed: what it would make a placeholder (pseudonyms, mentions,
# links, e-mail addresses) goes before the words are read, so no pseudonym fragment becomes a term.
_NOT_WORDS = rf"(https?://|www\.)\S+|\S+@\S+|/?\bu/[\w-]+|@\w[\w-]*|\b{PSEUDONYM}\b"


def _top_terms(store: Store, cond: str, args: list[Any], start: pd.Timestamp, end: pd.Timestamp, n: int) -> list[str]:
    """Terms (3+ letters) most over-represented in the burst's matching messages vs outside the burst (members'
    messages: bot accounts' apart, as in the series).

    A message's terms are those of the text layer (``segments.terms``: full-word lemmas of the member's own
    prose, pseudonyms and other placeholders never among them); a message the text step has not processed
    gives the words of its text once pseudonyms, mentions, links and e-mail addresses are taken out.
    """
    rows = store.con.execute(
        f"""
        WITH tagged AS (
            SELECT m.message_id, m.text, date_trunc('week', m.posted_at)::DATE BETWEEN $1 AND $2 AS in_weeks,
                   ({cond}) AS hit
            FROM messages m LEFT JOIN chrys_alert_codes c USING (message_id)
            WHERE m.posted_at IS NOT NULL AND {not_bot()}),
        sample AS (
            (SELECT message_id, text, true AS inside FROM tagged WHERE in_weeks AND hit
             ORDER BY hash(message_id) LIMIT {INSIDE_SAMPLE})
            UNION ALL
            (SELECT message_id, text, false AS inside FROM tagged WHERE NOT in_weeks
             ORDER BY hash(message_id) LIMIT {OUTSIDE_SAMPLE})),
        layer AS (
            SELECT g.message_id, string_split_regex(string_agg(g.terms, ' '), '\\s+') AS words
            FROM segments g SEMI JOIN sample USING (message_id) GROUP BY 1),
        words AS (
            SELECT s.message_id, s.inside,
                   CASE WHEN f.message_id IS NOT NULL THEN coalesce(l.words, [])
                        ELSE regexp_extract_all(lower(regexp_replace(left(s.text, 20000), '{_NOT_WORDS}', ' ', 'g')),
                                                '\\p{{L}}{{3,}}') END AS words
            FROM sample s LEFT JOIN text_features f USING (message_id) LEFT JOIN layer l USING (message_id)),
        terms AS (SELECT inside, unnest(list_distinct(words)) AS term FROM words)
        SELECT term, count(*) FILTER (inside) AS df_in, count(*) FILTER (NOT inside) AS df_out,
               (SELECT count(*) FILTER (inside) FROM sample) AS n_in, (SELECT count(*) FILTER (NOT inside) FROM sample) AS n_out
        FROM terms WHERE length(term) >= 3 GROUP BY term HAVING count(*) FILTER (inside) >= {MIN_MESSAGES}
        """,
        [start.date(), end.date(), *args],
    ).df()
    if rows.empty:
        return []
    a, b = rows["df_in"].to_numpy(), rows["df_out"].to_numpy()
    g2 = g2_2x2(a, b, rows["n_in"].to_numpy() - a, rows["n_out"].to_numpy() - b)
    rows = rows.assign(g2=g2)[g2 >= MIN_G2].sort_values(["g2", "term"], ascending=[False, True])
    return rows["term"].head(n).tolist()


def _top_writer_share(store: Store, cond: str, args: list[Any], start: pd.Timestamp, end: pd.Timestamp) -> float:
    """The share of a burst's matching messages (members', bot accounts' apart) that its most prolific member wrote;
    a message without a member counts in the whole, as no one's (the lexical classes' rule, ``lexical.writers``)."""
    row = store.con.execute(
        f"""
        WITH per AS (
            SELECT m.member_id, count(*) AS n FROM messages m LEFT JOIN chrys_alert_codes c USING (message_id)
            WHERE date_trunc('week', m.posted_at)::DATE BETWEEN $1 AND $2 AND ({cond}) AND {not_bot()}
            GROUP BY ALL)
        SELECT coalesce(max(n) FILTER (WHERE member_id IS NOT NULL), 0) / sum(n) FROM per
        """,
        [start.date(), end.date(), *args],
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def _threads(store: Store, cond: str, args: list[Any], start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
    """The threads of a burst's matching messages (members', bot accounts' apart): ``threads``, how many the sources
    name; ``unthreaded``, the messages of tables without thread ids (view ``unthreaded_sources``: each stored as a
    thread of its own, its conversation unknown); ``top_thread_share``, the share of the messages the largest named
    thread holds."""
    row = store.con.execute(
        f"""
        WITH per AS (
            SELECT m.thread_id, m.source_id IN (SELECT source_id FROM unthreaded_sources) AS unnamed, count(*) AS n
            FROM messages m LEFT JOIN chrys_alert_codes c USING (message_id)
            WHERE date_trunc('week', m.posted_at)::DATE BETWEEN $1 AND $2 AND ({cond}) AND {not_bot()}
            GROUP BY ALL)
        SELECT count(*) FILTER (NOT unnamed), coalesce(sum(n) FILTER (unnamed), 0),
               coalesce(max(n) FILTER (NOT unnamed), 0) / sum(n)
        FROM per
        """,
        [start.date(), end.date(), *args],
    ).fetchone()
    threads, unthreaded, top = row or (0, 0, None)
    return {"threads": int(threads), "unthreaded": int(unthreaded), "top_thread_share": float(top or 0.0)}


def few_threads(found: dict[str, Any]) -> bool:
    """Whether a burst's threads (:func:`_threads`) could be fewer than :data:`FEW_THREADS` (its named threads, and
    one more when some of its messages are in a table without thread ids, whose conversations cannot be counted), or
    one thread holds more than :data:`ONE_THREAD` of its messages."""
    fewest = int(found["threads"]) + min(int(found["unthreaded"]), 1)
    return fewest < FEW_THREADS or float(found["top_thread_share"]) > ONE_THREAD


def _samples(store: Store, cond: str, args: list[Any], week: pd.Timestamp, n: int) -> list[int]:
    """``n`` messages of the peak week that hold words of their author (not a body the text step left out whole:
    ``[removed]``, ``[deleted]``, a bot's template, a quote only: :mod:`chrysalide.text.prose`): each member's first
    before anyone's second, so that one member's run of messages (a text posted in two threads) does not fill
    the samples; a member's messages in their order (view ``member_order``), a message without a member counts as
    its own writer's."""
    rows = store.con.execute(
        f"""
        SELECT m.message_id FROM messages m LEFT JOIN chrys_alert_codes c USING (message_id)
        LEFT JOIN member_order o USING (message_id)
        WHERE date_trunc('week', m.posted_at)::DATE = $1 AND ({cond}) AND {not_bot()}
            AND m.message_id NOT IN (SELECT message_id FROM text_features WHERE left_out IS NOT NULL)
        ORDER BY row_number() OVER (PARTITION BY coalesce(m.member_id, m.message_id) ORDER BY o.member_pos),
            m.posted_at, m.message_id
        LIMIT {int(n)}
        """,
        [week.date(), *args],
    ).fetchall()
    return [int(r[0]) for r in rows]


def detect(
    store: Store, *, watch: Sequence[str] = (), stages: Sequence[str] = STAGES, s: float = 2.0, gamma: float = GAMMA,
    max_alerts: int = 10, top_terms: int = KEPT_TERMS, samples: int = KEPT_SAMPLES,
) -> pd.DataFrame:  # fmt: skip
    """Alerts (one row per burst, at most ``max_alerts`` heaviest per series) without writing them; ``threads``: the
    threads of each burst's messages (:func:`_threads`)."""
    return _detect(store, weekly_series(store, watch, stages), watch=watch, stages=stages, s=s, gamma=gamma,
                   max_alerts=max_alerts, top_terms=top_terms, samples=samples)  # fmt: skip


def _detect(
    store: Store, weekly: pd.DataFrame, *, watch: Sequence[str], stages: Sequence[str], s: float, gamma: float,
    max_alerts: int, top_terms: int, samples: int,
) -> pd.DataFrame:  # fmt: skip
    """:func:`detect` over the ``weekly`` series already read (and ``chrys_alert_codes`` with them)."""
    columns = ["kind", "target", "method", "start_at", "peak_at", "end_at", "weeks", "observed", "expected",
               "magnitude", "weight", "top_terms", "sample_message_ids", "collection_edge", "top_writer_share",
               "threads"]  # fmt: skip
    if weekly.empty:
        return pd.DataFrame(columns=columns)
    series: list[tuple[str, str, str, np.ndarray, np.ndarray | None, str, list[Any]]] = [
        ("volume", "messages", "poisson", weekly["messages"].to_numpy(), None, "true", [])
    ]
    series += [("term", t, "binomial", weekly[f"term_{i}"].to_numpy(), weekly["messages"].to_numpy(),
                TERM_MATCH.format("$3"), [t]) for i, t in enumerate(watch)]  # fmt: skip
    if weekly["coded"].sum() > 0:
        series += [("stage", code, "binomial", weekly[f"stage_{i}"].to_numpy(), weekly["coded"].to_numpy(),
                    "c.primary_code = $3", [code]) for i, code in enumerate(stages)]  # fmt: skip
    rows = []
    for kind, target, model, r, d, cond, args in series:
        found = BurstDetector(s=s, gamma=gamma, model=model).fit(r, d).bursts_
        for burst in sorted(found, key=lambda b: -b.weight)[:max_alerts]:
            start, peak = weekly["week"][burst.start], weekly["week"][burst.peak]
            end = weekly["week"][burst.end]
            # Conditions are written for _top_terms' parameters ($1, $2 = weeks); _samples has one week.
            rows.append({
                "kind": kind, "target": target, "method": f"kleinberg-{model}", "start_at": start.date(),
                "peak_at": peak.date(), "end_at": (end + pd.Timedelta(days=6)).date(),
                "weeks": burst.end - burst.start + 1, "observed": int(burst.observed), "expected": burst.expected,
                "magnitude": burst.observed / burst.expected if burst.expected > 0 else float("inf"),
                "weight": burst.weight,
                "top_terms": _top_terms(store, cond, args, start, end, top_terms),
                "sample_message_ids": _samples(store, cond.replace("$3", "$2"), args, peak, samples),
                "top_writer_share": _top_writer_share(store, cond, args, start, end),
                "threads": _threads(store, cond, args, start, end),
            })  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["collection_edge"] = collection_edges(store.con, frame).to_numpy()
    return frame


def edge_days(con: Any) -> pd.DataFrame:
    """The days on which what was collected changes (``day``, ``side``: ``'start'`` when more was collected from that
    day on, ``'end'`` when less was after it): the first and last day of each source's members' dated messages, the
    start of each member's record (view ``member_arrivals``: ``members.meta.record_start``, a Reddit thread file's
    start beside its members' histories, or the start of a board collected apart, migration 0029), and the first and
    last day of each stretch of days whose replies were collected between days whose were not (view
    ``reply_collection``, per source; days without a reply on them or the next are no evidence and are passed over). A start in the first week of the series (members' dated messages, bot
    accounts' left out) or an end in its last is no edge: there is nothing before it (after it) to change from.
    ``con``: a connection or a cursor."""
    return con.execute(
        f"""
        WITH dated AS (
            SELECT m.source_id, m.posted_at::DATE AS day FROM messages m WHERE m.posted_at IS NOT NULL AND {not_bot()}),
        span AS (SELECT date_trunc('week', min(day)) AS first_week, date_trunc('week', max(day)) AS last_week FROM dated),
        evidence AS (
            SELECT day, replies_collected AS collected, lag(replies_collected) OVER w AS before,
                   lead(replies_collected) OVER w AS after
            FROM reply_collection WHERE answers + parents_missing > 0
            WINDOW w AS (PARTITION BY source_id ORDER BY day)),
        edges AS (
            SELECT min(day) AS day, 'start' AS side FROM dated GROUP BY source_id
            UNION ALL SELECT max(day), 'end' FROM dated GROUP BY source_id
            UNION ALL SELECT record_start::DATE, 'start' FROM member_arrivals WHERE record_start IS NOT NULL
            UNION ALL SELECT day, 'start' FROM evidence WHERE collected AND NOT coalesce(before, true)
            UNION ALL SELECT day, 'end' FROM evidence WHERE collected AND NOT coalesce(after, true))
        SELECT DISTINCT e.day, e.side FROM edges e, span
        WHERE (e.side = 'start' AND date_trunc('week', e.day) > span.first_week)
           OR (e.side = 'end' AND date_trunc('week', e.day) < span.last_week)
        ORDER BY e.day, e.side
        """
    ).df()


def collection_edges(con: Any, found: pd.DataFrame) -> pd.Series:
    """Which bursts of ``found`` (``start_at``, ``end_at``, maybe ``kind``) begin or end at an edge of the collected conversations
    (:func:`edge_days`): a change in what was collected, not in the forum. A burst is at an edge when its first week
    or its last week shares a day with the edge's first 7 days of a start (the day and the 6 after it) or the last 7
    of an end (the day and the 6 before it), whichever side of the burst it is on: a second source starting makes a
    burst that begins there and, when the series ends soon after, one that ends there. r/covidlonghaulers' histories
    hold the members' own comments for years and whole conversations over the 8 days of its scraped threads, which
    begin on Sunday 2026-03-29: the volume burst of 2025-12-01 to 2026-04-05 ends in their first full week (imported
    with ``--boards covidlonghaulers``); imported whole, the collaborative burst of the week of 2026-03-30 begins there.

    Where every source is declared a selection of threads (``--sampled-threads``, view ``sampled_sources``), every
    burst of volume is one too: the weekly volume counts the threads the export took (r/mentalhealth's comment
    table, 10 comments of each of 1,000 posts, whose heaviest short burst of volume was 68 posts' comments).
    """
    if found.empty:
        return pd.Series(dtype=bool, index=found.index)
    edges = edge_days(con)
    days = pd.to_datetime(edges["day"]).to_numpy()
    # The first day of the edge's 7: the day of a start, 6 days before that of an end.
    windows = np.where(edges["side"] == "start", days, days - np.timedelta64(6, "D"))
    week = np.timedelta64(6, "D")

    def near(first_day: Any) -> bool:  # the week from first_day shares a day with an edge's 7
        return bool((np.abs(windows - np.datetime64(pd.Timestamp(first_day))) <= week).any())

    last_week = pd.to_datetime(found["end_at"]) - pd.Timedelta(days=6)
    edge = pd.Series([near(s) or near(e) for s, e in zip(found["start_at"], last_week, strict=True)],
                     index=found.index, dtype=bool)  # fmt: skip
    if "kind" in found and _every_source_sampled(con):
        edge |= found["kind"] == "volume"
    return edge


def _every_source_sampled(con: Any) -> bool:
    """Whether every source that holds messages is declared a selection of threads (view ``sampled_sources``)."""
    row = con.execute(
        "SELECT bool_and(source_id IN (SELECT source_id FROM sampled_sources)) FROM (SELECT DISTINCT source_id FROM"
        " messages)"
    ).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class AlertsParams(Params):
    """``watch``: terms whose weekly share is watched; ``stages``: stage codes whose share is watched; ``s`` and
    ``gamma`` of Kleinberg's automaton; ``max_alerts``: heaviest bursts kept per series."""

    watch: tuple[str, ...] = ()
    stages: tuple[str, ...] = STAGES
    s: float = 2.0
    gamma: float = GAMMA
    max_alerts: int = 10

    def __post_init__(self) -> None:
        # Terms are stripped, empty ones dropped, repeats kept once (case as typed; matching ignores case).
        object.__setattr__(self, "watch", tuple(w for w in dict.fromkeys(t.strip() for t in self.watch) if w))
        object.__setattr__(self, "stages", tuple(self.stages))
        # Written so that nan, for which every comparison is false, is refused too.
        if not (1 < self.s <= S_MAX and 0 <= self.gamma <= GAMMA_MAX) or self.max_alerts < 1:
            raise ConfigError(
                f"--s must be above 1 and at most {S_MAX:,.0f}, --gamma from 0 to {GAMMA_MAX:,.0f} and --max-alerts"
                f" at least 1 (got {self.s}, {self.gamma} and {self.max_alerts})"
            )


class AlertsStep(Step[AlertsParams]):
    """Bursts in weekly volume, watch terms and stage shares (table ``alerts``)."""

    name = "alerts"
    # /1: bot accounts' messages apart; /2: no sample is a body left out whole ('[removed]'); /3: each member's
    # first sample before anyone's second; /4: top terms by G2 with a floor, the alerts at an edge of the collected
    # conversations named in the summary; /5: bot accounts also those that post one long template (migration 0024);
    # an edge is also where a source or a member's record starts or a source ends, and a burst is at one whichever of
    # its ends meets it; /6: a member's record starts with their first message's board's where the boards were
    # collected apart (migration 0029), so such a board's start is an edge; /7: the alerts one member wrote most of
    # named in the summary (``one_voice``); /8: every burst of volume is one of what was collected where every
    # source is declared a selection of threads; /9: a watch term is searched in the title of a thread's opening
    # message too (TERM_MATCH), and the summary says how many messages hold each (``watch_messages``); /10: the
    # alerts resting on a few threads named in the summary (``few_threads``), and the sources that look like a
    # selection not declared (``undeclared_selections``); /11: a member's first sample of a week is their first in
    # the view ``member_order`` (date, then file order, then ids; by date and our id before, migration 0037). Older
    # runs are not reused.
    version = "members-weekly/11"
    reads = (
        "messages",
        "member_order",
        "current_codes",
        "text_features",
        "segments",
        "reply_collection",
        "member_arrivals",
        "sampled_sources",
        "unthreaded_sources",
    )
    after = ("text", "coding")
    writes = ("alerts",)

    def __init__(self, params: AlertsParams) -> None:
        self.params = params

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        p = self.params
        weekly = weekly_series(store, p.watch, p.stages)
        found = _detect(store, weekly, watch=p.watch, stages=p.stages, s=p.s, gamma=p.gamma, max_alerts=p.max_alerts,
                        top_terms=KEPT_TERMS, samples=KEPT_SAMPLES)  # fmt: skip
        found.insert(0, "alert_id", np.arange(1, len(found) + 1, dtype="int64"))
        # The alerts table has no column for it: the run's summary names the alerts at an edge of the collection.
        edge = found.pop("collection_edge").astype(bool)
        top = found.pop("top_writer_share").astype(float)
        threads = found.pop("threads")
        run.summary.update({"alerts": len(found), "by_kind": found["kind"].value_counts().to_dict(),
                            "watch": list(p.watch), "watch_messages": watch_messages(weekly, p.watch),
                            "collection_edge": [int(i) for i in found["alert_id"][edge]],
                            "one_voice": {str(i): round(float(t), 4) for i, t in zip(found["alert_id"], top,
                                                                                  strict=True) if t > ONE_VOICE}})  # fmt: skip
        run.summary["few_threads"] = {
            str(i): {**t, "top_thread_share": round(t["top_thread_share"], 4)}
            for i, t in zip(found["alert_id"], threads, strict=True)
            if few_threads(t)
        }
        run.summary["undeclared_selections"] = undeclared_selections(store.con)
        yield "alerts", found


def alerts(store: Store, params: AlertsParams | None = None, *, force: bool = False, **options: Any) -> StepResult:
    """Detect and store the bursts (``options``: :class:`AlertsParams` fields)."""
    return run_step(store, AlertsStep(Params.build(AlertsParams, params, options)), force=force)


def stored_alerts(store: Store, run_id: int) -> list[dict[str, Any]]:
    """The alerts of a run, oldest id first, as records, with ``level_change`` (it lasts more than
    :data:`~chrysalide.community.bursts.LEVEL_WEEKS` weeks or more than half the weeks of the series: a change of
    level rather than a crisis, :func:`~chrysalide.community.bursts.level_change`, as the report and the dashboard
    read it), ``collection_edge`` (:func:`edge_alerts`), ``one_voice``, the share of its messages its most
    prolific member wrote where above ``ONE_VOICE``, else None (:func:`one_voice_alerts`), and ``few_threads``, its
    threads where they are few, else None (:func:`few_threads_alerts`)."""
    cursor = store.con.execute("SELECT * EXCLUDE (run_id) FROM alerts WHERE run_id = ? ORDER BY alert_id", [run_id])
    names = [d[0] for d in cursor.description]
    records = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    edges, voices = edge_alerts(store.con, run_id), one_voice_alerts(store.con, run_id)
    span = len(weekly_volume(store.con)) if records else 0  # the series' weeks, as the report counts them
    few = few_threads_alerts(store.con, run_id)
    return [{**r, "level_change": level_change(int(r["weeks"]), span), "collection_edge": r["alert_id"] in edges,
             "one_voice": voices.get(int(r["alert_id"])), "few_threads": few.get(int(r["alert_id"]))}
            for r in records]  # fmt: skip


def edge_alerts(con: Any, run_id: int) -> set[int]:
    """Ids of the alerts of a run that begin or end at an edge of the collected conversations
    (:func:`collection_edges`), as the run's summary keeps them; none in a run made before ``members-weekly/4``,
    those of the rule of before in one made before ``members-weekly/5``.
    ``con``: a connection or a cursor."""
    return {int(i) for i in _summary(con, run_id).get("collection_edge", [])}


def one_voice_alerts(con: Any, run_id: int) -> dict[int, float]:
    """The alerts of a run more than ``lexical.writers.ONE_VOICE`` of whose messages one member wrote, with that
    share, as the run's summary keeps them (a member's spell of posting, not the community's: on the
    r/covidlonghaulers histories one member wrote 27-55% of the flagged weeks' messages); none in a run made before
    ``members-weekly/7``. ``con``: a connection or a cursor."""
    return {int(i): float(share) for i, share in _summary(con, run_id).get("one_voice", {}).items()}


def few_threads_alerts(con: Any, run_id: int) -> dict[int, dict[str, Any]]:
    """The alerts of a run that rest on a few threads (:func:`few_threads`), with their threads (``threads``,
    ``unthreaded``, ``top_thread_share``: :func:`_threads`), as the run's summary keeps them; none in a run made
    before ``members-weekly/10``. ``con``: a connection or a cursor."""
    return {int(i): dict(t) for i, t in _summary(con, run_id).get("few_threads", {}).items()}


def watch_counts(con: Any, run_id: int) -> dict[str, int] | None:
    """How many messages hold each watch term of a run (:func:`watch_messages`: members' dated messages, bot accounts'
    apart), in the order the terms were given, as the run's summary keeps them (the command line reads the summary of
    the run it made): the report and the dashboard read them here. None for a run made before ``members-weekly/9``, which did not count them.
    ``con``: a connection or a cursor."""
    counts = _summary(con, run_id).get("watch_messages")
    return None if counts is None else {str(term): int(n) for term, n in counts.items()}


def undeclared_of(con: Any, run_id: int) -> dict[str, Any]:
    """The sources that look like a selection of threads not declared at import when a run was made
    (:func:`chrysalide.ingest.sampled.undeclared_selections`), as its summary keeps them; none in a run made before
    ``members-weekly/10``. ``con``: a connection or a cursor."""
    return dict(_summary(con, run_id).get("undeclared_selections", {}))


def _summary(con: Any, run_id: int) -> dict[str, Any]:
    """A run's summary through a connection or a cursor (the dashboard reads with a cursor, not a Store)."""
    row = con.execute("SELECT summary FROM runs WHERE run_id = ?", [run_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else {}
