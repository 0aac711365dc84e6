"""Tidy tables of a fitted Reinert classification, as the lexical stage stores them (docs/lexical.md).

Pure functions of the boolean segment x term matrix, the final labels (0-based, -1 = unclassified)
and the fitted classifier; classes come out numbered 1..k as rainette and IRaMuTeQ print them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chrysalide.lexical.ca import correspondence_analysis
from chrysalide.lexical.double import DoubleReinertClassifier
from chrysalide.lexical.keyness import (
    classified,
    count_specificities,
    label_indicator,
    specificities,
    token_chi2,
    typical_segments,
)
from chrysalide.lexical.reinert import ReinertClassifier

CHI2_05 = 3.84  # chi-square, 1 df, p = 0.05
TOP_TERMS = 15  # positive terms kept per class even when not significant (rainette's n_terms)
SPEC_TOP = 100  # specificities kept per (variable, value) and sign
N_TYPICAL = 20  # typical segments stored per class
ASSIGN_BLOCK = 500_000  # rows per sparse product when assigning to the nearest class profile


def _shares(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sizes of classes 0..max and their share of the classified rows."""
    ok = labels[labels >= 0]
    sizes = np.bincount(ok, minlength=int(labels.max()) + 1 if labels.size else 0)
    return sizes, sizes / max(int(ok.size), 1)


def tree_table(model: ReinertClassifier, levels: dict[int, np.ndarray]) -> pd.DataFrame:
    """Every class of every level: size, share, parent class, dendrogram node and split chi-square.

    ``levels`` maps k to the labels of every segment (``model.levels_``, or extended to the whole
    corpus when a sample was classified). The levels are replayed from ``splits_``: split ``i``
    replaces the class at position ``splits_[i]["parent"]`` by the two nodes ``children_[i]``, which
    gives level ``i + 2``.
    """
    nodes = [0]
    node_levels = {1: list(nodes)}
    for split, kids in zip(model.splits_, model.children_, strict=True):
        pos = int(split["parent"])
        nodes[pos : pos + 1] = list(kids)
        node_levels[len(nodes)] = list(nodes)
    parent_of = {int(t["node"]): int(t["parent"]) for t in model.tree_}
    chi2_of = {int(t["node"]): t["chi2"] for t in model.tree_}
    rows: list[dict[str, Any]] = []
    for k, level_nodes in sorted(node_levels.items()):
        sizes, shares = _shares(levels[k])
        previous = node_levels.get(k - 1, [])
        for c, node in enumerate(level_nodes):
            up = node if node in previous else parent_of[node]
            rows.append(
                dict(
                    k=k,
                    **{"class": c + 1},
                    size=int(sizes[c]) if c < sizes.size else 0,
                    share=float(shares[c]) if c < shares.size else 0.0,
                    parent=previous.index(up) + 1 if k > 1 else None,
                    node=node,
                    chi2=float(chi2_of[node]) if chi2_of[node] is not None else None,
                    crossed=None,
                )
            )
    return pd.DataFrame(rows)


def double_table(model: DoubleReinertClassifier, partitions: dict[int, np.ndarray]) -> pd.DataFrame:
    """Every crossed partition (chi-square criterion) of a double classification, k = 2..max_k.

    ``partitions`` maps k to the labels of every segment (``model.partitions_`` or extended).
    """
    chi2 = dict(zip(model.crossed_["name"], model.crossed_["chi2"], strict=True))
    chosen = model.clusters_[model.clusters_["criterion"] == "chi2"].set_index("k")["clusters"]
    rows: list[dict[str, Any]] = []
    for k, labels in sorted(partitions.items()):
        sizes, shares = _shares(labels)
        for c, name in enumerate(chosen[k]):
            rows.append(
                dict(k=k, **{"class": c + 1}, size=int(sizes[c]), share=float(shares[c]), parent=None,
                     node=None, chi2=float(chi2[name]), crossed=str(name))
            )  # fmt: skip
    return pd.DataFrame(rows)


