"""The Reinert section from the tables of stored ``lexical`` runs (migrations 0004 and 0013): it only reads."""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.frames import each_group, each_row
from chrysalide.lexical.writers import ONE_VOICE, class_writers, one_voice
from chrysalide.report.authors import author_status_sql
from chrysalide.report.html.context import Context, Section, Table, percent
from chrysalide.report.html.figures import configure
from chrysalide.report.html.sections.reinert import MIN_MAP_SHARE, ca_layers, tree_chart

TOP_WORDS = 10  # characteristic terms per class in the table
MAP_WORDS = 6  # strongest terms per class on the map
SUPPLEMENTARY_WORDS = 6


def _tree(classes: pd.DataFrame, k: int) -> tuple[list[int], dict[int, tuple[int, ...]], dict[int, float], int] | None:
    """Leaves, children, split levels and root of the simple classification's dendrogram (None for double)."""
    if classes["node"].isna().any():
        return None
    nodes = {lv: g.sort_values("cls")["node"].astype(int).tolist() for lv, g in each_group(classes, "k")}
    children: dict[int, tuple[int, ...]] = {}
    level: dict[int, float] = {}
    for lv in range(2, k + 1):
        if lv not in nodes or lv - 1 not in nodes:
            return None
        new = [n for n in nodes[lv] if n not in nodes[lv - 1]]
        split = [n for n in nodes[lv - 1] if n not in nodes[lv]]
        if len(split) != 1:
            return None
        children[split[0]] = tuple(new)
        level[split[0]] = float(k - lv + 1)  # the first split is the highest
    return nodes[k], children, level, nodes[1][0] if 1 in nodes else nodes[min(nodes)][0]


def _left_out(summary: dict[str, Any]) -> str | None:
    """One sentence on what the run left out of the classification, from its summary."""
    left = summary.get("left_out")
    if not left:
        return None
    parts = [
        (left.get("other_languages", 0), "segments in other languages"),
        (left.get("undetermined_language", 0), "of undetermined language (short messages)"),
        (
            left.get("other_language_segments", 0),
            "written in another language than their message, or mixed (quotations, side-by-side translations)",
        ),
        (left.get("boilerplate", 0), "boilerplate (the same words in many messages)"),
        (left.get("outliers", 0), "lexical outliers (groups too small to make a class)"),
        (left.get("no_active_form", 0), "without any active form"),
    ]
    said = [f"{n:,} {what}" for n, what in parts if n]
    messages = left.get("messages_left_out", {})
    if messages:
        said.append(
            "messages without any words of their author: " + ", ".join(f"{n:,} {why}" for why, n in messages.items())
        )
    signed = left.get("messages_with_parts_removed", {}).get("signature", 0)
    if signed:
        said.append(
            f"the closing lines their writer ends many messages with (a signature, a sign-off), in {signed:,} messages"
        )
    return ("Left out of the classification: " + "; ".join(said) + ".") if said else None


