"""What an analysis stage read: a fingerprint of the stored data, so that an unchanged stage is not run again.

Every table a later stage reads gets one line: its row count and the XOR of a hash of the columns that
identify a row's content (``content_hash`` stands for a message's text, ``run_id`` for what a stage derived
from it). XOR makes the line independent of row order and sensitive to any row added, removed or changed;
DuckDB computes it in one scan per table (about 0.1 s for the study's 485,000 messages). The runs of
earlier stages that a stage reads (the lexical stage reads the member groups of the newest journeys run)
are part of its fingerprint too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chrysalide.store.db import Store

#: Tables read by the analysis stages, and the columns whose hash stands for a row.
DATA_TABLES = {
    "messages": "message_id, content_hash, thread_id, member_id, reply_to_id, posted_at, position_in_thread, lang",
    "members": "member_id, pseudonym, role, registered_at",
    "threads": "thread_id, board, title, starter_id, started_at",
    "codes": "run_id, message_id, primary_code, origin, coder, decided_at",
    "text_features": "message_id, run_id",
    "segments": "segment_id, run_id",
}


def input_state(store: Store, upstream: Sequence[str] = ()) -> str:
    """A short digest of every data table and of the newest run of each ``upstream`` stage."""
    lines = []
    for table, columns in DATA_TABLES.items():
        row = store.con.execute(f"SELECT count(*), bit_xor(hash({columns})) FROM {table}").fetchone()
        lines.append(f"{table}:{row[0] if row else 0}:{row[1] if row else None}")
    lines.extend(f"run:{stage}:{store.latest(stage)}" for stage in upstream)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def params_json(params: dict[str, Any] | None) -> str:
    """Parameters as ``runs.params`` stores them (compared as text to find an identical run)."""
    return json.dumps(params or {}, default=str)


def unchanged_run(
    store: Store, stage: str, component: str, params: dict[str, Any], upstream: Sequence[str] = ()
) -> tuple[int | None, str]:
    """The newest run of ``stage`` when nothing it read has changed since (else None), and the fingerprint
    of the data now, which a new run records (``store.run(..., inputs=)``)."""
    inputs = input_state(store, upstream)
    return store.up_to_date(stage, component, params, inputs), inputs
