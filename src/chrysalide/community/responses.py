"""Newcomer response: whether and how fast newcomers' first messages and threads get a first answer.

Definitions (store views, docs/community.md):
- the *first answer* to a message (view ``first_answers``) is a direct reply by someone else: its first child
  in the reply tree where the source has a tree (Reddit, patient.info), otherwise the first later message of
  its thread written by someone else (flat forums); in a source of comments without parents (a Reddit export that
  gives each comment only its submission) every comment is a child of the submission, so a thread start's
  answer is the first comment by someone else and a comment's answer is not recorded;
- a *newcomer* (view ``newcomers``, migration 0023) is a member whose arrival the record shows: registered on or
  after the start of the record that could hold their earlier messages (their source's first message, or a later
  ``members.record_start`` the importer knows), or, without such a date, whose first message comes at least
  ``burn_in_days()`` (90) after it; the others first seen within that burn-in may be old members whose earlier
  messages the record lacks (left truncation: one scraped week of a subreddit), and are counted apart
  (:func:`arrivals`), as are the members first seen in a source declared a selection of threads at import
  (``--sampled-threads``, migration 0031), whose first message there need not be their first; a *request* (its
  ``request``, migration 0022) is a newcomer's first message that opens a thread (view ``thread_order``,
  ``opens_thread``: the first of its thread and not itself a reply) and whose current primary code is
  ``individual`` (the author's own problem, asking help for themselves; unknown, NULL, in a table without thread
  ids, whose export names no thread: migration 0025, ``newcomers_thread_unknown``), the study's "requests for information
  ... usually answered in less than 3 hours" (Fayn et al. 2021); a thread-opening first message coded otherwise
  (an article, a news link, a meme) is no request, and one not coded yet is none either, counted apart
  (``openers_uncoded``) and said; nor is one whose body holds no word of its author (``first_unreadable``, view
  ``unreadable_messages``: a removed or deleted post), which is not an opener that does not ask either: whether it
  asks cannot be read (``openers_unreadable``); a thread's figures are those of its opening message, whatever it says, so a
  thread whose first stored message replies to a message the source lacks has none;
- shares count only what could have been answered: messages of a source that records replies (a flat source:
  some thread of it has a second message; exports of first posts only record none; a tree source: some message
  keeps its parent; comment exports whose every parent, the submission, is missing record none; comments
  without parents record their submission's answers, not their own), posted within
  the period over which the source's replies were collected (view ``reply_collection``: not on a day whose
  replies, with the next day's, mostly name a parent the source lacks, as members' histories collected without
  the conversations around them do), and, for "within 3 hours", sources that date messages to the minute (a
  source that dates by day only cannot tell 1 hour from 20);
- a thread start whose source declares how many replies its thread had (view ``declared_replies``: Reddit's
  ``num_comments``, :data:`chrysalide.ingest.records.REPLIES_AT_SOURCE`) and that has no stored answer was
  answered when the store lacks some of the replies counted (answered by replies that were not collected), and
  not answered when the store holds them all (none, or only the author's own and bots'); it counts in the
  answered shares wherever it was posted (``by_reply_count``: outside the period its replies were collected too,
  but its delays are unknown there);
- delays (``first_reply_hours``, ``within_3h``) are measured only where replies were collected: a message
  judged by its declared count, and any message outside that period, has none;
- the delay of an answer is unknown when the message or its answer was dated by a reply at import, its source
  date being later than a reply to it (``meta.posted_at_source``, :data:`chrysalide.ingest.records.POSTED_AT_SOURCE`):
  the date is only the latest it can have been posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from pandas.api.typing import DataFrameGroupBy

from chrysalide.coding.codebook import CODES
from chrysalide.coding.shares import shares_by
from chrysalide.ingest.records import POSTED_AT_SOURCE
from chrysalide.store import Store
from chrysalide.store.bots import Connected, not_bot
from chrysalide.units import counted, duration

PERIOD_UNITS = {"week": "week", "month": "month", "year": "year"}
#: The counts of :func:`period_metrics` (0 in a period without any): newcomers, requests and threads, those
#: answered (within 3 hours) and how many of them could be seen answered or not (``*_known``, the counts the
#: corpus's shares rest on: :func:`outcomes`).
PERIOD_COUNTS = (
    "new_members", "newcomers_answered", "newcomers_answered_known", "newcomers_answered_within_3h",
    "newcomers_within_3h_known", "requests", "requests_answered", "requests_answered_known",
    "requests_answered_within_3h", "requests_within_3h_known", "threads_started", "threads_unanswered",
    "threads_answered_known", "threads_answered_within_3h", "threads_within_3h_known",
)  # fmt: skip
STUDY_HOURS = 3.0  # "usually in less than 3 hours" (Fayn et al. 2021)
# Delays of a first answer in bins a moderator reads at a glance (upper bound in hours, label), for the report's
# and the dashboard's response-time figures; 3 h is the study's benchmark.
DELAY_BINS = ((1.0, "< 1 h"), (3.0, "1-3 h"), (6.0, "3-6 h"), (12.0, "6-12 h"), (24.0, "12-24 h"),
              (72.0, "1-3 days"), (168.0, "3-7 days"), (float("inf"), "> 7 days"))  # fmt: skip
UNANSWERED = "not answered"
DELAY_UNKNOWN = "answered, delay unknown"  # a message of the pair has no date


def delay_labels(answered: pd.Series, hours: pd.Series, bins: Sequence[tuple[float, str]] = DELAY_BINS) -> pd.Series:
    """The ``bins`` label (upper bound in hours, label; :data:`DELAY_BINS` or the same as shown by day,
    ``chrysalide.units.delay_bins``) of each newcomer's first answer (``first_reply_hours``; a negative delay, clocks
    disagreeing, counts as the first bin), :data:`UNANSWERED`, or :data:`DELAY_UNKNOWN`; no label (NaN, left out of
    a count) where whether it was answered is unknown (``answered`` NULL: not judged), never "unanswered"."""
    hours = pd.to_numeric(hours, errors="coerce").clip(lower=0.0)
    edges = [0.0] + [upper for upper, _ in bins]
    labels = pd.cut(hours, edges, labels=[label for _, label in bins], right=False).astype(object)
    answered = ones(answered)
    labels = labels.where(hours.notna(), DELAY_UNKNOWN).where(answered.eq(1.0).to_numpy(), UNANSWERED)
    return labels.where(answered.notna().to_numpy())


# Per source: whether it is read as a reply tree (view ``source_trees``), whether it records replies at all (a
# tree: some message keeps its parent; otherwise some thread holds a second message: a thread belongs to one
# source), whether its replies name only their thread start (``submission_only``: comments without parents, whose
# own answers are not recorded) and whether it dates messages by day only.
_SOURCES = """
    SELECT m.source_id, coalesce(any_value(t.reply_tree), false) AS tree,
           CASE WHEN coalesce(any_value(t.reply_tree), false) THEN count(m.reply_to_id) > 0
                ELSE count(*) > count(DISTINCT m.thread_id) END AS replies_recorded,
           coalesce(any_value(t.submission_only), false) AS submission_only,
           NOT coalesce(bool_or(m.posted_at <> date_trunc('day', m.posted_at)), false) AS day_only
    FROM messages m LEFT JOIN source_trees t USING (source_id) GROUP BY m.source_id
