"""``chrysalide lexical``: Reinert classification of the text segments, stored with its run."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, print_json
from chrysalide.store import Store


def lexical(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    k: int = typer.Option(10, "--k", help="Number of classes of the simple classification (splits = k - 1)."),
    double: bool = typer.Option(False, "--double", help="Double classification (two UC sizes, crossed)."),
    max_k: int = typer.Option(5, "--max-k", help="Double: largest number of crossed classes."),
    min_segment_size: int = typer.Option(
        0, "--min-segment-size", help="Simple: merge short segments of a message into UCs of at least N terms."
    ),
    min_segment_size1: int = typer.Option(10, "--min-segment-size1", help="Double: UC size of the first run."),
    min_segment_size2: int = typer.Option(15, "--min-segment-size2", help="Double: UC size of the second run."),
    min_docfreq: int = typer.Option(10, "--min-docfreq", help="Keep terms found in at least N segments."),
    max_terms: int = typer.Option(4000, "--max-terms", help="Keep at most N terms (the most frequent)."),
    switching: str = typer.Option("best", "--switching", help="Reassignment: best, rainette or none."),
    lang: str | None = typer.Option(None, "--lang", help="Only messages in this language (e.g. fr)."),
    sample: int | None = typer.Option(
        None, "--sample", help="Classify a random sample of about N segments, assign the rest to the nearest class."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the --sample draw."),
    refit: bool = typer.Option(
        False, "--refit", help="Classify every segment again (default: new segments join the newest run's classes)."
    ),
    variable: Annotated[
        list[str] | None,
        typer.Option("--variable", help="Variable for specificities and cross tables (repeat); default: all."),
    ] = None,
) -> None:
    """Classify the segments (Reinert / Alceste) and print each class with its characteristic terms."""
    from chrysalide.lexical import lexical as run_lexical
    from chrysalide.lexical.variables import VARIABLES

    with Store(db, create=False) as store:
        result = run_lexical(
            store, k=k, double=double, max_k=max_k, min_segment_size=min_segment_size,
            min_segment_size1=min_segment_size1, min_segment_size2=min_segment_size2, min_docfreq=min_docfreq,
            max_terms=max_terms, switching=switching, lang=lang, sample=sample, seed=seed,
            variables=variable or VARIABLES, refit=refit,
        )  # fmt: skip
    if as_json:
        print_json(result)
        return
    kind = "double" if double else "simple"
    title = (
        f"lexical run {result['run_id']} ({kind}): {result['classified']:,} of {result['segments']:,} segments"
        f" classified, {result['terms']:,} terms"
    )
    if result.get("up_to_date"):
        title += " (up to date: nothing changed since this run)"
    elif result["classes_from"] != result["run_id"]:
        title += f"\nclasses of run {result['classes_from']} kept: {result['why']} (--refit to classify again)"
    table = Table(title=title)
    table.add_column("class", justify="right")
    table.add_column("segments", justify="right")
    table.add_column("share", justify="right")
    table.add_column("characteristic terms (chi-square)")
    for cls in result["classes"]:
        terms = ", ".join(f"{t['term']} ({t['chi2']:.0f})" for t in cls["terms"])
        table.add_row(str(cls["class"]), f"{cls['size']:,}", f"{cls['share']:.1%}", terms)
    console.print(table)
    if result["variables"]:
        console.print(f"specificities and cross tables by: {', '.join(result['variables'])}")
    for name, why in result["variables_skipped"].items():
        console.print(f"[dim]skipped variable {name}: {why}[/dim]")
    for message in result["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {message}")


def register(app: typer.Typer) -> None:
    app.command("lexical")(lexical)
