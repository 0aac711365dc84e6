"""``chrysalide pipeline``: every analysis stage, in data-flow order, on an ingested store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, print_json
from chrysalide.pipeline import STEPS, PipelineOptions, Timed
from chrysalide.pipeline import pipeline as run_pipeline
from chrysalide.store import Store

# The figure a reader wants first from each step's summary.
HEADLINES = {
    "text": ("messages", "segments"),
    "code": ("messages", "coded"),
    "lexical": ("k", "classified", "segments"),
    "journeys": ("members", "reached_decentered"),
    "survival": ("members", "events"),
    "community": ("newcomers", "answered_within_3h_share", "first_reply_median_hours"),
    "alerts": ("alerts",),
    "report": ("path",),
}


def print_step(step: Timed) -> None:
    summary = step.result.summary
    shown = [f"{k}={summary[k]}" for k in HEADLINES.get(step.name, ()) if k in summary]
    if step.result.up_to_date:
        shown.append("up to date (nothing changed since its newest run)")
    line = f"{step.name:<13} {step.seconds:7.1f} s  " + ", ".join(shown)
    console.print(line, markup=False, highlight=False)


def pipeline(
    db: DbOption = DEFAULT_DB_PATH,
    steps: Annotated[
        list[str] | None, typer.Option("--step", help=f"Run only these steps: {', '.join(STEPS)}.")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write the HTML report here.")] = None,
    k: Annotated[int | None, typer.Option(help="Number of Reinert classes (default: lexical's, 10).")] = None,
    watch: Annotated[list[str] | None, typer.Option(help="Term to watch for alerts (repeatable).")] = None,
    executor: Annotated[str, typer.Option(help="local or dask (per-message stages).")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (with --executor dask).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Local processes for text and coding (default: one per core from 50,000 messages)."),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Run text, code, journeys, survival, community, alerts, lexical (and the report with --report)."""
    options = PipelineOptions(
        k=k, watch=tuple(watch or ()), report=report, executor=executor, scheduler=scheduler, workers=workers
    )
    with Store(db) as store:
        results = run_pipeline(store, steps=steps, options=options, on_step=None if json_ else print_step)
    if json_:
        print_json([{"name": s.name, "seconds": round(s.seconds, 2), **s.result.to_dict()} for s in results])


def register(app: typer.Typer) -> None:
    app.command()(pipeline)
