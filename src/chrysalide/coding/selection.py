"""What cross-validation says of a coder: its figures, and the confidence below which codes await review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from chrysalide.coding.calibration import expected_calibration_error, kappa_at_coverage, reliability
from chrysalide.coding.codebook import CODES
from chrysalide.coding.metrics import classification_report, cohen_kappa

COVERAGES = (1.0, 0.8, 0.5)


def review_threshold(
    gold: Sequence[str] | np.ndarray, pred: Sequence[str] | np.ndarray, confidence: np.ndarray, target: float
) -> float:
    """The lowest confidence t (steps of 0.01) such that codes with confidence >= t reach kappa ``target``.

    Codes below t are the ones to review: above it, the coder agrees with trained coders at ``target``
    (out-of-fold). 1.0 when no threshold reaches the target (then every code awaits review).
    """
    gold_a, pred_a, conf = np.asarray(gold), np.asarray(pred), np.asarray(confidence, dtype=float)
    for t in np.round(np.arange(0.0, 1.0, 0.01), 2):
        keep = conf >= t
        if keep.sum() >= 20 and cohen_kappa(list(gold_a[keep]), list(pred_a[keep])) >= target:
            return float(t)
    return 1.0


def calibration_report(gold: Sequence[str], pred: Sequence[str], confidence: np.ndarray) -> dict[str, Any]:
    """ECE, reliability table (10 bins) and kappa of the 100/80/50 % most confident codes (with their number)."""
    correct = np.asarray(gold) == np.asarray(pred)
    coverage = {}
    for c in COVERAGES:
        kappa, n = kappa_at_coverage(list(gold), list(pred), confidence, c)
        coverage[str(c)] = {"kappa": kappa, "n": n}
    return {"ece": expected_calibration_error(confidence, correct),
            "reliability": reliability(confidence, correct).to_dict("records"), "kappa_at_coverage": coverage}  # fmt: skip


def oof_summary(gold: Sequence[str] | np.ndarray, proba: np.ndarray, index: np.ndarray) -> dict[str, Any]:
    """Kappa, macro-F1, accuracy, ECE and kappa at 100/80/50 % coverage of codes (``index`` into CODES) whose
    probabilities are ``proba``, rounded: the figures a model file records of its out-of-fold codes."""
    pred = [CODES[i] for i in index]
    report = classification_report(list(gold), pred)
    calibration = calibration_report(list(gold), pred, proba[np.arange(len(index)), index])
    return {
        "n": len(pred),
        "kappa": round(report["kappa"], 4),
        "macro_f1": round(report["macro_f1"], 4),
        "accuracy": round(report["accuracy"], 4),
        "ece": round(calibration["ece"], 4),
        "kappa_at_coverage": {c: round(v["kappa"], 4) for c, v in calibration["kappa_at_coverage"].items()},
    }
