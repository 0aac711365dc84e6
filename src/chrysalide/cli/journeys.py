"""``chrysalide journeys``, ``panel`` and ``survival``: member journeys, RFM panel, time to decentering."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.table import Table
from rich.text import Text

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    SEED_MAX,
    DbOption,
    JsonOption,
    console,
    default,
    err_console,
    print_json,
    summary_table,
)
from chrysalide.frames import each_row
from chrysalide.journeys.decentering import (
    ARRIVAL_NOT_SHOWN,
    ARRIVED_HELPING,
    DECENTERED,
    NOT_YET,
    UNKNOWN,
    arrival_unseen_text,
    undeclared_arrivals,
)
from chrysalide.journeys.panel import frequency_floor_clause
from chrysalide.journeys.step import JourneysParams
from chrysalide.journeys.survival import PENALIZER_MAX, SurvivalParams
from chrysalide.journeys.survival_text import COX_COLUMNS, cox_left_out_text, cox_notes, cox_rows
from chrysalide.report.lacks import lacking, nothing_to_measure
from chrysalide.store import Store
from chrysalide.store.codes import uncoded
from chrysalide.units import dated_by_day, duration, km_median_text, sentence

#: Upper bound of ``--permutations`` (999 by default: docs/journeys.md): 100,000 resolve p-values to 1e-5, with 100
#: times the default's draws per member; more would only make the run last longer, holding the database meanwhile.
PERMUTATIONS_MAX = 100_000


def _open(db: Path) -> Store:
    return Store(db, create=False)


def _records(frame: Any) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def journeys(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    period: str = typer.Option(
        default(JourneysParams, "period"), "--period", help="Active period for frequency: week or month."
    ),
    seed: int = typer.Option(
        default(JourneysParams, "seed"), "--seed", min=0, max=SEED_MAX, help="Seed of the I-to-we permutation test."
    ),
    permutations: int = typer.Option(
        default(JourneysParams, "permutations"),
        "--permutations",
        min=0,
        max=PERMUTATIONS_MAX,
        help="Permutations of the I-to-we test (100,000 at most resolve p-values to 0.00001).",
    ),
    executor: str = typer.Option("local", "--executor", help="local, or dask for partitions of members on a cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
) -> None:
    """Milestones, stage runs, transitions and I-to-we trend of every member (tables journeys, member_metrics)."""
    from chrysalide import journeys as step
    from chrysalide.distributed import Execution

    with _open(db) as store:
        result = step.journeys(
            store, period=period, seed=seed, permutations=permutations, execution=Execution(executor, scheduler)
        )
        members = step.member_table(store, result.run_id) if as_json else None
        transitions = result.table(store, "journey_transitions", "from_stage, to_stage") if as_json else None
        note = nothing_to_measure(store)
    if as_json:
        assert members is not None and transitions is not None
        print_json({**result.to_dict(), "members": _records(members), "transitions": _records(transitions)})
        return
    up = " (up to date: nothing changed since this run)" if result.up_to_date else ""
    console.print(summary_table(f"journeys run {result.run_id}{up}", result.summary, skip=("written", "warnings")))
    _warn(result.summary.get("warnings") or [])
    if note:
        err_console.print(f"note: {note}", markup=False, highlight=False)


def panel(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    top: int = typer.Option(30, "--top", min=1, help="How many members to list."),
) -> None:
    """The members a researcher would invite: top recency-frequency-volume scores, with their journey."""
    from chrysalide import journeys as step

    with _open(db) as store:
        ranked = step.panel(store, top=top)
        summary = store.run_summary(int(ranked["run_id"].iloc[0])) if len(ranked) else {}
        by_day = dated_by_day(summary)
        run = store.latest("journeys")
        nobody = "" if len(ranked) else lacking(store, ("members",))
        floor = step.frequency_floor_of(store, int(ranked["run_id"].iloc[0])) if len(ranked) else (None, "week")
        missing_codes = uncoded(
            store, "the decentered and stages columns read them (unknown here)", then="chrysalide journeys"
        )
    warnings = _panel_warnings(missing_codes, summary)
    if as_json:
        print_json({"members": _records(ranked), "warnings": warnings})
        return
    if not len(ranked):
        console.print(f"panel (journeys run {run}): no member to rank{f': {nobody}' if nobody else ''}", markup=False)
        _warn(warnings)
        return
    table = Table(title=f"panel (journeys run {run})", title_justify="left")
    narrow = console.width < 110  # at 80 columns the long columns go, the pseudonym never breaks
    columns = [("rank", "right"), ("pseudonym", "left"), ("RFV", "left"), ("since last", "right"),
               ("words", "right"), ("decentered", "right"), ("stages", "left")]  # fmt: skip
    if not narrow:
        columns[2:2] = [("role", "left"), ("segment", "left"), ("periods", "right")]
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=name != "stages", overflow="fold")  # type: ignore[arg-type]
    for row in each_row(ranked):
        cells = {"rank": str(row.rank), "pseudonym": str(row.pseudonym), "role": str(row.role),
                 "segment": str(row.segment), "RFV": f"{row.r_score}{row.f_score}{row.v_score}",
                 "since last": duration(row.recency_days * 24, by_day=by_day), "periods": str(row.active_periods),
                 "words": f"{row.words:,}", "decentered": duration(row.days_to_decentered * 24, by_day=by_day)
                 if row.decentering_status == DECENTERED else str(row.decentering_status),
                 "stages": short_stages(str(row.stages))}  # fmt: skip
        table.add_row(*[Text(cells[name]) for name, _ in columns])
    console.print(table)
    console.print(
        "rank: by R+F+V, then by words written; RFV: recency, frequency and volume scores (1-5); since last:"
        " from the member's last message to the corpus' last; decentered: from the start of their time at risk"
        f" (first request, else first message) to their first decentered message{_statuses(ranked, summary)};"
        " stages (runs of consecutive codes): I individual, C community, L collaborative, S societal, O other"
        + frequency_floor_clause(*floor),
        style="dim",
        markup=False,
    )
    _warn(warnings)


def _panel_warnings(missing_codes: str, summary: dict[str, Any]) -> list[str]:
    """What ``panel`` warns of, printed and in its ``--json`` (``warnings``, a list of sentences as in the summary of
    ``journeys --json``): no message coded, so that the decentered and stages columns are unknown, not "not yet"
    (``missing_codes``, :func:`chrysalide.store.codes.uncoded`), and the sources that look like a selection of threads
    not declared at import, whose first messages the decentered column reads as arrivals
    (:func:`chrysalide.journeys.decentering.undeclared_arrivals` of the journeys run's ``summary``)."""
    return [w for w in (missing_codes, undeclared_arrivals(summary)) if w]


def _warn(warnings: list[str]) -> None:
    """Each of ``warnings`` on the error stream, one line each (``warning: ...``)."""
    for warning in warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)