def _profile(table: pd.DataFrame) -> pd.DataFrame:
    """A specificity table of classes as a profile: renamed columns, every term with ``|chi2| >= 3.84`` plus the
    ``TOP_TERMS`` strongest positive ones of each class (0-based classes)."""
    table = table.rename(
        columns={"group": "class", "freq": "freq_in_class", "total": "freq_total", "share": "share_in_class"}
    )
    table["class"] = table["class"].astype(np.int64)
    rank = table.sort_values(["class", "chi2", "term"], ascending=[True, False, True]).groupby("class").cumcount()
    return table[(table["chi2"].abs() >= CHI2_05) | ((rank.reindex(table.index) < TOP_TERMS) & (table["chi2"] > 0))]


def class_term_table(X: sp.csr_matrix, counts: sp.csr_matrix, labels: np.ndarray, terms: Sequence[str]) -> pd.DataFrame:
    """Characteristic terms of each class: variant A columns, Lafon specificity and variant B chi-square.

    Kept: every term with ``|chi2| >= 3.84`` plus the ``TOP_TERMS`` strongest positive ones per class.
    """
    table = _profile(specificities(X, classified(labels), terms))
    classes = np.unique(labels[labels >= 0])
    if classes.size:
        chi = token_chi2(counts, labels, classes)  # classes x terms, one sparse product
        tokens = pd.DataFrame(
            {"class": np.repeat(classes.astype(np.int64), len(terms)), "term": np.tile(np.asarray(terms, dtype=object), classes.size),
             "chi2_tokens": chi.ravel()}
        )  # fmt: skip
        table = table.merge(tokens, on=["class", "term"], how="left")
    else:
        table = table.assign(chi2_tokens=np.nan)
    table["class"] = table["class"] + 1
    return table.sort_values(["class", "chi2"], ascending=[True, False]).reset_index(drop=True)


def supplementary_table(counts: np.ndarray, sizes: np.ndarray, terms: Sequence[str]) -> pd.DataFrame:
    """The supplementary forms' profile of each class from ``counts[class, term]`` (classified segments of the
    class containing the form) and ``sizes`` (segments of each class): the columns and rule of
    :func:`class_term_table` but the variant B chi-square."""
    columns = [
        "class",
        "term",
        "freq_in_class",
        "freq_total",
        "share_in_class",
        "pct",
        "chi2",
        "p_value",
        "specificity",
    ]
    if not len(terms) or not sizes.size:
        return pd.DataFrame(columns=columns)
    table = _profile(count_specificities(counts, sizes, np.arange(sizes.size), terms))
    table["class"] = table["class"] + 1
    return table.sort_values(["class", "chi2"], ascending=[True, False]).reset_index(drop=True)[columns]


def typical_table(X: sp.csr_matrix, labels: np.ndarray, terms: Sequence[str], segment_ids: np.ndarray) -> pd.DataFrame:
    """The ``N_TYPICAL`` most typical segments of each class, by segment id."""
    if not (labels >= 0).any():
        return pd.DataFrame(columns=["class", "rank", "segment_id", "score"])
    typical = typical_segments(X, labels, terms, n=N_TYPICAL)
    typical["segment_id"] = segment_ids[typical["row"].to_numpy()]
    typical["class"] = typical["class"] + 1
    return typical[["class", "rank", "segment_id", "score"]]


