"""``chrysalide text``: normalise, tokenise and segment the messages not processed yet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import typer
from rich.table import Table

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, print_json, progress
from chrysalide.errors import StoreError
from chrysalide.store import Store


def text(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    batch_size: int = typer.Option(5000, "--batch-size", min=1, help="Messages per written batch."),
    segment_size: int = typer.Option(40, "--segment-size", min=1, help="Words per Reinert segment (rainette)."),
    all_messages: bool = typer.Option(False, "--all", help="Process every message again instead of only the new ones."),
) -> None:
    """Compute text features (language, pronouns, own health) and Reinert segments of new messages."""
    from chrysalide import text as text_layer

    def bar(batches: Iterable[Any], total: int) -> Iterable[Any]:
        return progress(batches, "text", total, quiet=as_json)

    if str(db) != ":memory:" and not db.exists():
        raise StoreError(f"{db}: no such database (run `chrysalide ingest` first)")
    with Store(db) as store:
        counts = text_layer.process(
            store, batch_size=batch_size, only_new=not all_messages, segment_size=segment_size, progress=bar
        )
    if as_json:
        print_json(counts)
        return
    table = Table(title=f"text run {counts['run_id']}", show_header=False)
    table.add_row("messages processed", f"{counts['messages']:,}")
    table.add_row("segments written", f"{counts['segments']:,}")
    table.add_row("tokens", f"{counts['tokens']:,}")
    table.add_row("languages filled in", f"{counts['lang_filled']:,}")
    for lang, n in sorted(counts["languages"].items(), key=lambda kv: -kv[1]):
        table.add_row(f"  lang {lang}", f"{n:,}")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("text")(text)
