"""Re-running the pipeline after an import processes only what is new (the text step also the earlier signed messages
of the new messages' writers); on unchanged data it does nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chrysalide.demo import generate
from chrysalide.ingest import ingest
from chrysalide.pipeline import PipelineOptions, pipeline
from chrysalide.store import Store

pytestmark = pytest.mark.slow


def _signed(store: Store) -> set[str]:
    """The messages whose closing lines the text step left out."""
    rows = store.con.execute(
        "SELECT m.native_id FROM text_features f JOIN messages m USING (message_id) WHERE f.removed LIKE '%signature%'"
    )
    return {n for (n,) in rows.fetchall()}


def _runs(store: Store) -> int:
    return store.con.execute("SELECT count(*) FROM runs").fetchone()[0]


def test_pipeline_after_new_messages_and_on_unchanged_data(tmp_path: Path) -> None:
    full = generate(tmp_path / "forum.jsonl", messages=1600, seed=11)
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:1500]), encoding="utf-8")
    options = PipelineOptions(k=4, watch=("levothyrox",))
    with Store(tmp_path / "f.duckdb") as store:
        ingest(store, first, source_name="forum")
        initial = {s.name: s.result for s in pipeline(store, options=options)}
        assert initial["text"].summary["messages"] == 1500 and initial["code"].summary["coded"] == 1500
        lexical_run = store.latest("lexical")

        signed_before = _signed(store)
        assert ingest(store, full, source_name="forum").imported == 100
        steps = {s.name: s.result for s in pipeline(store, options=options)}
        assert steps["code"].summary["coded"] == 100  # the new ones
        # The text step processes the new ones, and again the earlier messages of their writers that close with a
        # signature (the demo's members who sign write "--" and their signature under a message): the writers'
        # closing lines are decided over all their messages (docs/text-layer.md, "Closing lines").
        rows = [json.loads(line) for line in lines]
        writers = {r["author"] for r in rows[1500:]}
        signed = {r["message_id"] for r in rows[:1500] if r["author"] in writers and "\n--\n" in r["text"]}
        again = {n for (n,) in store.con.execute(
            "SELECT m.native_id FROM text_features f JOIN messages m USING (message_id) WHERE f.run_id = ?"
            " AND m.native_id NOT IN (SELECT unnest(?))", [steps["text"].run_id, [r["message_id"] for r in rows[1500:]]]
        ).fetchall()}  # fmt: skip
        assert steps["text"].summary["messages"] == 100 + len(again) and again <= signed | signed_before
        assert again and again <= _signed(store) | signed_before
        lexical = steps["lexical"].summary
        assert lexical["classes_from"] == lexical_run and lexical["assigned_new"] > 0
        for name in ("journeys", "lexical", "survival", "community", "alerts"):
            assert not steps[name].up_to_date, name

        before = _runs(store)
        again = pipeline(store, options=options)
        assert all(s.result.up_to_date for s in again), [s.name for s in again if not s.result.up_to_date]
        assert _runs(store) == before  # on unchanged data no step runs again