"""
# Sources whose boards were collected apart, each over its own window (view ``board_starts``, migration 0029), and
# that have more than one board: their members' records start with their first board's, not with the source's.
_BOARDS_APART = "SELECT source_id FROM board_starts GROUP BY source_id HAVING count(*) > 1"
# Sources declared a selection of threads at import (view ``sampled_sources``, migration 0031).
_SAMPLED = "SELECT source_id FROM sampled_sources"
# Tables (CSV, JSON Lines) without thread ids: the importer stored each message as its own thread, whose id is the
# message's (view ``unthreaded_sources``, migration 0025, which the view ``newcomers`` reads too).
_UNTHREADED = "SELECT source_id FROM unthreaded_sources"
# Whether a message's date is only a bound: dated by its earliest reply at import (module docstring).
_BOUNDED = f"coalesce(json_extract_string({{0}}.meta, '$.{POSTED_AT_SOURCE}') IS NOT NULL, false)"
#: The share of a source's first answers to its thread starts that its follow-up window holds: a message posted less
#: than that window before the end of its source's collection, and not answered yet, may still have been answered
#: after it (right censoring). Measured on the raw files (docs/community.md, "End of collection"): 95% of the first
#: answers to thread starts came within 0.23 days on the r/covidlonghaulers thread file, 1.2 days on r/BPD, 480 days
#: on patient.info and 750 days on ADFD, so no one number of days fits both a subreddit and a slow forum, and each
#: source's window is read from its own answers.
FOLLOW_UP_SHARE = 0.95
#: The first answers a source needs for its window to be measured: one in 20 lies beyond the 95th percentile, so with
#: fewer the quantile is read between the largest delays seen, not from a tail; such a source leaves nothing out.
FOLLOW_UP_MIN = round(1 / (1 - FOLLOW_UP_SHARE))
# Per source: the end of its collection (its last dated message) and its follow-up window in hours, the
# FOLLOW_UP_SHARE quantile (linear interpolation) of the delays of the first answers to its thread starts whose
# replies were collected, both dates known (not dated by a reply at import) and the answer not dated before its
# message; ``follow_up_answers``, how many delays it rests on (NULL window under FOLLOW_UP_MIN: nothing is censored).
_FOLLOW_UP = f"""
    SELECT m.source_id, any_value(e.ended_at) AS ended_at, count(*) FILTER (timed) AS follow_up_answers,
           CASE WHEN follow_up_answers >= {FOLLOW_UP_MIN}
                THEN quantile_cont(epoch(a.answered_at - o.posted_at) / 3600.0, {FOLLOW_UP_SHARE}) FILTER (timed)
           END AS follow_up_hours
    FROM (SELECT source_id, max(posted_at) AS ended_at FROM messages GROUP BY source_id) e
    JOIN messages m ON m.source_id = e.source_id JOIN thread_order o USING (message_id)
    LEFT JOIN reply_collection c ON c.source_id = m.source_id AND c.day = o.posted_at::DATE
    LEFT JOIN first_answers a ON a.message_id = o.message_id LEFT JOIN messages r ON r.message_id = a.answer_id,
    LATERAL (SELECT o.opens_thread AND coalesce(c.replies_collected, true) AND a.answered_at >= o.posted_at
                    AND NOT {_BOUNDED.format("m")} AND NOT {_BOUNDED.format("r")} AS timed)
    GROUP BY m.source_id
