"""Earlier imports of a source scrubbed again for the names a later import brings.

A source imported in parts (monthly dumps) meets members whose first message comes after messages that
already named them. When an import adds names to a source that holds messages, the stored messages,
thread titles and rejected records of the source that contain one of the new names (a substring search
in DuckDB picks the candidates) are scrubbed again with the import's scrubber, in the import's
transaction. The text step's rows for those messages are deleted so that its next run derives them from
the scrubbed text (their segments held the names).
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa

from chrysalide.ingest.naming import Naming
from chrysalide.privacy.names import MIN_NAME_LEN, variants
from chrysalide.store import Store
from chrysalide.store.db import table_exists

_COLUMNS = ("text", "quoted_text", "title", "source_text")
_FROM = "messages LEFT JOIN message_sources USING (message_id)"


def _pattern(naming: Naming) -> str | None:
    """A regular expression (RE2) matching any new name's form in lower-case text."""
    forms = {v.text.lower() for n, p, _ in naming.new_names for v in variants(n, p)}
    forms = {f for f in forms if len(f) >= MIN_NAME_LEN}
    return "|".join(re.escape(f) for f in sorted(forms)) if forms else None


def rescrub(store: Store, naming: Naming) -> int:
    """Scrub the source's stored rows that hold a name new in this import; return the messages changed.

    Runs inside the import's transaction, after the new messages were inserted (they are left out).
    """
    pattern = _pattern(naming)
    if pattern is None:
        return 0
    con, scrub = store.con, naming.scrubber.scrub
    haystack = " || ' ' || ".join(f"coalesce({c}, '')" for c in _COLUMNS)
    rows = con.execute(
        f"SELECT message_id, {', '.join(_COLUMNS)} FROM {_FROM} WHERE source_id = ?"
        " AND message_id NOT IN (SELECT message_id FROM new_messages)"
        f" AND regexp_matches(lower({haystack}), ?)",
        [naming.source_id, pattern],
    ).fetchall()
    changed: dict[str, list[Any]] = {"message_id": [], **{c: [] for c in _COLUMNS}}
    for message_id, *values in rows:
        scrubbed = [scrub(v) for v in values]
        if scrubbed != values:
            changed["message_id"].append(message_id)
            for column, value in zip(_COLUMNS, scrubbed, strict=True):
                changed[column].append(value)
    if changed["message_id"]:
        types = {"message_id": pa.int64()}
        store.register("rescrubbed", pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in changed.items()}))
        try:
            con.execute(
                f"UPDATE messages SET {', '.join(f'{c} = r.{c}' for c in _COLUMNS[:3])} FROM rescrubbed r"
                " WHERE messages.message_id = r.message_id"
            )
            con.execute(
                "UPDATE message_sources SET source_text = r.source_text FROM rescrubbed r"
                " WHERE message_sources.message_id = r.message_id AND r.source_text IS NOT NULL"
            )
            for table in ("segments", "text_features"):
                if table_exists(con, table):
                    con.execute(f"DELETE FROM {table} WHERE message_id IN (SELECT message_id FROM rescrubbed)")
        finally:
            con.unregister("rescrubbed")
    _titles_and_rejects(store, naming, pattern)
    return len(changed["message_id"])


def _titles_and_rejects(store: Store, naming: Naming, pattern: str) -> None:
    """Thread titles and raw rejected records of the source that hold a new name."""
    con, scrub = store.con, naming.scrubber.scrub
    for table, key, column in (("threads", "thread_id", "title"), ("rejects", "record_no", "raw")):
        rows = con.execute(
            f"SELECT {key}, {column} FROM {table} WHERE source_id = ? AND regexp_matches(lower({column}), ?)",
            [naming.source_id, pattern],
        ).fetchall()
        updates = [(new, naming.source_id, k) for k, value in rows if (new := scrub(value)) != value]
        if updates:
            con.executemany(f"UPDATE {table} SET {column} = ? WHERE source_id = ? AND {key} = ?", updates)
