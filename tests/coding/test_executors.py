"""Every backend writes the same ``codes`` rows: in process, in a pool of processes, on a Dask cluster."""

from __future__ import annotations

import pickle
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import regression_store  # type: ignore[import-not-found]

from chrysalide.coding import code
from chrysalide.coding.partition import OUTPUT_COLUMNS, code_partition
from chrysalide.distributed import Execution
from chrysalide.errors import ConfigError
from chrysalide.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "coding"
ROWS = ("SELECT message_id, primary_code, secondary_codes, decentered, score_individual, score_community, "
        "score_collaborative, score_societal, score_other, confidence, origin, coder FROM codes ORDER BY message_id")  # fmt: skip


_store = regression_store


def _coded(folder: Path, coder: str, **options: object) -> pd.DataFrame:
    with _store(folder) as store:
        (result,) = code(store, coder, execution=Execution(**options))  # type: ignore[arg-type]
        assert result.summary["coded"] == 215
        assert sum(result.summary["primary_counts"].values()) == 215
        return store.con.execute(ROWS).df()


def test_progress_counts_messages_from_zero_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    with _store(tmp_path / "store") as store:
        code(store, "lexicon", execution=Execution(progress=lambda done, total: calls.append((done, total))))
    assert calls == [(0, 215), (215, 215)]  # one chunk of 1,024 messages at most


def test_partition_task_pickles_small_and_codes_a_frame() -> None:
    task = partial(code_partition, coder="lexicon", name=None)
    assert len(pickle.dumps(task)) < 500  # the description travels, not the fitted coder
    frame = pd.DataFrame({"message_id": [3, 1], "text": ["Merci à toutes !", "Signez la pétition contre l'ANSM"],
                          "lang": ["fr", "fr"], "kind": ["reply", "thread_start"]})  # fmt: skip
    rows = pickle.loads(pickle.dumps(task))(frame)["codes"]
    assert rows.columns.tolist() == OUTPUT_COLUMNS
    assert rows["message_id"].tolist() == [3, 1]
    assert rows["primary_code"].tolist() == ["community", "societal"]
    assert code_partition(frame.iloc[:0], coder="lexicon")["codes"].empty


def test_worker_with_another_coder_refuses() -> None:
    frame = pd.DataFrame({"message_id": [1], "text": ["Merci"]})
    with pytest.raises(ConfigError, match="differs on this worker"):
        code_partition(frame, coder="lexicon", name="lexicon:codebook-0.9:other")


@pytest.mark.parametrize("coder", ["lexicon", "model"])
def test_process_pool_writes_the_same_rows(tmp_path: Path, coder: str) -> None:
    one = _coded(tmp_path / "one", coder)
    pool = _coded(tmp_path / "pool", coder, workers=2)
    pd.testing.assert_frame_equal(one, pool)


def test_executor_options_are_checked(store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown executor"):
        code(store, "lexicon", execution=Execution(executor="spark"))
    with pytest.raises(ConfigError, match="needs --executor dask"):
        code(store, "lexicon", execution=Execution(scheduler="tcp://127.0.0.1:8786"))


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dask.distributed import LocalCluster

    from chrysalide.coding import run as run_module

    local = {c: _coded(tmp_path / f"local-{c}", c) for c in ("lexicon", "model")}
    monkeypatch.setattr(run_module, "PARTITION_ROWS", 60)  # four partitions of the 215 messages
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        for c in ("lexicon", "model"):
            dask = _coded(tmp_path / f"dask-{c}", c, executor="dask", scheduler=cluster.scheduler_address)
            pd.testing.assert_frame_equal(local[c], dask)