def _statuses(ranked: pd.DataFrame, summary: dict[str, Any]) -> str:
    """What the decentered column's words shown (``ranked``'s ``decentering_status``) mean, as clauses ('' when every
    member shown has a delay); the burn-in as the journeys run (``summary``) read it."""
    days = summary.get("burn_in_days")
    unshown = (f"first seen {f'less than {days} days' if days is not None else 'soon'} after the start of their "
               "record, registered before it, or in a selection of threads")  # fmt: skip
    meanings = {
        NOT_YET: "at risk, not decentered since",
        ARRIVED_HELPING: "their first message already helped others: no passage to time",
        ARRIVAL_NOT_SHOWN: f"a member whose arrival the record does not show ({unshown}): no time at risk",
        UNKNOWN: "no message of theirs is coded",
    }
    shown = set(ranked["decentering_status"])
    return "".join(f"; '{status}': {meaning}" for status, meaning in meanings.items() if status in shown)


STAGE_LETTERS = {"individual": "I", "community": "C", "collaborative": "L", "societal": "S", "other": "O"}


def short_stages(stages: str) -> str:
    """A member's runs of stages as letters (``individual > community`` -> ``I>C``), so that a journey fits."""
    for name, letter in STAGE_LETTERS.items():
        stages = stages.replace(name, letter)
    return re.sub(r"×1(?=>|$| )", "", stages.replace(" > ", ">"))


def survival(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    censor: str = typer.Option(
        default(SurvivalParams, "censor"), "--censor", help="Censor at last_message or corpus_end."
    ),
    penalizer: float = typer.Option(
        default(SurvivalParams, "penalizer"),
        "--penalizer",
        min=0.0,
        max=PENALIZER_MAX,
        help="L2 penalty of the Cox model, at most 1,000,000.",
    ),
) -> None:
    """Kaplan-Meier and Cox model of the time from asking for help to the first decentered message."""
    from chrysalide import journeys as step
    from chrysalide.report.html.sections.journeys import unseen_decentering

    with _open(db) as store:
        result = step.survival(store, censor=censor, penalizer=penalizer)
    out = result.summary
    # What the number decentered cannot see (thread starts only: the help given in replies), as the report says it.
    note = unseen_decentering(out)
    if as_json:
        print_json({**result.to_dict(), "note": sentence(note) if note else None})
        return
    console.print(f"survival run {result.run_id}{' (up to date)' if result.up_to_date else ''}: "
                  f"{out['at_risk']:,} members at risk ({out['arrived_helping']:,} arrived helping, left out"
                  f"{_unreadable(out)}), "
                  f"{out['decentered']:,} decentered; Kaplan-Meier median time from the start at risk to "
                  f"decentering {km_median_text(out)}", markup=False)  # fmt: skip
    if note:
        console.print(f"note: {sentence(note)}", markup=False)
    _warn(out.get("warnings") or [])  # a selection of threads not declared, read as arrivals
    if not out["cox_fitted"]:
        console.print(f"Cox model not fitted: {out['cox_error']}. {cox_left_out_text(out)}".rstrip(), markup=False)
        return
    table = Table(title=f"Cox model (concordance {out['concordance']:.3f})", caption=Text(cox_notes(out)))
    for col in COX_COLUMNS:
        table.add_column(col)
    for r in each_row(cox_rows(pd.DataFrame(out["cox"]), out)):
        table.add_row(Text(r.label), f"{r.hazard_ratio:.3f}", f"{r.ci_lower:.3f}-{r.ci_upper:.3f}", f"{r.p:.3g}",
                      r.reading)  # fmt: skip
    console.print(table)


def _unreadable(summary: dict[str, Any]) -> str:
    """The members the survival run left out because no message of theirs holds a word of theirs (removed or deleted
    bodies) or the record does not show them arrive, as clauses."""
    n = int(summary.get("members_unreadable") or 0)
    unreadable = f"; {n:,} whose every message is a removed or deleted body or the like, left out" if n else ""
    unseen = arrival_unseen_text(summary)
    return unreadable + (f"; {unseen}" if unseen else "")


def register(app: typer.Typer) -> None:
    app.command("journeys")(journeys)
    app.command("panel")(panel)
    app.command("survival")(survival)