def fill_from_store(ctx: Context, s: Section, run_id: int, lang: str | None = None) -> None:
    """Dendrogram, characteristic words, CA map and typical segments of the stored run ``run_id``.

    With ``lang`` (several languages analysed apart), every fact, caption and table says which language.
    """
    of = f" ({lang})" if lang else ""
    # "class" is a Python keyword: renamed so that rows can be read as attributes
    classes = ctx.df("SELECT * FROM lexical_classes WHERE run_id = ? ORDER BY k, class", [run_id])
    classes = classes.rename(columns={"class": "cls"})
    k = int(classes["k"].max())
    final = classes[classes["k"] == k].sort_values("cls")
    names = [f"class {int(c)}" for c in final["cls"]]
    summary = ctx.run_summary(run_id)
    method = "double classification" if final["crossed"].notna().any() else "simple classification"
    s.facts += [(f"classes{of}", str(k)), (f"method{of}", method)]
    if summary.get("classified_share") is not None:
        s.facts.append(
            (f"segments classified{of}", f"{percent(float(summary['classified_share']))} of {summary['segments']:,}")
        )
    left = _left_out(summary)
    if left:
        s.paragraphs.append(f"{lang}: {left}" if lang else left)
    tree = _tree(classes, k)
    if tree is not None:
        chart = tree_chart(*tree, names=names, shares=[float(v) for v in final["share"]])
        s.figures.append(ctx.figure(configure(chart), f"Descending hierarchical classification{of}: each split cuts "
                                    "the largest class in two; leaves give the share of classified segments."))  # fmt: skip
    words = ctx.df(
        "SELECT class AS cls, term, chi2, freq_in_class FROM class_terms WHERE run_id = ? AND chi2 > 0"
        " ORDER BY class, chi2 DESC, term", [run_id])  # fmt: skip
    words = ctx.gate_terms(words).groupby("cls").head(TOP_WORDS)
    sup = _supplementary(ctx, run_id)
    stages = ctx.df("SELECT class AS cls, value, n FROM class_crosstab WHERE run_id = ? AND variable = 'stage'"
                    " ORDER BY class, n DESC, value", [run_id])  # fmt: skip
    top_stage = {int(c): g for c, g in each_group(stages, "cls")}

    def stage_of(c: int) -> str:
        g = top_stage.get(c)
        return (
            "-"
            if g is None or g["n"].sum() == 0
            else f"{g['value'].iloc[0]} ({percent(g['n'].iloc[0] / g['n'].sum())})"
        )

    writers = class_writers(ctx.store, run_id)

    def writers_of(c: int) -> str:
        w = writers.get(c)
        return "-" if w is None else f"{w.writers:,} ({percent(w.top_writer_share)})" if w.writers else "no member"

    s.tables.append(Table(
        ["class", "segments", "share", "characteristic terms (chi-square)", "supplementary forms", "most frequent stage",
         "writers (the most prolific's share)"],
        [[name, int(r.size), percent(r.share),
          ", ".join(f"{w.term} ({w.chi2:.0f})" for w in each_row(words[words["cls"] == r.cls])),
          ", ".join(sup.get(int(r.cls), [])), stage_of(int(r.cls)), writers_of(int(r.cls))]
         for name, r in zip(names, each_row(final), strict=True)], f"Characteristic terms of each class{of}"))  # fmt: skip
    voices = one_voice(writers)
    if voices:
        listed = ", ".join(f"class {c} ({percent(w.top_writer_share)})" for c, w in sorted(voices.items()))
        s.paragraphs.append(
            f"One member wrote more than {percent(ONE_VOICE)} of the segments of {listed}{of}: such a class is "
            "largely that member's way of writing (their greetings, sign-off, cross-posts), not a theme of the "
            "forum; read its terms as theirs."
        )
    shown = sorted(int(r.cls) for r in each_row(final) if r.share >= MIN_MAP_SHARE)
    plane = _plane(ctx, run_id, shown, len(shown) < len(final))
    if plane is not None:
        coords, share = plane
        cls = coords[(coords["kind"] == "class") & coords["label"].isin([str(c) for c in shown])]
        size = final.set_index(final["cls"].astype(str))["size"]
        cls = cls.assign(weight=cls["label"].map(size).astype(float))
        cls = cls.assign(label="class " + cls["label"], **{"class": "class " + cls["label"]}).reset_index(drop=True)
        top = words[words["cls"].isin(shown)].groupby("cls").head(MAP_WORDS)
        pts = coords[coords["kind"] == "term"].merge(top[["cls", "term", "chi2"]], left_on="label", right_on="term")
        pts = pts.sort_values("chi2", ascending=False).drop_duplicates("label")
        pts = pts.assign(weight=pts["chi2"], **{"class": "class " + pts["cls"].astype(str)}).reset_index(drop=True)
        s.figures.append(ctx.figure(configure(ca_layers(pts, cls, share, names)), "Correspondence analysis of the "
                                    f"class x term table{of}: classes (bold) and their {MAP_WORDS} strongest terms "
                                    "on the first two axes; where labels would overlap the weaker term is left off "
                                    f"(classes with at least {MIN_MAP_SHARE:.0%} of the segments)."))  # fmt: skip
    typical = ctx.df(
        f"""
        SELECT t.class AS cls, s.text, m.member_id, {author_status_sql()} AS author_status FROM typical_segments t
        JOIN segments s USING (segment_id) JOIN messages m USING (message_id) WHERE t.run_id = ? AND t.rank = 1
        ORDER BY t.class
        """,
        [run_id],
    )
    for r in each_row(typical):
        member = None if pd.isna(r.member_id) else int(r.member_id)
        author = ctx.label(member, r.author_status)
        q = ctx.quote(member, str(r.text), f"typical segment of class {int(r.cls)}{of}, {author}")
        if q is not None:
            s.quotes.append(q)


