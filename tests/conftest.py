"""Shared fixtures: in-memory stores, the path to the real corpora (tests skip without them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

from chrysalide.store import Store
from chrysalide.store.migrations import applied, available

# CI runs the property tests on a fixed sequence of examples, so that a red build can be reproduced
# exactly; local runs keep exploring new examples (and their failures become named regression tests).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture
def older_schema() -> Callable[[int], duckdb.DuckDBPyConnection]:
    """Builds an in-memory database with every migration before ``number`` applied, as a store of an older version
    left it (to test the migrations that follow)."""

    def build(number: int) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:")
        applied(con)
        for migration in available():
            if migration.number >= number:
                break
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [migration.number, migration.name]
            )
        return con

    return build


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh store in a temporary folder (its key file lands beside it)."""
    st = Store(tmp_path / "test.duckdb")
    yield st
    st.close()


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The real corpora of ../shared/corpora, or a skip naming what is missing (session-wide: module fixtures
    that import a corpus once use it too)."""
    if not CORPORA.is_dir():
        pytest.skip(f"real corpora not found at {CORPORA} (tests read them from ../shared/corpora)")
    return CORPORA


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's console 300 characters wide, whatever width it read when first imported (COLUMNS then):
    a table printed in-process then never wraps its cells, whichever test ran before in the same worker."""
    from chrysalide.cli.common import console

    monkeypatch.setattr(console, "width", 300)
