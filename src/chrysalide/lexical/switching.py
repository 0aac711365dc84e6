"""Re-assignment ("switching") of rows between the two groups of a split, after the CA cut.

Reinert (1983) improves the cut by moving rows between groups while the split chi-square grows.
``"best"`` is a true best-improvement search: each pass moves the row whose move raises the
chi-square most, until no single move improves it (a local optimum for one-row moves).
``"rainette"`` reproduces rainette 0.3.2 (Barnier, ``switch_docs``) exactly, quirk included
(REINERT.md 5.3): the candidate values are listed in (group 1, group 2) order but the row moved is
looked up by that position in the original CA ordering, and the recorded chi-square is the best
candidate's value, not the value of the partition obtained.

A move changes the statistic only through scalars (see ``split.split_chi2``): for a row i with terms
T_i and sign s_i (-1 in group 1, +1 in group 2), moving it gives ``Q' = Q + s_i G2_i + H_i`` and
``N1' = N1 + s_i n_i`` with ``G2_i = 2 sum_{j in T_i} A_j / S_j`` and ``H_i = sum_{j in T_i} 1 / S_j``.
Scoring every row at every pass costs O(nnz) per pass and the number of passes grows with the number
of rows (30,000 in one split of a 1,000,000-row matrix), so the search scores only the rows that can
win, exactly:

* For a fixed ``d = s_i n_i`` the score increases with ``dq_i = s_i G2_i + H_i``, and ``need_d`` (the ``dq``
  needed to reach a given score) has a closed form. A *full pass* scores every row and keeps a
  *pool*: the rows closest to the best score (``dq_i - need_d``), whose ``G2`` is then updated move by
  move and is always exact. Every other row keeps its ``dq`` of the full pass, updated exactly for the
  *rare* terms (``S_j <= RARE``: cost S_j per move); ``floor_d`` bounds the ``dq`` of the rows of class d
  outside the pool (raised when a rare-term update lifts one of them).
* The *frequent* terms move a row's ``G2`` by at most ``2 |A_j - A_j^full| / S_j`` each, so a row of class
  d outside the pool is at most ``floor_d + slack_d`` (slack: twice the sum of the |d| largest such
  drifts). Each pass scores the pool and the moved rows outside it; if ``floor_d + slack_d`` stays below
  the ``need_d`` of that best score for every class, no row left out can reach it or tie with it, so the
  move chosen, tie-break included, is the full scan's; otherwise the pass is a full pass (and the pool
  doubles if full passes come too often to pay for themselves).

Memory: a few arrays of n floats, the pool's CSC copy and a CSC copy of the rare-term columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from chrysalide.lexical.split import split_chi2

Switching = Literal["best", "rainette", "none"]

#: terms in at most this many rows are tracked row by row (exact dq of their rows), the others bounded
RARE = 256
#: initial pool size (rows with an exact ``G2`` between full passes), doubled while full passes come too often
POOL_MIN = 1024


@dataclass
class SwitchResult:
    """Rows (positions in the class matrix) of each group, in rainette's list order, and the outcome."""

    group1: np.ndarray
    group2: np.ndarray
    chi2: float  # split height as recorded (rainette mode: the candidate value it records)
    chi2_true: float  # chi-square of the returned partition
    passes: int


def _scores(
    q: float, n1: float, total: float, sign: np.ndarray, g2: np.ndarray, h: np.ndarray, size: np.ndarray
) -> np.ndarray:
    """Chi-square after moving each given row: N (q'/n1' + (N - 2 n1' + q') / (N - n1') - 1)."""
    q_new = sign * g2
    q_new += h
    q_new += q
    n1_new = sign * size
    n1_new += n1
    with np.errstate(divide="ignore", invalid="ignore"):
        out = q_new / n1_new
        q_new += total
        q_new -= 2.0 * n1_new
        np.subtract(total, n1_new, out=n1_new)
        q_new /= n1_new
        out += q_new
    out -= 1.0
    out *= total
    return out


