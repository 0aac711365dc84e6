"""Thread order: every message's 0-based position in its thread, as a temp view of the connection."""

from __future__ import annotations

from chrysalide.store import Store

# The window sorts the narrow columns it needs only, then joins back: sorting whole rows carried every
# message's text through the sort (journeys frame of 5 million messages: peak 8.7 -> 4.8 GB, 17.7 -> 9.9 s).
ORDERED_SQL = """
CREATE OR REPLACE TEMP VIEW chrys_ordered AS
SELECT m.*, o.pos FROM messages m JOIN (
    SELECT message_id, row_number() OVER (PARTITION BY thread_id
            ORDER BY posted_at NULLS LAST, record_no NULLS LAST, message_id) - 1 AS pos
    FROM messages
) o USING (message_id)
"""


def ensure_ordered(store: Store) -> None:
    """Create the temp view ``chrys_ordered``: messages with ``pos``, their 0-based position in the thread.

    Thread order is posted_at, then file order (record_no), then message_id. Recomputed here rather than
    trusting ``position_in_thread`` so that stores filled by other tools (or tests) give the same answers.
    """
    store.con.execute(ORDERED_SQL)
