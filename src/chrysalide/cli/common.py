"""What every command shares: the --db and --json options, consoles, progress bars, summaries, JSON output."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from chrysalide.store import DEFAULT_DB
from chrysalide.units import dated_by_day, label, summary_value

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="CHRYSALIDE_DB", help="DuckDB file of the project.", show_default=True),
]
DEFAULT_DB_PATH = Path(DEFAULT_DB)
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]

#: Bounds of every ``--seed`` (``typer.Option(min=0, max=SEED_MAX)``): numpy's generators take no negative seed,
#: and 32 bits are what every generator the seeds reach (numpy, ``random``, DuckDB's ``hash``) takes alike.
SEED_MAX = 2**32 - 1
#: Upper bound of every ``--workers``: processes of a local pool or of a Dask LocalCluster, useful up to one per
#: core; more cores than this are rare, and a count past a C int made the pool fail (``OverflowError``).
WORKERS_MAX = 1024


def default(params: type, name: str) -> Any:
    """A step parameter's default, read from its Params class: the one place it is written."""
    field = next((f for f in dataclasses.fields(params) if f.name == name), None)
    if field is None:
        raise KeyError(f"{params.__name__} has no field {name!r}")
    return field.default


def print_json(payload: Any) -> None:
    """Machine-readable output: one JSON document on stdout, nothing else."""
    sys.stdout.write(json.dumps(payload, default=str, ensure_ascii=False, indent=2) + "\n")


def _speed(task: Task) -> float | None:
    """Rich's recent speed, else the mean since the start: steps report per chunk, and Rich needs two reports."""
    if task.finished_speed or task.speed:
        return task.finished_speed or task.speed
    return task.completed / task.elapsed if task.completed and task.elapsed else None


class RateColumn(ProgressColumn):
    """Items per second of the task (Rich's own speed column counts bytes); a task's ``unit`` field wins."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = _speed(task)
        unit = task.fields.get("unit", self.unit)
        return Text("" if speed is None else f"{speed:,.0f} {unit}/s", style="progress.data.speed")


class TimeLeftColumn(TimeRemainingColumn):
    """Time left at :func:`_speed`, from the first report on (Rich's own waits for two)."""

    def render(self, task: Task) -> Text:
        speed = _speed(task)
        if task.total is None or task.finished or not speed:
            return super().render(task)
        left = int((task.total - task.completed) / speed)
        return Text(f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}", style="progress.remaining")


def progress_bar(unit: str = "messages", *, quiet: bool = False) -> Progress:
    """A Rich progress bar on stderr: counts, rate and time left (hidden with ``--json`` or off a terminal).

    A task without a total (a step that reports no counts) shows its elapsed time.
    """
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        RateColumn(unit),
        TimeLeftColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal,
    )


class CountColumn(ProgressColumn):
    """A count kept in a task's fields beside its completed bytes, and its rate: records read by ``ingest``."""

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field

    def render(self, task: Task) -> Text:
        count = task.fields.get(self.field, 0)
        elapsed = task.finished_time if task.finished else task.elapsed  # the rate of reading, not of what follows
        rate = f", {count / elapsed:,.0f}/s" if elapsed and count else ""
        return Text(f"{count:,} {self.field}{rate}", style="progress.data.speed")


def reading_bar(*, quiet: bool = False) -> Progress:
    """``progress_bar`` for reading files: bytes read of their size (share, time left) beside the records read.

    Update its task with ``completed`` (bytes), ``total`` (bytes) and ``records``.
    """
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=24),
        TaskProgressColumn(),
        DownloadColumn(),
        CountColumn("records"),
        TimeLeftColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal,
    )


def execution_progress(bar: Progress, task: TaskID) -> Callable[[int, int | None], None]:
    """The ``progress(done, total)`` callback of :class:`chrysalide.distributed.Execution`, drawn on ``bar``."""

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total or None)

    return update


def summary_table(title: str, summary: dict[str, Any], *, skip: tuple[str, ...] = ("written",)) -> Table:
    """A step's summary as a two-column table: shares as percentages, delays in hours or days (in days only when
    its sources date by day), dicts as pairs."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("", style="dim", overflow="fold")
    table.add_column("", overflow="fold")
    by_day = dated_by_day(summary)
    for key, value in summary.items():
        if key not in skip:
            table.add_row(label(key), summary_value(key, value, by_day=by_day))
    return table
