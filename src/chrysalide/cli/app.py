"""The ``chrysalide`` command's Typer app: one sub-command module per stage, each a thin call to the library.

Every module of this package (but this one, ``main`` and ``common``) defines ``register(app)``; it is found
here by name, so adding a stage's commands never edits this file. Importing this module imports every stage's
commands (about two seconds): :mod:`chrysalide.cli.main` does it once its Ctrl-C handling is in place.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from chrysalide import __version__

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
        if module.name in {"app", "main", "common"}:
            continue
        importlib.import_module(f"chrysalide.cli.{module.name}").register(app)


_register_all()
