"""``chrysalide serve``: the local dashboard."""

from __future__ import annotations

from typing import Annotated

import typer

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, err_console
from chrysalide.web import serve as serve_dashboard


def serve(
    db: DbOption = DEFAULT_DB_PATH,
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None, typer.Option(envvar="CHRYSALIDE_TOKEN", help="Access token (Bearer header or login form).")
    ] = None,
) -> None:
    """Serve the dashboard: overview, members and journeys, threads, community, review queue, lexical classes,
    alerts, report. Other commands can run on the same database meanwhile (the dashboard lets them in)."""
    serve_dashboard(db, host=host, port=port, token=token, announce=lambda line: err_console.print(line, markup=False))


def register(app: typer.Typer) -> None:
    app.command()(serve)
