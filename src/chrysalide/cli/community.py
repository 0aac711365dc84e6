"""``chrysalide community`` and ``alerts``: newcomer response, stage mix, reply network, crisis bursts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated, Any

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
from chrysalide.cli.journeys import _open, _records
from chrysalide.community.alerts import GAMMA_MAX, S_MAX, AlertsParams
from chrysalide.community.bursts import LEVEL_WEEKS
from chrysalide.community.step import CommunityParams
from chrysalide.report.html.sections.alerts import (
    COLLECTION_READING,
    FEW_THREADS_READING,
    FEW_THREADS_RULE,
    LEVEL_READING,
    ONE_VOICE_READING,
    SHARE_LEVEL_READING,
    WATCH_COUNTED,
    burst_name,
    threads_text,
    volume_caveat,
    watched,
)
from chrysalide.report.lacks import lacking, nothing_to_measure
from chrysalide.report.periods import (
    GROUP_COLUMNS,
    OUT_OF,
    PERIOD_COLUMNS,
    delays_by_day,
    group_row,
    hours_unknown,
    out_of_shown,
    period_cells,
    period_name,
    seen,
    threads_apart,
)
from chrysalide.units import dated_by_day, number, percent, sentence

#: How a watch term is matched (``community.alerts.TERM_MATCH``), as ``--help`` says it.
WATCH_HELP = (
    "Term to watch, repeatable. A message holds it when its text, or the title of the thread it opens, contains it as "
    "written, in any case ('dbt' matches 'DBT' and 'DBTs'), accents kept ('levothyrox' does not match 'lévothyrox'); "
    "quotes an import set apart (phpBB's quote blocks) are not searched, a Reddit '>' quote is. The run says how "
    "many messages hold each term."
)
WatchOption = Annotated[list[str] | None, typer.Option("--watch", help=WATCH_HELP)]


def community(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    period: str = typer.Option(
        default(CommunityParams, "period"), "--period", help="Period of the metrics: week, month or year."
    ),
    seed: int = typer.Option(
        default(CommunityParams, "seed"),
        "--seed",
        min=0,
        max=SEED_MAX,
        help="Seed of the sampled betweenness on large graphs.",
    ),
) -> None:
    """Per-period messages, newcomers, response times, stage mix; reply network and core members."""
    from chrysalide import community as step

    with _open(db) as store:
        result = step.community(store, period=period, seed=seed)
        periods, core = step.periods(store, result.run_id), step.core_members(store, result.run_id)
        apart = threads_apart(store, result.summary)
        note = nothing_to_measure(store)
    if as_json:  # a count no source can see is null, as in the tables (report.periods.seen); a delay in whole
        # days is not given in hours (report.periods.delays_by_day)
        summary = {
            **delays_by_day(result.summary, result.summary),
            "delays_in_hours_unknown": hours_unknown(result.summary),
        }
        rows = [delays_by_day(row, result.summary) for row in seen(_records(periods), result.summary)]
        print_json({**result.to_dict(), "summary": summary, "periods": rows, "core_members": _records(core)})
        return
    up = " (up to date: nothing changed since this run)" if result.up_to_date else ""
    console.print(summary_table(f"community run {result.run_id}{up}", result.summary,
                                skip=("written", "warnings", "newcomers_by_board", "near_end_note", "follow_up")))  # fmt: skip
    by_day = dated_by_day(result.summary)
    boards = result.summary.get("newcomers_by_board") or {}
    if boards:
        console.print(_boards_table(boards, by_day=by_day))
    rows = seen(periods.tail(12).to_dict("records"), result.summary)
    for part in dict.fromkeys(c.part for c in PERIOD_COLUMNS):  # the dashboard's columns, in tables a terminal holds
        recent = Table(title=f"last 12 periods ({period}): {part}", title_justify="left")
        recent.add_column("period", no_wrap=True)
        for column in (c for c in PERIOD_COLUMNS if c.part == part):
            recent.add_column(column.header, justify="right")
        for row in rows:
            recent.add_row(period_name(row["period"], period), *period_cells(row, by_day=by_day, part=part))
        console.print(recent)
    if out_of_shown(rows):
        console.print(sentence(OUT_OF), markup=False, highlight=False, soft_wrap=True)
    if apart:  # no thread started can be seen: said as the overview says it
        console.print(f"threads, threads started: {apart}", markup=False, highlight=False, soft_wrap=True)
    if near_end := result.summary.get("near_end_note"):  # too near the end of collection to judge, answered or not
        console.print(sentence(near_end), markup=False, highlight=False, soft_wrap=True)
    for warning in result.summary.get("warnings") or []:
        err_console.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    if note:
        err_console.print(f"note: {note}", markup=False, highlight=False)


def _boards_table(boards: dict[str, dict[str, Any]], *, by_day: bool) -> Table:
    """The run's newcomer figures by the board of their first message (``newcomers_by_board``, in its order: most
    newcomers first, :func:`chrysalide.community.boards.by_board`), with the report's columns
    (:func:`chrysalide.report.periods.group_row`)."""
    table = Table(title="newcomers by board (of their first message)", title_justify="left")
    table.add_column("board", no_wrap=True)
    for header in GROUP_COLUMNS:
        table.add_column(header, justify="right")
    for name, figures in boards.items():
        table.add_row(Text(name), *(number(c) if isinstance(c, int) else c for c in group_row(figures, by_day=by_day)))
    return table


def alerts(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    watch: WatchOption = None,
    s: float = typer.Option(
        default(AlertsParams, "s"),
        "--s",
        min=1.01,
        max=S_MAX,
        help="Burst rate multiplier of Kleinberg's automaton: a burst is s times the usual rate (at most"
        " 1,000,000, which keeps the likelihoods finite).",
    ),
    gamma: float = typer.Option(
        default(AlertsParams, "gamma"),
        "--gamma",
        min=0.0,
        max=GAMMA_MAX,
        help="Cost of entering a burst (times ln weeks), at most 1,000,000.",
    ),
    max_alerts: int = typer.Option(
        default(AlertsParams, "max_alerts"), "--max-alerts", min=1, help="Heaviest bursts kept per series."
    ),
) -> None:
    """Crisis alerts: bursts in weekly message volume, watch terms and stage shares (Kleinberg 2002)."""
    from chrysalide import community as step

    with _open(db) as store:
        result = step.alerts(store, watch=tuple(watch or ()), s=s, gamma=gamma, max_alerts=max_alerts)
        found = step.stored_alerts(store, result.run_id)
        undated = lacking(store, ("dates",))
    if as_json:
        print_json({**result.to_dict(), "alerts": found})
        return
    if not found:
        console.print(f"alerts run {result.run_id}: {f'no weekly series: {undated}' if undated else 'no burst found'}",
                      markup=False)  # fmt: skip
        _print_watched(result.summary)
        return
    table = Table(
        title=f"alerts run {result.run_id}{' (up to date)' if result.up_to_date else ''}", title_justify="left"
    )
    # "x usual" on two lines: the column is then no wider than its figures, and "collaborative" holds on one line.
    for col in ("kind", "target", "from", "to", "messages", "x\nusual", "flags"):
        table.add_column(col, justify="right" if col in ("messages", "x\nusual") else "left",
                         no_wrap=col != "target", overflow="fold")  # fmt: skip
    for a in found:
        table.add_row(a["kind"], Text(str(a["target"])), str(a["start_at"])[:10], str(a["end_at"])[:10],
                      f"{a['observed']:,}", f"{a['magnitude']:.1f}", _flags(a))  # fmt: skip
    console.print(table)
    for line in _alert_notes(found):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    _print_watched(result.summary)
    if caveat := volume_caveat(result.summary.get("undeclared_selections") or {}, {a["kind"] for a in found}):
        err_console.print(f"note: {caveat}", markup=False, highlight=False, soft_wrap=True)


#: The marks of the alerts table's ``flags`` column, each explained under the table when shown (one column of short
#: marks keeps the table within 80 columns: one column per flag, the threads of a burst written out in its cell,
#: wrapped every cell there).
FLAG_MARKS = {"level": "L", "edge": "E", "one voice": "V", "few threads": "T"}


def _flagged(a: dict[str, Any]) -> dict[str, bool]:
    """Which flags of :data:`FLAG_MARKS` an alert of ``stored_alerts`` has."""
    return {"level": bool(a["level_change"]), "edge": bool(a["collection_edge"]),
            "one voice": a["one_voice"] is not None, "few threads": a["few_threads"] is not None}  # fmt: skip


def _flags(a: dict[str, Any]) -> str:
    """An alert's marks in the ``flags`` column: 'LE', 'T', ''."""
    return "".join(FLAG_MARKS[flag] for flag, on in _flagged(a).items() if on)


