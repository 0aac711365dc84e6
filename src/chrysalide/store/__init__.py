"""DuckDB schema, migrations and run provenance: the only place with DDL."""

from chrysalide.store.db import DEFAULT_DB, Run, Store, utcnow
from chrysalide.store.migrations import migrate

__all__ = ["DEFAULT_DB", "Run", "Store", "migrate", "utcnow"]
