"""The demo corpus goes through the generic importers whole, and is identical across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chrysalide.demo import generate
from chrysalide.ingest.loader import ingest
from chrysalide.store import Store


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_generic_importer_takes_every_message(store: Store, tmp_path: Path, fmt: str) -> None:
    path = generate(tmp_path / f"forum.{fmt}", messages=1500, seed=9, fmt=fmt)
    report = ingest(store, path)
    assert report.rejected == 0 and report.imported == 1500
    n, replies, threads = store.con.execute(
        "SELECT count(*), count(reply_to_id), count(DISTINCT thread_id) FROM messages"
    ).fetchone()
    assert (n, threads) == (1500, round(1500 * 54_305 / 485_000))
    assert replies == n - threads


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    here = generate(tmp_path / "here.jsonl", messages=1500, truth=True)
    there = tmp_path / "there.jsonl"
    code = f"from chrysalide.demo import generate; generate({str(there)!r}, messages=1500, truth=True)"
    hash_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ, PYTHONHASHSEED=hash_seed))
    assert here.read_bytes() == there.read_bytes()
    assert here.with_suffix(".truth.csv").read_bytes() == there.with_suffix(".truth.csv").read_bytes()
