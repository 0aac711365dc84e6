"""Per-message frame of the journeys stage, built in SQL (DuckDB window functions).

One row per dated message written by a member that holds words of its author (guests, deleted accounts and bot
accounts have no journey; a body removed or deleted, ``[removed]``, is no step of it: :mod:`chrysalide.store.unreadable`),
with what the per-member work needs: its stage code (``current_codes``, NULL when uncoded), pronoun counts
(``text_features``, NULL when absent), its word count, whether it replies to another member, whether
its author was in the core group of the reply network in the month it was posted, and where it stands in
the passage from asker to helper (view ``decentering``: whether the member arrived helping, whether this
message starts their time at risk or is their decentering; NULL for a member whose arrival the record does not
show, :mod:`chrysalide.journeys.decentering`), whether it does (``arrival_shown``: the member is one of the view
``newcomers``, migration 0023), and whether whom the message answers is unknown (``target_unknown``, view
``reply_targets``: a parent the source lacks, or a thread author's comment in a source of comments without parents).

``member_pos`` is the message's place among all its member's messages (0-based, view ``member_order``, migration
0037: the order of ``thread_order`` over a member's messages, read by ``member_firsts`` and ``decentering`` too): by
date, then file order (``record_no``), then the source's id, then ours; the messages left out of the frame (undated,
unreadable) leave gaps. Stage runs, transitions and the I-to-we rank read it (:func:`in_member_order`), so that two
messages of one day keep their file order there as in the decentering milestone, whatever their ids.
"""

from __future__ import annotations

import pandas as pd

from chrysalide.journeys.decentering import registered
from chrysalide.store import Store
from chrysalide.store.bots import not_bot
from chrysalide.store.unreadable import readable

FRAME_COLUMNS = [
    "message_id", "member_id", "thread_id", "posted_at", "words", "code", "decentered",
    "first_singular", "first_plural", "second_informal", "second_formal", "lang", "replies_to_other",
    "in_core", "arrived_helping", "risk_entry", "decentering", "arrival_shown", "target_unknown", "member_pos",
]  # fmt: skip

# Word count without the text stage: whitespace-separated chunks of the author's own text.
WORDS_SQL = "CASE WHEN trim(m.text) = '' THEN 0 ELSE len(string_split_regex(trim(m.text), '\\s+')) END"


def load_frame(
    store: Store,
    core_periods: pd.DataFrame | None = None,
    member_id: int | None = None,
    decentering: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The per-message frame of every member (or of one), ordered by member then time.

    ``core_periods`` (columns member_id, period as month start) marks the months in which a member
    was in the core group; without it ``in_core`` is all False. ``decentering``: the rows of the view
    ``decentering`` when the caller has read them already (else they are read here).
    """
    con = store.con
    cores = core_periods if core_periods is not None else pd.DataFrame({"member_id": [], "period": []})
    cores = cores.astype({"member_id": "int64", "period": "datetime64[us]"})
    store.register("chrys_core_periods", cores)
    relation = registered(store, decentering)
    try:
        frame = con.execute(
            f"""
            SELECT m.message_id, m.member_id, m.thread_id, m.posted_at,
                   coalesce(tf.n_tokens, {WORDS_SQL})::BIGINT AS words,
                   c.primary_code AS code, c.decentered,
                   tf.first_singular, tf.first_plural, tf.second_informal, tf.second_formal,
                   coalesce(tf.lang, m.lang) AS lang,
                   coalesce(r.reply_to_other AND {not_bot("r.target_member_id")}, false) AS replies_to_other,
                   cp.member_id IS NOT NULL AS in_core, d.arrived_helping,
                   m.message_id = d.entry_message_id AS risk_entry,
                   m.message_id = d.decentered_message_id AS decentering,
                   m.member_id IN (SELECT member_id FROM newcomers) AS arrival_shown,
                   coalesce(r.target_unknown, false) AS target_unknown,
                   o.member_pos
            FROM messages m
            JOIN reply_targets r USING (message_id)
            JOIN member_order o USING (message_id)
            LEFT JOIN {relation} d ON d.member_id = m.member_id AND d.arrival_shown
            LEFT JOIN current_codes c ON c.message_id = m.message_id
            LEFT JOIN text_features tf ON tf.message_id = m.message_id
            LEFT JOIN chrys_core_periods cp
                   ON cp.member_id = m.member_id AND cp.period = date_trunc('month', m.posted_at)
            WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL AND {not_bot()} AND {readable()}
              AND (?::BIGINT IS NULL OR m.member_id = ?::BIGINT)
            ORDER BY m.member_id, member_pos
            """,
            [member_id, member_id],
        ).df()
    finally:
        con.unregister("chrys_core_periods")
        con.unregister(relation)
    return frame[FRAME_COLUMNS]


def in_member_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s rows by member, each member's in the order of their messages (``member_pos``: the view
    ``member_order``). A partition need not keep the order the frame was read in."""
    return frame.sort_values(["member_id", "member_pos"], kind="stable")


def corpus_bounds(store: Store) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last dated message of the corpus (None, None when there is none)."""
    row = store.con.execute("SELECT min(posted_at), max(posted_at) FROM messages").fetchone()
    if row is None or row[0] is None:
        return None, None
    return pd.Timestamp(row[0]), pd.Timestamp(row[1])
