"""What a step read: a fingerprint of the stored data, so that a step whose inputs did not change is not run again.

Every table a step declares it reads gets one line: its row count and the XOR of a hash of the columns that
identify a row's content (``content_hash`` stands for a message's text, ``run_id`` for what a step derived
from it). XOR makes the line independent of row order and sensitive to any row added, removed or changed;
DuckDB computes it in one scan per table (about 0.1 s for the study's 485,000 messages). A view stands for
the tables it is computed from (:data:`VIEW_TABLES`). The newest runs of the steps a step reads after
(``Step.after``) are part of its fingerprint too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chrysalide.store.db import Store

#: Tables steps read, and the columns whose hash stands for a row.
HASH_COLUMNS = {
    "messages": "message_id, content_hash, thread_id, member_id, reply_to_id, posted_at, position_in_thread, lang",
    "members": "member_id, pseudonym, role, registered_at, meta",
    "threads": "thread_id, board, title, starter_id, started_at",
    # options: declared thread starts (0028), boards apart (0029), a declared selection of threads (0031)
    "sources": "source_id, imported_at, options",
    "consent": "member_id, status, scope, date",
    "codes": "run_id, message_id, primary_code, origin, coder, decided_at",
    "text_features": "message_id, run_id",
    "segments": "segment_id, run_id",
}

#: The tables each shared view (migrations 0008, 0012, 0015 to 0019, 0022, 0023, 0025, 0026, 0029, 0037 and
#: ``current_codes``) is computed from.
VIEW_TABLES = {
    "thread_order": ("messages",),
    "source_trees": ("messages",),
    "reply_targets": ("messages",),
    "reply_collection": ("messages",),
    "declared_replies": ("messages",),
    "member_firsts": ("messages",),
    "member_order": ("messages",),
    "bot_accounts": ("messages", "text_features"),  # a table computed again when these change (0027: store.bots)
    # codes: a request is coded individual; sources: a table without thread ids has none (0025)
    "newcomers": ("messages", "members", "text_features", "codes", "threads", "sources"),
    "unthreaded_sources": ("messages", "sources", "threads"),
    "sampled_sources": ("sources",),  # sources.options: declared a selection of threads (0031)
    "board_starts": ("messages", "threads", "sources"),  # sources: boards collected apart (0029)
    # threads: unreadable_messages (0023) and board_starts (0029)
    "member_arrivals": ("messages", "members", "text_features", "threads", "sources"),
    "first_answers": ("messages", "text_features"),
    "current_codes": ("codes",),
    "unreadable_messages": ("messages", "threads", "text_features"),  # threads: a thread start coded on its title
    "decentering": ("messages", "codes", "text_features", "threads"),
}


def input_state(store: Store, tables: Sequence[str], upstream: Sequence[str] = ()) -> str:
    """A short digest of ``tables`` and of the newest run of each ``upstream`` step."""
    lines = []
    for table in tables:
        columns = HASH_COLUMNS.get(table)
        if columns is None:
            raise KeyError(f"no fingerprint columns for table {table!r} (add it to HASH_COLUMNS)")
        row = store.con.execute(f"SELECT count(*), bit_xor(hash({columns})) FROM {table}").fetchone()
        lines.append(f"{table}:{row[0] if row else 0}:{row[1] if row else None}")
    lines.extend(f"run:{step}:{store.latest(step)}" for step in upstream)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def params_json(params: dict[str, Any] | None) -> str:
    """Parameters as ``runs.params`` stores them (compared as text to find an identical run)."""
    return json.dumps(params or {}, default=str)
