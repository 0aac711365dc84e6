"""Stage shares corrected for the coder's known errors (quantification; Forman 2008).

Counting the codes of a set of messages ("classify and count") carries the coder's errors into the shares:
a coder that calls 10 % of individual messages collaborative inflates the collaborative share wherever
individual messages abound. Two corrections (Forman, G. 2008, "Quantifying counts and costs via
classification", Data Mining and Knowledge Discovery 17(2):164-206):

- **probability averaging** (PCC, Bella et al. 2010): the share of a stage is the mean of its calibrated
  probability over the messages. Unbiased when the probabilities are calibrated on messages like these.
- **adjusted classify and count** (ACC): the observed shares of codes q satisfy q = M^T p, where M[i, j] is
  the rate at which messages of true stage i are coded j (measured by cross-validation) and p the true
  shares; p is the least-squares solution on the simplex. It holds under prior shift (another forum with
  other shares, same kind of messages per stage), where calibration alone does not.

The shipped model's default is chosen by measurement (docs/coding.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import nnls

from chrysalide.coding.codebook import CODES

METHODS = ("pcc", "acc")


def classify_and_count(primary: Sequence[str]) -> dict[str, float]:
    """The raw share of each code among ``primary`` (0 for codes absent)."""
    n = len(primary)
    counts = {code: 0 for code in CODES}
    for code in primary:
        counts[code] += 1
    return {code: counts[code] / n if n else float("nan") for code in CODES}


def probability_average(proba: np.ndarray) -> dict[str, float]:
    """PCC: the mean calibrated probability of each stage (columns in :data:`CODES` order)."""
    proba = np.asarray(proba, dtype=float)
    if not len(proba):
        return {code: float("nan") for code in CODES}
    mean = proba.mean(axis=0)
    return {code: float(v) for code, v in zip(CODES, mean / mean.sum(), strict=True)}


def adjusted_count(primary: Sequence[str], confusion: np.ndarray) -> dict[str, float]:
    """ACC: true shares p >= 0, sum 1, minimising ||M^T p - q|| with M the row-normalised ``confusion``.

    ``confusion[i, j]`` counts (or rates) gold code i coded j, rows and columns in :data:`CODES` order. A
    code never seen in the gold data keeps its observed share (its row of M is the identity's).
    """
    observed = np.array(list(classify_and_count(primary).values()))
    if not len(primary):
        return dict(zip(CODES, observed.tolist(), strict=True))
    m = np.asarray(confusion, dtype=float)
    totals = m.sum(axis=1, keepdims=True)
    rates = np.where(totals > 0, m / np.where(totals > 0, totals, 1), np.eye(len(CODES)))
    # The sum-to-one constraint as a heavily weighted extra equation of the non-negative least squares.
    a = np.vstack([rates.T, 1e3 * np.ones(len(CODES))])
    b = np.concatenate([observed, [1e3]])
    p, _ = nnls(a, b)
    p = p / p.sum() if p.sum() > 0 else observed
    return dict(zip(CODES, p.tolist(), strict=True))


def estimated_shares(primary: Sequence[str], proba: np.ndarray | None = None, *, method: str = "pcc",
                     confusion: np.ndarray | None = None) -> dict[str, float]:  # fmt: skip
    """Corrected stage shares of a set of coded messages: ``pcc`` from probabilities, ``acc`` from codes.

    ``proba`` holds each message's calibrated probabilities (n x 5, :data:`CODES` order; human decisions
    count as certain); ``confusion`` the coder's cross-validated confusion matrix.
    """
    if method == "pcc":
        if proba is None:
            raise ValueError("probability averaging needs the codes' probabilities")
        return probability_average(proba)
    if method == "acc":
        if confusion is None:
            raise ValueError("adjusted classify and count needs the coder's confusion matrix")
        return adjusted_count(primary, confusion)
    raise ValueError(f"unknown quantification method {method!r} (choose one of: {', '.join(METHODS)})")


def round_shares(shares: Mapping[str, float], digits: int = 4) -> dict[str, float]:
    """Shares rounded for display and JSON."""
    return {code: round(float(v), digits) for code, v in shares.items()}
