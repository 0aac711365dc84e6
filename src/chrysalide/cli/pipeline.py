"""``chrysalide pipeline``: every analysis step, in data-flow order, on an ingested store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    WORKERS_MAX,
    DbOption,
    JsonOption,
    console,
    err_console,
    print_json,
    progress_bar,
)
from chrysalide.pipeline import STEPS, PipelineOptions, Timed
from chrysalide.pipeline import pipeline as run_pipeline
from chrysalide.report.lacks import nothing_to_measure
from chrysalide.store import Store
from chrysalide.store.step import rules_changed_note
from chrysalide.units import dated_by_day, label, summary_value

# The figures a reader wants first from each step's summary.
HEADLINES = {
    "text": ("messages", "segments"),
    "code": ("coded", "coded_again", "primary_counts", "needs_review"),
    "lexical": ("k", "classified", "segments"),
    "journeys": ("members", "arrived_helping", "at_risk", "reached_decentered", "median_days_to_decentered"),
    "survival": ("at_risk", "decentered", "km_median_days_to_decentered", "km_median_withheld"),
    "community": (
        "newcomers",
        "newcomers_answered_share",
        "request_answered_within_3h_share",
        "request_first_reply_median_hours",
    ),
    "alerts": ("alerts", "by_kind"),
    "report": ("path",),
}


def step_figures(step: Timed) -> str:
    """The headline figures of a finished step's summary, in a reader's units."""
    summary = step.result.summary
    by_day = dated_by_day(summary)
    keys = [k for k in HEADLINES.get(step.name, ()) if k in summary and not (k in IF_SET and not summary[k])]
    shown = [(f"{label(k)} " if k not in UNLABELLED else "") + summary_value(k, summary[k], by_day=by_day)
             for k in keys]  # fmt: skip
    if step.result.up_to_date:
        shown.append("unchanged: its newest run stands")
    return "; ".join(shown)


UNLABELLED = ("primary_counts", "by_kind")  # counts by stage or kind read without a label
IF_SET = ("km_median_withheld", "coded_again")  # shown only when it says something (not None, not 0)
UNITS = {"lexical": "phases"}  # what a step counts, when not messages


def print_step(step: Timed, out: Console | None = None) -> None:
    """One line per finished step (name, wall time, figures); long figures wrap under the figures, and so does
    the note of a step that processed every message again because its rules changed. The step's warnings follow
    on stderr, worded as its own command prints them (``chrysalide code``: a language the model did not learn)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, min_width=17)
    grid.add_column(overflow="fold")
    grid.add_row(f"{step.name:<10}{step.seconds:6.1f} s", Text(step_figures(step)))
    note = rules_changed_note(step.result)
    if note:
        grid.add_row("", Text(note))
    (out or console).print(grid)
    for warning in step.result.summary.get("warnings") or []:
        err_console.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)


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
        typer.Option(
            min=1,
            max=WORKERS_MAX,
            help="Local processes for text and coding (default: one per core from 50,000 messages).",
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Run text, code, journeys, survival, community, alerts, lexical (and the report with --report)."""
    with Store(db, create=False) as store, progress_bar(quiet=json_) as bar:
        running = [bar.add_task("pipeline", total=None)]

        def progress(done: int, total: int | None) -> None:  # the running step's counts
            bar.update(running[0], completed=done, total=total or None)

        def start(name: str) -> None:  # a new task per step: a step without counts shows its elapsed time only
            bar.remove_task(running[0])
            running[0] = bar.add_task(f"{name} (running)", total=None, unit=UNITS.get(name, "messages"))

        def done(step: Timed) -> None:  # above the bar while it is drawn, on stdout otherwise
            print_step(step, bar.console if bar.live.is_started else console)

        options = PipelineOptions(k=k, watch=tuple(watch or ()), report=report, executor=executor,
                                  scheduler=scheduler, workers=workers, progress=progress)  # fmt: skip
        results = run_pipeline(store, steps=steps, options=options, on_step=None if json_ else done, on_start=start)
        note = nothing_to_measure(store)
    if note and not json_:  # the steps ran and stored nothing to show: said once, as the report says it
        err_console.print(f"note: {note}", markup=False, highlight=False)
    if json_:
        print_json([{"name": s.name, "seconds": round(s.seconds, 2), **s.result.to_dict()} for s in results])


def register(app: typer.Typer) -> None:
    app.command()(pipeline)
