"""What every command shares: the --db and --json options, consoles, progress bars, JSON output."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from chrysalide.store import DEFAULT_DB

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="CHRYSALIDE_DB", help="DuckDB file of the project.", show_default=True),
]
DEFAULT_DB_PATH = Path(DEFAULT_DB)
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]

T = TypeVar("T")


def default(params: type, name: str) -> Any:
    """A step parameter's default, read from its Params class: the one place it is written."""
    field = next((f for f in dataclasses.fields(params) if f.name == name), None)
    if field is None:
        raise KeyError(f"{params.__name__} has no field {name!r}")
    return field.default


def print_json(payload: Any) -> None:
    """Machine-readable output: one JSON document on stdout, nothing else."""
    sys.stdout.write(json.dumps(payload, default=str, ensure_ascii=False, indent=2) + "\n")


def progress(items: Iterable[T], description: str, total: int | None = None, *, quiet: bool = False) -> Iterator[T]:
    """Iterate with a Rich progress bar on stderr (hidden when ``quiet`` or not a terminal)."""
    if quiet or not err_console.is_terminal:
        yield from items
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)
