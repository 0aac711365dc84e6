"""``chrysalide text``: normalise, tokenise and segment the messages not processed yet."""

from __future__ import annotations

import typer
from rich.table import Table

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    WORKERS_MAX,
    DbOption,
    JsonOption,
    console,
    default,
    execution_progress,
    print_json,
    progress_bar,
)
from chrysalide.store import Store
from chrysalide.store.step import rules_changed_note
from chrysalide.text.step import TextParams
from chrysalide.units import percent

#: Upper bound of ``--batch-size`` (5,000 by default: docs/text-layer.md): a batch is held in memory whole, and a
#: million messages is twice the study's forum (485,000).
BATCH_MAX = 1_000_000


def text(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    batch_size: int = typer.Option(
        5000,
        "--batch-size",
        min=1,
        max=BATCH_MAX,
        help="Messages per batch (or Parquet partition).",
    ),
    segment_size: int = typer.Option(
        default(TextParams, "segment_size"), "--segment-size", min=1, help="Words per Reinert segment (rainette)."
    ),
    all_messages: bool = typer.Option(False, "--all", help="Process every message again instead of only the new ones."),
    executor: str = typer.Option("local", "--executor", help="local, or dask for Parquet partitions on a cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        max=WORKERS_MAX,
        help="Processes: a local pool (default 1), or the Dask LocalCluster's size (default: one per core).",
    ),
) -> None:
    """Compute text features (language, pronouns, own health) and Reinert segments of new messages."""
    from chrysalide import text as text_layer
    from chrysalide.distributed import Execution

    with Store(db, create=False) as store, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("text", total=None)
        execution = Execution(executor, scheduler, workers, execution_progress(bar, task))
        result = text_layer.process(
            store, batch_size=batch_size, refresh=all_messages, segment_size=segment_size, execution=execution
        )
    if as_json:
        print_json(result.to_dict())
        return
    counts = result.summary
    title = f"text run {result.run_id}" + (" (up to date: no new message)" if result.up_to_date else "")
    table = Table(title=title, show_header=False)
    table.add_row("messages processed", f"{counts['messages']:,}")
    table.add_row("segments written", f"{counts['segments']:,}")
    table.add_row("tokens", f"{counts['tokens']:,}")
    table.add_row("languages filled in", f"{counts['lang_filled']:,}")
    if counts.get("lang_changed"):
        table.add_row("languages detected again, changed", f"{counts['lang_changed']:,}")
    if counts.get("closing_lines"):
        signed = counts.get("messages_with_parts_removed", {}).get("signature", 0)
        table.add_row("closing lines left out", f"{counts['closing_lines']:,} (signatures, in {signed:,} messages)")
    total = sum(counts["languages"].values()) or 1
    for lang, n in sorted(counts["languages"].items(), key=lambda kv: -kv[1]):
        table.add_row(f"  lang {lang}", f"{n:,} ({percent(n / total)})")
    console.print(table)
    note = rules_changed_note(result)
    if note:
        console.print(note, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("text")(text)
