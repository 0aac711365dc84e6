"""The lexical step reports its phases (the matrix, each split, four tables) as counts of a known total."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from chrysalide.lexical import lexical
from chrysalide.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from test_cli_lexical import make_db  # noqa: E402 - a store of two vocabularies
from test_step import VOCABS, fill  # noqa: E402 - the three-vocabulary forum of the step's tests


def progress_of(store: Store, **params: object) -> list[tuple[int, int]]:
    calls: list[tuple[int, int]] = []
    lexical(store, progress=lambda done, total: calls.append((done, total)), min_docfreq=3, **params)  # type: ignore[arg-type]
    return calls


def check(calls: list[tuple[int, int]], total: int) -> None:
    done = [d for d, _ in calls]
    assert calls[-1] == (total, total) and all(d <= t for d, t in calls)
    assert done[0] == 0 and done == sorted(set(done))  # each phase once, in order


def test_simple_classification_counts_the_matrix_each_split_and_four_tables(store: Store) -> None:
    fill(store)
    calls = progress_of(store, k=3)
    check(calls, 1 + 2 + 4)
    assert [d for d, _ in calls] == list(range(8))  # three vocabularies: both splits are made


def test_double_classification_counts_the_splits_of_both_runs(store: Store) -> None:
    fill(store)
    check(progress_of(store, double=True, max_k=3, min_segment_size1=3, min_segment_size2=4), 1 + 2 * 2 + 4)


def test_new_segments_joining_a_run_make_no_split(store: Store) -> None:
    fill(store)
    check(progress_of(store, k=3), 7)
    store.con.execute(
        "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, lang,"
        " content_hash) VALUES (500, 's', '500', 0, 0, ?, 'x', 'en', 'h')",
        [pd.Timestamp(2021, 1, 1)],
    )
    words = " ".join(VOCABS[0][:6])
    store.con.execute(
        "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (5000, 500, 0, 0, ?, ?)",
        [words, words],
    )
    calls = progress_of(store, k=3)
    check(calls, 1 + 4)  # the classes of the first run are kept: no split
    assert calls[:2] == [(0, 7), (1, 7)]  # the total drops once the matrix tells that a run can be extended


def test_without_a_callback_the_step_is_silent(store: Store, capsys) -> None:  # type: ignore[no-untyped-def]
    fill(store)
    lexical(store, k=3, min_docfreq=3)
    assert capsys.readouterr() == ("", "")


def test_the_cli_draws_the_phases_on_a_terminal_and_nothing_under_json(tmp_path: Path) -> None:
    db = str(make_db(tmp_path / "c.duckdb"))
    env = {**os.environ, "TTY_COMPATIBLE": "1", "COLUMNS": "160"}  # Rich draws as on a terminal
    args = [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "lexical", "--db", db, "--k", "2",
            "--min-docfreq", "3", "--refit"]  # fmt: skip
    shown = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert "lexical: classifying 80 segments" in shown.stderr and "6/6" in shown.stderr  # 1 + 1 split + 4
    quiet = subprocess.run([*args, "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert [c["size"] for c in json.loads(quiet.stdout)["classes"]] == [40, 40]
