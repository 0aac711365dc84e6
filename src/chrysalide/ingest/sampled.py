"""Whether a forum's export looks like a selection: the share of its numbered posts it holds, or threads cut at
one size.

A forum that numbers every post in one sequence (phpBB: ``post_id`` runs across all boards, an importer's
``sequential_ids``) leaves gaps only where posts were deleted. An export holding fewer than half of the ids between
its smallest and largest holds a selection: of topics (ADFD's knowledge-base export holds 824 posts whose ids span
239 to 112,789, 0.73%) or of boards (one board of a forum is as sparse), which the ids cannot tell apart. A selection
of topics shows each member's first message in it, not on the forum: ``--sampled-threads`` declares it (migration
0031, docs/importers.md). Nothing is decided here: the import warns.

A scraper that keeps a fixed number of messages per thread leaves most threads at that number and none above it
(r/mentalhealth's comment table: 964 of its 1,000 threads hold exactly 10 comments, none more), where a forum's
thread sizes spread out and few threads share the largest. Such an export holds a sample of each conversation,
usually of a selection of threads: members' first messages there are no arrivals either, and its weekly volume
counts the threads the scraper took.
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


#: The threads a source must have for its sizes to tell a cut, and the share of them at the largest size that does.
CAPPED_MIN_THREADS, CAPPED = 20, 0.5

# Per thread of a source, its stored messages: how many threads, the largest size, how many threads have it.
_SIZES = """
    WITH sizes AS (SELECT thread_id, count(*) AS n FROM messages WHERE source_id = ? GROUP BY thread_id)
    SELECT count(*), max(n), count(*) FILTER (WHERE n = (SELECT max(n) FROM sizes)) FROM sizes
"""


def capped_threads_warning(store: Store, source_id: str) -> str | None:
    """The import's warning when at least :data:`CAPPED` of ``source_id``'s threads (of
    :data:`CAPPED_MIN_THREADS` or more) hold exactly the largest number of messages, two or more: the export looks
    cut at that many messages a thread (None otherwise)."""
    row = store.con.execute(_SIZES, [source_id]).fetchone()
    if row is None or row[0] < CAPPED_MIN_THREADS or (row[1] or 0) < 2:
        return None
    threads, size, at_size = int(row[0]), int(row[1]), int(row[2])
    if at_size < CAPPED * threads:
        return None
    return (
        f"{at_size:,} of the {threads:,} threads ({percent(at_size / threads)}) hold exactly {size:,} messages and "
        f"none holds more: the export looks cut at {size:,} messages a thread, a sample of each conversation (and "
        "maybe a selection of threads), whose weekly volume counts the threads taken. If so, import it with "
        "--sampled-threads (into a new database), so that members' first messages there do not count as their "
        "arrivals"
    )