def _alert_notes(found: list[dict[str, Any]]) -> list[str]:
    """The lines under the alerts table: what each flag shown means (level first), with each flagged alert's figure
    where the flag has one (the share one member wrote, the threads), then each alert's top words: what the table's
    cells held before the flags became marks and the words left it."""
    rows, notes = [SimpleNamespace(**a) for a in found], []
    shown = {flag for a in found for flag, on in _flagged(a).items() if on}
    if "level" in shown:
        long = {r.kind == "volume" for r in rows if r.level_change}  # of volume (True), in a share (False)
        said = [f"of volume, {LEVEL_READING}"] if True in long else []
        said += [f"in a share, {SHARE_LEVEL_READING}"] if False in long else []
        notes.append(f"level (L): the burst lasts more than {LEVEL_WEEKS} weeks, or more than half the weeks of the "
                     f"series: {'; '.join(said)}.")  # fmt: skip
    if "edge" in shown:
        notes.append(
            f"edge (E): the burst begins or ends at an edge of the collected conversations, {COLLECTION_READING}."
        )
    if "one voice" in shown:
        each = "; ".join(f"{burst_name(r)}: {percent(r.one_voice)}" for r in rows if r.one_voice is not None)
        notes.append(f"one voice (V): the share of the burst's messages one member wrote, more than a third: "
                     f"{ONE_VOICE_READING} ({each}).")  # fmt: skip
    if "few threads" in shown:
        each = "; ".join(f"{burst_name(r)}: {threads_text(r.few_threads)}" for r in rows if r.few_threads is not None)
        notes.append(f"few threads (T): the threads of a burst {FEW_THREADS_RULE}: {FEW_THREADS_READING} ({each}).")
    return notes + [f"top words of {burst_name(r)}: {', '.join(r.top_terms[:6])}" for r in rows if len(r.top_terms)]


def _print_watched(summary: dict[str, Any]) -> None:
    """How many messages hold each watched term (the run's ``watch_messages``), and plainly which none holds
    (:func:`chrysalide.report.html.sections.alerts.watched`)."""
    held, unheld = watched(summary.get("watch_messages") or {})
    if held:
        said = ", ".join(f"'{term}' {n:,}" for term, n in held)
        console.print(f"{WATCH_COUNTED}: {said}", markup=False, highlight=False, soft_wrap=True)
    for term in unheld:
        console.print(f"no message contains '{term}'", markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("community")(community)
    app.command("alerts")(alerts)
