"""Corrected stage shares (Forman 2008) against values computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from chrysalide.coding.codebook import CODES
from chrysalide.coding.quantify import adjusted_count, classify_and_count, estimated_shares, probability_average


def test_classify_and_count() -> None:
    shares = classify_and_count(["individual", "individual", "community", "other"])
    assert shares == {"individual": 0.5, "community": 0.25, "collaborative": 0.0, "societal": 0.0, "other": 0.25}


def test_probability_average_by_hand() -> None:
    proba = np.array([[0.6, 0.1, 0.3, 0.0, 0.0], [0.2, 0.2, 0.6, 0.0, 0.0]])
    shares = probability_average(proba)
    assert shares["individual"] == pytest.approx(0.4) and shares["collaborative"] == pytest.approx(0.45)
    assert shares["community"] == pytest.approx(0.15) and sum(shares.values()) == pytest.approx(1.0)


def test_adjusted_count_recovers_the_true_shares() -> None:
    # The coder codes 20 % of individual messages collaborative and 10 % of collaborative ones individual.
    # True shares: 60 % individual, 40 % collaborative -> coded individual 0.6*0.8 + 0.4*0.1 = 0.52,
    # collaborative 0.6*0.2 + 0.4*0.9 = 0.48.
    confusion = np.zeros((5, 5))
    confusion[0, 0], confusion[0, 2] = 80, 20
    confusion[2, 2], confusion[2, 0] = 90, 10
    coded = ["individual"] * 52 + ["collaborative"] * 48
    shares = adjusted_count(coded, confusion)
    assert shares["individual"] == pytest.approx(0.6, abs=1e-6)
    assert shares["collaborative"] == pytest.approx(0.4, abs=1e-6)
    assert shares["community"] == pytest.approx(0.0, abs=1e-6)


def test_adjusted_count_stays_on_the_simplex() -> None:
    confusion = np.eye(5) * 10
    confusion[1, 0] = 30  # community is mostly coded individual
    shares = adjusted_count(["community"] * 5 + ["other"] * 5, confusion)
    assert min(shares.values()) >= 0 and sum(shares.values()) == pytest.approx(1.0)


def test_estimated_shares_needs_what_its_method_reads() -> None:
    with pytest.raises(ValueError, match="probabilities"):
        estimated_shares(["individual"], method="pcc")
    with pytest.raises(ValueError, match="confusion"):
        estimated_shares(["individual"], method="acc")
    with pytest.raises(ValueError, match="unknown"):
        estimated_shares(["individual"], np.ones((1, 5)) / 5, method="median")
    assert list(estimated_shares(["other"], np.eye(5)[[4]])) == list(CODES)
