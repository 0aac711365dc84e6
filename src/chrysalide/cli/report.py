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
        str,
        typer.Option(
            "--quotes",
            help="consented: quotes and words only from members who allow quoting; all-pseudonymised: the"
            " pseudonymised text of every member not excluded (for the team, not for publication); none: no quotes.",
        ),
    ] = "consented",
) -> None:
    """Write one HTML file (figures, tables, method notes) that opens offline in any browser."""
    from chrysalide.report.html.step import report_step

    with Store(db, create=False) as store:
        result = report_step(store, out=out, title=title, quotes=quotes)
    size = result.summary.get("bytes", 0) / 1024
    up = " (up to date: nothing changed since it was written)" if result.up_to_date else ""
    console.print(f"report written to {result.summary.get('path')} ({size:,.0f} KB){up}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
