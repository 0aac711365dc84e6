"""Lexical sections: Reinert classes and reference words by stage, read from stored ``lexical`` runs only."""

from __future__ import annotations

import altair as alt
import pandas as pd

from chrysalide.lexical.writers import ONE_WRITER_TERM, term_voices
from chrysalide.report.html.context import Context, Section, Table
from chrysalide.report.html.figures import STAGE_SCALE, configure
from chrysalide.report.html.sections.reinert_stored import fill_from_store
from chrysalide.units import counted

RUN_LEXICAL = (
    "No lexical classification is stored: run `chrysalide lexical` (or `chrysalide pipeline`), then build the "
    "report again. The report only reads stored runs."
)
TOP_TERMS = 10
#: Fewest messages and segments of a stage for its specific terms to stand for the stage: below either, they are
#: the topics of a few messages (one long message gives dozens of segments), anecdotal.
MIN_STAGE_MESSAGES, MIN_STAGE_SEGMENTS = 10, 30
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


def _stage_bases(ctx: Context, run_id: int) -> dict[str, tuple[int, int]]:
    """How many messages and segments of each stage (primary code) the stage specificities of lexical run
    ``run_id`` rest on: the run's segments, by the current code of their message."""
    rows = ctx.con.execute(
        "SELECT c.primary_code, count(DISTINCT s.message_id), count(*) FROM segment_classes sc"
        " JOIN segments s USING (segment_id) JOIN current_codes c ON c.message_id = s.message_id"
        " WHERE sc.run_id = ? GROUP BY 1",
        [run_id],
    ).fetchall()
    return {str(stage): (int(messages), int(segments)) for stage, messages, segments in rows}


def _anecdotal(bases: dict[str, tuple[int, int]], stages: list[str]) -> str | None:
    """The sentence saying which of ``stages`` rest on too few messages or segments for their terms to stand for
    the stage (:data:`MIN_STAGE_MESSAGES`, :data:`MIN_STAGE_SEGMENTS`); None when none does."""
    few = [(st, *bases.get(st, (0, 0))) for st in stages]
    few = [(st, m, n) for st, m, n in few if m < MIN_STAGE_MESSAGES or n < MIN_STAGE_SEGMENTS]
    if not few:
        return None
    each = "; ".join(f"{st} on {counted(m, 'message')} ({counted(n, 'segment')})" for st, m, n in few)
    return (f"Anecdotal terms: {each.replace(' on ', ' rests on ', 1)}. Below {MIN_STAGE_MESSAGES} messages or "
            f"{MIN_STAGE_SEGMENTS} segments, a stage's specific terms are the topics of a few messages, not the "
            "stage's words.")  # fmt: skip


def section_reference_words(ctx: Context) -> Section:
    """Most specific terms of each stage, next to the study's reference words, with how many messages and
    segments of the stage they rest on."""
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
    # A term one member wrote most of is theirs, not the stage's (lexical.writers.term_voices): left out, counted.
    top = top.groupby("group").head(3 * TOP_TERMS).rename(columns={"group": "stage"})
    voices = term_voices(ctx.store, run_id, list(zip(top["stage"], top["term"], strict=True)))
    theirs = pd.Series([voices.get((st, t), 0.0) > ONE_WRITER_TERM for st, t in zip(top["stage"], top["term"], strict=True)],
                       index=top.index, dtype=bool)  # fmt: skip
    own, top = top[theirs], top[~theirs].groupby("stage").head(TOP_TERMS)
    # Counted only where it would have been listed: above the last term listed of its stage.
    floor = top.groupby("stage")["specificity"].min()
    own = own[own["specificity"].to_numpy() >= own["stage"].map(floor).fillna(0.0).to_numpy()]
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
    bases = _stage_bases(ctx, run_id)
    rests = {st: "{:,} / {:,}".format(*bases.get(st, (0, 0))) for st in STUDY_WORDS}
    s.tables.append(Table(
        ["stage", "messages / segments", f"Chrysalide: top {TOP_TERMS} specific terms",
         "study's reference words (Fayn et al. 2021)"],
        [[st, rests[st], ", ".join(top.loc[top["stage"] == st, "term"]), STUDY_WORDS[st]] for st in STUDY_WORDS],
        "Specific terms of the stored lexical run, with the messages and segments of each stage they rest on"))  # fmt: skip
    anecdotal = _anecdotal(bases, [st for st in STUDY_WORDS if st in set(spec["group"])])  # shown or not
    if anecdotal:
        s.paragraphs.append(anecdotal)
    if len(own):  # not named: such a word can name its writer (a sign-off, a signature)
        by_stage = ", ".join(f"{st} {n}" for st, n in own["stage"].value_counts().sort_index().items())
        s.paragraphs.append(
            f"{counted(len(own), 'term')} specific enough to be listed {'are' if len(own) > 1 else 'is'} left out: one "
            f"member wrote more than {ONE_WRITER_TERM:.0%} of the stage's segments holding each ({by_stage}), "
            "so it is that member's way of writing (a sign-off, a signature, a word of their own), not the stage's; "
            "such a word is not named, as it can point to its writer."
        )
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
