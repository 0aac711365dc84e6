"""Charts of the Reinert section: the dendrogram and a legible correspondence-analysis map.

The section reads stored ``chrysalide lexical`` runs only (``reinert_stored``); these are its drawings.
Methods: Reinert (1983, 1990); CA of the class x term table (Benzécri 1973; Greenacre 2007).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

MIN_MAP_SHARE = 0.02
MAP_WIDTH, MAP_HEIGHT = 640, 480
# Text marks have no collision avoidance: labels are placed here, in pixels, before drawing.
CHAR_PX, LINE_PX = 6.2, 13.0  # width of a character and height of a line of the 10 px term labels
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                "#17becf"]  # fmt: skip


def class_scale(names: list[str]) -> alt.Scale:
    """One colour per class (Vega's default scheme beyond ten classes)."""
    if len(names) <= len(CLASS_COLORS):
        return alt.Scale(domain=names, range=CLASS_COLORS[: len(names)])
    return alt.Scale(domain=names)


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


def _domain(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def _offsets(half: float, line: float) -> list[tuple[float, float]]:
    """Where a label may go, in order: on its point, above, below, left, right, the corners, two lines away."""
    side = half + 4
    return [(0.0, 0.0), (0.0, -line), (0.0, line), (-side, 0.0), (side, 0.0), (-side, -line), (side, -line),
            (-side, line), (side, line), (0.0, -2 * line), (0.0, 2 * line)]  # fmt: skip


def declutter(
    points: pd.DataFrame, x: tuple[float, float], y: tuple[float, float], *, keep_all: bool = False,
    placed: list[tuple[float, ...]] | None = None, chars: float = CHAR_PX, line: float = LINE_PX,
) -> pd.DataFrame:  # fmt: skip
    """The labels that fit without overlapping, strongest first, each at its point or just beside it.

    ``points`` (axis1, axis2, label, weight) are tried in decreasing ``weight`` at the positions of
    :func:`_offsets`; a label that overlaps one already placed (``placed``: pixel boxes, extended in place)
    in every position is left off, or, with ``keep_all``, drawn on its point anyway. Greedy placement, as
    cartographers label maps (Christensen, Marks & Shieber 1995, "An empirical study of algorithms for
    point-feature label placement"). Returns the kept rows with ``dx``/``dy`` pixel offsets.
    """
    placed = [] if placed is None else placed

    def box(px: float, py: float, text: str) -> tuple[float, float, float, float]:
        half = len(text) * chars / 2
        return (px - half, py - line / 2, px + half, py + line / 2)

    def free(b: tuple[float, ...]) -> bool:
        inside = b[0] >= 0 and b[2] <= MAP_WIDTH and b[1] >= 0 and b[3] <= MAP_HEIGHT
        return inside and all(b[2] <= o[0] or b[0] >= o[2] or b[3] <= o[1] or b[1] >= o[3] for o in placed)

    kept = []
    for r in points.sort_values("weight", ascending=False).itertuples():
        px = (r.axis1 - x[0]) / (x[1] - x[0]) * MAP_WIDTH
        py = (y[1] - r.axis2) / (y[1] - y[0]) * MAP_HEIGHT
        for dx, dy in _offsets(len(r.label) * chars / 2, line):
            b = box(px + dx, py + dy, r.label)
            if free(b):
                placed.append(b)
                kept.append((r.Index, dx, dy))
                break
        else:
            if keep_all:
                placed.append(box(px, py, r.label))
                kept.append((r.Index, 0.0, 0.0))
    rows = points.loc[[i for i, _, _ in kept]]
    return rows.assign(dx=[dx for _, dx, _ in kept], dy=[dy for _, _, dy in kept])


def ca_layers(points: pd.DataFrame, classes: pd.DataFrame, share: list[float], names: list[str]) -> Any:
    """Classes (bold) and their strongest terms (coloured by class) on the plane of axes 1-2, labels apart.

    ``points`` needs a ``weight`` (the term's chi-square in its class). Class labels are placed first (the
    largest class first, every one drawn), then the terms; where a term's label would overlap another label
    the weaker term is left off (:func:`declutter`).
    """
    scale = class_scale(names)
    both = pd.concat([points[["axis1", "axis2"]], classes[["axis1", "axis2"]]])
    xd, yd = _domain(both["axis1"].to_numpy()), _domain(both["axis2"].to_numpy())
    placed: list[tuple[float, ...]] = []
    weight = classes["weight"] if "weight" in classes else pd.Series(1.0, index=classes.index)
    cls = declutter(classes.assign(weight=weight), xd, yd, keep_all=True, placed=placed, chars=8.4, line=17.0)
    shown = declutter(points, xd, yd, placed=placed)
    x = alt.X("axis1:Q", title=f"axis 1 ({share[0]:.0%} of inertia)", scale=alt.Scale(domain=list(xd), nice=False))
    y = alt.Y("axis2:Q", title=f"axis 2 ({share[1]:.0%} of inertia)", scale=alt.Scale(domain=list(yd), nice=False))
    color = alt.Color("class:N", scale=scale, title=None)
    layers = [alt.Chart(shown).mark_circle(size=12, opacity=0.5).encode(x=x, y=y, color=color)]
    for (dx, dy), group in shown.groupby(["dx", "dy"]):  # Vega-Lite offsets are constants of a mark
        layers.append(
            alt.Chart(group)
            .mark_text(fontSize=10, dx=float(dx), dy=float(dy))
            .encode(x=x, y=y, text="label:N", color=color)  # fmt: skip
        )
    for (dx, dy), group in cls.groupby(["dx", "dy"]):
        layers.append(
            alt.Chart(group)
            .mark_text(fontSize=14, fontWeight="bold", dx=float(dx), dy=float(dy))
            .encode(x=x, y=y, text="label:N", color=color)  # fmt: skip
        )
    return alt.layer(*layers).properties(width=MAP_WIDTH, height=MAP_HEIGHT)
