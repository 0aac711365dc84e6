"""Named, recorded schema migrations.

Every stage's DDL lives in ``store/migrations/NNNN_name.sql``; a migration is applied once, in
order, inside a transaction, and recorded in ``schema_migrations`` (the habit of sqlite-utils'
``migrations.py``: a schema change has a name and a history).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb


@dataclass(frozen=True)
class Migration:
    """One schema change: a sortable number, a name and its SQL."""

    number: int
    name: str
    sql: str


@cache
def available() -> tuple[Migration, ...]:
    """All packaged migrations, in the order they apply (read once per process: every store opening checks
    the schema against them)."""
    found = []
    for entry in resources.files("chrysalide.store").joinpath("migrations").iterdir():
        stem, dot, ext = entry.name.partition(".")
        if ext != "sql" or not stem[:4].isdigit():
            continue
        found.append(Migration(int(stem[:4]), stem[5:], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if len(numbers) != len(set(numbers)):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return tuple(found)


def applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations already applied to this database."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " number INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    return [row[0] for row in con.execute("SELECT name FROM schema_migrations ORDER BY number").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration; return the names applied now."""
    done = set(applied(con))
    now_applied = []
    for migration in available():
        if migration.name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                [migration.number, migration.name],
            )
            con.execute("COMMIT")
        except Exception:
            try:
                con.execute("ROLLBACK")
            except duckdb.TransactionException:
                pass  # a failed COMMIT has already ended the transaction: keep the original error
            raise
        now_applied.append(migration.name)
    return now_applied
