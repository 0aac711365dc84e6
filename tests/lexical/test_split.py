"""The split core: cut chi-square, switching optimality, rainette's switching quirk, CA paths."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.lexical.split import best_cut, first_axis, select_terms, split_chi2
from chrysalide.lexical.switching import switch_rows


def naive_chi2(M: np.ndarray, in1: np.ndarray) -> float:
    """Pearson chi-square of the 2 x p table of summed presences, cell by cell (REINERT.md 5)."""
    obs = np.vstack([M[in1].sum(axis=0), M[~in1].sum(axis=0)]).astype(float)
    exp = obs.sum(axis=1, keepdims=True) * obs.sum(axis=0, keepdims=True) / obs.sum()
    return float(((obs - exp) ** 2 / exp).sum())


@st.composite
def binary_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(4, 25))
    p = draw(st.integers(3, 12))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    M = (rng.random((n, p)) < draw(st.floats(0.15, 0.6))).astype(float)
    M[np.arange(n), rng.integers(0, p, n)] = 1.0  # no empty row
    M[rng.integers(0, n, p), np.arange(p)] = 1.0  # no empty column
    return M


def _rainette_reference(M: np.ndarray, order: np.ndarray, cut: int, chi: float) -> tuple[list[int], list[int], float]:
    """rainette's switch_docs transcribed naively from REINERT.md 5.3 (full recomputation each pass)."""
    g1, g2 = list(order[:cut]), list(order[cut:])
    recorded = chi
    while True:
        values = []
        for row in g1 + g2:
            in1 = np.zeros(len(M), dtype=bool)
            in1[[r for r in g1 if r != row] + ([row] if row in g2 else [])] = True
            ok = 0 < in1.sum() < len(M)
            values.append(naive_chi2(M, in1) if ok else -np.inf)
        pos = int(np.argmax(values))
        if not values[pos] > recorded:
            return g1, g2, recorded
        row = int(order[pos])  # the quirk: position in the list, row looked up in the CA order
        if row in g1:
            g1.remove(row)
            g2.append(row)
        else:
            g2.remove(row)
            g1.append(row)
        recorded = values[pos]


@settings(max_examples=60, deadline=None)
@given(binary_matrices())
def test_best_cut_matches_naive_scan(M: np.ndarray) -> None:
    order = np.argsort(first_axis(sp.csr_matrix(M)), kind="stable")
    cut, chi = best_cut(sp.csr_matrix(M), order)
    scan = []
    for t in range(1, len(M)):
        in1 = np.zeros(len(M), dtype=bool)
        in1[order[:t]] = True
        scan.append(naive_chi2(M, in1))
    assert np.isclose(chi, max(scan))
    assert np.isclose(scan[cut - 1], max(scan))


@settings(max_examples=60, deadline=None)
@given(binary_matrices())
def test_best_switching_is_a_local_optimum_and_beats_rainette(M: np.ndarray) -> None:
    X = sp.csr_matrix(M)
    order = np.argsort(first_axis(X), kind="stable")
    cut, chi = best_cut(X, order)
    best = switch_rows(X, order, cut, chi, "best")
    rain = switch_rows(X, order, cut, chi, "rainette")
    in1 = np.zeros(len(M), dtype=bool)
    in1[best.group1] = True
    assert np.isclose(best.chi2, naive_chi2(M, in1))
    assert best.chi2 >= chi - 1e-9
    for row in range(len(M)):  # no single move improves the split
        moved = in1.copy()
        moved[row] = not moved[row]
        if 0 < moved.sum() < len(M):
            assert naive_chi2(M, moved) <= best.chi2 + 1e-7
    assert best.chi2_true >= rain.chi2_true - 1e-7
    assert sorted(np.concatenate([best.group1, best.group2]).tolist()) == list(range(len(M)))


@settings(max_examples=40, deadline=None)
@given(binary_matrices())
def test_rainette_mode_replays_switch_docs(M: np.ndarray) -> None:
    X = sp.csr_matrix(M)
    order = np.argsort(first_axis(X), kind="stable")
    cut, chi = best_cut(X, order)
    res = switch_rows(X, order, cut, chi, "rainette")
    g1, g2, recorded = _rainette_reference(M, order, cut, chi)
    assert res.group1.tolist() == g1 and res.group2.tolist() == g2
    assert np.isclose(res.chi2, recorded)
    in1 = np.zeros(len(M), dtype=bool)
    in1[res.group1] = True
    assert np.isclose(res.chi2_true, naive_chi2(M, in1))


def test_sparse_and_dense_first_axis_agree() -> None:
    rng = np.random.default_rng(3)
    M = (rng.random((300, 60)) < 0.1).astype(float)
    M[:150, :20] += rng.random((150, 20)) < 0.4
    M = (M > 0).astype(float)
    M = M[M.sum(axis=1) > 0]
    X = sp.csr_matrix(M)
    dense = first_axis(X, dense_cells=10**9)
    sparse = first_axis(X, dense_cells=0)
    assert np.allclose(dense, sparse, atol=1e-8)


def test_split_chi2_formula_is_the_cell_sum() -> None:
    M = np.array([[1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 1, 0]], dtype=float)
    in1 = np.array([True, True, False, False, True])
    A, S = M[in1].sum(axis=0), M.sum(axis=0)
    assert np.isclose(split_chi2((A * A / S).sum(), A.sum(), S.sum()), naive_chi2(M, in1))


def test_select_terms_rules() -> None:
    # N1 = 22, N2 = 6 presences. Term 0 (6 + 6): E2 = 2.57, C = 0.57 > 0.3, kept only where over-represented
    # (group 2); terms 1-3 only in group 1, kept there while their count reaches tsj.
    g1 = [[1, 1, 1, 1]] * 4 + [[1, 1, 0, 1]] * 2
    g2 = [[1, 0, 0, 0]] * 6
    M = sp.csr_matrix(np.array(g1 + g2, dtype=float))
    in1 = np.array([True] * 6 + [False] * 6)
    keep1, keep2 = select_terms(M, in1, cc_test=0.3, tsj=3)
    assert keep1.tolist() == [False, True, True, True]
    assert keep2.tolist() == [True, False, False, False]
    keep1, _ = select_terms(M, in1, cc_test=0.3, tsj=5)
    assert keep1.tolist() == [False, True, False, True]
    keep1, keep2 = select_terms(M, in1, cc_test=0.9, tsj=3)  # C <= cc_test: kept wherever frequent enough
    assert keep1.tolist() == [True, True, True, True] and keep2.tolist() == [True, False, False, False]
