"""``chrysalide code``: code messages into empowerment stages, apply to CSV, evaluate, agree, train."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chrysalide.cli.common import (
    DEFAULT_DB_PATH,
    WORKERS_MAX,
    DbOption,
    JsonOption,
    console,
    execution_progress,
    print_json,
    progress_bar,
)
from chrysalide.errors import InputError
from chrysalide.units import percent

CoderOption = Annotated[str, typer.Option("--coder", help="lexicon (codebook rules) or model (trained).")]
ModelOption = Annotated[Path | None, typer.Option("--model", help="Model file (.npz); default: shipped model.")]
ReviewOption = Annotated[
    float | None,
    typer.Option("--review-below", min=0.0, max=1.0,
                 help="Flag codes whose confidence is below this as needs_review; default: the model's threshold "
                 "chosen by cross-validation (docs/coding.md); the lexicon has none."),
]  # fmt: skip
CodebookOption = Annotated[
    Path | None, typer.Option("--codebook", help="Codebook YAML (lexicon coder / training); default: packaged.")
]


def _print_report(report: dict, title: str) -> None:
    console.print(f"[bold]{title}[/bold]  n={report['n']}")
    console.print(f"{'code':<15}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
    for code, row in report["per_class"].items():
        console.print(f"{code:<15}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>7.3f}{row['support']:>9}")
    console.print(f"macro-F1 {report['macro_f1']:.3f}   Cohen's kappa {report['kappa']:.3f}   "
                  f"accuracy {report['accuracy']:.3f}")  # fmt: skip
    labels = report["labels"]
    console.print("confusion (rows gold, columns predicted):")
    console.print(" " * 15 + "".join(f"{lab[:6]:>8}" for lab in labels))
    for lab, row in zip(labels, report["confusion"], strict=True):
        console.print(f"{lab:<15}" + "".join(f"{v:>8}" for v in row))
    if "ece" in report:
        console.print(f"expected calibration error {report['ece']:.3f}; reliability (confidence bins):")
        console.print(f"{'bin':<12}{'n':>7}{'confidence':>12}{'accuracy':>10}")
        for row in report["reliability"]:
            if row["n"]:
                console.print(f"{row['low']:.1f}-{row['high']:.1f}{'':<5}{row['n']:>7}{row['confidence']:>12.3f}"
                              f"{row['accuracy']:>10.3f}")  # fmt: skip
        cover = "   ".join(f"{int(float(c) * 100)}%: {v['kappa']:.3f} (n={v['n']})"
                           for c, v in report["kappa_at_coverage"].items())  # fmt: skip
        console.print(f"kappa of the most confident codes: {cover}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Code messages into empowerment stages (CODEBOOK, Fayn et al. 2021).",
                        invoke_without_command=True)  # fmt: skip

    @group.callback()
    def code_cmd(
        ctx: typer.Context,
        db: DbOption = DEFAULT_DB_PATH,
        coders: Annotated[
            list[str] | None,
            typer.Option(
                "--coder",
                help="A registered coder: model (trained) or lexicon (codebook rules); repeatable, one run per coder;"
                " default: model.",
            ),
        ] = None,  # fmt: skip
        model: ModelOption = None,
        codebook: CodebookOption = None,
        executor: Annotated[str, typer.Option("--executor", help="local (this machine) or dask.")] = "local",
        scheduler: Annotated[
            str | None, typer.Option("--scheduler", help="Dask scheduler ADDRESS (default: a local cluster).")
        ] = None,
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers",
                min=1,
                max=WORKERS_MAX,
                help="Processes: a local pool (default 1: this process), or the Dask "
                "LocalCluster's size (default: one per core).",
            ),
        ] = None,
        review_below: ReviewOption = None,
        json_: JsonOption = False,
    ) -> None:
        """Code every message of the database that this coder has not coded yet."""
        if ctx.invoked_subcommand is not None:
            return
        from chrysalide.coding import code
        from chrysalide.coding.reasons import ReviewReasons
        from chrysalide.distributed import Execution
        from chrysalide.store import Store

        with Store(db, create=False) as store, progress_bar(quiet=json_) as bar:
            task = bar.add_task("code", total=None)
            execution = Execution(executor, scheduler, workers, execution_progress(bar, task))
            results = code(store, coders or ["model"], model=model, codebook=codebook, execution=execution,
                           review_below=review_below)  # fmt: skip
        if json_:
            print_json([r.to_dict() for r in results])
            return
        for r in results:
            done = " (up to date: nothing new to code)" if r.up_to_date else ""
            if again := r.summary.get("coded_again"):
                done += f", {again:,} of them again: their context changed since they were coded"
            console.print(f"coded {r.summary.get('coded', 0):,} messages with {r.summary.get('coder')} (run {r.run_id})"
                          f"{done}", markup=False, highlight=False)  # fmt: skip
            counts = r.summary.get("primary_counts") or {}
            shares = r.summary.get("estimated_shares") or {}
            total = sum(counts.values()) or 1
            console.print(f"  {'stage':<14}{'codes':>9}  {'share':>6}  {'estimated':>9}", markup=False, highlight=False)
            for stage, n in sorted(counts.items(), key=lambda kv: -kv[1]):
                estimate = percent(shares[stage]) if stage in shares else ""
                console.print(f"  {stage:<14}{n:>9,}  {percent(n / total):>6}  {estimate:>9}", markup=False,
                              highlight=False)  # fmt: skip
            console.print(f"  {ReviewReasons.of_run(r.summary).describe()}", markup=False, highlight=False)
            for warning in r.summary.get("warnings", []):
                console.print(f"warning: {warning}", markup=False, highlight=False)

    @group.command("apply")
    def apply_cmd(
        input: Annotated[
            Path,
            typer.Option(
                "--input",
                help="CSV with uid,text [,lang,kind,is_first_post,title]; a thread start is read with its title.",
            ),
        ],
        out: Annotated[Path, typer.Option("--out", help="CSV to write (uid, primary, secondary, scores).")],
        coder: CoderOption = "model",
        model: ModelOption = None,
        codebook: CodebookOption = None,
        review_below: ReviewOption = None,
        json_: JsonOption = False,
    ) -> None:
        """Code a CSV file of messages without any database."""
        from chrysalide.coding import apply

        result = apply(input, out, coder=coder, model=model, codebook=codebook, review_below=review_below)
        print_json(result) if json_ else console.print(
            f"coded {result['messages']} messages -> {result['out']}", markup=False)  # fmt: skip

    @group.command("codebook")
    def codebook_cmd(out: Annotated[Path, typer.Option("--out", help="Where to write the YAML copy.")]) -> None:
        """Copy the default codebook to a file you can edit and pass back with --codebook."""
        from chrysalide.coding import copy_codebook

        console.print(f"wrote {copy_codebook(out)}", markup=False)

    @group.command("evaluate")
    def evaluate_cmd(
        gold: Annotated[Path, typer.Option("--gold", help="CSV with uid, primary (the reference codes).")],
        pred: Annotated[Path | None, typer.Option("--pred", help="CSV with uid, primary; default: database.")] = None,
        db: DbOption = DEFAULT_DB_PATH,
        json_: JsonOption = False,
    ) -> None:
        """Per-class precision, recall, F1, macro-F1, Cohen's kappa, confusion, calibration and coverage.

        With predictions that carry probabilities (score_<code> columns, or the store's codes): the
        expected calibration error, a reliability table and kappa at 100/80/50 % coverage.
        """
        from chrysalide.coding import evaluate
        from chrysalide.store import Store

        if pred is not None:
            report = evaluate(gold, pred)
        else:
            with Store(db, read_only=True) as store:
                report = evaluate(gold, store=store)
        print_json(report) if json_ else _print_report(report, f"{pred or db} against {gold}")

    @group.command("agreement")
    def agreement_cmd(
        a: Annotated[Path, typer.Argument(help="CSV of coder A (uid, primary).")],
        b: Annotated[Path, typer.Argument(help="CSV of coder B (uid, primary).")],
        json_: JsonOption = False,
    ) -> None:
        """Cohen's kappa and Krippendorff's alpha (nominal) between two coders."""
        from chrysalide.coding import agreement

        result = agreement(a, b)
        print_json(result) if json_ else console.print(
            f"n={result['n']}  agreement {result['observed_agreement']:.3f}  Cohen's kappa "
            f"{result['cohen_kappa']:.3f}  Krippendorff's alpha {result['krippendorff_alpha']:.3f}")  # fmt: skip

    @group.command("train")
    def train_cmd(
        out: Annotated[Path, typer.Option("--out", help="Model file to write (.npz).")],
        gold: Annotated[Path | None, typer.Option("--gold", help="Gold CSV (text, primary [,kind,title,...]).")] = None,
        from_review: Annotated[bool, typer.Option("--from-review", help="Add the database's human decisions.")] = False,
        audit_only: Annotated[
            bool,
            typer.Option(
                "--audit-only",
                help="With --from-review: only the random audit's decisions, not the least certain codes'.",
            ),
        ] = False,  # fmt: skip
        codebook: CodebookOption = None,
        db: DbOption = DEFAULT_DB_PATH,
        json_: JsonOption = False,
    ) -> None:
        """Train the model coder on gold codes and/or human review decisions."""
        from chrysalide.coding import train
        from chrysalide.store import Store

        if audit_only and not from_review:
            raise InputError("--audit-only chooses among the review decisions: give --from-review too")
        if from_review:
            with Store(db, read_only=True) as store:
                result = train(gold=gold, store=store, out=out, codebook=codebook, audit_only=audit_only)
        else:
            result = train(gold=gold, out=out, codebook=codebook)
        if json_:
            print_json(result)
            return
        console.print(f"trained on {result['n']} messages -> {result['model']}", markup=False, soft_wrap=True)
        oof = result["cross_validated"]
        console.print("out of fold on its training messages: " + (
            f"kappa {oof['kappa']:.2f}, accuracy {oof['accuracy']:.0%} ({oof['n']:,} codes)" if oof else
            "not measured (a stage has fewer messages than folds)"), markup=False, soft_wrap=True)  # fmt: skip
        if "audit" in result:
            from chrysalide.coding.audit import Agreement, describe

            audit = "no random audit yet" if result["audit"] is None else describe(Agreement(**result["audit"]))
            console.print(f"the automatic codes of the database against the reviewers' {audit}", markup=False,
                          soft_wrap=True)  # fmt: skip
        console.print("Code with the new model only where it does better: docs/coding.md, \"Retraining on your "
                      "forum's codes\".", markup=False, soft_wrap=True)  # fmt: skip

    app.add_typer(group, name="code")
