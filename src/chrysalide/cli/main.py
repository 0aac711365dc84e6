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
from chrysalide.errors import ChrysalideError, explain
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


DEBUG_ENV = "CHRYSALIDE_DEBUG"


def _fail(message: str, code: int) -> None:
    err_console.print(f"error: {message}", style="bold red", markup=False, highlight=False, soft_wrap=True)
    sys.exit(code)


def run() -> None:
    """Console entry point: every error becomes one line on stderr, never a traceback.

    User errors and faults of the machine (a full disk, a damaged database) exit 2; anything else is a bug,
    reported in one line with exit code 1 (``CHRYSALIDE_DEBUG=1`` shows its traceback).
    """
    try:
        app()
    except ChrysalideError as exc:
        _fail(str(exc), 2)
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
    except Exception as exc:
        sentence = explain(exc)
        if sentence is not None:
            _fail(sentence, 2)
        if os.environ.get(DEBUG_ENV):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        _fail(
            f"internal error ({type(exc).__name__}: {detail[:300]}); set {DEBUG_ENV}=1 for details and please report it",
            1,
        )
