"""A declared pipeline step and the one runner that records, fingerprints and writes every step's run.

A step declares what it reads (tables and views), the steps whose newest run it reads (``after``), the
tables it writes and its parameters (a frozen dataclass, validated when built; ``get_params()`` gives what
``runs.params`` records), as spaCy's components declare ``requires``/``assigns`` and scikit-learn's
estimators expose ``get_params``. Its ``compute`` yields ``(table, rows)`` pairs and fills the run's
summary; it never opens a transaction nor writes a run row. :func:`run_step`:

1. fingerprints only the declared inputs (:func:`chrysalide.store.state.input_state`);
2. returns the stored run when the step's newest run used the same component, parameters and inputs;
3. otherwise records a run (``running``, then ``ok`` or ``failed``), opens ONE transaction, writes every
   yielded table under the run (and the step's :meth:`Step.finish` statements), commits;
4. returns a :class:`StepResult`, the same shape for every step.

Steps whose rows accumulate over runs (``incremental = True``: text, coding) process only what earlier runs
have not: a message needs processing by such a step when the step has no row of it (:data:`PER_MESSAGE`).
``refresh=True`` deletes their rows first and processes everything again; a message whose text changed
(ingest scrubs earlier messages again) has its rows deleted by :func:`process_again`, so that every such step
derives them again on its next run. Their fingerprint is taken when they end (the text step fills the
languages of the messages it reads), and compared with the newest run of the same component (coders of
different kinds write side by side, ``side_by_side``). An incremental step whose components do not write side
by side (text) takes rows of another component for rows of older rules (:func:`older_rows`): its run refreshes,
so that no table mixes two versions of its rules, and its summary says so (``rules_changed``).
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import pandas as pd

from chrysalide import __version__
from chrysalide.errors import ConfigError
from chrysalide.store import bots
from chrysalide.store.state import input_state

if TYPE_CHECKING:
    from chrysalide.store.db import Run, Store


@dataclass(frozen=True)
class Relation:
    """Rows given as a SQL query (e.g. over ``read_parquet(...)`` of Dask results), inserted without passing
    through Python."""

    sql: str


Rows = pd.DataFrame | Relation
P = TypeVar("P", bound="Params")

#: The incremental steps (``runs.stage``) and the tables they fill message by message from its text: the
#: step processes the messages it has no row of there. Their ``writes``.
PER_MESSAGE: dict[str, tuple[str, ...]] = {"text": ("text_features", "segments"), "coding": ("codes",)}


@dataclass(frozen=True)
class Params:
    """Base of every step's parameters: a frozen dataclass whose ``__post_init__`` validates the values."""

    def get_params(self) -> dict[str, Any]:
        """The parameters as ``runs.params`` records them (and compares them to find an identical run)."""
        return dataclasses.asdict(self)

    @staticmethod
    def build(cls: type[P], params: P | None, options: Mapping[str, Any]) -> P:
        """``params`` as given, or a ``cls`` built from keyword ``options`` (an unknown one is a ConfigError)."""
        if params is not None:
            if options:
                raise ConfigError(f"give either a {cls.__name__} or its fields, not both ({', '.join(options)})")
            return params
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConfigError(f"unknown parameter {unknown[0]!r}; known: {', '.join(sorted(known))}")
        return cls(**options)


class Step(ABC, Generic[P]):
    """One analysis step of the pipeline: declared inputs, outputs and parameters (``P``), and a ``compute``."""

    name: ClassVar[str]  # ``runs.stage``: what readers ask for (``store.latest(name)``)
    version: ClassVar[str] = __version__
    reads: ClassVar[tuple[str, ...]] = ()  # tables and views (fingerprinted)
    after: ClassVar[tuple[str, ...]] = ()  # steps to run first in a pipeline (their newest run is fingerprinted)
    writes: ClassVar[tuple[str, ...]] = ()  # tables written, every row under the run's id
    incremental: ClassVar[bool] = False
    # Incremental steps only: whether rows of the step's other components stand beside its own (coders), or are
    # those of older rules, which a run replaces (text).
    side_by_side: ClassVar[bool] = False

    params: P

    @property
    def component(self) -> str:
        """What ``runs.component`` records: the implementation and its version."""
        return f"chrysalide.{self.name}/{self.version}"

    def get_params(self) -> dict[str, Any]:
        return self.params.get_params()

    @abstractmethod
    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        """Yield each output table's rows (several pairs per table are appended); fill ``run.summary``."""

    def finish(self, store: Store, run: Run) -> None:  # noqa: B027 - optional hook, empty by default
        """Statements run in the step's transaction after its rows are written (default: none)."""

    def is_current(self, store: Store, run_id: int) -> bool:
        """Whether a stored run with unchanged inputs still stands (a step writing a file checks the file)."""
        return True


@dataclass(frozen=True)
class StepResult:
    """What a step's run produced: the same shape for every step."""

    step: str
    run_id: int
    summary: dict[str, Any] = field(default_factory=dict)
    up_to_date: bool = False

    def table(self, store: Store, name: str, order_by: str | None = None) -> pd.DataFrame:
        """The rows this run wrote to ``name`` (without the ``run_id`` column)."""
        order = f" ORDER BY {order_by}" if order_by else ""
        return store.con.execute(f'SELECT * EXCLUDE (run_id) FROM "{name}" WHERE run_id = ?{order}', [self.run_id]).df()

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "run_id": self.run_id, "up_to_date": self.up_to_date, "summary": self.summary}


