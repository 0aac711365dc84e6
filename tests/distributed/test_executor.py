import pandas as pd
import pytest

from chrysalide.distributed import map_partitions
from chrysalide.errors import ConfigError


def double_and_count(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A per-partition function of the shape stages use (module level: Dask pickles it)."""
    doubled = pd.DataFrame({"k": frame["k"], "v2": frame["v"] * 2})
    per_group = frame.groupby("g", as_index=False).agg(n=("k", "size"))
    return {"doubled": doubled, "groups": per_group}


@pytest.fixture
def filled(store):
    store.con.execute("CREATE TABLE t AS SELECT range AS k, range % 7 AS g, range * 1.5::DOUBLE AS v FROM range(1000)")
    return store


def collect(store, outputs, name):
    return store.con.execute(f"SELECT * FROM {outputs.relation(name)} ORDER BY ALL").df()


def test_local_executor_covers_every_row_once(filled):
    with map_partitions(filled, "SELECT * FROM t", double_and_count, partition_rows=128) as out:
        assert out.partitions == 8 and out.rows == 1000
        doubled = collect(filled, out, "doubled")
    assert doubled["k"].tolist() == list(range(1000))
    assert (doubled["v2"] == doubled["k"] * 3.0).all()


def test_partition_by_keeps_groups_together(filled):
    with map_partitions(filled, "SELECT * FROM t", double_and_count, partition_rows=300, partition_by="g") as out:
        groups = collect(filled, out, "groups")
    # each group appears in exactly one partition, so per-group results are complete
    assert sorted(groups["g"].tolist()) == list(range(7))
    assert groups["n"].sum() == 1000


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(filled):
    with map_partitions(filled, "SELECT * FROM t", double_and_count, partition_rows=256) as local:
        expected = collect(filled, local, "doubled")
    with map_partitions(filled, "SELECT * FROM t", double_and_count, partition_rows=256, executor="dask") as dist:
        got = collect(filled, dist, "doubled")
    pd.testing.assert_frame_equal(expected, got)


def test_bad_executor_options_are_config_errors(filled):
    with pytest.raises(ConfigError, match="unknown executor"):
        with map_partitions(filled, "SELECT * FROM t", double_and_count, executor="spark"):
            pass
    with pytest.raises(ConfigError, match="needs --executor dask"):
        with map_partitions(filled, "SELECT * FROM t", double_and_count, scheduler="tcp://x:8786"):
            pass


def test_an_unreachable_scheduler_is_a_user_error_naming_it(filled, monkeypatch):
    """``--scheduler tcp://127.0.0.1:1`` waited 30 s, then printed "internal error (OSError: Timed out ...)
    please report it"."""
    from chrysalide.distributed import executor

    monkeypatch.setattr(executor, "SCHEDULER_CONNECT_TIMEOUT", 1)
    with pytest.raises(ConfigError) as caught:
        with map_partitions(
            filled, "SELECT * FROM t", double_and_count, executor="dask", scheduler="tcp://127.0.0.1:1"
        ):
            pass
    message = str(caught.value)
    assert message.startswith("--scheduler tcp://127.0.0.1:1: cannot reach a Dask scheduler there (Timed out")
    assert "check that the scheduler is running" in message and "\n" not in message


def test_a_malformed_scheduler_address_is_a_user_error():
    """A port that is no number raised ValueError from Dask, an internal error."""
    from dask.distributed import Client

    from chrysalide.distributed.executor import connect_scheduler

    with pytest.raises(ConfigError, match=r"^--scheduler tcp://host:abc: cannot reach a Dask scheduler there"):
        connect_scheduler(Client, "tcp://host:abc")
