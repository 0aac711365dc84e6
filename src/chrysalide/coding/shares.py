"""Corrected stage shares of any set of coded messages in the store (the community tables and the report).

A share is the mean calibrated probability of the stage over the messages' current codes (probability
averaging, :mod:`chrysalide.coding.quantify`; Bella et al. 2010, Forman 2008): unlike counting primary codes
it does not carry the coder's systematic confusions into the mix. A human decision counts as certain (its
score is 1 for the chosen code). The lexicon's scores are normalised marker weights, not probabilities:
with lexicon codes the estimate is only as good as counting. A stage mix over time (:func:`shares_by`) is the
members' mix: bot accounts' messages are coded but left out of it (:mod:`chrysalide.store.bots`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.coding.codebook import CODES
from chrysalide.store.bots import not_bot

#: How far a stage's estimated share may be from the trained coders' share: the coder's quantification target
#: (issue 11), on the held-back fifth met by every stage but collaborative, 2.0 points off (docs/coding.md). Two
#: stages whose estimates are closer than this cannot be told apart by size.
SHARE_MARGIN = 0.02

# A code stored without probabilities (imported, hand-entered) counts as certain.
_MEANS = ", ".join(f"avg(coalesce(c.score_{c}, (c.primary_code = '{c}')::DOUBLE)) AS {c}" for c in CODES)
_COUNTS = ", ".join(f"count(*) FILTER (c.primary_code = '{c}') AS n_{c}" for c in CODES)


def store_shares(store: Any, *, run_id: int | None = None, message_ids: list[int] | None = None) -> dict[str, float]:
    """Estimated share of each stage among the current codes (or the codes of one run, or some messages)."""
    source = "codes" if run_id is not None else "current_codes"
    where: list[str] = []
    params: list[Any] = []
    if run_id is not None:
        where.append("c.run_id = ?")
        params.append(run_id)
    if message_ids is not None:
        where.append("c.message_id IN (SELECT unnest(?::BIGINT[]))")
        params.append([int(i) for i in message_ids])
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    row = store.con.execute(f"SELECT {_MEANS} FROM {source} c {clause}", params).fetchone()
    values = [0.0 if v is None else float(v) for v in row]
    total = sum(values)
    return {code: (v / total if total else float("nan")) for code, v in zip(CODES, values, strict=True)}


def shares_by(store: Any, key_sql: str, key: str = "period") -> pd.DataFrame:
    """Per value of ``key_sql`` (an expression over ``messages m``, e.g. a month): raw counts and estimates of
    the messages not written by a bot account.

    Columns: ``key``, ``coded``, ``n_<stage>`` (primary codes counted) and ``est_<stage>`` (estimated share).
    """
    frame = store.con.execute(
        f"SELECT {key_sql} AS {key}, count(*) AS coded, {_COUNTS}, {_MEANS} "
        f"FROM messages m JOIN current_codes c USING (message_id) WHERE {not_bot()} GROUP BY 1 ORDER BY 1"
    ).df()
    total = frame[list(CODES)].sum(axis=1)
    for code in CODES:
        frame[f"est_{code}"] = frame.pop(code) / total.where(total > 0)
    return frame


def removed_bodies(store: Any) -> int:
    """How many coded messages of the members' mix (as :func:`shares_by` counts them) hold no word of their author
    because their body was removed or deleted (``[removed]``, ``[deleted]``): the unreadable messages
    (:mod:`chrysalide.store.unreadable`) the text step left out as ``removed``, so not a thread start coded on its
    title. The codebook codes them 'other'; a reader of the stage mix needs to know how much of 'other' they make
    (a quarter of r/breastcancer's submissions)."""
    row = store.con.execute(
        "SELECT count(*) FROM messages m JOIN current_codes c USING (message_id) WHERE "
        f"{not_bot()} AND m.message_id IN (SELECT message_id FROM unreadable_messages WHERE left_out = 'removed')"
    ).fetchone()
    return int(row[0]) if row else 0
