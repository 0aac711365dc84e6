"""Newcomer response: time to first reply of threads and of members' first messages, per period.

Definitions (store views of migration 0008, docs/community.md):
- the *first answer* to a message (view ``first_answers``) is its first child in the reply tree written by
  someone else where the source has a tree, otherwise the first later message of the thread written by
  someone else;
- a thread is *answered* when its first message has a first answer; response times are in hours
  from that message; threads whose first message is undated count as answered or not, without a time;
- a *newcomer* (view ``newcomers``) is a member whose first message is in the corpus: every posting member,
  except those whose known registration date is before the corpus' first message.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.coding.codebook import CODES
from chrysalide.store import Store

PERIOD_UNITS = {"week": "week", "month": "month", "year": "year"}
STUDY_HOURS = 3.0  # "usually in less than 3 hours" (Fayn et al. 2021)


def thread_responses(store: Store) -> pd.DataFrame:
    """One row per thread: started_at, answered, first_reply_hours (NULL when unanswered or undated)."""
    return store.con.execute(
        """
        SELECT o.thread_id, o.posted_at AS started_at, a.message_id IS NOT NULL AS answered,
               epoch(a.answered_at - o.posted_at) / 3600.0 AS first_reply_hours
        FROM thread_order o LEFT JOIN first_answers a USING (message_id)
        WHERE o.pos = 0 ORDER BY o.thread_id
        """
    ).df()


def newcomer_responses(store: Store) -> pd.DataFrame:
    """One row per newcomer: first message, its date, whether it opens a thread, whether and how fast it was
    answered."""
    return store.con.execute(
        """
        SELECT n.member_id, n.message_id, n.posted_at AS first_post_at, n.starts_thread,
               a.message_id IS NOT NULL AS answered,
               epoch(a.answered_at - n.posted_at) / 3600.0 AS first_reply_hours
        FROM newcomers n LEFT JOIN first_answers a USING (message_id)
        ORDER BY n.member_id
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
    """Per period: messages, members, newcomers, response times, unanswered threads and the stage mix.

    The stage mix ``share_<stage>`` is corrected for the coder's errors (the mean calibrated probability of
    the stage, :mod:`chrysalide.coding.shares`); ``n_<stage>`` counts the primary codes.
    """
    unit = PERIOD_UNITS[period]
    estimates = ", ".join(
        f"avg(coalesce(c.score_{code}, (c.primary_code = '{code}')::DOUBLE)) AS est_{code}" for code in CODES
    )  # a code without probabilities counts as certain
    base = store.con.execute(
        f"""
        SELECT date_trunc('{unit}', m.posted_at)::DATE AS period, count(*) AS messages,
               count(DISTINCT m.member_id) AS active_members, count(c.message_id) AS coded,
               count(*) FILTER (c.primary_code = 'individual') AS n_individual,
               count(*) FILTER (c.primary_code = 'community') AS n_community,
               count(*) FILTER (c.primary_code = 'collaborative') AS n_collaborative,
               count(*) FILTER (c.primary_code = 'societal') AS n_societal,
               count(*) FILTER (c.primary_code = 'other') AS n_other,
               {estimates}
        FROM messages m LEFT JOIN current_codes c USING (message_id)
        WHERE m.posted_at IS NOT NULL GROUP BY 1 ORDER BY 1
        """
    ).df()
    base["period"] = pd.to_datetime(base["period"])
    # The stage mix is the corrected estimate (mean calibrated probability, chrysalide.coding.shares); the
    # raw counts of primary codes stay beside it (n_<stage>).
    total = base[[f"est_{code}" for code in CODES]].sum(axis=1)
    for code in CODES:
        base[f"share_{code}"] = (base.pop(f"est_{code}") / total).where((base["coded"] > 0) & (total > 0))
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
