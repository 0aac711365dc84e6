"""Whether a forum's export looks like a selection: the share of its numbered posts it holds, or threads cut at
one size.

A forum that numbers every post in one sequence (phpBB: ``post_id`` runs across all boards, an importer's
``sequential_ids``) leaves gaps only where posts were deleted. An export holding fewer than half of the ids between
its smallest and largest holds a selection: of topics (ADFD's knowledge-base export holds 824 posts whose ids span
239 to 112,789, 0.73%) or of boards (one board of a forum is as sparse), which the ids cannot tell apart. A selection
of topics shows each member's first message in it, not on the forum: ``--sampled-threads`` declares it (migration
0031, docs/importers.md).

A scraper that keeps a fixed number of messages per thread leaves most threads at that number and none above it
(r/mentalhealth's comment table: 964 of its 1,000 threads hold exactly 10 comments, none more), where a forum's
thread sizes spread out and few threads share the largest. Such an export holds a sample of each conversation,
usually of a selection of threads: members' first messages there are no arrivals either, and its weekly volume
counts the threads the scraper took.

Nothing is decided here: the signs are read from the stored messages, by the import (which warns once) and by the
community, alerts, journeys and survival runs (:func:`undeclared_selections`, kept in their summaries), whose
newcomer, volume and arrival figures the report, the dashboard and the command line give with
:func:`undeclared_caveat` beside them. Only a declaration changes what is counted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from chrysalide.errors import InputError
from chrysalide.ingest import registry
from chrysalide.store import Store
from chrysalide.units import percent

#: The share of the ids between a source's smallest and largest post id it must hold not to look like a selection.
DENSE = 0.5

# The numeric post ids of a source's stored messages: how many, the smallest and the largest.
_IDS = """
    SELECT count(DISTINCT id), min(id), max(id)
    FROM (SELECT TRY_CAST(native_id AS HUGEINT) AS id FROM messages WHERE source_id = ?) WHERE id IS NOT NULL
"""


@dataclass(frozen=True)
class SparseIds:
    """A source's numeric post ids: how many it holds (``held``), the smallest (``low``) and the largest (``high``)."""

    held: int
    low: int
    high: int

    def evidence(self) -> str:
        """'the 824 posts hold 0.7% of the post ids from 239 to 112,789'."""
        share = self.held / (self.high - self.low + 1)
        return f"the {self.held:,} posts hold {percent(share)} of the post ids from {self.low:,} to {self.high:,}"


def sparse_ids(con: Any, source_id: str) -> SparseIds | None:
    """``source_id``'s post ids when its stored messages hold fewer than :data:`DENSE` of those between their smallest
    and largest (None otherwise, or with fewer than two numeric ids). ``con``: a connection or a cursor."""
    row = con.execute(_IDS, [source_id]).fetchone()
    if row is None or row[0] < 2:
        return None
    found = SparseIds(int(row[0]), int(row[1]), int(row[2]))
    return found if found.held / (found.high - found.low + 1) < DENSE else None


def sparse_ids_warning(store: Store, source_id: str) -> str | None:
    """The import's warning when ``source_id``'s post ids are sparse (:func:`sparse_ids`; None otherwise)."""
    found = sparse_ids(store.con, source_id)
    if found is None:
        return None
    return (
        f"{found.evidence()}: the export may be a selection of topics or of boards, which the ids cannot tell apart "
        "(the forum numbers its posts across boards). If it is a selection of topics, import it with "
        "--sampled-threads (into a new database), so that members' first messages there do not count as their "
        "arrivals"
    )


#: The threads a source must have for its sizes to tell a cut, and the share of them at the largest size that does.
CAPPED_MIN_THREADS, CAPPED = 20, 0.5

# Per thread of a source, its stored messages: how many threads, the largest size, how many threads have it.
_SIZES = """
    WITH sizes AS (SELECT thread_id, count(*) AS n FROM messages WHERE source_id = ? GROUP BY thread_id)
    SELECT count(*), max(n), count(*) FILTER (WHERE n = (SELECT max(n) FROM sizes)) FROM sizes
"""


@dataclass(frozen=True)
class CappedThreads:
    """A source's threads (``threads``), their largest number of messages (``size``) and how many hold it
    (``at_size``)."""

    threads: int
    size: int
    at_size: int

    def evidence(self) -> str:
        """'964 of the 1,000 threads (96%) hold exactly 10 messages and none holds more'."""
        return (f"{self.at_size:,} of the {self.threads:,} threads ({percent(self.at_size / self.threads)}) hold "
                f"exactly {self.size:,} messages and none holds more")  # fmt: skip


