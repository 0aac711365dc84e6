"""Calibration and selective-coding figures against values computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from chrysalide.coding.calibration import (
    expected_calibration_error,
    fit_calibration,
    kappa_at_coverage,
    reliability,
    scale,
)
from chrysalide.coding.selection import review_threshold


def test_ece_by_hand() -> None:
    # Bins of width 0.1: (0.2, 0.3] holds 0.25 (wrong); (0.6, 0.7] holds 0.65 (right) and 0.65 (wrong);
    # (0.9, 1.0] holds 0.95 (right). ECE = 1/4 * |0 - .25| + 2/4 * |.5 - .65| + 1/4 * |1 - .95| = 0.0625 + 0.075 + 0.0125
    confidence = np.array([0.25, 0.65, 0.65, 0.95])
    correct = np.array([False, True, False, True])
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.15)
    table = reliability(confidence, correct)
    assert table["n"].tolist() == [0, 0, 1, 0, 0, 0, 2, 0, 0, 1]
    assert table.loc[6, "accuracy"] == pytest.approx(0.5) and table.loc[6, "confidence"] == pytest.approx(0.65)


def test_confidence_of_one_is_in_the_last_bin() -> None:
    table = reliability(np.array([1.0, 0.1]), np.array([True, True]))
    assert table["n"].tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def _nll(proba: np.ndarray, y: np.ndarray, t: float, bias: np.ndarray) -> float:
    """Log-loss of softmax(log p / t + bias), by plain loops over rows (independent of the code)."""
    total = 0.0
    for p, k in zip(proba, y, strict=True):
        z = np.log(np.clip(p, 1e-12, None)) / t + bias
        total -= z[k] - np.log(np.exp(z).sum())
    return total / len(y)


def test_calibration_minimises_the_log_loss_and_restores_the_stage_frequencies() -> None:
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(3) * 0.5, size=300)
    # The truth is softer than proba and class 0 is three times as frequent as proba says.
    truth = proba**0.5 * np.array([3.0, 1.0, 1.0])
    y = np.array([rng.choice(3, p=q / q.sum()) for q in truth])
    t, bias = fit_calibration(proba, y)
    assert t > 1  # the probabilities were too sure
    assert bias[0] == 0 and bias[1] < 0 and bias[2] < 0  # the other classes were overstated
    zero = np.zeros(3)
    grid = np.exp(np.linspace(-1, 1.5, 126))
    best_temperature_only = min(_nll(proba, y, g, zero) for g in grid)
    assert _nll(proba, y, t, bias) < best_temperature_only
    # At the optimum the derivative in each bias is mean(p_c) - freq_c = 0: averaged calibrated
    # probabilities give back the observed frequencies (what stage shares rely on).
    frequencies = np.bincount(y, minlength=3) / len(y)
    assert scale(proba, t, bias).mean(axis=0) == pytest.approx(frequencies, abs=0.005)
    # Without biases the scaling keeps every argmax.
    assert (scale(proba, t).argmax(axis=1) == proba.argmax(axis=1)).all()


def test_kappa_at_coverage_by_hand() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "a"]
    confidence = np.array([0.9, 0.2, 0.8, 0.3])
    # The 50 % most confident are rows 0 and 2: both right, two codes -> kappa 1.
    assert kappa_at_coverage(gold, pred, confidence, 0.5) == (pytest.approx(1.0), 2)
    # All four: p_o = 0.5, p_e = 0.5 -> kappa 0.
    assert kappa_at_coverage(gold, pred, confidence, 1.0)[0] == pytest.approx(0.0)


def test_review_threshold_is_the_lowest_confidence_reaching_the_target() -> None:
    # 40 sure right codes at 0.9, then 10 wrong ones at 0.4: above 0.41 everything is right.
    gold = ["a", "b"] * 20 + ["a"] * 10
    pred = ["a", "b"] * 20 + ["b"] * 10
    confidence = np.array([0.9] * 40 + [0.4] * 10)
    assert review_threshold(gold, pred, confidence, 0.85) == pytest.approx(0.41)
    assert review_threshold(gold, pred, np.full(50, 0.5), 0.85) == 1.0  # never reached