class _Search:
    """Split state (groups, column sums of group 1), the pool with exact ``G2``, the bounds on the rest."""

    def __init__(self, M: sp.csr_matrix, order: np.ndarray, cut: int) -> None:
        self.M, self.n = M, M.shape[0]
        self.isize = np.diff(M.indptr)
        self.size = self.isize.astype(np.float64)
        self.col = np.bincount(M.indices, minlength=M.shape[1])
        self.inv_col = 1.0 / self.col
        self.total = float(self.col.sum())
        self.longest = int(self.isize.max())
        self.key = np.empty(self.n, dtype=np.int64)  # rainette's list order: CA position, then n + move
        self.key[order] = np.arange(self.n)
        self.in1 = self.key < cut
        self.count1 = cut
        self.sign = np.where(self.in1, -1.0, 1.0)
        self.A = np.bincount(M.indices[np.repeat(self.in1, self.isize)], minlength=M.shape[1]).astype(np.float64)
        self.H = M @ self.inv_col
        self.n1 = float(self.size[self.in1].sum())
        # rare terms: every row containing one gets its dq updated at each move (cost S_j per term)
        self.rare = self.col <= RARE
        self.rare_index = np.cumsum(self.rare) - 1
        self.rare_rows = sp.csc_matrix(M[:, np.flatnonzero(self.rare)])
        self.rare_rows.sort_indices()
        self.pool_size = min(max(POOL_MIN, 4 * int(np.sqrt(self.n))), self.n)
        self.budget = M.nnz + 16 * self.n  # a full pass, in row-term units
        self.since = 0  # pool passes since the last full pass
        self.spent = self.budget + 1  # the first pass is a full pass

    def need(self, top: float, d: np.ndarray, q: float) -> np.ndarray:
        """``dq`` a row with ``d = s n`` needs to score ``top``: N (q'/x + (N - 2x + q')/(N - x) - 1) inverted."""
        total, x = self.total, self.n1 + d
        with np.errstate(divide="ignore", invalid="ignore"):
            return (top / total + 1.0 - (total - 2.0 * x) / (total - x)) * x * (total - x) / total - q

    def full(self, q: float) -> tuple[np.ndarray, np.ndarray]:
        """Score every row, then choose the pool and the floors of the rows left out."""
        g2 = 2.0 * (self.M @ (self.A * self.inv_col))
        values = _scores(q, self.n1, self.total, self.sign, g2, self.H, self.size)
        rows = np.arange(self.n)
        self.pool = None
        if self.count1 <= 1 or self.count1 >= self.n - 1 or self.pool_size >= self.n:
            return rows, values  # a move may empty a group (or the pool would be everything): stay full
        d = np.where(self.in1, -self.isize, self.isize)
        self.dq = self.sign * g2 + self.H
        gap = self.dq - self.need(float(values.max()), d.astype(np.float64), q)
        inside = gap >= np.partition(gap, self.n - self.pool_size)[self.n - self.pool_size]
        self.pool = np.flatnonzero(inside)
        self.position = np.full(self.n, -1, dtype=np.int64)
        self.position[self.pool] = np.arange(self.pool.size)
        self.g2 = g2[self.pool]
        self.pool_sign, self.pool_h, self.pool_n = self.sign[self.pool], self.H[self.pool], self.size[self.pool]
        self.pool_rows = sp.csc_matrix(self.M[self.pool])
        self.pool_rows.sort_indices()
        classes, self.cls = np.unique(d, return_inverse=True)
        self.floor = np.full(classes.size, -np.inf)
        np.maximum.at(self.floor, self.cls[~inside], self.dq[~inside])
        self.d, self.length = classes.astype(np.float64), np.minimum(np.abs(classes), self.longest)
        self.A_full = self.A.copy()
        self.drift = np.zeros_like(self.A)  # |A_j - A_j^full| / S_j of the frequent terms
        self.extra_mask = np.zeros(self.n, dtype=bool)  # moved rows outside the pool
        self.extra: list[int] = []
        self.spent = self.since = 0
        return rows, values

    def score(self, rows: np.ndarray, q: float) -> np.ndarray:
        """Exact scores of ``rows``, with ``G2`` recomputed from the current ``A``."""
        starts, stops = self.M.indptr[rows], self.M.indptr[rows + 1]
        lengths = stops - starts
        offsets = np.cumsum(lengths) - lengths
        pos = np.repeat(starts - offsets, lengths) + np.arange(int(offsets[-1] + lengths[-1]))
        g2 = 2.0 * np.add.reduceat((self.A * self.inv_col)[self.M.indices[pos]], offsets)
        self.spent += pos.size + 16 * rows.size
        return _scores(q, self.n1, self.total, self.sign[rows], g2, self.H[rows], self.size[rows])

    def best(self, q: float) -> tuple[np.ndarray, np.ndarray]:
        """Every row that may reach the best score, and their exact scores (the others score lower)."""
        if self.spent > self.budget or self.pool is None:
            return self.full(q)
        rows, values = self.pool, _scores(q, self.n1, self.total, self.pool_sign, self.g2, self.pool_h, self.pool_n)
        if self.extra:
            extra = np.array(self.extra)
            rows, values = np.concatenate([rows, extra]), np.concatenate([values, self.score(extra, q)])
        drift = np.sort(np.partition(self.drift, -self.longest)[-self.longest :])[::-1]
        slack = 2.0 * np.cumsum(drift)[self.length - 1]  # a row of class d has |d| terms
        reach = self.floor + slack - self.need(float(values.max()), self.d, q)
        if np.all(reach < -1e-9 * (abs(q) + 1.0)):  # NaN (degenerate class) fails too
            self.since += 1
            return rows, values
        if self.since * 16 * self.pool_size < self.budget:  # the pool did not pay for a full pass
            self.pool_size = min(2 * self.pool_size, self.n)
        return self.full(q)

    def move(self, row: int, stamp: int) -> None:
        """Move ``row`` to the other group; keep the pool exact and the floors of the rest valid."""
        delta = -1.0 if self.in1[row] else 1.0
        self.count1 += int(delta)
        self.in1[row] = not self.in1[row]
        self.sign[row] = -self.sign[row]
        self.key[row] = stamp
        self.n1 += delta * self.size[row]
        terms = self.M.indices[self.M.indptr[row] : self.M.indptr[row + 1]]
        self.A[terms] += delta
        if self.pool is None:
            return
        at = self.position[row]
        if at >= 0:
            self.pool_sign[at] = -self.pool_sign[at]
        elif not self.extra_mask[row]:
            self.extra_mask[row] = True
            self.extra.append(row)
        sharing, weights = self._column_rows(self.pool_rows, terms, 2.0 * delta * self.inv_col[terms])
        if sharing.size * 8 < self.g2.size:
            np.add.at(self.g2, sharing, weights)
        else:
            self.g2 += np.bincount(sharing, weights=weights, minlength=self.g2.size)
        rare = terms[self.rare[terms]]
        if rare.size:  # exact dq of every row containing a rare term; a rising row lifts its class floor
            hit, weights = self._column_rows(self.rare_rows, self.rare_index[rare], 2.0 * delta * self.inv_col[rare])
            np.add.at(self.dq, hit, weights * self.sign[hit])
            hit = hit[(self.position[hit] < 0) & ~self.extra_mask[hit]]
            np.maximum.at(self.floor, self.cls[hit], self.dq[hit])
        frequent = terms[~self.rare[terms]]
        self.drift[frequent] = np.abs(self.A[frequent] - self.A_full[frequent]) * self.inv_col[frequent]

    @staticmethod
    def _column_rows(csc: sp.csc_matrix, cols: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the given columns of ``csc`` (concatenated) and the weight of their column, repeated."""
        starts, stops = csc.indptr[cols], csc.indptr[cols + 1]
        rows = np.concatenate([csc.indices[a:b] for a, b in zip(starts, stops, strict=True)])
        return rows, np.repeat(weight, stops - starts)

    def chi2(self) -> float:
        return float(split_chi2(float((self.A * self.A * self.inv_col).sum()), self.n1, self.total))


def switch_rows(M: sp.csr_matrix, order: np.ndarray, cut: int, chi2_cut: float, mode: Switching) -> SwitchResult:
    """Move rows between the groups ``order[:cut]`` and ``order[cut:]`` according to ``mode``.

    ``best`` is guaranteed never to end below rainette's switching on the same split: rainette's
    re-assignment also runs (it is cheap: a few passes), and when it reaches a higher chi-square than
    the best-improvement search from the cut, the search continues from rainette's groups. The result
    is then a local optimum at least as good as both.
    """
    result = _switch(M, order, cut, chi2_cut, mode)
    if mode != "best":
        return result
    rainette = _switch(M, order, cut, chi2_cut, "rainette")
    if not rainette.chi2_true > result.chi2_true * (1 + 1e-12):
        return result
    start = np.concatenate([rainette.group1, rainette.group2])
    again = _switch(M, start, len(rainette.group1), rainette.chi2_true, "best")
    return SwitchResult(again.group1, again.group2, again.chi2, again.chi2_true, rainette.passes + again.passes)


def _switch(M: sp.csr_matrix, order: np.ndarray, cut: int, chi2_cut: float, mode: Switching) -> SwitchResult:
    """One re-assignment search from the groups ``order[:cut]`` / ``order[cut:]`` (see :func:`switch_rows`).

    rainette keeps each group as a list (a moved row is appended to the other list); the lists are
    represented here by a sort key per row (CA position, then n + move number), which keeps every
    pass free of O(n) list rebuilding; candidates are compared in (group 1, group 2) list order.
    """
    if mode == "none":
        return SwitchResult(order[:cut].copy(), order[cut:].copy(), chi2_cut, chi2_cut, 0)
    if mode not in ("best", "rainette"):
        raise ValueError(f"switching must be 'best', 'rainette' or 'none', got {mode!r}")
    n = M.shape[0]
    state = _Search(M, order, cut)
    recorded = chi2_cut
    passes = 0
    # guard against float noise only: a true improvement is far above 1e-9 relative
    eps = 1e-9 * max(1.0, abs(chi2_cut)) if mode == "best" else 0.0
    while True:
        q = float((state.A * state.A * state.inv_col).sum())
        rows, values = state.best(q)
        if state.count1 == 1 or state.count1 == n - 1:  # a move emptying a group: NaN in rainette, ignored
            values[state.in1[rows] if state.count1 == 1 else ~state.in1[rows]] = -np.inf
        best = float(values.max())
        if not best > recorded + eps:
            break
        ties = rows[values == best]
        row = int(ties[np.lexsort((state.key[ties], ~state.in1[ties]))[0]])  # first in list order
        if mode == "rainette":
            # the quirk: the position of the best candidate in the lists, looked up in the CA order
            in1, key = state.in1, state.key
            pos = (
                int(np.count_nonzero(in1 & (key < key[row])))
                if in1[row]
                else state.count1 + int(np.count_nonzero(~in1 & (key < key[row])))
            )
            row = int(order[pos])
        state.move(row, n + passes)
        recorded = best
        passes += 1
    true = state.chi2()
    group1 = np.flatnonzero(state.in1)
    group2 = np.flatnonzero(~state.in1)
    key = state.key
    group1, group2 = group1[np.argsort(key[group1], kind="stable")], group2[np.argsort(key[group2], kind="stable")]
    return SwitchResult(group1, group2, recorded if mode == "rainette" else true, true, passes)