def ca_table(X: sp.csr_matrix, labels: np.ndarray, terms: Sequence[str]) -> pd.DataFrame:
    """CA coordinates, masses and plane contributions of classes and terms, plus one row per axis.

    Contribution of a point to the plane of axes 1-2: ``mass * (f1^2 + f2^2) / (l1 + l2)`` with ``f``
    its principal coordinates and ``l`` the eigenvalues (Greenacre 2007, ch. 11); points of each kind
    sum to 1. Needs at least two classes (otherwise the table is empty).
    """
    ind, levels = label_indicator(labels)
    if len(levels) < 2:
        return pd.DataFrame(columns=["kind", "label", "axis1", "axis2", "axis3", "mass", "contribution"])
    table = np.asarray((ind @ X).todense())
    res = correspondence_analysis(table, 3)
    eig = res["eigenvalues"]
    total = table.sum()
    frames = []
    for kind, coords, mass, names in (
        ("class", res["rows"], table.sum(axis=1) / total, [str(int(v) + 1) for v in levels]),
        ("term", res["columns"], table.sum(axis=0) / total, list(terms)),
    ):
        plane = min(2, eig.size)
        with np.errstate(invalid="ignore"):
            contrib = mass * np.nansum(coords[:, :plane] ** 2, axis=1) / eig[:plane].sum() if plane else np.nan
        frame = pd.DataFrame(coords, columns=["axis1", "axis2", "axis3"])
        frame.insert(0, "label", names)
        frame.insert(0, "kind", kind)
        frames.append(frame.assign(mass=mass, contribution=contrib))
    axes = pd.DataFrame(
        {"kind": "axis", "label": [str(i + 1) for i in range(eig.size)], "axis1": eig, "axis2": res["inertia_share"]}
    )
    return pd.concat([*frames, axes], ignore_index=True)


def specificity_table(X: sp.csr_matrix, values: pd.Series, terms: Sequence[str]) -> pd.DataFrame:
    """Significant specificities of terms by the values of one variable (top ``SPEC_TOP`` per sign)."""
    table = specificities(X, values, terms).rename(columns={"group": "value"})
    table = table[table["chi2"].abs() >= CHI2_05]
    table = table.assign(_pos=table["chi2"] > 0, _abs=table["chi2"].abs())
    table = table.sort_values(["value", "_pos", "_abs", "term"], ascending=[True, False, False, True])
    table = table.groupby(["value", "_pos"]).head(SPEC_TOP)
    table["value"] = table["value"].astype(str)
    return table[["value", "term", "chi2", "p_value", "freq", "total", "share", "specificity"]]


def assign_nearest(X: sp.csr_matrix, fitted: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Classes of the rows not in ``fitted``: the nearest class profile in the chi-square metric.

    Class profiles are the term distributions of the fitted rows of each class; the chi-square
    distance (Benzécri 1973) from a row profile ``x/|x|`` to class profile ``p_c`` weighs term ``j``
    by ``1 / w_j`` (column mass over fitted rows). ``argmin_c d^2 = argmin_c (|p_c|^2_w - 2 <x/|x|, p_c>_w)``,
    one sparse product. Rows without any term seen in the fitted rows stay -1. Returns labels of all rows.

    The product runs over blocks of ``ASSIGN_BLOCK`` rows of ``X`` itself (terms unseen in the fitted rows
    weigh 0): no copy of the other rows, whose number may be millions.
    """
    ind, levels = label_indicator(labels)
    out = np.full(X.shape[0], -1, dtype=np.int64)
    out[fitted] = labels
    rest = np.ones(X.shape[0], dtype=bool)
    rest[fitted] = False
    if len(levels) == 0 or not rest.any():
        return out
    counts = np.asarray((ind @ X[fitted]).todense())
    w = counts.sum(axis=0) / counts.sum()
    seen = w > 0
    prof = np.zeros(counts.shape)
    prof[:, seen] = counts[:, seen] / counts.sum(axis=1, keepdims=True)
    weighted = np.zeros(counts.shape)
    weighted[:, seen] = prof[:, seen] / w[seen]
    const = (prof * weighted).sum(axis=1)
    classes = np.asarray(levels, dtype=np.int64)
    for start in range(0, X.shape[0], ASSIGN_BLOCK):
        block = X[start : start + ASSIGN_BLOCK]
        n_terms = block @ seen.astype(np.float64)
        cross = np.asarray(block @ weighted.T) / np.maximum(n_terms, 1)[:, None]
        best = classes[np.argmin(const[None, :] - 2.0 * cross, axis=1)]
        take = rest[start : start + ASSIGN_BLOCK]
        out[start : start + ASSIGN_BLOCK][take] = np.where(n_terms > 0, best, -1)[take]
    return out
