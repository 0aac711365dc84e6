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
Re-scoring every row at every pass costs O(nnz) per pass, and the number of passes grows with the
number of rows (thousands at 100,000 rows), so the search is made output-sensitive, exactly:

* For a fixed ``d = s_i n_i`` the candidate chi-square increases with ``dq_i = s_i G2_i + H_i``. At a
  *reference* state every row's ``dq`` is computed and the rows are sorted by (d, -dq).
* After moves, ``G2_i`` drifts by ``2 sum_{j in T_i} (A_j - A_j^ref) / S_j``. Rows that moved, and rows
  sharing a rare term (``S_j <= RARE``) with a moved row, are re-scored at every pass ("dirty"); for
  every other row the drift is at most ``D = 2 * (sum of the L largest |A_j - A_j^ref| / S_j over
  frequent terms)``, L = the longest row.
* Each pass scores exactly the dirty rows and the head of every d-class, then every row whose
  bound ``dq_ref + D`` could still reach the best exact score; rows left out provably score below
  it, so the move chosen (and the tie-break among equal scores) is the full scan's. The reference
  is rebuilt when the rows re-scored since the last rebuild cost as much as a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from chrysalide.lexical.split import split_chi2

Switching = Literal["best", "rainette", "none"]

#: terms with at most this many rows are tracked exactly (their rows re-scored) rather than bounded
RARE = 48


@dataclass
class SwitchResult:
    """Rows (positions in the class matrix) of each group, in rainette's list order, and the outcome."""

    group1: np.ndarray
    group2: np.ndarray
    chi2: float  # split height as recorded (rainette mode: the candidate value it records)
    chi2_true: float  # chi-square of the returned partition
    passes: int


def _scores(q: float, n1: float, total: float, sign: np.ndarray, g2: np.ndarray, h: np.ndarray, size: np.ndarray):
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
    """Split state (groups, column sums of group 1) and the bounded candidate index described above."""

    def __init__(self, M: sp.csr_matrix, order: np.ndarray, cut: int) -> None:
        self.M, self.n = M, M.shape[0]
        self.csc = sp.csc_matrix(M)
        self.csc.sort_indices()
        self.isize = np.diff(M.indptr)
        self.size = self.isize.astype(np.float64)
        col = np.asarray(M.sum(axis=0)).ravel()
        self.inv_col = 1.0 / col
        self.rare = col <= RARE
        self.total = float(col.sum())
        self.longest = int(self.isize.max())
        self.key = np.empty(self.n, dtype=np.int64)  # rainette's list order: CA position, then n + move
        self.key[order] = np.arange(self.n)
        self.in1 = self.key < cut
        self.count1 = cut
        self.sign = np.where(self.in1, -1.0, 1.0)
        self.A = np.asarray(M[order[:cut]].sum(axis=0)).ravel()
        self.H = M @ self.inv_col
        self.n1 = float(self.size[self.in1].sum())
        self.rebuild_cost = M.nnz + 8 * self.n  # matvec + sort, in row-term units
        self.rebuild()

    def rebuild(self) -> None:
        """New reference: exact ``dq`` of every row, rows sorted by (d, -dq)."""
        dq = self.sign * (2.0 * (self.M @ (self.A * self.inv_col))) + self.H
        d = np.where(self.in1, -self.isize, self.isize)
        self.sorted = np.lexsort((-dq, d))
        sd = d[self.sorted]
        self.neg_dq = -dq[self.sorted]
        self.starts = np.flatnonzero(np.r_[True, sd[1:] != sd[:-1]])
        self.ends = np.r_[self.starts[1:], self.n]
        self.d = sd[self.starts].astype(np.float64)
        self.A_ref = self.A.copy()
        self.drift = np.zeros_like(self.A)
        self.dirty = np.zeros(self.n, dtype=bool)
        self.dirty_rows: list[np.ndarray] = []
        self.spent = 0

    def score(self, rows: np.ndarray, q: float) -> np.ndarray:
        """Exact candidate chi-square of ``rows``, with ``G2`` recomputed from the current ``A``."""
        starts, stops = self.M.indptr[rows], self.M.indptr[rows + 1]
        lengths = stops - starts
        offsets = np.cumsum(lengths) - lengths
        pos = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        g2 = 2.0 * np.add.reduceat((self.A * self.inv_col)[self.M.indices[pos]], offsets)
        self.spent += int(lengths.sum()) + 4 * rows.size
        return _scores(q, self.n1, self.total, self.sign[rows], g2, self.H[rows], self.size[rows])

    def best(self, q: float) -> tuple[np.ndarray, np.ndarray]:
        """Every row that may reach the best score, and their exact scores (the others score lower)."""
        if self.count1 <= 1 or self.count1 >= self.n - 1 or self.spent > self.rebuild_cost:
            self.rebuild()
        if self.count1 <= 1 or self.count1 >= self.n - 1:  # a move may empty a group: score all rows
            rows = np.arange(self.n)
            return rows, self.score(rows, q)
        heads = self.sorted[self.starts]
        rows = np.unique(np.concatenate([heads, *self.dirty_rows])) if self.dirty_rows else heads
        values = self.score(rows, q)
        top = float(values.max())
        # dq a row of class d needs to score >= top: invert N (q'/x + (N - 2x + q')/(N - x) - 1) in q'
        x = self.n1 + self.d
        need = (top / self.total + 1.0 - (self.total - 2.0 * x) / (self.total - x)) * x * (self.total - x) / self.total
        slack = 2.0 * float(np.partition(self.drift, -self.longest)[-self.longest:].sum())
        threshold = need - q - slack - 1e-9 * (abs(q) + 1.0)
        extra = [
            self.sorted[self.starts[c] : self.starts[c] + int(np.searchsorted(self.neg_dq[a:b], -threshold[c], "right"))]
            for c, (a, b) in enumerate(zip(self.starts, self.ends, strict=True))
            if -self.neg_dq[a] >= threshold[c]
        ]
        if extra:
            more = np.setdiff1d(np.concatenate(extra), rows, assume_unique=False)
            if more.size:
                rows = np.concatenate([rows, more])
                values = np.concatenate([values, self.score(more, q)])
        return rows, values

    def move(self, row: int, stamp: int) -> None:
        """Move ``row`` to the other group; flag the rows whose ``G2`` the bound no longer covers."""
        delta = -1.0 if self.in1[row] else 1.0
        self.count1 += int(delta)
        self.in1[row] = not self.in1[row]
        self.sign[row] = -self.sign[row]
        self.key[row] = stamp
        self.n1 += delta * self.size[row]
        terms = self.M.indices[self.M.indptr[row] : self.M.indptr[row + 1]]
        self.A[terms] += delta
        frequent = terms[~self.rare[terms]]
        self.drift[frequent] = np.abs(self.A[frequent] - self.A_ref[frequent]) * self.inv_col[frequent]
        flagged = [np.array([row])]
        for j in terms[self.rare[terms]]:
            flagged.append(self.csc.indices[self.csc.indptr[j] : self.csc.indptr[j + 1]])
        new = np.concatenate(flagged)
        new = new[~self.dirty[new]]
        if new.size:
            new = np.unique(new)
            self.dirty[new] = True
            self.dirty_rows.append(new)

    def chi2(self) -> float:
        return float(split_chi2(float((self.A * self.A * self.inv_col).sum()), self.n1, self.total))


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
