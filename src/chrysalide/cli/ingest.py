"""``chrysalide ingest``: import a forum dump into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    WORKERS_MAX,
    DbOption,
    JsonOption,
    console,
    err_console,
    print_json,
    reading_bar,
)
from chrysalide.cli.rejects import print_warnings
from chrysalide.community.responses import unthreaded_sources
from chrysalide.ingest import ingest as ingest_source
from chrysalide.ingest import parse_mapping
from chrysalide.ingest.report import reject_kinds
from chrysalide.ingest.timestamps import DATE_ORDERS
from chrysalide.store import Store


def ingest(
    path: Annotated[Path, typer.Argument(help="File or folder to import.")],
    db: DbOption = DEFAULT_DB_PATH,
    format: Annotated[  # noqa: A002
        str, typer.Option("--format", "-f", help="auto, csv, jsonl, reddit, phpbb, convokit, patientinfo.")
    ] = "auto",
    map_: Annotated[list[str] | None, typer.Option("--map", help="Rename a field: FIELD=COLUMN (repeatable).")] = None,
    source_name: Annotated[str | None, typer.Option(help="Name of the source (default: file name).")] = None,
    keep_names: Annotated[
        bool, typer.Option("--keep-names", help="Keep author names instead of pseudonyms (opt-out).")
    ] = False,
    table_prefix: Annotated[str | None, typer.Option(help="phpBB table prefix (default: detected).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=WORKERS_MAX,
            help="Processes that scrub names and derive ids (default: one per core from 50,000 messages).",
        ),
    ] = None,
    boards: Annotated[
        list[str] | None,
        typer.Option(
            "--boards",
            help="Keep only the messages of these boards (sub-forums, subreddits): NAME[,NAME],"
            " any case; the others are counted as left out, not rejected.",
        ),
    ] = None,  # fmt: skip
    thread_starts: Annotated[
        bool,
        typer.Option(
            "--thread-starts",
            help="csv, jsonl without thread ids: every row opens a thread of its own (posts without their replies),"
            " so first posts can be told requests.",
        ),
    ] = False,
    sampled_threads: Annotated[
        bool,
        typer.Option(
            "--sampled-threads",
            help="The input is a selection of the forum's threads (topics): a member's first message in it need not"
            " be their first on the forum, so it does not count as their arrival.",
        ),
    ] = False,
    zone: Annotated[
        str | None,
        typer.Option(
            "--zone",
            help="Time zone of the dates written without one (IANA name: Europe/Paris); default UTC.",
        ),
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option(
            "--date-order",
            help="Order of dates of three numbers: dmy (31/12/2021), mdy (12/31/2021) or ymd (21/12/31); default:"
            " the source's before, else the one its dates prove (01/13/2021 is month first).",
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Import PATH into the store: pseudonymised, deduplicated, bad records kept in `rejects`."""
    options: dict[str, Any] = {"table_prefix": table_prefix} if table_prefix else {}
    if thread_starts:
        options["thread_starts"] = True
    # Only ingest (and demo) create a database; one that this import created is removed if the import fails.
    with Store(db, create=True) as store:
        with reading_bar(quiet=json_) as bar:
            task = bar.add_task(f"reading {path.name}", total=None, records=0)
            report = ingest_source(
                store,
                path,
                format=format,
                mapping=parse_mapping(map_ or []),
                source_name=source_name,
                keep_names=keep_names,
                workers=workers,
                boards=boards,
                zone=zone,
                date_order=date_order,
                sampled_threads=sampled_threads,
                on_read=lambda n, done, size: bar.update(task, completed=done, total=size, records=n),
                **options,
            )
        reasons = reject_kinds(store.con, report.source_id, report.run_id) if report.rejected and not json_ else []
        earlier = bool(report.rejected and not json_ and not reasons)  # stored by an earlier import of the source
        if earlier:
            reasons = reject_kinds(store.con, report.source_id)
        unthreaded = not json_ and report.source_id in unthreaded_sources(store)
    if json_:
        print_json(report.as_dict())
        return
    table = Table(title=f"source {report.source_id} ({report.importer})", show_header=False)
    table.add_row("imported", f"{report.imported:,}")
    table.add_row("rejected", f"{report.rejected:,}")
    if report.boards:
        table.add_row("left out by choice (--boards)",
                      f"{report.left_out:,} messages of {report.left_out_boards:,} other boards")  # fmt: skip
    table.add_row("skipped duplicates", f"{report.duplicates:,}")
    table.add_row("new members", f"{report.new_members:,}")
    # A table without thread ids stores each message as a thread of its own: no thread of the forum (named_threads).
    threads = f"- (the export names no thread: its {report.new_threads:,} messages each stored as a thread of its own)"
    table.add_row("new threads", threads if unthreaded else f"{report.new_threads:,}")
    if report.new_guests:
        table.add_row("new guests with a name", f"{report.new_guests:,}")
    table.add_row("warnings", f"{report.warning_count:,}")
    if report.date_order:
        table.add_row("dates of three numbers read", DATE_ORDERS[report.date_order])
    if report.redated:
        table.add_row("dated after a reply to them", f"{report.redated:,} (dated by their earliest reply)")
    if report.cleaned:
        table.add_row("texts cleaned of markup", _counts(report.cleaned))
    if report.quotes:
        table.add_row("inline quotes", _counts(report.quotes))
    if report.scrubbed:
        table.add_row("replaced in text", _counts(report.scrubbed))
    if report.rescrubbed:
        table.add_row("earlier messages scrubbed again", f"{report.rescrubbed:,} (text and code derive them again)")
    if report.boards_renamed:
        table.add_row("earlier boards renamed (Reddit profiles)", f"{report.boards_renamed:,}")
    console.print(table)
    if not report.imported and report.duplicates and (earlier or not report.rejected):  # no new reject either
        console.print(f"nothing new: every message of {Path(report.location).name} is stored already in source "
                      f"{report.source_id!r}", markup=False, highlight=False)  # fmt: skip
    if report.ambiguous_names:
        err_console.print(
            f"{len(report.ambiguous_names)} name(s) are also words, replaced only where they stand as names"
            " (see `ambiguous_names` in --json):",
            markup=False,
        )
        for row in report.ambiguous_names[:10]:
            err_console.print(
                f"  {row['pseudonym']} ({row['form']}, {row['word']} in {row['language']}):"
                f" {row['replaced']:,} replaced, {row['left_as_word']:,} left as the word",
                markup=False,
                highlight=False,
            )
    print_warnings(report.warning_count, report.warnings)
    if report.rejected:
        kept = "already kept in the `rejects` table by an earlier import" if earlier else "kept in the `rejects` table"
        err_console.print(f"{report.rejected:,} record(s) rejected, {kept}:", markup=False)
        for reason, n in reasons:
            err_console.print(f"  {n:>9,}  {reason}", markup=False, highlight=False)
        err_console.print(f"list them: chrysalide rejects --db {db} --source {report.source_id}", markup=False)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def register(app: typer.Typer) -> None:
    app.command()(ingest)
