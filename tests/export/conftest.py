"""Fixtures of the export tests: a small coded store (see export_store.py)."""

from __future__ import annotations

import pytest
from export_store import fill

from chrysalide.store import Store


@pytest.fixture
def filled(store: Store) -> Store:
    return fill(store)