def _supplementary(ctx: Context, run_id: int) -> dict[int, list[str]]:
    """The strongest positive supplementary forms of each class (none for runs before migration 0013)."""
    if not ctx.store.has_table("class_supplementary_terms"):
        return {}
    rows = ctx.df(
        "SELECT class AS cls, term FROM class_supplementary_terms WHERE run_id = ? AND chi2 >= 3.84"
        " ORDER BY class, chi2 DESC, term",
        [run_id],
    )
    rows = ctx.gate_terms(rows)
    return {int(c): g["term"].head(SUPPLEMENTARY_WORDS).tolist() for c, g in each_group(rows, "cls")}


def _plane(ctx: Context, run_id: int, shown: list[int], recompute: bool) -> tuple[pd.DataFrame, list[float]] | None:
    """CA coordinates (kind, label, axis1, axis2) and inertia shares of axes 1-2 for the mapped classes.

    The stored CA includes every class; classes of a few segments take the first axes and squash the others
    into a corner. When such classes are left off the map, the CA is redone on the class x term table of the
    mapped classes, over the terms the run found characteristic.
    """
    from chrysalide.lexical import correspondence_analysis

    if len(shown) < 3:
        return None
    if not recompute:
        coords = ctx.df("SELECT kind, label, axis1, axis2 FROM ca_coordinates WHERE run_id = ?", [run_id])
        axes = coords[coords["kind"] == "axis"].sort_values("label")
        return (coords, [float(v) for v in axes["axis2"].head(2)]) if len(axes) >= 2 else None
    counts = ctx.df(
        """
        WITH vocab AS (SELECT DISTINCT term FROM class_terms WHERE run_id = $1),
        seg AS (SELECT sc.class, list_distinct(string_split(s.terms, ' ')) AS terms FROM segment_classes sc
                JOIN segments s USING (segment_id) WHERE sc.run_id = $1 AND list_contains($2, sc.class))
        SELECT class AS cls, term, count(*) AS n FROM (SELECT class, unnest(terms) AS term FROM seg)
        WHERE term IN (SELECT term FROM vocab) GROUP BY 1, 2
        """,
        [run_id, shown],
    )
    if counts.empty:
        return None
    table = counts.pivot(index="cls", columns="term", values="n").fillna(0.0)
    res = correspondence_analysis(table.to_numpy(), n_axes=2)
    if len(res["inertia_share"]) < 2:
        return None
    rows = pd.DataFrame({"kind": "class", "label": [str(c) for c in table.index], "axis1": res["rows"][:, 0],
                         "axis2": res["rows"][:, 1]})  # fmt: skip
    cols = pd.DataFrame({"kind": "term", "label": list(table.columns), "axis1": res["columns"][:, 0],
                         "axis2": res["columns"][:, 1]})  # fmt: skip
    return pd.concat([rows, cols], ignore_index=True), [float(v) for v in res["inertia_share"][:2]]
