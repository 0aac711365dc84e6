"""Calibrated confidence: temperature scaling, expected calibration error, accuracy at a coverage.

- Bias-corrected temperature scaling (BCTS: Alexandari, Kundaje & Shrikumar 2020, "Maximum likelihood with
  bias-corrected calibration is hard-to-beat at label shift adaptation", ICML), temperature scaling (Guo,
  Pleiss, Sun & Weinberger 2017, "On calibration of modern neural networks", ICML) plus one bias per class:
  probabilities ``softmax(log p / T + b)``, ``T`` and ``b`` fitted by minimising the log-loss of out-of-fold
  predictions. The temperature says how sure the coder is; the biases give each stage back its real
  frequency, which a classifier trained with balanced class weights overstates for the rare stages, so that
  averaged probabilities estimate stage shares (:mod:`chrysalide.coding.quantify`).
- Expected calibration error (Naeini, Cooper & Hauskrecht 2015, AAAI; Guo et al. 2017): codes binned by
  confidence (the probability of the primary code) into equal-width bins; ECE = sum over bins of
  (bin size / n) * |accuracy in bin - mean confidence in bin|.
- Selective coding (Geifman & El-Yaniv 2017, "Selective classification for deep neural networks"): the
  most confident ``coverage`` share of codes and their agreement with the gold codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from chrysalide.coding.metrics import cohen_kappa


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def scale(proba: np.ndarray, temperature: float, bias: np.ndarray | None = None) -> np.ndarray:
    """Probabilities ``softmax(log p / T + b)`` (T > 1 softens, T < 1 sharpens; no bias: the argmax is kept)."""
    logits = np.log(np.clip(proba, 1e-12, None)) / temperature
    return softmax(logits if bias is None else logits + bias)


def fit_calibration(proba: np.ndarray, y: Sequence[int] | np.ndarray) -> tuple[float, np.ndarray]:
    """``T`` and ``b`` (first class's bias 0) minimising the log-loss of ``scale(proba, T, b)`` against ``y``."""
    y = np.asarray(y, dtype=int)
    logp = np.log(np.clip(proba, 1e-12, None))
    rows = np.arange(len(y))

    def loss(theta: np.ndarray) -> float:
        z = logp / np.exp(theta[0]) + np.r_[0.0, theta[1:]]
        z = z - z.max(axis=1, keepdims=True)
        return float(-(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean())

    result = minimize(loss, np.zeros(proba.shape[1]), method="L-BFGS-B",
                      bounds=[(-3.0, 3.0)] + [(-5.0, 5.0)] * (proba.shape[1] - 1))  # fmt: skip
    return float(np.exp(result.x[0])), np.r_[0.0, result.x[1:]]


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Per equal-width confidence bin: its range, number of codes, mean confidence and accuracy."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    edges = np.linspace(0.0, 1.0, bins + 1)
    # A confidence of exactly 1 belongs to the last bin; each bin is (low, high] otherwise.
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        m = which == b
        rows.append({"low": edges[b], "high": edges[b + 1], "n": int(m.sum()),
                     "confidence": float(confidence[m].mean()) if m.any() else float("nan"),
                     "accuracy": float(correct[m].mean()) if m.any() else float("nan")})  # fmt: skip
    return pd.DataFrame(rows)


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """ECE over ``bins`` equal-width bins (Naeini et al. 2015)."""
    table = reliability(confidence, correct, bins)
    used = table[table["n"] > 0]
    n = used["n"].sum()
    return float((used["n"] / n * (used["accuracy"] - used["confidence"]).abs()).sum()) if n else float("nan")


def kappa_at_coverage(gold: Sequence[str], pred: Sequence[str], confidence: np.ndarray,
                      coverage: float) -> tuple[float, int]:  # fmt: skip
    """Cohen's kappa of the ``coverage`` share of codes with the highest confidence, and how many they are.

    Ties in confidence are broken by position, so the result does not depend on a sort's stability.
    """
    confidence = np.asarray(confidence, dtype=float)
    n = int(round(coverage * len(confidence)))
    order = np.lexsort((np.arange(len(confidence)), -confidence))[:n]
    return cohen_kappa([gold[i] for i in order], [pred[i] for i in order]), n
