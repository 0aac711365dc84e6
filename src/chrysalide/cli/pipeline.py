"""``chrysalide pipeline``: every analysis step, in data-flow order, on an ingested store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    DbOption,
    JsonOption,
    console,
    execution_progress,
    print_json,
    progress_bar,
)
from chrysalide.pipeline import STEPS, PipelineOptions, Timed
from chrysalide.pipeline import pipeline as run_pipeline
from chrysalide.report.units import label, summary_value
from chrysalide.store import Store

# The figures a reader wants first from each step's summary.
HEADLINES = {
    "text": ("messages", "segments"),
    "code": ("coded", "primary_counts"),
    "lexical": ("k", "classified", "segments"),
    "journeys": ("members", "reached_decentered", "median_days_to_decentered"),
    "survival": ("members", "decentered", "median_days_to_decentered"),
    "community": ("newcomers", "answered_within_3h_share", "first_reply_median_hours"),
    "alerts": ("alerts", "by_kind"),
    "report": ("path",),
}


def step_line(step: Timed) -> str:
    """One line per finished step: its name, wall time and headline figures in a reader's units."""
    summary = step.result.summary
    shown = [f"{label(k)} {summary_value(k, summary[k])}" for k in HEADLINES.get(step.name, ()) if k in summary]
    if step.result.up_to_date:
        shown.append("up to date (nothing changed since its newest run)")
    return f"{step.name:<10}{step.seconds:6.1f} s  " + "; ".join(shown)


def print_step(step: Timed) -> None:
    console.print(step_line(step), markup=False, highlight=False, soft_wrap=True)


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
    with Store(db) as store, progress_bar(quiet=json_) as bar:
        task = bar.add_task("pipeline", total=None)
        options = PipelineOptions(k=k, watch=tuple(watch or ()), report=report, executor=executor,
                                  scheduler=scheduler, workers=workers, progress=execution_progress(bar, task))  # fmt: skip

        def start(name: str) -> None:  # the running step, with the counts of the per-message ones
            bar.reset(task, total=None, description=f"{name} (running)")

        def done(step: Timed) -> None:
            print_step(step)

        results = run_pipeline(store, steps=steps, options=options, on_step=None if json_ else done, on_start=start)
    if json_:
        print_json([{"name": s.name, "seconds": round(s.seconds, 2), **s.result.to_dict()} for s in results])


def register(app: typer.Typer) -> None:
    app.command()(pipeline)
