"""Several coders in one pass write exactly what separate calls write, one run each, on every executor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.coding import code
from chrysalide.coding import run as run_module
from chrysalide.coding.partition import code_partition
from chrysalide.errors import ConfigError
from chrysalide.ingest import ingest
from chrysalide.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "coding"
# Every column but run_id and decided_at, which differ between any two runs.
ROWS = "SELECT * EXCLUDE (run_id, decided_at) FROM codes ORDER BY origin, coder, message_id"
RUNS = "SELECT run_id, component, status, summary FROM runs WHERE stage = 'coding' ORDER BY run_id"


def _store(folder: Path) -> Store:
    folder.mkdir()
    shutil.copyfile(DATA / "regression.key", folder / "s.key")
    store = Store(folder / "s.duckdb")
    ingest(store, DATA / "regression_forum.jsonl")
    return store


@pytest.fixture(scope="module")
def separate(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, list[str]]:
    """The codes of ``code(lexicon)`` then ``code(model)`` and the two coder names."""
    with _store(tmp_path_factory.mktemp("separate") / "s") as store:
        names = [code(store, coder=kind, workers=1)["coder"] for kind in ("lexicon", "model")]
        return store.con.execute(ROWS).df(), names


def test_one_pass_writes_the_rows_and_runs_of_separate_calls(tmp_path: Path, separate) -> None:
    expected, names = separate
    with _store(tmp_path / "s") as store:
        result = code(store, coder=("lexicon", "model"), workers=1)
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), expected)
        runs = store.con.execute(RUNS).fetchall()
    assert result["messages"] == 215 and result["coded"] == {"lexicon": 215, "model": 215}
    assert [r["coder"] for r in result["runs"]] == names
    assert [(r[1], r[2]) for r in runs] == [(names[0], "ok"), (names[1], "ok")]
    assert [r["run_id"] for r in result["runs"]] == [r[0] for r in runs]
    assert [json.loads(r[3])["coded"] for r in runs] == [215, 215]
    for single in result["runs"]:
        assert sum(single["primary_counts"].values()) == single["coded"]


def test_each_coder_codes_only_what_it_has_not_coded(tmp_path: Path, separate) -> None:
    expected, _ = separate
    with _store(tmp_path / "s") as store:
        code(store, coder="lexicon", workers=1)
        # Forget a third of the lexicon codes: the combined pass recodes those and gives the model everything.
        store.con.execute("DELETE FROM codes WHERE origin = 'lexicon' AND message_id % 3 = 0")
        forgotten = 215 - store.count("codes")
        result = code(store, coder=["model", "lexicon"], workers=1)
        assert result["coded"] == {"lexicon": forgotten, "model": 215}
        assert result["messages"] == 215
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), expected)
        again = code(store, coder=("lexicon", "model"), workers=1)
    assert again["messages"] == 0 and again["coded"] == {"lexicon": 0, "model": 0}


def test_pool_of_processes_writes_the_same_rows(tmp_path: Path, separate) -> None:
    with _store(tmp_path / "s") as store:
        code(store, coder=("lexicon", "model"), workers=2)
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), separate[0])


def test_a_failed_insert_leaves_no_codes_and_two_failed_runs(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def insert_then_fail(store, relation, run_id, origin, name):
        calls.append(origin)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        original(store, relation, run_id, origin, name)

    original = run_module._insert
    monkeypatch.setattr(run_module, "_insert", insert_then_fail)
    with _store(tmp_path / "s") as store:
        with pytest.raises(RuntimeError, match="disk full"):
            code(store, coder=("lexicon", "model"), workers=1)
        assert store.count("codes") == 0
        assert [r[2] for r in store.con.execute(RUNS).fetchall()] == ["failed", "failed"]


def test_partition_of_several_coders_respects_needs_columns() -> None:
    frame = pd.DataFrame({"message_id": [3, 1, 2], "text": ["Merci à toutes !", "Signez la pétition", "ok"],
                          "lang": ["fr"] * 3, "kind": ["reply"] * 3, "needs_lexicon": [True, False, False],
                          "needs_model": [True, True, False]})  # fmt: skip
    out = code_partition(frame, coder=("lexicon", "model"))
    assert sorted(out) == ["codes_lexicon", "codes_model"]
    assert out["codes_lexicon"]["message_id"].tolist() == [3]
    assert out["codes_model"]["message_id"].tolist() == [3, 1]
    alone = code_partition(frame.iloc[[0]].drop(columns=["needs_lexicon", "needs_model"]), coder="lexicon")["codes"]
    pd.testing.assert_frame_equal(out["codes_lexicon"], alone)
    empty = code_partition(frame.iloc[:0], coder=("lexicon", "model"))
    assert all(rows.empty for rows in empty.values())


@pytest.mark.parametrize(
    ("coder", "options", "message"),
    [
        (("lexicon", "lexicon"), {}, "each coder kind once"),
        ((), {}, "at least one"),
        (("lexicon", "bert"), {}, "unknown coder 'bert'"),
        (("lexicon",), {"model": "m.npz"}, "--model applies to the model coder"),
        (("model",), {"codebook": "c.yaml"}, "--codebook applies to the lexicon coder"),
    ],
)
def test_bad_coder_lists_are_refused(store: Store, coder, options, message) -> None:
    with pytest.raises(ConfigError, match=message):
        code(store, coder=coder, **options)
    assert store.count("runs") == 0


def test_cli_repeated_coder_option(tmp_path: Path, separate) -> None:
    with _store(tmp_path / "s") as store:
        db = store.path
    result = CliRunner().invoke(app, ["code", "--db", str(db), "--coder", "lexicon", "--coder", "model",
                                      "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("coded 215 messages with") == 2
    with Store(db) as store:
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), separate[0])
