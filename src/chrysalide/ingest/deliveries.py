"""A later delivery of a forum imported as a source of its own.

A forum often comes in parts (an export a month, a scrape a year). Each part imported without ``--source-name``
becomes a source named after its file, and a source's authors are its members: a person who posts in two parts is
then two members with two pseudonyms (two journeys, a newcomer twice), and each part's messages are scrubbed only
of their own source's member names. A part that repeats messages of another source is refused
(``loader._check_elsewhere``); a part that brings only new messages is not, so the import warns when its authors
are members of another source of the same format, which is what a later delivery looks like.
"""

from __future__ import annotations

from collections.abc import Collection

from chrysalide.privacy.pseudonyms import Pseudonymiser
from chrysalide.store import Store

#: Authors shared with another source that tell a later part: at least this many, and this share of the import's
#: (patient.info's second part: 29 of 140; two small forums may share a few common user names by chance).
MIN_SHARED, MIN_SHARE = 10, 0.10


def shared_members(
    store: Store, source_id: str, importer: str, keys: Collection[str], pseudo: Pseudonymiser
) -> tuple[int, str] | None:
    """For a new source (``source_id``, holding no message yet) whose authors (member ``keys``) are members of another
    source of the same ``importer``: how many, and that source (the one sharing most); None when none shares enough
    (:data:`MIN_SHARED`, :data:`MIN_SHARE`).

    A member's id is keyed on its source (``Pseudonymiser.member_ids``): the import's keys are derived under each
    other source's name and looked up among its members; nothing is compared in clear.
    """
    if not keys:
        return None
    others = store.con.execute(
        "SELECT source_id FROM sources WHERE importer = ? AND source_id <> ? ORDER BY source_id", [importer, source_id]
    ).fetchall()
    best: tuple[int, str] | None = None
    for (other,) in others:
        ids = pseudo.member_ids(other, keys)
        row = store.con.execute(
            "SELECT count(*) FROM members WHERE source_id = ? AND member_id IN (SELECT unnest(?))", [other, ids]
        ).fetchone()
        shared = int(row[0]) if row else 0
        if best is None or shared > best[0]:
            best = (shared, other)
    return best if best is not None and best[0] >= max(MIN_SHARED, MIN_SHARE * len(keys)) else None


def consequence(source_id: str, other: str) -> str:
    """What importing a later part as a source of its own does."""
    return (
        f"a later part of that forum belongs to that source (--source-name {other}), which stores only what is new; "
        f"as a source of its own, {source_id!r}, each of them would be two members with two pseudonyms, and each "
        "source's member names would not be scrubbed from the other's messages"
    )
