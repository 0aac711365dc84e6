"""The user-facing corpus object: a store opened for reading, with pandas at the boundary."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.store import DEFAULT_DB, Store


class Corpus:
    """A Chrysalide database seen as members, threads and messages (pandas DataFrames)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def path(self) -> str:
        return self.store.path

    def sql(self, query: str, params: builtins.list[Any] | None = None) -> pd.DataFrame:
        """Run any SQL on the store and return a DataFrame."""
        return self.store.con.execute(query, params or []).df()

    def messages(self, source_id: str | None = None) -> pd.DataFrame:
        return self._table("messages", source_id, "posted_at, message_id")

    def members(self, source_id: str | None = None) -> pd.DataFrame:
        return self._table("members", source_id, "member_id")

    def threads(self, source_id: str | None = None) -> pd.DataFrame:
        return self._table("threads", source_id, "started_at, thread_id")

    def sources(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM sources ORDER BY imported_at")

    def rejects(self, source_id: str | None = None) -> pd.DataFrame:
        return self._table("rejects", source_id, "source_id, record_no")

    def journey(self, member: int | str) -> dict[str, Any]:
        """A member's coded timeline and milestones (member id or pseudonym); see ``chrysalide.journeys``."""
        from chrysalide.journeys import journey

        return journey(self.store, member)

    def _table(self, table: str, source_id: str | None, order: str) -> pd.DataFrame:
        if source_id is None:
            return self.sql(f"SELECT * FROM {table} ORDER BY {order}")
        return self.sql(f"SELECT * FROM {table} WHERE source_id = ? ORDER BY {order}", [source_id])

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(path: str | Path = DEFAULT_DB, *, create: bool = False) -> Corpus:  # noqa: A001 - mirrors builtins.open
    """Open a Chrysalide database (migrating it if needed); a missing one is an error unless ``create``."""
    return Corpus(Store(path, create=create))
