"""``chrysalide lexical``: Reinert classification of the text segments, stored with its run."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    SEED_MAX,
    DbOption,
    JsonOption,
    console,
    default,
    execution_progress,
    print_json,
    progress_bar,
)
from chrysalide.lexical.double import LARGEST_MAX_K
from chrysalide.lexical.step import LexicalParams
from chrysalide.store import Store
from chrysalide.units import percent


def D(name: str) -> Any:  # noqa: N802 - reads as the default of a parameter
    return default(LexicalParams, name)


def lexical(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: JsonOption = False,
    k: int = typer.Option(D("k"), "--k", help="Number of classes of the simple classification (splits = k - 1)."),
    double: bool = typer.Option(D("double"), "--double", help="Double classification (two UC sizes, crossed)."),
    max_k: int = typer.Option(
        D("max_k"),
        "--max-k",
        min=2,
        max=LARGEST_MAX_K,
        help="Double: largest number of crossed classes (the search for them is exhaustive: 10 at most).",
    ),
    min_segment_size: int = typer.Option(
        D("min_segment_size"),
        "--min-segment-size",
        min=0,
        help="Simple: merge short segments of a message into UCs of at least N terms (0 or 1: no merging).",
    ),  # fmt: skip
    min_segment_size1: int = typer.Option(
        D("min_segment_size1"), "--min-segment-size1", min=0, help="Double: UC size of the first run."
    ),
    min_segment_size2: int = typer.Option(
        D("min_segment_size2"), "--min-segment-size2", min=0, help="Double: UC size of the second run."
    ),
    min_split_members: int = typer.Option(
        D("min_split_members"), "--min-split-members", help="Smallest class a split may produce (rainette)."
    ),
    cc_test: float = typer.Option(
        D("cc_test"), "--cc-test", help="Contingency coefficient under which a term goes to one side (rainette)."
    ),
    tsj: int = typer.Option(D("tsj"), "--tsj", help="Minimum frequency of a term in a split's test (rainette)."),
    min_docfreq: int = typer.Option(D("min_docfreq"), "--min-docfreq", help="Keep terms found in at least N segments."),
    max_terms: int = typer.Option(D("max_terms"), "--max-terms", help="Keep at most N terms (the most frequent)."),
    switching: str = typer.Option(D("switching"), "--switching", help="Reassignment: best, rainette or none."),
    min_class_share: float = typer.Option(
        D("min_class_share"),
        "--min-class-share",
        help="Set aside a split's side below this share of the segments as lexical outliers (0 = off, rainette).",
    ),
    lang: str = typer.Option(
        D("lang"), "--lang", help="Language analysed: main (the most frequent), all, or a code such as fr."
    ),
    forms: str = typer.Option(
        D("forms"),
        "--forms",
        help="Active forms: active (full words minus light ones) or full (every full word, as before).",
    ),
    boilerplate: int = typer.Option(
        D("boilerplate"),
        "--boilerplate",
        help="Leave out segments whose words recur in at least N messages (0 = off).",
    ),
    sample: int | None = typer.Option(
        D("sample"),
        "--sample",
        help="Classify a random sample of about N segments, assign the rest to the nearest class.",
    ),
    seed: int = typer.Option(D("seed"), "--seed", min=0, max=SEED_MAX, help="Seed of the --sample draw."),
    refit: bool = typer.Option(
        False, "--refit", help="Classify every segment again (default: new segments join the newest run's classes)."
    ),
    variable: Annotated[
        list[str] | None,
        typer.Option("--variable", help="Variable for specificities and cross tables (repeat); default: all."),
    ] = None,
) -> None:
    """Classify the segments (Reinert / Alceste) and print each class with its characteristic terms."""
    from chrysalide.lexical import final_classes
    from chrysalide.lexical import lexical as run_lexical

    params = LexicalParams(
        k=k, double=double, max_k=max_k, min_segment_size=min_segment_size, min_segment_size1=min_segment_size1,
        min_segment_size2=min_segment_size2, min_split_members=min_split_members, cc_test=cc_test, tsj=tsj,
        min_docfreq=min_docfreq, max_terms=max_terms, switching=switching, lang=lang, sample=sample, seed=seed,
        min_class_share=min_class_share, forms=forms, boilerplate=boilerplate,
        variables=tuple(variable) if variable else D("variables"),
    )  # fmt: skip
    with Store(db, create=False) as store:
        with progress_bar("phases", quiet=as_json) as bar:  # the matrix, each split, the tables
            task = bar.add_task(f"lexical: classifying {store.count('segments'):,} segments", total=None)
            result = run_lexical(store, params, refit=refit, progress=execution_progress(bar, task))
        classes = final_classes(store, result.run_id)
    summary = result.summary
    if as_json:
        print_json({**result.to_dict(), "params": params.get_params(), "classes": classes})
        return
    kind = "double" if double else "simple"
    title = (
        f"lexical run {result.run_id} ({kind}, language {summary['lang']}): {summary['classified']:,} of"
        f" {summary['segments']:,} segments classified, {summary['terms']:,} terms"
    )
    if result.up_to_date:
        title += " (up to date: nothing changed since this run)"
    elif summary["classes_from"] != result.run_id:
        title += f"\nclasses of run {summary['classes_from']} kept: {summary['why']} (--refit to classify again)"
    table = Table(title=title)
    table.add_column("class", justify="right")
    table.add_column("segments", justify="right")
    table.add_column("share", justify="right")
    table.add_column("writers (largest)", justify="right")
    table.add_column("characteristic terms (chi-square)")
    for cls in classes:
        terms = ", ".join(f"{t['term']} ({t['chi2']:.0f})" for t in cls["terms"])
        writers = f"{cls['writers']:,} ({percent(cls['top_writer_share'])})"
        table.add_row(str(cls["class"]), f"{cls['size']:,}", f"{cls['share']:.1%}", writers, terms)
    console.print(table)
    if summary["variables"]:
        console.print(f"specificities and cross tables by: {', '.join(summary['variables'])}")
    for name, why in summary["variables_skipped"].items():
        console.print(f"[dim]skipped variable {name}: {why}[/dim]")
    left = summary.get("left_out", {})
    if left:
        console.print(
            f"left out: {left['other_languages']:,} segments in other languages, {left['undetermined_language']:,} of"
            f" undetermined language, {left['other_language_segments']:,} written in another language than"
            f" their message, {left['boilerplate']:,} boilerplate, {left['outliers']:,} lexical outliers,"
            f" {left['no_active_form']:,} without an active form"
        )
    for message in summary["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {message}")


def register(app: typer.Typer) -> None:
    app.command("lexical")(lexical)
