"""Whether a forum's export looks like a selection: the share of its numbered posts it holds.

A forum that numbers every post in one sequence (phpBB: ``post_id`` runs across all boards, an importer's
``sequential_ids``) leaves gaps only where posts were deleted. An export holding fewer than half of the ids between
its smallest and largest holds a selection: of topics (ADFD's knowledge-base export holds 824 posts whose ids span
239 to 112,789, 0.73%) or of boards (one board of a forum is as sparse), which the ids cannot tell apart. A selection
of topics shows each member's first message in it, not on the forum: ``--sampled-threads`` declares it (migration
0031, docs/importers.md). Nothing is decided here: the import warns.
"""

from __future__ import annotations

from chrysalide.store import Store
from chrysalide.units import percent

#: The share of the ids between a source's smallest and largest post id it must hold not to look like a selection.
DENSE = 0.5

# The numeric post ids of a source's stored messages: how many, the smallest and the largest.
_IDS = """
    SELECT count(DISTINCT id), min(id), max(id)
    FROM (SELECT TRY_CAST(native_id AS HUGEINT) AS id FROM messages WHERE source_id = ?) WHERE id IS NOT NULL
"""


def sparse_ids_warning(store: Store, source_id: str) -> str | None:
    """The import's warning when ``source_id``'s stored messages hold fewer than :data:`DENSE` of the post ids between
    their smallest and largest (None otherwise, or with fewer than two numeric ids)."""
    row = store.con.execute(_IDS, [source_id]).fetchone()
    if row is None or row[0] < 2:
        return None
    held, low, high = int(row[0]), int(row[1]), int(row[2])
    share = held / (high - low + 1)
    if share >= DENSE:
        return None
    return (
        f"the {held:,} posts hold {percent(share)} of the post ids from {low:,} to {high:,}: the export may be a "
        "selection of topics or of boards, which the ids cannot tell apart (the forum numbers its posts across "
        "boards). If it is a selection of topics, import it with --sampled-threads (into a new database), so that "
        "members' first messages there do not count as their arrivals"
    )