"""
# Whether the answers to a message are recorded: its source records replies between its messages, the message is
# not a comment of a source of comments without parents (only the thread start's answers are: ``unseen``), and its
# day lies within the period over which its source's replies were collected (view ``reply_collection``:
# ``in_collection``). Then its stored answers are the answers it had, up to the end of its source's collection:
# ``followed_up`` is false where it was posted less than its source's follow-up window (_FOLLOW_UP) before that end,
# and ``followed_3h`` where less than 3 hours before it, so that no answer yet does not tell it unanswered (within 3
# hours). One rule for the newcomer figures here and the survival model's covariates
# (chrysalide.journeys.survival); one row per message.
ANSWERS_RECORDED = f"""
    SELECT o.message_id, s.replies_recorded AS source_records, s.submission_only AND NOT o.opens_thread AS unseen,
           coalesce(c.replies_collected, true) AS in_collection, s.day_only,
           source_records AND NOT unseen AND in_collection AS answers_recorded,
           epoch(f.ended_at - o.posted_at) / 3600.0 AS hours_before_end,
           NOT coalesce(hours_before_end < f.follow_up_hours, false) AS followed_up,
           NOT coalesce(hours_before_end < {STUDY_HOURS}, false) AS followed_3h
    FROM thread_order o JOIN messages m USING (message_id) JOIN ({_SOURCES}) s ON s.source_id = m.source_id
    LEFT JOIN reply_collection c ON c.source_id = m.source_id AND c.day = o.posted_at::DATE
    LEFT JOIN ({_FOLLOW_UP}) f ON f.source_id = m.source_id
"""
#: Thread starts whose replies were collected and whose source declares none (Reddit's ``num_comments`` 0), that a
#: source needs, and the share of them holding a stored answer, from which a declared 0 is not read as "never
#: answered": the archive took those posts before their replies came. On the r/covidlonghaulers thread file 35 of
#: its 91 posts declaring 0 comments hold answers by others, and 244 history posts outside the collected week were
#: judged never answered by their 0 (docs/community.md).
ZEROS_MIN = 20
ZEROS_CONTRADICTED = 0.1
# The sources whose declared zeros are contradicted so (rows of ``found`` in :func:`responses`).
_ZEROS = f"""
    SELECT source_id FROM found
    WHERE thread_start AND collected AND declared = 0
    GROUP BY source_id
    HAVING count(*) >= {ZEROS_MIN} AND count(answer_id) >= {ZEROS_CONTRADICTED} * count(*)
