"""The ``chrysalide`` console entry point: every error becomes one line on stderr, never a traceback.

This module imports nothing heavy: the console script imports it before :func:`run` starts, and Ctrl-C must
be handled from the first instant. The commands (:mod:`chrysalide.cli.app`, about two seconds of imports, SciPy
among them) are imported inside :func:`run`; ``from chrysalide.cli.main import app`` still gives the Typer app.

Ctrl-C (SIGINT) is recorded by :func:`_on_interrupt` before it raises ``KeyboardInterrupt``, because that
exception seldom arrives as itself: Typer turns it into exit code 130, a C extension interrupted while it
initialises raises ``ImportError: initialization failed``, DuckDB interrupted in a query raises ``RuntimeError:
Query interrupted``. Whatever ends the command after a Ctrl-C is reported as the interrupt, exit code 130.
Nothing of the step that was running is written: every step (and every import) writes in one transaction,
rolled back when it is interrupted; its row in ``runs`` is marked ``failed``.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from types import FrameType
from typing import Any, NoReturn

from chrysalide.errors import exception_chain

DEBUG_ENV = "CHRYSALIDE_DEBUG"
#: The exit code of a command interrupted by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED_EXIT = 130

_interrupted = False


def __getattr__(name: str) -> Any:
    """``app``, the Typer app of every command, imported on first use."""
    if name == "app":
        from chrysalide.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGINT: remember it (see the module docstring), then interrupt as Python does."""
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def _command() -> str:
    """The command line's command, as ``chrysalide ingest`` (its first word that is no option)."""
    words = [word for word in sys.argv[1:] if not word.startswith("-")]
    return "chrysalide" + (f" {words[0]}" if words else "")


def interrupted_what(exc: BaseException, *, loaded: bool) -> str:
    """What a Ctrl-C interrupted, read from where ``exc`` (or an exception it came from) was raised.

    The step that ``run_step`` was running, else the database that ``Store`` was opening, else the command
    (``loaded``: whether the commands' modules were imported; before that, the command was starting).
    """
    step = database = None
    for found in exception_chain(exc):
        for frame, _ in traceback.walk_tb(found.__traceback__):
            code = frame.f_code
            if code.co_name == "run_step" and code.co_filename.endswith(os.path.join("store", "step.py")):
                step = getattr(frame.f_locals.get("step"), "name", step)
            elif code.co_qualname == "Store.__init__":
                database = frame.f_locals.get("path", database)
    command = _command()
    if step is not None:
        return f"during step '{step}' of {command}"
    if database is not None:
        return f"while {command} was opening the database {database}"
    return f"during {command}" if loaded else f"while {command} was starting"


def _fail(message: str, code: int) -> NoReturn:
    from chrysalide.cli.common import err_console

    err_console.print(f"error: {message}", style="bold red", markup=False, highlight=False, soft_wrap=True)
    sys.exit(code)


def _stop_interrupted(exc: BaseException, *, loaded: bool) -> NoReturn:
    """One line naming what was interrupted; exit code 130. A second Ctrl-C cannot cut the line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print(
        f"interrupted {interrupted_what(exc, loaded=loaded)}: nothing of the current step was written",
        file=sys.stderr,
        flush=True,
    )
    sys.exit(INTERRUPTED_EXIT)


def _report(exc: Exception) -> NoReturn:
    """An exception that ended a command: a user error or a machine fault exits 2, anything else (a bug) 1."""
    import duckdb

    from chrysalide.errors import ChrysalideError, explain
    from chrysalide.store.db import MEMORY_ENV

    if isinstance(exc, ChrysalideError):
        _fail(str(exc), 2)
    if isinstance(exc, duckdb.OutOfMemoryException):
        from chrysalide.cli.common import err_console

        limit = os.environ.get(MEMORY_ENV)
        hint = f"raise or unset ${MEMORY_ENV} (now {limit})" if limit else "free memory, or use a machine with more"
        err_console.print(f"error: DuckDB ran out of memory: {hint}", style="bold red", markup=False,
                          highlight=False, soft_wrap=True)  # fmt: skip
        err_console.print(f"({str(exc).splitlines()[0]})", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    sentence = explain(exc)
    if sentence is not None:
        _fail(sentence, 2)
    if os.environ.get(DEBUG_ENV):
        raise exc
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    _fail(
        f"internal error ({type(exc).__name__}: {detail[:300]}); set {DEBUG_ENV}=1 for details and please report it",
        1,
    )


def run() -> None:
    """Console entry point: every error becomes one line on stderr, never a traceback.

    User errors and faults of the machine (a full disk, a damaged database) exit 2; Ctrl-C exits 130 with one
    line saying what it interrupted; anything else is a bug, reported in one line with exit code 1
    (``CHRYSALIDE_DEBUG=1`` shows its traceback).
    """
    signal.signal(signal.SIGINT, _on_interrupt)
    loaded = False
    try:
        from chrysalide.cli.app import app

        loaded = True
        app()
    except SystemExit as exc:
        if _interrupted and exc.code not in (0, None):  # Typer's exit 130, or a failure the interrupt caused
            _stop_interrupted(exc, loaded=loaded)
        raise
    except KeyboardInterrupt as exc:
        _stop_interrupted(exc, loaded=loaded)
    except Exception as exc:
        if _interrupted:
            _stop_interrupted(exc, loaded=loaded)
        _report(exc)
