"""``chrysalide demo``: generate a thyroid forum, import it and run every stage on it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chrysalide.cli.common import SEED_MAX, JsonOption, console, print_json
from chrysalide.cli.pipeline import print_step
from chrysalide.demo.run import MAX_MESSAGES, demo_size, run_demo
from chrysalide.errors import ConfigError


def _size(value: str) -> str:
    """``--size`` checked while the arguments are parsed (:func:`chrysalide.demo.run.demo_size`): a usage error."""
    try:
        return str(demo_size(value))
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the corpus, database and report.")] = Path(
        "chrysalide-demo"
    ),
    size: Annotated[
        str,
        typer.Option(
            callback=_size,
            help=f"demo (6,000 messages), study (485,000) or a number of messages from 1 to {MAX_MESSAGES:,}.",
        ),
    ] = "demo",
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Seed of the generator.")] = 7,
    json_: JsonOption = False,
) -> None:
    """Generate the demo forum, ingest it, run text, coding, lexical, journeys, community, alerts, report."""
    result = run_demo(out, size=size, seed=seed, on_step=None if json_ else print_step)
    if json_:
        print_json(
            {
                "folder": str(result.folder),
                "database": str(result.database),
                "report": str(result.report),
                "ingest": result.ingest.as_dict(),
                "steps": [{"name": s.name, "seconds": round(s.seconds, 2), **s.result.to_dict()} for s in result.steps],
            }
        )
        return
    console.print()
    console.print(f"corpus     {result.corpus}  ({result.ingest.imported:,} messages imported)", markup=False)
    console.print(f"consent    {result.consent}  (a third of the members allow quotes)", markup=False)
    console.print(f"database   {result.database}", markup=False)
    console.print(f"report     {result.report}  (open it in a browser)", markup=False)
    console.print(
        f"dashboard  .venv/bin/chrysalide serve --db {result.database}  then http://127.0.0.1:8000/", markup=False
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
