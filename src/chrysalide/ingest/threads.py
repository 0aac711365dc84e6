"""Who wrote before each new message in its thread, as the addressee rule needs it (``privacy/addressees.py``).

Why: a reply that opens by naming a member who wrote earlier in the thread addresses them ("Thanks robin,", "Yes
Rusty,"), and an audit of the stored texts found such names left in clear where they are common words or in lower
case (7 December 2026). The rule needs, per message, its thread's earlier authors. A thread may span chunks (a
chunk is a run of the import's records, and a Reddit export or a folder of files holds a thread's comments
anywhere), so they are read once over every staged chunk, before the chunks are finished: per thread of two new
messages or more, each author's first position among the thread's new messages (the order of
:func:`chrysalide.ingest.writer.position_sql`: by date, undated last, then record), and per thread that has stored
messages (an earlier import of the source), each stored author's first date. A stored author counts as earlier for
a new message dated on or after their first stored message, or where either is undated.

The stored replies whose earlier authors an import changes are read by the same rule after the insert
(:func:`chrysalide.ingest.rescrub.addressed`). Limits: the forms of a name are read as the import knows them (a
member of an earlier import whose name the vault holds is known).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from chrysalide.ingest.staging import Staging
from chrysalide.ingest.writer import position_sql
from chrysalide.store import Store


@dataclass(frozen=True)
class ThreadAuthors:
    """The earlier authors of one chunk's threads, by pseudonym."""

    new: dict[str, dict[str, int]] = field(default_factory=dict)  # thread -> author -> first position (new messages)
    stored: dict[str, dict[str, datetime | None]] = field(default_factory=dict)  # thread -> author -> first date

    def earlier(self, thread: str, position: int, posted: datetime | None) -> Earlier:
        """The authors who wrote before the new message at ``position`` of ``thread``, dated ``posted``."""
        return Earlier(self.new.get(thread, {}), position, self.stored.get(thread, {}), posted)


@dataclass(frozen=True, slots=True)
class Earlier:
    """A container of the pseudonyms of a message's earlier authors in its thread, read only for the few
    messages that open with a name (a set per message would cost a thread's authors per message)."""

    new: Mapping[str, int]
    position: int
    stored: Mapping[str, datetime | None]
    posted: datetime | None

    def __bool__(self) -> bool:
        return self.position > 0 or bool(self.stored)

    def __contains__(self, pseudonym: object) -> bool:
        if not isinstance(pseudonym, str):
            return False
        first = self.new.get(pseudonym)
        if first is not None and first < self.position:
            return True
        if pseudonym not in self.stored:
            return False
        at = self.stored[pseudonym]
        return at is None or self.posted is None or at <= self.posted


def thread_authors(store: Store, source_id: str, stage: Staging, authors: Mapping[str, str]) -> list[ThreadAuthors]:
    """Per staged chunk, the earlier authors of its threads; ``authors``: member key -> pseudonym."""
    files = [str(c.raw) for c in stage.chunks]
    found = [ThreadAuthors() for _ in stage.chunks]
    if not files:
        return found
    chunk_of = {f: i for i, f in enumerate(files)}
    rows = store.con.execute(
        f"""
        WITH m AS (
            SELECT thread_native, member_key, filename, {position_sql("thread_native")} AS position
            FROM read_parquet(?, filename = true)
        ),
        stored AS (
            SELECT t.native_id AS thread_native, p.pseudonym, min(s.posted_at) AS first_at
            FROM messages s JOIN threads t ON t.thread_id = s.thread_id JOIN members p ON p.member_id = s.member_id
            WHERE s.source_id = ? AND t.native_id IN (SELECT thread_native FROM m)
            GROUP BY ALL
        ),
        kept AS (
            SELECT thread_native FROM m GROUP BY thread_native HAVING count(*) > 1
            UNION SELECT thread_native FROM stored
        ),
        chunks AS (SELECT DISTINCT filename, thread_native FROM m SEMI JOIN kept USING (thread_native)),
        firsts AS (
            SELECT thread_native, member_key, min(position) AS position FROM m SEMI JOIN kept USING (thread_native)
            WHERE member_key IS NOT NULL GROUP BY ALL
        )
        SELECT c.filename, c.thread_native, f.member_key, f.position, NULL AS first_at
        FROM chunks c JOIN firsts f USING (thread_native)
        UNION ALL
        SELECT c.filename, c.thread_native, s.pseudonym, NULL, s.first_at
        FROM chunks c JOIN stored s USING (thread_native)
        """,
        [files, source_id],
    ).fetchall()
    for filename, thread, author, position, first_at in rows:
        chunk = found[chunk_of[filename]]
        if position is None:
            chunk.stored.setdefault(thread, {})[author] = first_at
        elif (pseudonym := authors.get(author)) is not None:
            chunk.new.setdefault(thread, {})[pseudonym] = position
    return found
