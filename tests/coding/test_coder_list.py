"""Several coders: one run and one result per coder, the rows separate calls write, on every backend."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import regression_store  # type: ignore[import-not-found]
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.coding import code, coder_kinds, register_coder
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.distributed import Execution
from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.store import step as step_module

DATA = Path(__file__).resolve().parents[1] / "data" / "coding"
# Every column but run_id and decided_at, which differ between any two runs.
ROWS = "SELECT * EXCLUDE (run_id, decided_at) FROM codes ORDER BY origin, coder, message_id"
RUNS = "SELECT run_id, component, status, summary FROM runs WHERE stage = 'coding' ORDER BY run_id"


_store = regression_store


@pytest.fixture(scope="module")
def separate(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, list[str]]:
    """The codes of ``code(lexicon)`` then ``code(model)`` and the two coder names."""
    with _store(tmp_path_factory.mktemp("separate") / "s") as store:
        names = [code(store, kind)[0].summary["coder"] for kind in ("lexicon", "model")]
        return store.con.execute(ROWS).df(), names


def test_a_list_of_coders_writes_the_rows_and_runs_of_separate_calls(tmp_path: Path, separate) -> None:
    expected, names = separate
    with _store(tmp_path / "s") as store:
        results = code(store, ("lexicon", "model"))
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), expected)
        runs = store.con.execute(RUNS).fetchall()
    assert [r.summary["coder"] for r in results] == names
    assert [(r[1], r[2]) for r in runs] == [(names[0], "ok"), (names[1], "ok")]
    assert [r.run_id for r in results] == [r[0] for r in runs]
    assert [json.loads(r[3])["coded"] for r in runs] == [215, 215]
    for result in results:
        assert sum(result.summary["primary_counts"].values()) == result.summary["coded"]


def test_each_coder_codes_only_what_it_has_not_coded(tmp_path: Path, separate) -> None:
    expected, _ = separate
    with _store(tmp_path / "s") as store:
        code(store, "lexicon")
        # Forget a third of the lexicon codes: the lexicon codes those again, the model everything.
        store.con.execute("DELETE FROM codes WHERE origin = 'lexicon' AND message_id % 3 = 0")
        forgotten = 215 - store.count("codes")
        results = code(store, ["model", "lexicon"])
        assert [r.summary["coded"] for r in results] == [215, forgotten]
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), expected)
        again = code(store, ("lexicon", "model"))
        assert store.count("codes") == 430
    # Nothing new: each coder's run is its stored one, or a run that codes nothing (the other coder's rows
    # changed the codes table since the lexicon's run ended).
    assert all(r.up_to_date or r.summary["coded"] == 0 for r in again)


def test_pool_of_processes_writes_the_same_rows(tmp_path: Path, separate) -> None:
    with _store(tmp_path / "s") as store:
        code(store, ("lexicon", "model"), execution=Execution(workers=2))
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), separate[0])


def test_a_failed_insert_leaves_no_codes_and_a_failed_run(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def insert_then_fail(store, table, run_id, rows):
        calls.append(table)
        if len(calls) == 1:
            original(store, table, run_id, rows)  # the first chunk lands, then the disk fills
            raise RuntimeError("disk full")

    original = step_module._insert
    monkeypatch.setattr(step_module, "_insert", insert_then_fail)
    with _store(tmp_path / "s") as store:
        with pytest.raises(RuntimeError, match="disk full"):
            code(store, "lexicon")
        assert store.count("codes") == 0
        assert [r[2] for r in store.con.execute(RUNS).fetchall()] == ["failed"]


@pytest.mark.parametrize(
    ("coder", "options", "message"),
    [
        ((), {}, "at least one"),
        (("lexicon", "bert"), {}, "unknown coder 'bert'"),
        (("lexicon",), {"model": "m.npz"}, "--model applies to the model coder"),
        (("model",), {"codebook": "c.yaml"}, "--codebook applies to the lexicon coder"),
    ],
)
def test_bad_coder_lists_are_refused(store: Store, coder, options, message) -> None:
    with pytest.raises(ConfigError, match=message):
        code(store, coder, **options)
    assert store.count("runs") == 0


def test_a_registered_coder_codes_like_the_builtin_ones(tmp_path: Path) -> None:
    @register_coder("shy-lexicon")
    def shy(model, codebook):
        coder = LexiconCoder(codebook=codebook).fit()
        return coder, "shy-lexicon:1"

    assert "shy-lexicon" in coder_kinds()
    with _store(tmp_path / "s") as store:
        (result,) = code(store, "shy-lexicon")
        assert result.summary["coded"] == 215
        origins = store.con.execute("SELECT DISTINCT origin, coder FROM codes").fetchall()
    assert origins == [("shy-lexicon", "shy-lexicon:1")]


def test_cli_repeated_coder_option(tmp_path: Path, separate) -> None:
    with _store(tmp_path / "s") as store:
        db = store.path
    result = CliRunner().invoke(app, ["code", "--db", str(db), "--coder", "lexicon", "--coder", "model",
                                      "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("coded 215 messages with") == 2
    with Store(db) as store:
        pd.testing.assert_frame_equal(store.con.execute(ROWS).df(), separate[0])
