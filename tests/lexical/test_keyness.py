"""Characteristic terms, specificities, typical segments, cross tables and CA coordinates."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from chrysalide.lexical import (
    ca_map,
    class_terms,
    correspondence_analysis,
    crosstab,
    specificities,
    token_keyness,
    typical_segments,
)
from chrysalide.lexical.keyness import hypergeom_log10_tail


def small() -> tuple[sp.csr_matrix, np.ndarray, list[str]]:
    # 10 segments: class 0 = rows 0-3, class 1 = rows 4-8, row 9 unclassified; 3 terms
    M = np.array(
        [[1, 0, 1], [1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]
    )
    return sp.csr_matrix(M), np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, -1]), ["dose", "forum", "tired"]


def test_class_term_chi2_matches_hand_computed_table() -> None:
    X, labels, terms = small()
    table = specificities(X, np.where(labels >= 0, labels, None), terms)
    row = table[(table["group"] == 0) & (table["term"] == "dose")].iloc[0]
    # "dose" in class 0: a=3 of 4 segments; elsewhere b=1 of 5 classified segments (row 9 excluded)
    a, b, c, d = 3, 1, 1, 4
    n = 9
    hand = n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert row["chi2"] == pytest.approx(hand) and row["chi2"] > 0
    assert row["p_value"] == pytest.approx(stats.chi2.sf(hand, 1))
    assert (row["freq"], row["total"], row["share"], row["pct"]) == (3, 4, 0.75, 0.75)
    assert row["specificity"] == pytest.approx(-np.log10(stats.hypergeom.sf(2, 9, 4, 4)))
    other = table[(table["group"] == 1) & (table["term"] == "dose")].iloc[0]
    assert other["chi2"] == pytest.approx(-hand)


def test_hypergeometric_tail_against_scipy() -> None:
    x, k, draws = np.array([5, 0, 12, 3]), np.array([10, 7, 30, 20]), np.array([20, 15, 25, 10])
    up = np.array([True, False, True, False])
    ref = np.where(up, stats.hypergeom.logsf(x - 1, 60, k, draws), stats.hypergeom.logcdf(x, 60, k, draws))
    assert np.allclose(hypergeom_log10_tail(x, 60, k, draws, up), ref / np.log(10))


def test_class_terms_typical_segments_and_keyness() -> None:
    X, labels, terms = small()
    top = class_terms(X, labels, terms, max_p=1.0)
    assert top[top["class"] == 0]["term"].iloc[0] == "dose"
    assert (top["chi2"] > 0).all()
    typical = typical_segments(X, labels, terms, n=2)
    assert typical[typical["class"] == 0]["row"].tolist()[0] in {0, 1, 2}
    assert set(typical["rank"]) == {1, 2}
    key = token_keyness(X, labels, terms, target=0)
    assert key["term"].iloc[0] == "dose"


def test_typical_segments_pass_over_copies() -> None:
    # Class 0: rows 0 and 1 are the same post twice (dose + pain, the highest score), rows 2 and 3 score alike
    # (dose alone, pain alone: equal chi-squares), so the second typical row is 2, not the copy 1. Class 1:
    # rows 4-7 all score forum's chi-square alone (pain and dose are negative there); 5 repeats 4's terms.
    M = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 1, 1], [1, 0, 1]])
    typical = typical_segments(sp.csr_matrix(M), np.array([0, 0, 0, 0, 1, 1, 1, 1]), ["dose", "pain", "forum"], n=2)
    assert typical.groupby("class")["row"].apply(list).to_dict() == {0: [0, 2], 1: [4, 6]}
    assert typical["rank"].tolist() == [1, 2, 1, 2]


def test_crosstab_and_ca() -> None:
    labels = np.array([0, 0, 1, 1, 1, -1])
    stage = np.array(["s1", "s1", "s2", "s2", "s1", "s2"])
    res = crosstab(labels, stage)
    assert res["counts"].to_numpy().tolist() == [[2, 0], [1, 2]]
    assert res["chi2"].loc[0, "s1"] > 0 and res["chi2"].loc[0, "s2"] < 0
    table = np.array([[10, 2, 1], [1, 8, 2], [2, 1, 9]])
    ca = correspondence_analysis(table, 3)
    assert ca["eigenvalues"].size == 2 and np.isnan(ca["rows"][:, 2]).all()
    total_inertia = stats.chi2_contingency(table, correction=False).statistic / table.sum()
    assert ca["eigenvalues"].sum() == pytest.approx(total_inertia)
    X, lab, terms = small()
    frame = ca_map(X, lab, terms, 2)
    assert frame["kind"].tolist() == ["class", "class", "term", "term", "term"]


def test_g2_of_a_2x2_table_by_hand():
    """[[10, 10], [10, 70]]: expected [[4, 16], [16, 64]], G2 = 2 (10 ln 2.5 + 2 * 10 ln 0.625 + 70 ln (70 / 64));
    signed, and 0 ln 0 taken as 0 ([[0, 5], [10, 10]]: expected [[2, 3], [8, 12]])."""
    from math import log

    from chrysalide.lexical.keyness import g2_2x2

    assert g2_2x2(10, 10, 10, 70) == pytest.approx(2 * (10 * log(2.5) + 20 * log(0.625) + 70 * log(70 / 64)))
    assert g2_2x2(0, 5, 10, 10) == pytest.approx(-2 * (5 * log(5 / 3) + 10 * log(10 / 8) + 10 * log(10 / 12)))
