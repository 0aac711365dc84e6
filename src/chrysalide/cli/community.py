"""``chrysalide community`` and ``alerts``: newcomer response, stage mix, reply network, crisis bursts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, print_json
from chrysalide.cli.journeys import _fmt, _open

WatchOption = Annotated[list[str] | None, typer.Option("--watch", help="Term to watch (case-insensitive), repeatable.")]


def community(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    period: str = typer.Option("month", "--period", help="Period of the metrics: week, month or year."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sampled betweenness on large graphs."),
) -> None:
    """Per-period messages, newcomers, response times, stage mix; reply network and core members."""
    from chrysalide import community as stage

    if period not in ("week", "month", "year"):
        raise typer.BadParameter("--period must be week, month or year")
    with _open(db) as store:
        out = stage.community(store, period=period, seed=seed)
    periods, core = out["periods"], out["core"]
    if as_json:
        print_json({
            "run_id": out["run_id"], "summary": out["summary"],
            "periods": periods.astype(object).where(periods.notna(), None).to_dict(orient="records"),
            "core_members": core.to_dict(orient="records"),
        })  # fmt: skip
        return
    table = Table(title=f"community run {out['run_id']}", show_header=False)
    for key, value in out["summary"].items():
        table.add_row(key, _fmt(value))
    console.print(table)
    recent = Table(title=f"last 12 periods ({period})")
    for col in ("period", "messages", "active", "new", "new answered", "median reply h", "within 3h", "unanswered"):
        recent.add_column(col)
    for r in periods.tail(12).itertuples():
        recent.add_row(str(r.period.date()), f"{r.messages:,}", str(r.active_members), str(r.new_members),
                       str(r.newcomers_answered), _fmt(r.first_reply_median_hours),
                       _fmt(r.answered_within_3h_share), str(r.threads_unanswered))  # fmt: skip
    console.print(recent)


def alerts(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    watch: WatchOption = None,
    s: float = typer.Option(2.0, "--s", min=1.01, help="Burst rate multiplier of Kleinberg's automaton."),
    gamma: float = typer.Option(2.0, "--gamma", min=0.0, help="Cost of entering a burst (times ln weeks)."),
    max_alerts: int = typer.Option(10, "--max-alerts", min=1, help="Heaviest bursts kept per series."),
) -> None:
    """Crisis alerts: bursts in weekly message volume, watch terms and stage shares (Kleinberg 2002)."""
    from chrysalide import community as stage

    with _open(db) as store:
        out = stage.alerts(store, watch=watch or [], s=s, gamma=gamma, max_alerts=max_alerts)
    if as_json:
        print_json(out)
        return
    if not out["alerts"]:
        console.print(f"alerts run {out['run_id']}: no burst found")
        return
    table = Table(title=f"alerts run {out['run_id']}{' (up to date)' if out['summary'].get('up_to_date') else ''}")
    for col in ("kind", "target", "start", "peak", "end", "observed", "x expected", "top terms"):
        table.add_column(col)
    for a in out["alerts"]:
        table.add_row(a["kind"], a["target"], str(a["start_at"]), str(a["peak_at"]), str(a["end_at"]),
                      str(a["observed"]), f"{a['magnitude']:.1f}", ", ".join(a["top_terms"][:6]))  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("community")(community)
    app.command("alerts")(alerts)
