"""Lexical sections: Reinert classes (dendrogram, characteristic words, CA map) and reference words by stage."""

from __future__ import annotations

import altair as alt
import pandas as pd

from chrysalide.frames import each_row
from chrysalide.report.html.context import Context, Section, Table
from chrysalide.report.html.figures import STAGE_SCALE, configure
from chrysalide.report.html.sections import reinert
from chrysalide.report.html.sections.reinert import ca_chart, characteristic_words, classify, dendrogram
from chrysalide.report.html.sections.reinert_stored import fill_from_store

MAX_SEGMENTS = 200_000  # a deterministic sample above this keeps the report within seconds
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


def stage_specificities(ctx: Context, *, min_docfreq: int = 3) -> tuple[pd.DataFrame, int]:
    """Lafon specificities of segment terms by the primary code of their message; also the segments used."""
    from chrysalide.lexical import build_matrix, specificities

    seg = ctx.df(
        f"""
        SELECT s.terms, c.primary_code AS stage FROM segments s JOIN current_codes c USING (message_id)
        WHERE c.primary_code <> 'other' AND length(s.terms) > 0
        ORDER BY hash(s.segment_id) LIMIT {MAX_SEGMENTS}
        """
    )
    if seg.empty:
        return pd.DataFrame(), 0
    X, terms = build_matrix(seg["terms"].tolist(), min_docfreq=min_docfreq, max_terms=5000)
    if not terms:
        return pd.DataFrame(), len(seg)
    return specificities(X, seg["stage"].to_numpy(dtype=object), terms), len(seg)


def section_reference_words(ctx: Context) -> Section:
    """Most specific terms of each stage, next to the study's reference words."""
    s = Section("reference_words", "Reference words by stage")
    if not ctx.has_rows("segments") or not ctx.scalar("SELECT count(*) FROM current_codes"):
        s.missing = "Needs text segments and stage codes: run `chrysalide text`, then `chrysalide code`."
        return s
    run_id = ctx.latest("lexical", "lexical_specificities")
    stored = ctx.df("SELECT value AS \"group\", term, specificity, freq FROM lexical_specificities"
                    " WHERE run_id = ? AND variable = 'stage'", [run_id]) if run_id is not None else pd.DataFrame()  # fmt: skip
    if run_id is not None and len(stored):
        spec, n_segments = stored, None
        s.runs = [ctx.run_label(run_id)]
    else:
        spec, n_segments = stage_specificities(ctx)
    if spec.empty:
        s.missing = "Too few coded segments with recurring terms to compute specificities."
        return s
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
        f"Specific terms from {n_segments:,} segments of coded messages" if n_segments else
        "Specific terms of the stored lexical run"))  # fmt: skip
    return s


def section_reinert(ctx: Context) -> Section:
    """Reinert classes: dendrogram, characteristic words, CA map and consent-gated typical segments."""
    from chrysalide.lexical import typical_segments

    s = Section("reinert", "Lexical classes (Reinert method)")
    run_id = ctx.latest("lexical", "lexical_classes")
    if run_id is not None:
        fill_from_store(ctx, s, run_id)
        s.runs = [ctx.run_label(run_id)]
        return s
    if not ctx.has_rows("segments"):
        s.missing = "Needs text segments: run `chrysalide text`."
        return s
    cl = classify(ctx)
    if cl is None:
        s.missing = "Too few segments with recurring terms to classify (at least 20 are needed)."
        return s
    s.runs = [f"no stored `chrysalide lexical` run: classified for this report: {len(cl.labels):,} segments (a deterministic sample of at most "
              f"{reinert.MAX_SEGMENTS:,}), {len(cl.terms):,} terms, {cl.model.n_classes_} classes"]  # fmt: skip
    classified = float((cl.labels >= 0).mean())
    s.facts = [
        ("segments classified", f"{classified:.0%} of {len(cl.labels):,}"),
        ("classes", str(cl.model.n_classes_)),
    ]
    s.figures.append(ctx.figure(configure(dendrogram(cl)), "Descending hierarchical classification: each split "
                                "cuts the largest class in two; leaves give the share of segments per class."))  # fmt: skip
    words = ctx.gate_terms(characteristic_words(cl))
    s.tables.append(Table(
        ["class", "segments", "characteristic terms (chi-square)", "most frequent stage"],
        [[name, int((cl.labels == i).sum()),
          ", ".join(f"{r.term} ({r.chi2:.0f})" for r in each_row(words[words["class"] == i])),
          _top_stage(cl.segments["stage"][cl.labels == i])] for i, name in enumerate(cl.names)],
        "Characteristic terms of each class"))  # fmt: skip
    ca = ca_chart(cl, words)
    if ca is not None:
        s.figures.append(ctx.figure(configure(ca[0]), "Correspondence analysis of the class x term table: classes "
                                    "(bold) and their characteristic terms on the first two axes (classes with at least "
                                    f"{reinert.MIN_MAP_SHARE:.0%} of the segments)."))  # fmt: skip
    typical = typical_segments(cl.X, cl.labels, cl.terms, n=1)
    for r in each_row(typical):
        seg = cl.segments.iloc[int(r.row)]
        member = None if pd.isna(seg["member_id"]) else int(seg["member_id"])
        q = ctx.quote(member, str(seg["text"]), f"typical segment of {cl.names[int(r[1])]}, {ctx.label(member)}")
        if q is not None:
            s.quotes.append(q)
    return s


def _top_stage(stages: pd.Series) -> str:
    counts = stages.dropna().value_counts()
    return "-" if counts.empty else f"{counts.index[0]} ({counts.iloc[0] / counts.sum():.0%})"
