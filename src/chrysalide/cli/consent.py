"""``chrysalide consent``: record members' consent (quote / analyse / exclude) and list it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, err_console, print_json
from chrysalide.store import Store


def import_(
    path: Annotated[Path, typer.Argument(help="CSV with columns member, status, date, scope.")],
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
) -> None:
    """Import consent decisions; members by pseudonym, native user id or display name."""
    from chrysalide.privacy.consent import import_consent

    with Store(db, create=False) as store:
        report = import_consent(store, path)
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"{report.imported} member(s) with a consent decision recorded", markup=False)
    for reason in report.reasons():
        err_console.print(reason, markup=False, highlight=False)


def list_(db: DbOption = DEFAULT_DB_PATH, as_json: JsonOption = False) -> None:
    """List recorded consent decisions by pseudonym."""
    from chrysalide.privacy.consent import list_consent

    with Store(db, read_only=True) as store:
        rows = list_consent(store)
    if as_json:
        print_json(rows)
        return
    table = Table("pseudonym", "status", "scope", "date", "quotable", "excluded")
    for row in rows:
        table.add_row(
            str(row["pseudonym"]), row["status"], row["scope"], row["date"] or "",
            "yes" if row["quotable"] else "no", "yes" if row["excluded"] else "no",
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="Members' consent: who may be quoted, who is excluded.")
    group.command("import")(import_)
    group.command("list")(list_)
    app.add_typer(group, name="consent")
