"""A message imported again with other content: which of its fields differ, and whether it is the same message.

A source exported twice (a forum dumped again a year later, a table saved again by another program) holds the
messages imported before: some edited at the source since, some only written otherwise. The content digest
(:func:`chrysalide.ingest.ids.content_hash`) tells that a record differs from the stored message of its id; each
stored message also keeps a digest of each of its fields (``messages.field_digest``, 16 bits a field, NULL for
messages imported before it was kept) so that the reject says which field differs. A record whose only
difference is its date written another way for the same instant ("2021-03-04 10:00" and "2021-03-04T10:00:00Z"
in a source without a zone) is the stored message: it is skipped as a duplicate, not rejected.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from chrysalide.ingest.dateorder import DateReader
from chrysalide.ingest.records import Reject
from chrysalide.store import Store

#: The fields of a message's :func:`field_digest`, in order.
FIELDS = ("thread", "author", "date", "text", "quoted text", "title", "reply target")
_WIDTH = 4  # hex digits a field


def field_digest(*parts: object) -> str:
    """Four hex digits (16 bits of CRC-32) for each of :data:`FIELDS`: enough to name a field that differs (one change
    in 65,536 goes unnamed), not to tell what it held. None reads as an empty field."""
    crc = zlib.crc32
    sums = [0 if p is None else crc((p if type(p) is str else str(p)).encode("utf-8", "surrogatepass")) for p in parts]
    return struct.pack(f">{len(sums)}H", *(s & 0xFFFF for s in sums)).hex()


def differing(stored: str, read: str) -> list[str]:
    """The names of the fields whose digests differ."""
    return [
        name
        for i, name in enumerate(FIELDS)
        if stored[i * _WIDTH : (i + 1) * _WIDTH] != read[i * _WIDTH : (i + 1) * _WIDTH]
    ]


@dataclass(slots=True)
class Changed:
    """A record whose id the source's stored messages hold with another content digest."""

    native: str
    record_no: int
    raw: str | None
    digest: str
    posted: object


class Stored:
    """The source's stored messages as an import compares its records with them: native id -> content digest (as an
    int, the compact form of pass 1), and each field's digest and the date of those that changed, read on demand."""

    def __init__(self, store: Store, source_id: str) -> None:
        self.digests: dict[str, int] = {}
        self._store, self._source_id = store, source_id
        cursor = store.con.execute("SELECT native_id, content_hash FROM messages WHERE source_id = ?", [source_id])
        while rows := cursor.fetchmany(100_000):
            self.digests.update((native, int(digest, 16)) for native, digest in rows)

    def fields(self, natives: Iterable[str]) -> dict[str, tuple[str | None, datetime | None]]:
        """Native id -> (field digest, date) of these stored messages."""
        rows = self._store.con.execute(
            "SELECT native_id, field_digest, posted_at FROM messages WHERE source_id = ? AND native_id IN"
            " (SELECT unnest(?))",
            [self._source_id, list(natives)],
        ).fetchall()
        return {native: (digest, posted) for native, digest, posted in rows}


def settle(changed: list[Changed], stored: Stored, dates: DateReader) -> tuple[list[Reject], list[Changed]]:
    """The rejects of the records that changed, each naming the fields that differ, and the records that are their
    stored message with its date written otherwise (same instant), to skip as duplicates."""
    held = stored.fields(c.native for c in changed)
    rejects, same = [], []
    for record in changed:
        digest, posted = held.get(record.native, (None, None))
        reason = f"id {record.native!r} was imported before with different content"
        if digest is None:
            reason += " (imported by an older version, which kept no digest of each field to tell which differs)"
        else:
            fields = differing(digest, record.digest)
            if "date" in fields and posted is not None and dates.parse(record.posted) == posted:
                fields.remove("date")  # written otherwise, the same instant
                if not fields:
                    same.append(record)
                    continue
            names = " and ".join(", ".join(fields).rsplit(", ", 1)) or "content"
            reason += f": its {names} differ{'s' if len(fields) < 2 else ''}"
            if "date" in fields:
                stored_at = "none" if posted is None else f"{posted:%Y-%m-%d %H:%M:%S} UTC"
                reason += f" (date stored: {stored_at!r}, read: {str(record.posted)[:40]!r})"
            reason += "; the stored message is kept"
        rejects.append(Reject(record.record_no, record.raw, reason))
    return rejects, same
