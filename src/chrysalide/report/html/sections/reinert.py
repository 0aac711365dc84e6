"""Reinert classes for the report: classification, dendrogram, characteristic words, CA map, typical segments.

The section reads the newest ``chrysalide lexical`` run (``reinert_stored``); when there is none it
classifies a deterministic sample of the stored segments with
:class:`chrysalide.lexical.ReinertClassifier` here, and says so. Methods: Reinert (1983, 1990); characteristic terms by signed chi-square; CA of the class x
term table (Benzécri 1973).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from chrysalide.report.html.context import Context

MAX_SEGMENTS = 20_000  # classification cost grows with rows x terms; a sample keeps the report in seconds
MAX_TERMS = 3000
N_CLASSES = 6
MIN_MAP_SHARE = 0.02
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                "#17becf"]  # fmt: skip


def class_scale(names: list[str]) -> alt.Scale:
    """One colour per class (Vega's default scheme beyond ten classes)."""
    if len(names) <= len(CLASS_COLORS):
        return alt.Scale(domain=names, range=CLASS_COLORS[: len(names)])
    return alt.Scale(domain=names)


@dataclass
class Classification:
    """The fitted classifier with the rows it classified."""

    model: Any
    X: Any
    terms: list[str]
    segments: pd.DataFrame  # segment_id, message_id, member_id, text, stage (primary code or None)
    labels: np.ndarray

    @property
    def names(self) -> list[str]:
        return [f"class {i + 1}" for i in range(self.model.n_classes_)]


def classify(ctx: Context, *, k: int = N_CLASSES, min_docfreq: int = 3) -> Classification | None:
    """Classify a deterministic sample of segments (hash order) into at most ``k`` classes."""
    from chrysalide.lexical import ReinertClassifier, build_matrix

    seg = ctx.df(
        f"""
        SELECT s.segment_id, s.message_id, m.member_id, s.text, s.terms, c.primary_code AS stage
        FROM segments s JOIN messages m USING (message_id) LEFT JOIN current_codes c USING (message_id)
        WHERE length(s.terms) > 0 ORDER BY hash(s.segment_id) LIMIT {MAX_SEGMENTS}
        """
    )
    if len(seg) < 20:
        return None
    X, terms = build_matrix(seg["terms"].tolist(), min_docfreq=min_docfreq, max_terms=MAX_TERMS)
    if len(terms) < 3:
        return None
    model = ReinertClassifier(k=k).fit(X)
    if model.n_classes_ < 2:
        return None
    return Classification(model, X, terms, seg.drop(columns="terms"), np.asarray(model.labels_))


def tree_chart(
    leaves: list[int],
    children: dict[int, tuple[int, ...]],
    level: dict[int, float],
    root: int,
    names: list[str],
    shares: list[float],
) -> Any:
    """Dendrogram as rules: ``leaves`` (nodes, class order) at the bottom, each split node at its ``level``."""
    leaf_x = {node: i for i, node in enumerate(leaves)}
    pos: dict[int, tuple[float, float]] = {}

    def place(node: int) -> tuple[float, float]:
        if node in leaf_x or not children.get(node):
            pos[node] = (float(leaf_x.get(node, 0)), 0.0)
        else:
            xs = [place(c)[0] for c in children[node]]
            pos[node] = (float(np.mean(xs)), float(level.get(node, 1.0)))
        return pos[node]

    place(root)
    rules = []
    for node, kids in children.items():
        if node not in pos or not kids:
            continue
        x, y = pos[node]
        kid_pos = [pos[c] for c in kids if c in pos]
        rules.append(dict(x=min(k[0] for k in kid_pos), x2=max(k[0] for k in kid_pos), y=y, y2=y))
        rules += [dict(x=kx, x2=kx, y=ky, y2=y) for kx, ky in kid_pos]
    leaves_df = pd.DataFrame({"x": [float(i) for i in range(len(names))], "y": 0.0, "class": names,
                              "label": [f"{n} ({sh:.0%})" for n, sh in zip(names, shares, strict=True)]})  # fmt: skip
    scale = class_scale(names)
    lines = alt.Chart(pd.DataFrame(rules, columns=["x", "x2", "y", "y2"])).mark_rule(color="#555").encode(
        x=alt.X("x:Q", axis=None), x2="x2:Q", y=alt.Y("y:Q", axis=None), y2="y2:Q")  # fmt: skip
    dots = (
        alt.Chart(leaves_df)
        .mark_circle(size=160)
        .encode(x="x:Q", y="y:Q", color=alt.Color("class:N", scale=scale, legend=None))
    )
    text = alt.Chart(leaves_df).mark_text(dy=18, fontSize=11).encode(x="x:Q", y="y:Q", text="label:N")
    return alt.layer(lines, dots, text).properties(width=max(240, 90 * len(names)), height=160)


def dendrogram(cl: Classification) -> Any:
    """The live classifier's tree: each split one level above the next one."""
    children = {int(n["node"]): tuple(n["children"]) for n in cl.model.tree_}
    level = {s["node"]: float(len(cl.model.splits_) - j) for j, s in enumerate(cl.model.splits_)}
    sizes = np.bincount(cl.labels[cl.labels >= 0], minlength=cl.model.n_classes_)
    shares = list(sizes / max(len(cl.labels), 1))
    return tree_chart(list(cl.model.leaf_nodes_), children, level, 0, cl.names, shares)


def characteristic_words(cl: Classification, n_terms: int = 10) -> pd.DataFrame:
    """Top terms of each class by signed chi-square (variant A), with the class name."""
    from chrysalide.lexical import class_terms

    table = class_terms(cl.X, cl.labels, cl.terms, n_terms=n_terms)
    table["class_name"] = [cl.names[int(c)] for c in table["class"]]
    return table


def ca_chart(cl: Classification, words: pd.DataFrame) -> tuple[Any, list[float]] | None:
    """Classes and their characteristic terms on CA axes 1-2 (None with fewer than 3 classes to map).

    The CA has at most (classes - 1) axes, so a map needs three classes. Also returns the inertia
    share of each axis.
    """
    from chrysalide.lexical import correspondence_analysis
    from chrysalide.lexical.matrix import as_boolean

    Xb = as_boolean(cl.X)
    # Classes of a handful of segments ("bump", "[deleted]") sit far out on their own axis and squash the
    # map: like IRaMuTeQ's users, map the classes holding at least MIN_MAP_SHARE of the classified segments.
    counts = np.bincount(cl.labels[cl.labels >= 0], minlength=cl.model.n_classes_)
    shown = [i for i in range(cl.model.n_classes_) if counts[i] >= MIN_MAP_SHARE * counts.sum()]
    if len(shown) < 3:
        return None
    table = np.vstack([np.asarray(Xb[cl.labels == i].sum(axis=0)).ravel() for i in shown])
    res = correspondence_analysis(table, n_axes=2)
    if len(res["inertia_share"]) < 2:
        return None
    names = [cl.names[i] for i in shown]
    words = words[words["class"].isin(shown)]
    index = {t: j for j, t in enumerate(cl.terms)}
    terms = words.assign(j=words["term"].map(index)).dropna(subset=["j"])
    coords = res["columns"][terms["j"].astype(int)]
    points = pd.DataFrame({"axis1": coords[:, 0], "axis2": coords[:, 1], "label": terms["term"].to_numpy(),
                           "class": terms["class_name"].to_numpy(), "kind": "term"})  # fmt: skip
    classes = pd.DataFrame({"axis1": res["rows"][:, 0], "axis2": res["rows"][:, 1], "label": names,
                            "class": names, "kind": "class"})  # fmt: skip
    share = [float(v) for v in res["inertia_share"][:2]]
    return ca_layers(points, classes, share, cl.names), share


def ca_layers(points: pd.DataFrame, classes: pd.DataFrame, share: list[float], names: list[str]) -> Any:
    """Terms (small, coloured by their class) and classes (bold) on the plane of axes 1-2."""
    scale = class_scale(names)
    x = alt.X("axis1:Q", title=f"axis 1 ({share[0]:.0%} of inertia)")
    y = alt.Y("axis2:Q", title=f"axis 2 ({share[1]:.0%} of inertia)")
    color = alt.Color("class:N", scale=scale, title=None)
    words_layer = alt.Chart(points).mark_text(fontSize=10).encode(x=x, y=y, text="label:N", color=color)
    class_layer = alt.Chart(classes).mark_text(fontSize=14, fontWeight="bold").encode(
        x=x, y=y, text="label:N", color=color)  # fmt: skip
    return alt.layer(words_layer, class_layer).properties(width=560, height=420)
