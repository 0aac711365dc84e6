"""Agreement and accuracy statistics for nominal codes: Cohen's kappa, Krippendorff's alpha, per-class F1.

References:
- Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
  Measurement 20(1), 37-46.
- Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
  University of Pennsylvania, Departmental Papers 43 (coincidence matrix, section "C. Nominal data").
- Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall (percentile intervals).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from chrysalide.coding.codebook import CODES


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = CODES) -> np.ndarray:
    """Confusion matrix: rows are gold codes, columns predicted codes, in ``labels`` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g], index[p]] += 1
    return matrix


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's (1960) kappa between two coders: (p_o - p_e) / (1 - p_e); 1.0 when both use one code only."""
    if len(a) != len(b):
        raise ValueError("both coders must code the same units")
    if not a:
        return float("nan")
    labels = sorted(set(a) | set(b), key=str)
    m = confusion([str(x) for x in a], [str(x) for x in b], [str(x) for x in labels]).astype(float)
    n = m.sum()
    p_o = np.trace(m) / n
    p_e = float((m.sum(axis=1) / n) @ (m.sum(axis=0) / n))
    if p_e == 1.0:
        return 1.0
    return float((p_o - p_e) / (1.0 - p_e))


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's (2011) alpha for nominal data; ``units`` holds one row of values per unit (None = missing).

    Builds the coincidence matrix o_ck = sum_u (pairs c-k in u) / (m_u - 1) over units coded at least twice,
    then alpha = 1 - D_o / D_e = ((n - 1) sum_c o_cc - sum_c n_c (n_c - 1)) / (n (n - 1) - sum_c n_c (n_c - 1)).
    """
    values = sorted({v for row in units for v in row if v is not None}, key=str)
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for row in units:
        coded = [index[v] for v in row if v is not None]
        m_u = len(coded)
        if m_u < 2:
            continue  # unpairable: contributes nothing (Krippendorff 2011, step B)
        counts = np.bincount(coded, minlength=len(values)).astype(float)
        pairs = np.outer(counts, counts) - np.diag(counts)  # ordered pairs of distinct coders
        o += pairs / (m_u - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n == 0:
        return float("nan")
    expected = float((n_c * (n_c - 1)).sum())
    if n * (n - 1) == expected:
        return 1.0  # a single value used throughout: no variation, perfect agreement by convention
    return float(((n - 1) * np.trace(o) - expected) / (n * (n - 1) - expected))


def classification_report(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Per-class precision, recall, F1 and support, macro-F1 over classes present, accuracy, kappa, confusion."""
    gold, pred = list(gold), list(pred)
    bad = sorted({c for c in gold + pred if c not in CODES})
    if bad:
        raise ValueError(f"unknown code {bad[0]!r} (allowed: {', '.join(CODES)})")
    m = confusion(gold, pred)
    per_class: dict[str, dict[str, float]] = {}
    f1s = []
    for i, code in enumerate(CODES):
        tp, predicted, support = m[i, i], m[:, i].sum(), m[i, :].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[code] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(support),
        }
        if support or predicted:  # macro average over classes that occur in gold or predictions
            f1s.append(f1)
    return {
        "n": len(gold),
        "per_class": per_class,
        "macro_f1": float(np.mean(f1s)) if f1s else float("nan"),
        "accuracy": float(np.trace(m) / m.sum()) if m.sum() else float("nan"),
        "kappa": cohen_kappa(gold, pred),
        "labels": list(CODES),
        "confusion": m.tolist(),
    }


def figures(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Kappa, macro-F1 and accuracy of ``pred`` against ``gold`` (:func:`classification_report`)."""
    report = classification_report(gold, pred)
    return {"kappa": report["kappa"], "macro_f1": report["macro_f1"], "accuracy": report["accuracy"]}


def bootstrap(gold: Sequence[str], pred: Sequence[str],
              statistic: Callable[[list[str], list[str]], dict[str, float]] = figures, n_boot: int = 1000,
              seed: int | np.random.Generator = 0) -> dict[str, tuple[float, float, float]]:  # fmt: skip
    """Each figure of ``statistic(gold, pred)`` with its 95 % percentile bootstrap interval over the coded units
    (Efron & Tibshirani 1993): {name: (point, low, high)}, rounded to 3 decimals. ``seed``: a seed, or a generator
    that several calls share."""
    gold, pred = list(gold), list(pred)
    point = statistic(gold, pred)
    rng = np.random.default_rng(seed)
    draws = [statistic([gold[i] for i in b], [pred[i] for i in b])
             for b in (rng.integers(0, len(gold), len(gold)) for _ in range(n_boot))]  # fmt: skip
    return {name: (round(value, 3), *np.round(np.percentile([d[name] for d in draws], [2.5, 97.5]), 3).tolist())
            for name, value in point.items()}  # fmt: skip
