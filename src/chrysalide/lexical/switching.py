"""Re-assignment ("switching") of rows between the two groups of a split, after the CA cut.

Reinert (1983) improves the cut by moving rows between groups while the split chi-square grows.
``"best"`` is a true best-improvement search: each pass moves the row whose move raises the
chi-square most, until no single move improves it (a local optimum for one-row moves).
``"rainette"`` reproduces rainette 0.3.2 (Barnier, ``switch_docs``) exactly, quirk included
(REINERT.md 5.3): the candidate values are listed in (group 1, group 2) order but the row moved is
looked up by that position in the original CA ordering, and the recorded chi-square is the best
candidate's value, not the value of the partition obtained.

A move changes the statistic only through scalars (see ``split.split_chi2``): for a row i with terms
T_i, ``G_i = sum_{j in T_i} A_j / S_j`` and ``H_i = sum_{j in T_i} 1 / S_j`` give the new ``Q``, so one
pass costs O(n) plus the update of ``G`` for the rows sharing a term with the moved row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from chrysalide.lexical.split import split_chi2

Switching = Literal["best", "rainette", "none"]


@dataclass
class SwitchResult:
    """Rows (positions in the class matrix) of each group, in rainette's list order, and the outcome."""

    group1: np.ndarray
    group2: np.ndarray
    chi2: float  # split height as recorded (rainette mode: the candidate value it records)
    chi2_true: float  # chi-square of the returned partition
    passes: int


def switch_rows(M: sp.csr_matrix, order: np.ndarray, cut: int, chi2_cut: float, mode: Switching) -> SwitchResult:
    """Move rows between the groups ``order[:cut]`` and ``order[cut:]`` according to ``mode``.

    rainette keeps each group as a list (a moved row is appended to the other list); the lists are
    represented here by a sort key per row (CA position, then n + move number), which keeps every
    pass free of O(n) list rebuilding; candidates are compared in (group 1, group 2) list order.
    """
    if mode == "none":
        return SwitchResult(order[:cut].copy(), order[cut:].copy(), chi2_cut, chi2_cut, 0)
    if mode not in ("best", "rainette"):
        raise ValueError(f"switching must be 'best', 'rainette' or 'none', got {mode!r}")
    n = M.shape[0]
    csc = sp.csc_matrix(M)
    csc.sort_indices()
    size = np.diff(M.indptr).astype(np.float64)
    col = np.asarray(M.sum(axis=0)).ravel()
    inv_col = 1.0 / col
    total = float(col.sum())
    key = np.empty(n, dtype=np.int64)
    key[order] = np.arange(n)
    in1 = key < cut
    count1 = cut
    sign = np.where(in1, -1.0, 1.0)
    A = np.asarray(M[order[:cut]].sum(axis=0)).ravel()
    G2 = 2.0 * (M @ (A * inv_col))  # twice G: what a move adds to / removes from Q
    H = M @ inv_col
    n1 = float(size[in1].sum())
    recorded = chi2_cut
    passes = 0
    # guard against float noise only: a true improvement is far above 1e-9 relative
    eps = 1e-9 * max(1.0, abs(chi2_cut)) if mode == "best" else 0.0
    q_new, n1_new, tmp = np.empty(n), np.empty(n), np.empty(n)
    while True:
        q = float((A * A * inv_col).sum())
        # cand = N (q'/n1' + (N - 2 n1' + q') / (N - n1') - 1), computed in place
        np.multiply(sign, G2, out=q_new)
        q_new += H
        q_new += q
        np.multiply(sign, size, out=n1_new)
        n1_new += n1
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(q_new, n1_new, out=tmp)
            q_new += total
            q_new -= 2.0 * n1_new
            np.subtract(total, n1_new, out=n1_new)
            q_new /= n1_new
            tmp += q_new
        tmp -= 1.0
        tmp *= total
        if count1 == 1 or count1 == n - 1:  # a move emptying a group: NaN in rainette, ignored
            tmp[in1 if count1 == 1 else ~in1] = -np.inf
        row = int(np.argmax(tmp))
        best = float(tmp[row])
        if not best > recorded + eps:
            break
        ties = np.flatnonzero(tmp == best)
        if ties.size > 1:  # first in (group 1 list, group 2 list) order, as R's which.max
            row = int(ties[np.lexsort((key[ties], ~in1[ties]))[0]])
        if mode == "rainette":
            # the quirk: the position of the best candidate in the lists, looked up in the CA order
            pos = (
                int(np.count_nonzero(in1 & (key < key[row])))
                if in1[row]
                else count1 + int(np.count_nonzero(~in1 & (key < key[row])))
            )
            row = int(order[pos])
        delta = -1.0 if in1[row] else 1.0
        count1 += int(delta)
        in1[row] = not in1[row]
        sign[row] = -sign[row]
        key[row] = n + passes
        n1 += delta * size[row]
        terms = M.indices[M.indptr[row] : M.indptr[row + 1]]
        A[terms] += delta
        starts, stops = csc.indptr[terms], csc.indptr[terms + 1]
        sharing = np.concatenate([csc.indices[a:b] for a, b in zip(starts, stops, strict=True)])
        weights = np.repeat(2.0 * delta * inv_col[terms], stops - starts)
        if sharing.size * 8 < n:
            np.add.at(G2, sharing, weights)
        else:
            G2 += np.bincount(sharing, weights=weights, minlength=n)
        recorded = best
        passes += 1
    q = float((A * A * inv_col).sum())
    true = float(split_chi2(q, n1, total))
    group1 = np.flatnonzero(in1)
    group2 = np.flatnonzero(~in1)
    group1, group2 = group1[np.argsort(key[group1], kind="stable")], group2[np.argsort(key[group2], kind="stable")]
    return SwitchResult(group1, group2, recorded if mode == "rainette" else true, true, passes)
