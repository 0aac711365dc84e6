"""``chrysalide report``: the self-contained HTML report of a project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, console
from chrysalide.store import Store


def report(
    db: DbOption = DEFAULT_DB_PATH,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("report.html"),
    title: Annotated[str | None, typer.Option("--title", help="Title of the report.")] = None,
    quotes: Annotated[
        str, typer.Option("--quotes", help="consented: quote only members who allow it; none: no quotes.")
    ] = "consented",
) -> None:
    """Write one HTML file (figures, tables, method notes) that opens offline in any browser."""
    from chrysalide.report.html import report as build

    with Store(db, create=False) as store:
        path = build(store, out, title=title, quotes=quotes)
    console.print(f"report written to {path} ({path.stat().st_size / 1024:,.0f} KB)", markup=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
