"""Thread order: every message's 0-based position in its thread, as a temp view of the connection."""

from __future__ import annotations

from chrysalide.store import Store

ORDERED_SQL = """
CREATE OR REPLACE TEMP VIEW chrys_ordered AS
SELECT m.*, row_number() OVER (PARTITION BY m.thread_id
        ORDER BY m.posted_at NULLS LAST, m.record_no NULLS LAST, m.message_id) - 1 AS pos
FROM messages m
"""


def ensure_ordered(store: Store) -> None:
    """Create the temp view ``chrys_ordered``: messages with ``pos``, their 0-based position in the thread.

    Thread order is posted_at, then file order (record_no), then message_id. Recomputed here rather than
    trusting ``position_in_thread`` so that stores filled by other tools (or tests) give the same answers.
    """
    store.con.execute(ORDERED_SQL)
