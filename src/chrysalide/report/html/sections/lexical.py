"""Lexical sections: Reinert classes and reference words by stage, read from stored ``lexical`` runs only."""

from __future__ import annotations

import altair as alt

from chrysalide.report.html.context import Context, Section, Table
from chrysalide.report.html.figures import STAGE_SCALE, configure
from chrysalide.report.html.sections.reinert_stored import fill_from_store

RUN_LEXICAL = (
    "No lexical classification is stored: run `chrysalide lexical` (or `chrysalide pipeline`), then build the "
    "report again. The report only reads stored runs."
)
TOP_TERMS = 10
# The study's reference words per category (Fayn et al. 2021, Alceste; French forms from CODEBOOK.md).
STUDY_WORDS = {
    "individual": "I, nodule, problem, big, thyroid, norm, prescription, dose, symptom, you (formal) — je, nodule, "
    "problème, gros, thyroïde, norme, ordonnance, dose, symptôme, vous",
    "community": "thank you, nodule, do, you (informal) — merci, nodule, faire, tu",
    "collaborative": "you (informal), also, give, do, take, treatment, normal, hyper, courage, take care — tu, aussi, "
    "donner, faire, prendre, traitement, normal, hyper, courage, prends soin de toi",
    "societal": "Levo, effect, formula, doctor, take, forum, change — Levo, effet, formule, médecin, prendre, forum, "
    "changer",
}


def section_reference_words(ctx: Context) -> Section:
    """Most specific terms of each stage, next to the study's reference words."""
    s = Section("reference_words", "Reference words by stage")
    run_id = ctx.latest("lexical", "lexical_specificities")
    if run_id is None:
        s.missing = RUN_LEXICAL
        return s
    spec = ctx.df("SELECT value AS \"group\", term, specificity, freq FROM lexical_specificities"
                  " WHERE run_id = ? AND variable = 'stage' AND value <> 'other'", [run_id])  # fmt: skip
    if spec.empty:
        s.missing = ("The stored lexical run has no specificities by stage: run `chrysalide code`, then "
                     "`chrysalide lexical` again.")  # fmt: skip
        return s
    s.runs = [ctx.run_label(run_id)]
    top = ctx.gate_terms(spec[spec["specificity"] > 0]).sort_values(
        ["group", "specificity", "term"], ascending=[True, False, True]
    )
    top = top.groupby("group").head(TOP_TERMS).rename(columns={"group": "stage"})
    stages = [st for st in STUDY_WORDS if st in set(top["stage"])]
    charts = []
    for st in stages:
        sub = top[top["stage"] == st]
        charts.append(alt.Chart(sub, title=st).mark_bar().encode(
            x=alt.X("specificity:Q", title="specificity (-log10 p)"),
            y=alt.Y("term:N", sort="-x", title=None),
            color=alt.Color("stage:N", scale=STAGE_SCALE, legend=None),
        ).properties(width=130, height=max(80, 16 * len(sub))))  # fmt: skip
    if charts:
        s.figures.append(ctx.figure(configure(alt.hconcat(*charts)), "The most specific terms (lemmas) of the "
                                    "segments of each stage's messages."))  # fmt: skip
    s.tables.append(Table(
        ["stage", f"Chrysalide: top {TOP_TERMS} specific terms", "study's reference words (Fayn et al. 2021)"],
        [[st, ", ".join(top.loc[top["stage"] == st, "term"]), STUDY_WORDS[st]] for st in STUDY_WORDS],
        "Specific terms of the stored lexical run"))  # fmt: skip
    return s


def section_reinert(ctx: Context) -> Section:
    """Reinert classes of each analysed language: dendrogram, characteristic words, CA map, typical segments."""
    from chrysalide.lexical import language_runs

    s = Section("reinert", "Lexical classes (Reinert method)")
    runs = language_runs(ctx.store)
    if not runs:
        s.missing = RUN_LEXICAL
        return s
    several = len(runs) > 1
    if several:
        s.paragraphs.append(
            "Each language is classified on its own (a mixed corpus would first separate the languages): "
            + ", ".join(f"{lang} (run {run})" for lang, run in runs)
            + "."
        )
    for lang, run_id in runs:
        fill_from_store(ctx, s, run_id, lang if several else None)
        s.runs.append(ctx.run_label(run_id))
    return s
