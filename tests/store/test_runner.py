"""The declared step and its one runner: fingerprint, stored run, one transaction, one result shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pytest

from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.store.step import Params, Relation, Step, declared_order, run_step


@dataclass(frozen=True)
class EchoParams(Params):
    factor: int = 1

    def __post_init__(self) -> None:
        if self.factor < 1:
            raise ConfigError("factor must be >= 1")


class Echo(Step):
    """Writes each message id times ``factor`` into alerts.observed (a table with a run_id column)."""

    name = "echo"
    reads = ("messages",)
    writes = ("alerts",)

    def __init__(self, params: EchoParams, fail_after: int | None = None, table: str = "alerts") -> None:
        self.params, self.fail_after, self.table = params, fail_after, table
        self.computed = 0

    def compute(self, store: Store, run) -> Iterable:
        self.computed += 1
        ids = [r[0] for r in store.con.execute("SELECT message_id FROM messages ORDER BY 1").fetchall()]
        for n, message_id in enumerate(ids):
            if self.fail_after is not None and n == self.fail_after:
                raise RuntimeError("disk full")
            yield self.table, pd.DataFrame({
                "alert_id": [n], "kind": ["k"], "target": ["t"], "method": ["m"], "start_at": [pd.Timestamp("2020-01-01")],
                "peak_at": [pd.Timestamp("2020-01-01")], "end_at": [pd.Timestamp("2020-01-01")], "weeks": [1],
                "observed": [message_id * self.params.factor], "expected": [1.0], "magnitude": [1.0], "weight": [1.0],
                "top_terms": [[]], "sample_message_ids": [[]],
            })  # fmt: skip
        run.summary["rows"] = len(ids)


def _message(store: Store, message_id: int) -> None:
    store.con.execute(
        "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, content_hash)"
        " VALUES (?, 's', ?, 1, 'x', 'h')",
        [message_id, str(message_id)],
    )


def test_a_step_runs_once_then_its_stored_run_stands(store: Store) -> None:
    _message(store, 1), _message(store, 2)
    step = Echo(EchoParams(factor=3))
    first = run_step(store, step)
    assert not first.up_to_date and first.summary["rows"] == 2 and first.summary["written"] == {"alerts": 2}
    assert first.table(store, "alerts", "alert_id")["observed"].tolist() == [3, 6]
    again = run_step(store, step)
    assert again.up_to_date and again.run_id == first.run_id and step.computed == 1
    assert run_step(store, Echo(EchoParams(factor=2))).run_id > first.run_id  # other parameters
    _message(store, 3)
    assert run_step(store, step).summary["rows"] == 3  # other inputs
    params = store.con.execute("SELECT params FROM runs WHERE run_id = ?", [first.run_id]).fetchone()[0]
    assert params == '{"factor": 3}'


def test_a_failure_leaves_no_row_and_a_failed_run(store: Store) -> None:
    _message(store, 1), _message(store, 2)
    with pytest.raises(RuntimeError, match="disk full"):
        run_step(store, Echo(EchoParams(), fail_after=1))
    assert store.count("alerts") == 0  # the first row was written, then rolled back with the rest
    assert store.con.execute("SELECT stage, status FROM runs").fetchall() == [("echo", "failed")]
    assert store.latest("echo") is None
    assert not run_step(store, Echo(EchoParams())).up_to_date  # a failed run never stands


def test_a_step_writes_only_what_it_declares(store: Store) -> None:
    _message(store, 1)
    with pytest.raises(ConfigError, match="does not declare"):
        run_step(store, Echo(EchoParams(), table="codes"))
    assert store.count("codes") == 0


def test_rows_given_as_sql_are_inserted_by_column_name(store: Store) -> None:
    class Sql(Echo):
        def compute(self, store: Store, run) -> Iterable:
            yield "survival_curve", Relation("SELECT 2.0 AS days, 0.5 AS survival, 7 AS at_risk, 1 AS events")

    Sql.writes = ("survival_curve",)
    result = run_step(store, Sql(EchoParams()))
    assert result.table(store, "survival_curve")[["days", "at_risk"]].values.tolist() == [[2.0, 7]]


def test_parameters_are_validated_and_unknown_ones_named() -> None:
    with pytest.raises(ConfigError, match="factor must be"):
        EchoParams(factor=0)
    with pytest.raises(ConfigError, match="unknown parameter 'facto'"):
        Params.build(EchoParams, None, {"facto": 2})
    with pytest.raises(ConfigError, match="not both"):
        Params.build(EchoParams, EchoParams(), {"factor": 2})
    assert Params.build(EchoParams, None, {"factor": 2}) == EchoParams(factor=2)


def test_declared_order_puts_each_step_after_what_it_reads() -> None:
    def step(name: str, after: tuple[str, ...]) -> Step:
        return type(name, (Echo,), {"name": name, "after": after})(EchoParams())

    steps = {"report": step("report", ("lexical", "coding")), "lexical": step("lexical", ("journeys",)),
             "coding": step("coding", ()), "journeys": step("journeys", ("coding",))}  # fmt: skip
    assert declared_order(steps) == ["coding", "journeys", "lexical", "report"]
    assert declared_order({"lexical": steps["lexical"]}) == ["lexical"]  # what is not in the pipeline is not waited for
    circle = {"a": step("a", ("b",)), "b": step("b", ("a",))}
    with pytest.raises(ConfigError, match="circle"):
        declared_order(circle)
