"""Newcomer response: time to first reply of threads and of members' first messages, per period.

Definitions (docs/community.md):
- the *first reply* to a message is the first later message of the same thread (thread order:
  posted_at, then file order) written by a member other than the author; guests and deleted accounts
  do not count as repliers (they cannot be told apart from the author);
- a thread is *answered* when its first message has a first reply; response times are in hours
  from that message; threads whose first message is undated count as answered or not, without a time;
- a *newcomer* is a member whose first message is in the corpus: every posting member, except those
  whose known registration date is before the corpus' first message (already there when it starts).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.community.order import ensure_ordered
from chrysalide.store import Store

PERIOD_UNITS = {"week": "week", "month": "month", "year": "year"}
STUDY_HOURS = 3.0  # "usually in less than 3 hours" (Fayn et al. 2021)


def _threads_sql() -> str:
    return """
    WITH s AS (SELECT thread_id, member_id AS starter, posted_at AS started_at FROM chrys_ordered WHERE pos = 0)
    SELECT s.thread_id, s.started_at,
           min(m.pos) AS reply_pos,
           min(m.posted_at) AS reply_at
    FROM s LEFT JOIN chrys_ordered m ON m.thread_id = s.thread_id AND m.pos > 0
         AND m.member_id IS NOT NULL AND m.member_id IS DISTINCT FROM s.starter
    GROUP BY s.thread_id, s.started_at
    """


def thread_responses(store: Store) -> pd.DataFrame:
    """One row per thread: started_at, answered, first_reply_hours (NULL when unanswered or undated)."""
    ensure_ordered(store)
    return store.con.execute(
        f"""
        SELECT thread_id, started_at, reply_pos IS NOT NULL AS answered,
               epoch(reply_at - started_at) / 3600.0 AS first_reply_hours
        FROM ({_threads_sql()}) ORDER BY thread_id
        """
    ).df()


def newcomer_responses(store: Store) -> pd.DataFrame:
    """One row per newcomer: first message, its date, whether and how fast another member answered it."""
    ensure_ordered(store)
    return store.con.execute(
        """
        WITH start AS (SELECT min(posted_at) AS t0 FROM messages),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY member_id ORDER BY posted_at NULLS LAST, pos, message_id) AS k
            FROM chrys_ordered WHERE member_id IS NOT NULL),
        firsts AS (
            SELECT r.member_id, r.message_id, r.thread_id, r.pos, r.posted_at FROM ranked r
            LEFT JOIN members mb USING (member_id), start
            WHERE r.k = 1 AND NOT coalesce(mb.registered_at < start.t0, false))
        SELECT f.member_id, f.message_id, f.posted_at AS first_post_at,
               min(m.pos) IS NOT NULL AS answered,
               epoch(min(m.posted_at) - f.posted_at) / 3600.0 AS first_reply_hours
        FROM firsts f LEFT JOIN chrys_ordered m ON m.thread_id = f.thread_id AND m.pos > f.pos
             AND m.member_id IS NOT NULL AND m.member_id <> f.member_id
        GROUP BY f.member_id, f.message_id, f.posted_at ORDER BY f.member_id
        """
    ).df()


def _share(mask: pd.Series) -> float | None:
    return float(mask.mean()) if len(mask) else None


def _quantile(values: pd.Series, q: float) -> float | None:
    values = values.dropna()
    return float(values.quantile(q)) if len(values) else None


def response_summary(threads: pd.DataFrame, newcomers: pd.DataFrame) -> dict[str, Any]:
    """Corpus-wide response figures (the keys of ``chrysalide community --json``'s summary)."""
    hours = threads["first_reply_hours"]
    return {
        "threads": len(threads),
        "newcomers": len(newcomers),
        "newcomers_answered_share": _share(newcomers["answered"]),
        "newcomer_first_reply_median_hours": _quantile(newcomers["first_reply_hours"], 0.5),
        "first_reply_median_hours": _quantile(hours, 0.5),
        "first_reply_p90_hours": _quantile(hours, 0.9),
        "answered_within_3h_share": _share(hours.le(STUDY_HOURS).fillna(False)),
        "threads_unanswered_share": _share(~threads["answered"].astype(bool)),
    }


def period_metrics(store: Store, threads: pd.DataFrame, newcomers: pd.DataFrame, period: str = "month") -> pd.DataFrame:
    """Per period: messages, members, newcomers, response times, unanswered threads and the stage mix."""
    unit = PERIOD_UNITS[period]
    base = store.con.execute(
        f"""
        SELECT date_trunc('{unit}', m.posted_at)::DATE AS period, count(*) AS messages,
               count(DISTINCT m.member_id) AS active_members, count(c.message_id) AS coded,
               count(*) FILTER (c.primary_code = 'individual') AS n_individual,
               count(*) FILTER (c.primary_code = 'community') AS n_community,
               count(*) FILTER (c.primary_code = 'collaborative') AS n_collaborative,
               count(*) FILTER (c.primary_code = 'societal') AS n_societal,
               count(*) FILTER (c.primary_code = 'other') AS n_other
        FROM messages m LEFT JOIN current_codes c USING (message_id)
        WHERE m.posted_at IS NOT NULL GROUP BY 1 ORDER BY 1
        """
    ).df()
    base["period"] = pd.to_datetime(base["period"])
    for code in ("individual", "community", "collaborative", "societal", "other"):
        base[f"share_{code}"] = (base.pop(f"n_{code}") / base["coded"]).where(base["coded"] > 0)
    freq = {"week": "W-SUN", "month": "M", "year": "Y"}[period]

    def start(dates: pd.Series) -> pd.Series:
        return dates.dt.to_period(freq).dt.start_time

    new = newcomers.dropna(subset=["first_post_at"])
    new_counts = new.groupby(start(new["first_post_at"])).agg(
        new_members=("member_id", "size"), newcomers_answered=("answered", "sum")
    )
    dated = threads.dropna(subset=["started_at"])
    hours = dated["first_reply_hours"]
    by = start(dated["started_at"])
    thread_stats = pd.DataFrame({
        "threads_started": dated.groupby(by).size(),
        "threads_unanswered": (~dated["answered"].astype(bool)).groupby(by).sum(),
        "first_reply_median_hours": hours.groupby(by).median(),
        "first_reply_p90_hours": hours.groupby(by).quantile(0.9),
        "answered_within_3h_share": hours.le(STUDY_HOURS).groupby(by).mean(),
    })  # fmt: skip
    out = base.set_index("period").join(new_counts).join(thread_stats)
    for col in ("new_members", "newcomers_answered", "threads_started", "threads_unanswered"):
        out[col] = out[col].fillna(0).astype("int64")
    return out.reset_index()