"""
#: What ``source_structure`` calls a source's replies: (read as a tree, records replies) -> kind.
REPLY_KINDS = {(True, True): "tree", (False, True): "flat", (False, False): "none", (True, False): "parents_missing"}
#: The kind of a source whose replies name only their thread start (comments without parents).
SUBMISSION_ONLY = "submission_only"
#: The kind of a table without thread ids, whose messages the importer stored one a thread ('none' otherwise).
UNTHREADED = "unthreaded"
#: Why the requests of a run are None: no source names a thread (:func:`names_no_thread`); the report and the
#: dashboard say it so.
REQUESTS_UNKNOWN = "the export names no thread, so requests cannot be told"
#: Why the threads started and the requests of a run are None where some source names threads but no source holds
#: a message that opens one (:func:`opens_no_thread`): r/mentalhealth's comments without their posts.
OPENERS_MISSING = "no stored message opens a thread: the messages reply to posts the corpus lacks"
#: The kinds of sources none of whose messages opens a thread (:func:`source_structure`): a table without thread ids,
#: and a source whose replies name parents it lacks and none it keeps (top-level comments without their posts).
OPENING_UNSEEN = (UNTHREADED, "parents_missing")
#: The kinds of sources that record some reply between their messages.
RECORDING_KINDS = ("tree", "flat", SUBMISSION_ONLY)


def source_structure(store: Store) -> dict[str, dict[str, Any]]:
    """Per source: ``replies``, ``day_only`` (dates without a time of day), ``boards_apart`` (its boards were
    collected apart, each over its own window, and it has more than one: a member's record starts with the first
    message of the board of their first message, migration 0029) and ``sampled_threads`` (declared a selection of
    threads at import: a member's first message there is not their arrival, migration 0031).

    ``replies``: ``tree`` (replies name their parent: a message's answers are its children), ``flat`` (answers
    are read from thread order), ``submission_only`` (comments without parents: every reply names only the
    thread's first message, as a Reddit export without parent ids attaches each comment to its submission; the
    thread start's answers are recorded, a comment's are not), ``none`` (no thread has a second message),
    :data:`UNTHREADED` (no thread has a second message because the source is a table, CSV or JSON Lines, without
    thread ids, each of whose messages the importer stored as its own thread: its messages may answer one another
    without the export saying which, so they are neither thread starts nor replies, the coders' ``kind``
    'unknown'; a table of thread starts that names its threads, Doctissimo's first posts with their addresses, or
    that is declared so at import, ``--thread-starts`` (migration 0028), is ``none``) or ``parents_missing`` (its replies name parents it lacks and none it keeps, e.g. top-level comments
    without their submissions: no reply between its messages is recorded, and none of them opens a thread).
    """
    unthreaded = unthreaded_sources(store)
    apart = {str(source) for (source,) in store.con.execute(_BOARDS_APART).fetchall()}
    sampled = {str(source) for (source,) in store.con.execute(_SAMPLED).fetchall()}
    rows = store.con.execute(
        f"SELECT source_id, tree, replies_recorded, submission_only, day_only FROM ({_SOURCES}) ORDER BY 1"
    )
    structure = {}
    for source, tree, recorded, submission_only, day_only in rows.fetchall():
        kind = SUBMISSION_ONLY if submission_only else REPLY_KINDS[bool(tree), bool(recorded)]
        structure[str(source)] = {"replies": UNTHREADED if kind == "none" and source in unthreaded else kind,
                                  "day_only": bool(day_only), "boards_apart": str(source) in apart,
                                  "sampled_threads": str(source) in sampled}  # fmt: skip
    return structure


def follow_up(store: Connected) -> dict[str, dict[str, Any]]:
    """Per source: ``collection_end``, the end of its collection (its last dated message, ISO), ``follow_up_hours``,
    its follow-up window (:data:`FOLLOW_UP_SHARE` of the first answers to its thread starts came within it; None
    with fewer than :data:`FOLLOW_UP_MIN` of them: nothing is left unjudged) and ``follow_up_answers``, how many first answers it rests on
    (:data:`ANSWERS_RECORDED`)."""
    rows = store.con.execute(
        f"SELECT source_id, ended_at, follow_up_hours, follow_up_answers FROM ({_FOLLOW_UP}) ORDER BY 1"
    )
    return {
        str(source): {"collection_end": None if ended is None else pd.Timestamp(ended).isoformat(),
                      "follow_up_hours": None if window is None else float(window), "follow_up_answers": int(timed or 0)}
        for source, ended, window, timed in rows.fetchall()
    }  # fmt: skip


def unthreaded_sources(store: Connected) -> list[str]:
    """The sources that are tables without thread ids (:data:`UNTHREADED`, see :func:`source_structure`), by name."""
    return sorted(str(source) for (source,) in store.con.execute(_UNTHREADED).fetchall())


def source_names(names: list[str]) -> str:
    """Sources as the subject of a sentence: "source 'data'", "sources 'a', 'b'". Each name is quoted, as a source
    is named after its file or folder, which can be a common word ('data')."""
    return f"source{'s' if len(names) > 1 else ''} " + ", ".join(f"'{name}'" for name in names)


def boards_apart_clause(summary: dict[str, Any]) -> str:
    """Where a run's (``summary``) record starts differ by board (:func:`source_structure`'s ``boards_apart``), as a
    clause without its capital or full stop ('' when no source's boards were collected apart)."""
    names = [name for name, traits in summary.get("sources", {}).items() if traits.get("boards_apart")]
    if not names:
        return ""
    return (f"in {source_names(names)}, whose boards were collected apart (each scraped over its own window), a "
            "member's record starts with the first message of the board of their first message")  # fmt: skip


def sampled_left_out(summary: dict[str, Any], n: int, what: str) -> str:
    """The ``n`` members of a run (``summary``) first seen in its sources declared a selection of threads
    (``sampled_threads`` of :func:`source_structure`), saying ``what`` they are ("not counted as newcomers"), as a
    clause without its capital or full stop ('' when none)."""
    if not n:
        return ""
    names = [name for name, traits in summary.get("sources", {}).items() if traits.get("sampled_threads")]
    several = len(names) > 1
    return (f"{n:,} member{'s' if n != 1 else ''} first seen in {source_names(names) if names else 'a source'}, "
            f"declared {'selections' if several else 'a selection'} of threads (--sampled-threads), "
            f"{'are' if n != 1 else 'is'} {what}: their first message there need not be their first on the forum")  # fmt: skip


def unthreaded_in(summary: dict[str, Any]) -> list[str]:
    """The sources of a community run (its ``summary``'s ``sources``: :func:`source_structure`) that are tables
    without thread ids, by name: the run's :func:`unthreaded_sources`, as every figure is read from a stored run."""
    return sorted(name for name, traits in summary.get("sources", {}).items() if traits.get("replies") == UNTHREADED)


def names_no_thread(summary: dict[str, Any]) -> bool:
    """Whether no source of a community run (``summary``) names a thread: each is a table without thread ids."""
    sources = summary.get("sources") or {}
    return bool(sources) and len(unthreaded_in(summary)) == len(sources)


def opens_no_thread(summary: dict[str, Any]) -> bool:
    """Whether no source of a community run (``summary``) can hold a message that opens a thread (each is of a kind
    of :data:`OPENING_UNSEEN`): its threads started and its requests are then unknown (None), not 0, as where no
    source names a thread (:func:`names_no_thread`). r/mentalhealth's comment table holds 10 comments of each of
    1,000 posts it lacks: no thread starts there, and no newcomer's first message can be a request."""
    sources = summary.get("sources") or {}
    return bool(sources) and all(traits.get("replies") in OPENING_UNSEEN for traits in sources.values())


def requests_unknown(summary: dict[str, Any]) -> str:
    """Why a community run's (``summary``) requests are None (:func:`opens_no_thread`), as a clause."""
    if names_no_thread(summary):
        return REQUESTS_UNKNOWN
    return f"{OPENERS_MISSING}, so requests cannot be told"


NEWCOMER_COLUMNS = [
    "member_id", "message_id", "first_post_at", "starts_thread", "first_code", "request", "first_unreadable",
    "replies_recorded", "replies_collected", "by_reply_count", "answered", "answer_id", "first_reply_hours",
    "within_3h", "near_end",
]  # fmt: skip


def responses(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Threads and newcomers with their first answers, from one reading of the views (see the module docstring).

    ``replies_recorded``: whether the message was answered can be told (its source records replies and collected
    them around its date, or declares how many it had); ``replies_collected`` is false when its source records
    replies but its day lies outside the period over which they were collected (view ``reply_collection``);
    ``by_reply_count``: answered or not is read from the number of replies its source declares (view
    ``declared_replies``), not from a stored answer: it was posted outside that period, or the store lacks
    replies the source counts and holds no answer; its delay is unknown.
    Threads (one row per thread whose opening message is stored, ``opens_thread``, and not a bot's, of a source
    that names its threads: a table without thread ids, :func:`unthreaded_sources`, stores each message as a
    thread of its own, which is no thread of the forum): thread_id, started_at, replies_recorded,
    replies_collected, by_reply_count, answered, answer_id, first_reply_hours, within_3h.
    Newcomers: the columns of the table ``newcomer_responses`` (:data:`NEWCOMER_COLUMNS`).
    """
    frame = store.con.execute(
        f"""
        WITH unnamed AS (SELECT thread_id FROM threads WHERE source_id IN ({_UNTHREADED})),
        asked AS (
            SELECT o.message_id, o.thread_id, o.posted_at,
                   o.opens_thread AND {not_bot("o.member_id")} AND o.thread_id NOT IN (SELECT thread_id FROM unnamed)
                       AS thread_start,
                   o.opens_thread AS opens, n.member_id, n.starts_thread, n.first_code, n.request,
                   n.first_unreadable
            FROM thread_order o LEFT JOIN newcomers n USING (message_id)
            WHERE thread_start OR n.member_id IS NOT NULL),
        judged AS (
            SELECT q.* EXCLUDE (opens), r.unseen, r.day_only, r.followed_up, r.followed_3h,
                   NOT r.source_records OR r.unseen OR r.in_collection AS replies_collected,
                   r.answers_recorded AS collected,
                   CASE WHEN NOT r.unseen THEN d.missing END AS missing, {_BOUNDED.format("m")} AS bounded,
                   CASE WHEN NOT r.unseen THEN d.declared END AS declared, m.source_id
            FROM asked q JOIN ({ANSWERS_RECORDED}) r USING (message_id) JOIN messages m USING (message_id)
            LEFT JOIN declared_replies d ON d.message_id = q.message_id),
        found AS (
            SELECT q.*, a.answer_id, a.answered_at, {_BOUNDED.format("r")} AS answer_bounded
            FROM judged q LEFT JOIN first_answers a ON a.message_id = q.message_id AND NOT q.unseen
            LEFT JOIN messages r ON r.message_id = a.answer_id),
        zeros AS ({_ZEROS}),
        counted AS (
            SELECT q.* REPLACE (CASE WHEN q.declared = 0 AND z.source_id IS NOT NULL THEN NULL ELSE q.missing END
                                    AS missing),
                   q.declared = 0 AND z.source_id IS NOT NULL AND NOT q.collected AS zero_unread
            FROM found q LEFT JOIN zeros z USING (source_id)),
        judged_by_count AS (
            SELECT q.*, q.missing IS NOT NULL AND (NOT q.collected OR (q.answer_id IS NULL AND q.missing > 0))
                       AS by_reply_count
            FROM counted q)
        SELECT q.* EXCLUDE (unseen, collected, missing, day_only, bounded, answered_at, answer_bounded, declared,
                            source_id, followed_up, followed_3h),
               q.collected OR q.missing IS NOT NULL AS replies_recorded,
               -- NULL too near the end, answered or not: an answer seen there came sooner than the window, and
               -- counting those while leaving the others out would raise the last periods' shares.
               CASE WHEN (q.collected OR q.missing IS NOT NULL) AND q.followed_up
                    THEN q.answer_id IS NOT NULL OR coalesce(q.missing > 0, false) END AS answered,
               NOT q.followed_up AND (q.collected OR q.missing IS NOT NULL) AS near_end,
               CASE WHEN NOT q.collected OR q.bounded OR q.answer_bounded THEN NULL
                    ELSE epoch(q.answered_at - q.posted_at) / 3600.0 END AS first_reply_hours,
               CASE WHEN NOT q.collected OR q.day_only OR q.by_reply_count THEN NULL
                    WHEN NOT q.followed_3h THEN NULL
                    WHEN q.answer_id IS NULL THEN false
                    WHEN q.bounded OR q.answer_bounded THEN NULL
                    ELSE epoch(q.answered_at - q.posted_at) / 3600.0 <= {STUDY_HOURS} END AS within_3h
        FROM judged_by_count q
        """
    ).df()
    answer = ["replies_recorded", "replies_collected", "by_reply_count", "answered", "answer_id", "first_reply_hours",
              "within_3h", "near_end"]  # fmt: skip
    threads = frame[frame["thread_start"].astype(bool)].sort_values("thread_id")
    # ``zero_unread``: its source's declared 0 is not read (``ZEROS_MIN``), so it is left out as not collected.
    threads = threads[["thread_id", "posted_at", *answer, "zero_unread"]].rename(columns={"posted_at": "started_at"})
    newcomers = frame[frame["member_id"].notna()].sort_values("member_id")
    newcomers = newcomers.rename(columns={"posted_at": "first_post_at"})[NEWCOMER_COLUMNS]
    newcomers = newcomers.astype(
        {"member_id": "int64", "starts_thread": "boolean", "request": "boolean", "first_unreadable": bool}
    )
    return threads.reset_index(drop=True), newcomers.reset_index(drop=True)


def thread_responses(store: Store) -> pd.DataFrame:
    """One row per thread: whether and how fast its first message was answered (see :func:`responses`)."""
    return responses(store)[0]


def newcomer_responses(store: Store) -> pd.DataFrame:
    """One row per newcomer: their first message, whether it opens a thread, its code, whether it is a request,
    whether and how fast it was answered (the rows of the table ``newcomer_responses``)."""
    return responses(store)[1]


def requests_of(newcomers: pd.DataFrame) -> pd.Series:
    """Which newcomers' first messages are requests (column ``request``; NULL, a thread opener not coded yet, is
    not one): the rows every request figure counts, here, per period and in the report."""
    return newcomers["request"].astype("boolean").fillna(False).astype(bool)


def openers_of(newcomers: pd.DataFrame) -> pd.Series:
    """Which newcomers' first messages open a thread (column ``starts_thread``; NULL, a message of a table without
    thread ids, whose export names no thread, is not known to: view ``newcomers``, migration 0025)."""
    return newcomers["starts_thread"].astype("boolean").fillna(False).astype(bool)


def thread_unknown(newcomers: pd.DataFrame) -> pd.Series:
    """Which newcomers' first messages lie in a table without thread ids (``starts_thread`` NULL): whether they
    open a thread, so whether they are requests, cannot be told."""
    return newcomers["starts_thread"].astype("boolean").isna()


def openers_apart(newcomers: pd.DataFrame) -> dict[str, Any]:
    """Newcomers' first messages that open a thread and are no request: ``openers_not_requests``, by their code
    (most first, then by name); ``openers_unreadable``, whose body holds no word of their author (removed or
    deleted: whether they ask cannot be read, as the journeys read no step in them, docs/journeys.md); and
    ``openers_uncoded``, not coded yet (whether they ask cannot be told)."""
    openers = newcomers[openers_of(newcomers) & ~requests_of(newcomers)]
    unreadable = openers["first_unreadable"].fillna(False).astype(bool)
    codes = openers.loc[~unreadable, "first_code"].dropna().astype(str).value_counts()
    return {
        "openers_not_requests": {code: int(n) for code, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))},
        "openers_unreadable": int(unreadable.sum()),
        "openers_uncoded": int((openers["first_code"].isna() & ~unreadable).sum()),
    }


def arrivals(store: Store) -> dict[str, int]:
    """Members first seen in the record by how it shows them arriving (view ``member_arrivals``, bot accounts left
    out): ``first_seen_in_burn_in``, not counted as newcomers because their first message comes less than
    ``burn_in_days`` after the start of the record that could hold their earlier messages (or is undated),
    ``first_seen_registered_before``, registered before it (already there), and ``first_seen_in_sampled_threads``,
    whose first message lies in a source declared a selection of threads (migration 0031)."""
    row = store.con.execute(
        "SELECT count(*) FILTER (arrival = 'burn_in'), count(*) FILTER (arrival = 'registered_before'),"
        " count(*) FILTER (arrival = 'sampled'), burn_in_days() FROM member_arrivals"
    ).fetchone()
    burn_in, before, sampled, days = row or (0, 0, 0, 0)
    return {"first_seen_in_burn_in": int(burn_in), "first_seen_registered_before": int(before),
            "first_seen_in_sampled_threads": int(sampled), "burn_in_days": int(days)}  # fmt: skip


def uncoded_openers_warning(summary: dict[str, Any]) -> str | None:
    """What a community run (``summary``) says when thread-opening first messages were not coded (None when none
    was left uncoded): they are not counted as requests, and how to count them."""
    uncoded = int(summary.get("openers_uncoded") or 0)
    if not uncoded:
        return None
    return (
        f"{uncoded:,} newcomers' first messages open a thread but are not coded, so whether they ask for help cannot "
        "be told: they are not counted as requests (run `chrysalide code`, then `chrysalide community`)"
    )


def near_end_note(summary: dict[str, Any], *, by_day: bool = False) -> str | None:
    """What a community run (``summary``) says of the newcomers, requests and threads left unjudged because they were
    posted less than their source's follow-up window before the end of its collection
    (``<plural>_near_end``, :data:`ANSWERS_RECORDED`), with each window and end (its ``follow_up``: :func:`follow_up`;
    None when there are none, or the run
    predates these keys). ``by_day``: delays are said in days (:func:`chrysalide.units.dated_by_day`)."""
    newcomers, requests, threads = (int(summary.get(f"{key}_near_end") or 0) for key in ("newcomers", "requests",
                                                                                          "threads"))  # fmt: skip
    if not (newcomers or threads):
        return None
    of_them = f" ({requests:,} of them {'requests' if requests != 1 else 'a request'})" if requests else ""
    parts = [
        counted(newcomers, "newcomer") + of_them if newcomers else "",
        counted(threads, "thread") if threads else "",
    ]
    what = " and ".join(filter(None, parts))
    windows = [
        f"the last {duration(float(traits['follow_up_hours']), by_day=by_day)} of {source_names([name])} (ending "
        f"{str(traits['collection_end'])[:10]}, {traits['follow_up_answers']:,} first answers)"
        for name, traits in (summary.get("follow_up") or {}).items()
        if traits.get("follow_up_hours") is not None and traits.get("collection_end")
    ]  # fmt: skip
    return (
        f"{what} posted in {'; '.join(windows)} are not judged answered or not: {FOLLOW_UP_SHARE:.0%} of the "
        "first answers to the source's thread starts came within that window, so an answer may have come after the "
        "collection ended; they are left out of the answered shares, those already answered too (counting only "
        "these would raise the shares of the last periods)"
    )


def burn_in_warning(summary: dict[str, Any]) -> str | None:
    """What a community run (``summary``) says when more members were first seen within the burn-in of their record's
    start than were counted as newcomers (the record starts after its community did), and when some were first seen
    in a source declared a selection of threads (None when neither)."""
    burn_in, newcomers = int(summary.get("first_seen_in_burn_in") or 0), int(summary.get("newcomers") or 0)
    truncated = (
        f"{burn_in:,} members are first seen less than {summary.get('burn_in_days')} days after the start of their "
        f"record, more than the {newcomers:,} counted as newcomers: the record starts after its community did, so "
        "whether they were new cannot be told and they are left out of the newcomer figures"
    ) if burn_in > newcomers else ""  # fmt: skip
    sampled = sampled_left_out(summary, int(summary.get("first_seen_in_sampled_threads") or 0),
                               "not counted as newcomers")  # fmt: skip
    return "; ".join(filter(None, [truncated, sampled])) or None


def ones(values: pd.Series) -> pd.Series:
    """Booleans that may be NULL (None, pandas' NA, NaN) as 1.0, 0.0 and NaN: ``astype(bool)`` would refuse NA, or
    read NaN as True."""
    return values.astype("boolean").astype("Float64").astype(float)


def outcomes(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row's answer (rows of :func:`responses`: newcomers, requests, threads) as numbers from which a share, a
    count and the count it is out of are read alike, for the corpus and per period: ``answered`` 1/0, NaN where
    whether it was answered cannot be told (``replies_recorded`` false: ``answered`` is NULL there, and a run made
    before it was stored false); ``within`` 1/0 for an answer within 3 hours, NaN where not known; ``hours``, the
    delay of the first answer of an answered row (NaN where unknown)."""
    recorded = ones(rows["replies_recorded"]).eq(1.0)
    answered = ones(rows["answered"]).where(recorded)
    return pd.DataFrame(
        {"answered": answered, "within": ones(rows["within_3h"]).where(recorded),
         "hours": pd.to_numeric(rows["first_reply_hours"], errors="coerce").where(answered.eq(1.0))},
        index=rows.index,
    )  # fmt: skip


def _mean(values: pd.Series) -> float | None:
    """Mean of the known values of a 1/0/NaN column: the share of 1 (None when none is known)."""
    return float(values.mean()) if values.count() else None


def _quantile(values: pd.Series, q: float) -> float | None:
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(values.quantile(q)) if len(values) else None


def response_figures(rows: pd.DataFrame, prefix: str, plural: str) -> dict[str, Any]:
    """Count, answered share, median and p90 delay, within-3-hours share of newcomers or requests, and how many
    each share rests on (those whose answer, or answer within 3 hours, is known: :func:`outcomes`, as per
    period)."""
    known = outcomes(rows)
    return {
        plural: len(rows),
        f"{plural}_answered_share": _mean(known["answered"]),
        f"{plural}_answered_known": int(known["answered"].count()),  # the share's denominator
        f"{prefix}_first_reply_median_hours": _quantile(known["hours"], 0.5),
        f"{prefix}_first_reply_p90_hours": _quantile(known["hours"], 0.9),
        f"{prefix}_answered_within_3h_share": _mean(known["within"]),
        f"{plural}_within_3h_known": int(known["within"].count()),  # the share's denominator
    }


def threads_apart(store: Store) -> dict[str, int]:
    """Threads left out of the thread figures: ``threads_without_opening`` (their first stored message is itself
    a reply), of which ``threads_opened_by_early_replies`` reply to a stored message that comes later (dated
    after its reply, or undated: the source's dates contradict its replies) and the others to a message the
    source lacks, and ``threads_without_opening_median_messages``, the median number of messages they hold (0
    without them: members' comments without their conversations hold one or two, a scraper's sample of each
    conversation its number); and ``threads_opened_by_bots``."""
    row = store.con.execute(
        "SELECT count(*) FILTER (NOT o.opens_thread), count(*) FILTER (NOT o.opens_thread AND m.reply_to_id IS NOT NULL),"
        f" count(*) FILTER (o.opens_thread AND NOT {not_bot('o.member_id')}),"
        " coalesce(median(s.n) FILTER (NOT o.opens_thread), 0)"
        " FROM thread_order o JOIN messages m USING (message_id)"
        " JOIN (SELECT thread_id, count(*) AS n FROM messages GROUP BY thread_id) s ON s.thread_id = m.thread_id"
        " WHERE o.pos = 0"
    ).fetchone()
    names = ("threads_without_opening", "threads_opened_by_early_replies", "threads_opened_by_bots",
             "threads_without_opening_median_messages")  # fmt: skip
    return dict(zip(names, map(int, row or (0, 0, 0, 0)), strict=True))


def _apart(rows: pd.DataFrame, plural: str) -> dict[str, int]:
    """Rows posted less than their source's follow-up window before the end of its collection, not judged answered
    or not (``<plural>_near_end``: :data:`ANSWERS_RECORDED`), rows left out because their day lies outside the period their source collected replies and the source
    declares no count (``<plural>_outside_reply_collection``), and those judged by the count of replies their
    source declares (``<plural>_by_reply_count``), of which answered (``<plural>_answered_by_reply_count``)."""
    by_count = rows["by_reply_count"].astype(bool)
    outside = ~rows["replies_collected"].astype(bool) & ~rows["replies_recorded"].astype(bool)
    return {
        f"{plural}_near_end": int(rows["near_end"].astype("boolean").fillna(False).sum()),
        f"{plural}_outside_reply_collection": int(outside.sum()),
        f"{plural}_by_reply_count": int(by_count.sum()),
        f"{plural}_answered_by_reply_count": int((by_count & ones(rows["answered"]).eq(1.0)).sum()),
    }


def newcomer_figures(newcomers: pd.DataFrame) -> dict[str, Any]:
    """The newcomers' and their requests' figures (:func:`response_figures` of each) of a set of newcomers: the
    corpus's, a board's (:mod:`chrysalide.community.boards`), a year's (the report's table by year)."""
    figures = response_figures(newcomers, "newcomer", "newcomers")
    figures.update(response_figures(newcomers[requests_of(newcomers)], "request", "requests"))
    return figures


def response_summary(threads: pd.DataFrame, newcomers: pd.DataFrame) -> dict[str, Any]:
    """Corpus-wide response figures (the keys of ``chrysalide community --json``'s summary)."""
    summary = newcomer_figures(newcomers)
    requests = newcomers[requests_of(newcomers)]
    unrecorded = ~newcomers["replies_recorded"].astype(bool) & newcomers["replies_collected"].astype(bool)
    summary["newcomers_without_replies_recorded"] = int(unrecorded.sum())  # their source records none
    for rows, plural in ((newcomers, "newcomers"), (requests, "requests"), (threads, "threads")):
        summary.update(_apart(rows, plural))
    summary.update(openers_apart(newcomers))
    # Whether these open a thread cannot be told (a table without thread ids): neither requests nor openers.
    summary["newcomers_thread_unknown"] = int(thread_unknown(newcomers).sum())
    summary.update(response_figures(threads, "thread", "threads"))
    summary["threads_declared_zero_unread"] = int(threads["zero_unread"].fillna(False).astype(bool).sum())
    del summary["threads_answered_share"]  # threads are reported by what is left unanswered
    answered = _mean(outcomes(threads)["answered"])
    summary["threads_unanswered_share"] = None if answered is None else 1.0 - answered
    return summary


def _start(dates: pd.Series, period: str) -> pd.Series:
    freq = {"week": "W-SUN", "month": "M", "year": "Y"}[period]
    return dates.dt.to_period(freq).dt.start_time


def _per_period(rows: pd.DataFrame, date: str, period: str) -> DataFrameGroupBy:
    """The :func:`outcomes` of the dated rows, grouped by period: the corpus's figures, period by period."""
    dated = rows.dropna(subset=[date])
    return outcomes(dated).groupby(_start(dated[date], period))


def period_metrics(store: Store, threads: pd.DataFrame, newcomers: pd.DataFrame, period: str = "month") -> pd.DataFrame:
    """Per period: messages, members, newcomers and requests answered (by the period of their first message),
    threads and their first answers (by the period they start), and the stage mix; bot accounts' messages are
    left out of all of them (:mod:`chrysalide.store.bots`).

    The stage mix ``share_<stage>`` is corrected for the coder's errors (the mean calibrated probability of
    the stage, :mod:`chrysalide.coding.shares`); ``n_<stage>`` counts the primary codes.
    """
    unit = PERIOD_UNITS[period]
    start = f"date_trunc('{unit}', m.posted_at)::DATE"
    base = store.con.execute(
        f"SELECT {start} AS period, count(*) AS messages, count(DISTINCT m.member_id) AS active_members"
        f" FROM messages m WHERE m.posted_at IS NOT NULL AND {not_bot()} GROUP BY 1 ORDER BY 1"
    ).df()
    base = base.merge(shares_by(store, start), on="period", how="left")
    base["period"] = pd.to_datetime(base["period"])
    for col in ("coded", *(f"n_{code}" for code in CODES)):
        base[col] = base[col].fillna(0).astype("int64")
    for code in CODES:  # the corrected estimate; the raw counts of primary codes stay beside it (n_<stage>)
        base[f"share_{code}"] = base.pop(f"est_{code}").where(base["coded"] > 0)
    new = _per_period(newcomers, "first_post_at", period)
    requests = _per_period(newcomers[requests_of(newcomers)], "first_post_at", period)
    started = _per_period(threads, "started_at", period)
    stats = pd.DataFrame({
        "new_members": new.size(),
        "newcomers_answered": new["answered"].sum(),
        "newcomers_answered_known": new["answered"].count(),
        "newcomers_answered_within_3h": new["within"].sum(),
        "newcomers_within_3h_known": new["within"].count(),
        "newcomer_first_reply_median_hours": new["hours"].median(),
        "newcomer_first_reply_p90_hours": new["hours"].quantile(0.9),
        "newcomer_answered_within_3h_share": new["within"].mean(),
        "requests": requests.size(),
        "requests_answered": requests["answered"].sum(),
        "requests_answered_known": requests["answered"].count(),
        "requests_answered_within_3h": requests["within"].sum(),
        "requests_within_3h_known": requests["within"].count(),
        "request_first_reply_median_hours": requests["hours"].median(),
        "threads_started": started.size(),
        "threads_unanswered": started["answered"].agg(lambda a: int((a == 0).sum())),
        "threads_answered_known": started["answered"].count(),
        "threads_answered_within_3h": started["within"].sum(),
        "threads_within_3h_known": started["within"].count(),
        "thread_first_reply_median_hours": started["hours"].median(),
        "thread_first_reply_p90_hours": started["hours"].quantile(0.9),
        "thread_answered_within_3h_share": started["within"].mean(),
    })  # fmt: skip
    out = base.set_index("period").join(stats)
    for col in PERIOD_COUNTS:
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).astype("int64")
    return out.reset_index()