def run_step(store: Store, step: Step[Any], *, force: bool = False, refresh: bool = False) -> StepResult:
    """Run ``step`` on ``store`` unless its newest run is up to date; see the module docstring.

    ``force`` computes a new run even on unchanged inputs; ``refresh`` (incremental steps) also deletes the
    rows of earlier runs first, so that everything is processed again.
    """
    params = step.get_params()
    inputs = input_state(store, _tables(step), step.after)
    changed = older_rows(store, step) if step.incremental and not (refresh or step.side_by_side) else None
    refresh = refresh or changed is not None
    if not (force or refresh):
        done = store.up_to_date(step.name, step.component, params, inputs, per_component=step.incremental)
        if done is not None and step.is_current(store, done):
            return StepResult(step.name, done, store.run_summary(done), up_to_date=True)
    written: Counter[str] = Counter()
    with store.run(step.name, step.component, params, inputs=inputs) as run:
        con = store.con
        if changed is not None:
            run.summary["rules_changed"] = changed
        con.execute("BEGIN TRANSACTION")
        try:
            bots.refresh(store)  # as the data stands now, whoever wrote it
            if refresh and step.incremental:
                forget(store, step.name, step.writes)
            for table, rows in step.compute(store, run):
                if table not in step.writes:
                    raise ConfigError(f"step {step.name!r} wrote {table!r}, which it does not declare")
                written[table] += _insert(store, table, run.run_id, rows)
            step.finish(store, run)
            if step.incremental:  # its rows now match the data as the step leaves it (text fills languages)
                run.inputs = input_state(store, _tables(step), step.after)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        run.summary.setdefault("written", dict(written))
    return StepResult(step.name, run.run_id, run.summary)


def older_rows(store: Store, step: Step[Any]) -> dict[str, Any] | None:
    """What runs of ``step``'s stage under other components (older rules) left in its first table: ``from``
    (those components), ``to`` (the step's) and ``messages`` (how many messages they hold rows of); None when
    every row is the step's own."""
    row = store.con.execute(
        f'SELECT list(DISTINCT r.component), count(DISTINCT t.message_id) FROM "{step.writes[0]}" t'
        " JOIN runs r USING (run_id) WHERE r.stage = ? AND r.component <> ?",
        [step.name, step.component],
    ).fetchone()
    if row is None or not row[1]:
        return None
    return {"from": sorted(str(c) for c in row[0]), "to": step.component, "messages": int(row[1])}


def rules_changed_note(result: StepResult) -> str | None:
    """The sentence telling that this run processed every message again because the step's rules changed; None
    for another run, or for a stored run that stands (it did so earlier)."""
    changed = result.summary.get("rules_changed")
    if not changed or result.up_to_date:
        return None
    return (f"{result.step} rules changed since the last run ({', '.join(changed['from'])} -> {changed['to']}):"
            f" {changed['messages']:,} messages processed again")  # fmt: skip


def forget(store: Store, stage: str, tables: Sequence[str], messages: str | None = None) -> None:
    """Delete the rows that runs of ``stage`` wrote to ``tables`` (never a reviewer's codes, written by review
    runs): those of the messages whose ids (``message_id``) the table or view ``messages`` holds, or all."""
    only = f" AND message_id IN (SELECT message_id FROM {messages})" if messages is not None else ""
    for table in tables:
        store.con.execute(
            f'DELETE FROM "{table}" WHERE run_id IN (SELECT run_id FROM runs WHERE stage = ?){only}', [stage]
        )


def process_again(store: Store, messages: str) -> None:
    """Make every incremental step process again the messages whose ids the table or view ``messages`` holds
    (their text changed): their rows in :data:`PER_MESSAGE` are deleted. Runs in the caller's transaction."""
    for stage, tables in PER_MESSAGE.items():
        forget(store, stage, tables, messages)


def _tables(step: Step[Any]) -> tuple[str, ...]:
    """The stored tables behind what a step reads (a view stands for the tables it is computed from); an
    incremental step also reads its own tables (what it has done already)."""
    from chrysalide.store.state import VIEW_TABLES

    out: list[str] = []
    for name in (*step.reads, *(step.writes if step.incremental else ())):
        for table in VIEW_TABLES.get(name, (name,)):
            if table not in out:
                out.append(table)
    return tuple(out)


def _insert(store: Store, table: str, run_id: int, rows: Rows) -> int:
    """Insert rows (columns matched by name) under ``run_id``; return how many."""
    if isinstance(rows, Relation):
        row = store.con.execute(
            f'INSERT INTO "{table}" BY NAME SELECT *, $run AS run_id FROM ({rows.sql})', {"run": run_id}
        ).fetchone()
        return int(row[0]) if row else 0
    return store.insert_run_rows(table, run_id, rows)


def declared_order(steps: Mapping[str, Step[Any]]) -> list[str]:
    """The steps in an order where each runs after those it reads (a topological order; ties keep the given
    order). Raises ConfigError on a step reading one that is not among ``steps`` and has no stored run."""
    order: list[str] = []
    pending = dict(steps)
    while pending:
        ready = [name for name, step in pending.items() if all(a in order or a not in steps for a in step.after)]
        if not ready:
            raise ConfigError(f"steps read each other in a circle: {', '.join(pending)}")
        for name in ready:
            order.append(name)
            del pending[name]
    return order
