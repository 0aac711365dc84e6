"""The ``chrysalide`` command: one sub-command module per stage, each a thin call to the library.

Every module of this package (but this one and ``common``) defines ``register(app)``; it is found
here by name, so adding a stage's commands never edits this file.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import duckdb
import typer

from chrysalide import __version__
from chrysalide.cli.common import err_console
from chrysalide.errors import ChrysalideError
from chrysalide.store.db import MEMORY_ENV

app = typer.Typer(
    name="chrysalide",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Observe how an online patient community empowers its members and itself.",
)


def _version(value: bool) -> None:
    if value:
        print(f"chrysalide {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Observe how an online patient community empowers its members and itself."""


def _register_all() -> None:
    import chrysalide.cli as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name in {"main", "common"}:
            continue
        importlib.import_module(f"chrysalide.cli.{module.name}").register(app)


_register_all()


def run() -> None:
    """Console entry point: user errors become one line on stderr and exit code 2, never a traceback."""
    try:
        app()
    except ChrysalideError as exc:
        err_console.print(f"error: {exc}", style="bold red", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except duckdb.OutOfMemoryException as exc:
        limit = os.environ.get(MEMORY_ENV)
        hint = f"raise or unset ${MEMORY_ENV} (now {limit})" if limit else "free memory, or use a machine with more"
        err_console.print(f"error: DuckDB ran out of memory: {hint}", style="bold red", markup=False,
                          highlight=False, soft_wrap=True)  # fmt: skip
        err_console.print(f"({str(exc).splitlines()[0]})", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted: nothing of the current step was written")
        sys.exit(130)
