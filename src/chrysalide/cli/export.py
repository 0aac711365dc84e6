"""``chrysalide export``: REFI-QDA project and codebook, IRaMuTeQ corpus, Parquet / CSV tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, err_console, print_json
from chrysalide.store import Store

QuotesOption = Annotated[
    str,
    typer.Option(
        "--quotes",
        help="consented: verbatim text only from members who granted quoting (others withheld);"
        " all-pseudonymised: the pseudonymised text of every member not excluded.",
    ),
]


def _done(payload: dict[str, Any], as_json: bool, what: str, where: str, quotes: str | None = None) -> None:
    """What was written, what the privacy gate did, and one line when most text was withheld."""
    from chrysalide.report.export.data import ExportCounts, withheld_notice

    if as_json:
        print_json(payload)
        return
    console.print(f"wrote {what} to {where}", markup=False, highlight=False)
    counts = payload.get("counts") or {}
    if counts:
        excluded = counts["excluded_members"]
        console.print(
            f"{counts['messages']:,} messages; {counts['withheld']:,} texts withheld (no consent to quote)"
            + (f"; {excluded:,} member(s) excluded at their request" if excluded else ""),
            markup=False,
            highlight=False,
        )
    if payload.get("withheld_terms"):
        console.print(
            f"{payload['withheld_terms']:,} terms left out: only withheld messages use them",
            markup=False,
            highlight=False,
        )
    notice = withheld_notice(ExportCounts(**counts), quotes) if counts and quotes else None
    if notice:
        err_console.print(f"note: {notice}", markup=False, highlight=False, soft_wrap=True)


def refi(
    out: Annotated[Path, typer.Option("--out", help="The .qdpx file to write.")],
    db: DbOption = DEFAULT_DB_PATH,
    quotes: QuotesOption = "consented",
    sources: Annotated[
        str, typer.Option("--sources", help="One text source per thread, member (journey) or message.")
    ] = "thread",
    as_json: JsonOption = False,
) -> None:
    """Write a REFI-QDA project (.qdpx) for QualCoder, ATLAS.ti, MAXQDA, NVivo."""
    from chrysalide.report.export.refi import export_refi

    with Store(db, read_only=True) as store:
        report = export_refi(store, out, quotes=quotes, grouping=sources)
    _done(report.as_dict(), as_json, f"{report.sources:,} sources, {report.codings:,} codings", str(out), quotes)


def codebook(
    out: Annotated[Path, typer.Option("--out", help="The .qdc file to write.")],
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
) -> None:
    """Write the stage codebook as a REFI-QDA codebook (.qdc)."""
    from chrysalide.report.export.qdc import codes_in_store, export_codebook

    extra: list[str] = []
    if db.exists():
        with Store(db, read_only=True) as store:
            extra = codes_in_store(store)
    path = export_codebook(out, extra)
    _done({"path": str(path), "extra_codes": extra}, as_json, "the codebook", str(path))


def iramuteq(
    out: Annotated[Path, typer.Option("--out", help="The corpus .txt file to write.")],
    db: DbOption = DEFAULT_DB_PATH,
    quotes: QuotesOption = "consented",
    ids: Annotated[
        bool,
        typer.Option(
            "--ids",
            help="Also write *msg, *member, *thread, *date and *reply: what `chrysalide ingest` needs to rebuild"
            " threads, dates and reply links (one value per message: noise for IRaMuTeQ's own analyses).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write an IRaMuTeQ corpus: one text per message with *board, *year, *stage and *group."""
    from chrysalide.report.export.iramuteq import export_iramuteq

    with Store(db, read_only=True) as store:
        report = export_iramuteq(store, out, quotes=quotes, ids=ids)
    what = f"{report.texts:,} texts (variables {', '.join(report.variables)})"
    _done(report.as_dict(), as_json, what, str(out), quotes)


def parquet(
    out: Annotated[Path, typer.Option("--out", help="Folder to write (one file per table).")],
    db: DbOption = DEFAULT_DB_PATH,
    quotes: QuotesOption = "consented",
    as_json: JsonOption = False,
) -> None:
    """Write every non-empty table as Parquet, with a manifest."""
    from chrysalide.report.export.tables import export_parquet

    with Store(db, read_only=True) as store:
        report = export_parquet(store, out, quotes=quotes)
    _done(report.as_dict(), as_json, f"{len(report.tables)} tables", str(out), quotes)


def csv(
    out: Annotated[Path, typer.Option("--out", help="Folder to write (one file per table).")],
    db: DbOption = DEFAULT_DB_PATH,
    quotes: QuotesOption = "consented",
    as_json: JsonOption = False,
) -> None:
    """Write every non-empty table as CSV (UTF-8), with a manifest."""
    from chrysalide.report.export.tables import export_csv

    with Store(db, read_only=True) as store:
        report = export_csv(store, out, quotes=quotes)
    _done(report.as_dict(), as_json, f"{len(report.tables)} tables", str(out), quotes)


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="Export for QDA tools, IRaMuTeQ, Parquet / CSV (consent-aware).")
    for command in (refi, codebook, iramuteq, parquet, csv):
        group.command(command.__name__)(command)
    app.add_typer(group, name="export")