def capped_threads(con: Any, source_id: str) -> CappedThreads | None:
    """``source_id``'s thread sizes when at least :data:`CAPPED` of its threads (of :data:`CAPPED_MIN_THREADS` or
    more) hold exactly the largest number of messages, two or more: the export looks cut at that many messages a
    thread (None otherwise). ``con``: a connection or a cursor."""
    row = con.execute(_SIZES, [source_id]).fetchone()
    if row is None or row[0] < CAPPED_MIN_THREADS or (row[1] or 0) < 2:
        return None
    found = CappedThreads(int(row[0]), int(row[1]), int(row[2]))
    return found if found.at_size >= CAPPED * found.threads else None


def capped_threads_warning(store: Store, source_id: str) -> str | None:
    """The import's warning when ``source_id``'s threads look cut at one size (:func:`capped_threads`; None
    otherwise)."""
    found = capped_threads(store.con, source_id)
    if found is None:
        return None
    return (
        f"{found.evidence()}: the export looks cut at {found.size:,} messages a thread, a sample of each "
        "conversation (and maybe a selection of threads), whose weekly volume counts the threads taken. If so, "
        "import it with --sampled-threads (into a new database), so that members' first messages there do not count "
        "as their arrivals"
    )


def _sequential(importer: str) -> bool:
    """Whether the importer named ``importer`` reads a forum that numbers its posts in one sequence (an importer
    no longer installed, a plug-in's, is not known to)."""
    try:
        return bool(getattr(registry.get(importer), "sequential_ids", False))
    except InputError:
        return False


# The sources holding messages that were not declared a selection of threads (view ``sampled_sources``).
_UNDECLARED = """
    SELECT source_id, importer FROM sources
    WHERE source_id IN (SELECT source_id FROM messages) AND source_id NOT IN (SELECT source_id FROM sampled_sources)
    ORDER BY source_id
"""


def undeclared_selections(con: Any) -> dict[str, dict[str, dict[str, int]]]:
    """The sources not declared a selection of threads that look like one, each with its signs: ``sparse_ids``
    (:func:`sparse_ids`, for an importer whose forum numbers its posts in one sequence) and ``capped_threads``
    (:func:`capped_threads`), as the import warned; {} when none. ``con``: a connection or a cursor."""
    found: dict[str, dict[str, dict[str, int]]] = {}
    for source_id, importer in con.execute(_UNDECLARED).fetchall():
        signs = {"sparse_ids": sparse_ids(con, source_id) if _sequential(str(importer)) else None,
                 "capped_threads": capped_threads(con, source_id)}  # fmt: skip
        if any(signs.values()):
            found[str(source_id)] = {name: asdict(sign) for name, sign in signs.items() if sign is not None}
    return found


#: What an undeclared selection does to the newcomer figures and to the weekly volume (``what`` of
#: :func:`undeclared_caveat`).
NEWCOMERS_COUNTED = (
    "its members' first messages there are counted as their arrivals (newcomers), though they need not be their "
    "first on the forum"
)
#: What an undeclared selection does to the journeys' figures read from members' arrivals (arrived helping, the time
#: at risk and decentering, the milestones' delays from the first message, the survival model).
ARRIVALS_READ = (
    "its members' first messages there are read as their arrivals (arrived helping, the time at risk and "
    "decentering, the milestones' delays from the first message), though they need not be their first on the forum"
)
VOLUME_COUNTED = (
    "its weekly volume counts the threads the export took, so that a burst of volume may be the export's rather "
    "than the forum's"
)


def _signs_text(signs: dict[str, dict[str, int]]) -> str:
    """A source's signs of :func:`undeclared_selections` in words, with what each suggests."""
    said = []
    if sparse := signs.get("sparse_ids"):
        said.append(f"{SparseIds(**sparse).evidence()}, as in a selection of topics or of boards")
    if capped := signs.get("capped_threads"):
        found = CappedThreads(**capped)
        said.append(f"{found.evidence()}, as in an export cut at {found.size:,} messages a thread")
    return "; ".join(said)


def undeclared_caveat(selections: dict[str, dict[str, dict[str, int]]], what: str) -> str:
    """Each source of ``selections`` (:func:`undeclared_selections`, from a run's summary) named with its evidence,
    ``what`` it does to the figures beside it (:data:`NEWCOMERS_COUNTED`, :data:`ARRIVALS_READ`,
    :data:`VOLUME_COUNTED`) and the remedy, as a clause without its capital or full stop ('' when none)."""
    return "; ".join(
        f"source '{name}' was not declared a selection of threads at import but looks like one ({_signs_text(signs)}): "
        f"{what}; if it is one, import it again with --sampled-threads (into a new database)"
        for name, signs in selections.items()
    )
