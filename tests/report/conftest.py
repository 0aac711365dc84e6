"""Fixtures of the report tests: the tiny forum of ``report_forum`` as a CSV and as a filled store."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_forum import LEXICAL, alert, code, consent, rows

from chrysalide.ingest import ingest
from chrysalide.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))
from forum_builder import register_at_first_post  # type: ignore[import-not-found]  # noqa: E402


def write_csv(path: Path) -> Path:
    data = rows()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Ingested, coded, with consent and one alert; community, journeys and lexical steps run (built once per module).

    Tests that change it must restore it.
    """
    from chrysalide.community import community
    from chrysalide.journeys import journeys, survival
    from chrysalide.lexical import lexical
    from chrysalide.text import process

    folder = tmp_path_factory.mktemp("tiny")
    store = Store(folder / "tiny.duckdb")
    ingest(store, write_csv(folder / "forum.csv"))
    register_at_first_post(store)  # its five members first post in its first week: newcomers, not in the burn-in
    process(store)
    code(store)
    consent(store)
    community(store, k_samples=50)
    journeys(store, permutations=49, min_trend_messages=3)
    survival(store)
    alert(store)
    lexical(store, **LEXICAL)
    yield store
    store.close()
