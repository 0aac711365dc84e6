"""One binary split of Reinert's method: CA first-axis ordering, best cut by chi-square, term selection.

Reinert (1983, 1990) splits a class along the first factor of its correspondence analysis
(Benzécri 1973) and keeps the cut maximising the chi-square of the "group x term" table of summed
presences (REINERT.md section 5). Everything here works on a binary CSR matrix without densifying it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, svds
from threadpoolctl import threadpool_limits

#: below this number of cells the CA uses a dense SVD (exact, and fast for small classes)
DENSE_CELLS = 400_000


def split_chi2(q: np.ndarray | float, n1: np.ndarray | float, total: float) -> np.ndarray | float:
    """Pearson chi-square of the 2 x p table "group x term" from ``q = sum_j A_j**2 / S_j``.

    With ``A_j`` the column sums of group 1, ``S_j`` the column sums, ``N`` the total and ``N1 = sum A_j``,
    chi2 = N (Q / N1 + (N - 2 N1 + Q) / N2 - 1), an algebraic rewrite of the usual sum over cells that
    lets one row's move change the statistic through a few scalars (used for the cut and the switching).
    """
    n2 = total - np.asarray(n1, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return total * (q / n1 + (total - 2.0 * n1 + q) / n2 - 1.0)


def first_axis(M: sp.csr_matrix, *, dense_cells: int = DENSE_CELLS) -> np.ndarray:
    """Row standard coordinates on the first CA axis of a binary matrix with no empty row or column.

    The axis is the first singular vector of ``Z = (P - r c') / sqrt(r c')`` (REINERT.md 5.1). For
    large matrices ``Z`` is never formed: ARPACK (``svds``) works on the operator
    ``Z v = D_r^-1/2 P D_c^-1/2 v - sqrt(r) (sqrt(c)' v)``, whose cost per product is O(nnz).
    The sign is fixed so that the coordinate of largest magnitude is positive (the CA sign is
    arbitrary; only the names of the two groups depend on it).
    """
    n, p = M.shape
    total = float(M.data.sum())
    r = np.asarray(M.sum(axis=1)).ravel() / total
    c = np.asarray(M.sum(axis=0)).ravel() / total
    sr, sc = np.sqrt(r), np.sqrt(c)
    # K = D_r^-1/2 (M / total) D_c^-1/2, built in place: one temporary of nnz floats at a time
    data = np.repeat(sr, np.diff(M.indptr))
    data *= sc[M.indices]
    np.divide(M.data / total, data, out=data)
    K = sp.csr_matrix((data, M.indices, M.indptr), shape=(n, p))
    if n * p <= dense_cells or min(n, p) < 3:
        Z = K.toarray() - np.outer(sr, sc)
        # one BLAS thread: on these small tables threads buy nothing and, on a busy machine,
        # oversubscribed OpenBLAS threads made each SVD 20x slower (measured)
        with threadpool_limits(limits=1, user_api="blas"):
            u = np.linalg.svd(Z, full_matrices=False)[0][:, 0]
    else:
        Kt = sp.csr_matrix(K.T)
        op = LinearOperator(
            (n, p),
            matvec=lambda v: K @ np.ravel(v) - sr * (sc @ np.ravel(v)),
            rmatvec=lambda w: Kt @ np.ravel(w) - sc * (sr @ np.ravel(w)),
            dtype=np.float64,
        )
        v0 = np.random.default_rng(0).uniform(0.5, 1.5, min(n, p))  # fixed start: deterministic output
        u = svds(op, k=1, v0=v0, maxiter=20 * min(n, p), return_singular_vectors="u")[0][:, 0]
    x = u / sr
    if x[np.argmax(np.abs(x))] < 0:
        x = -x
    return x


def best_cut(M: sp.csr_matrix, order: np.ndarray) -> tuple[int, float]:
    """Best cut of the rows taken in ``order``: (size of group 1, chi-square), first maximum on ties.

    The chi-square of every cut t = 1..n-1 comes from one pass over the non-zeros: when row i joins
    group 1 the sum ``Q`` grows by ``sum_j (2 A_j + 1) / S_j`` over its terms, where ``A_j`` is the rank
    of row i among the rows containing term j, which a CSC view of the reordered matrix gives directly.
    """
    n = M.shape[0]
    # Only the pattern matters: one byte per non-zero instead of a copy of the float data
    pattern = sp.csr_matrix((np.ones(M.nnz, dtype=np.int8), M.indices, M.indptr), shape=M.shape)
    Mo = sp.csc_matrix(pattern[order])
    del pattern
    Mo.sort_indices()
    col_sizes = np.diff(Mo.indptr)
    dq = np.arange(Mo.nnz, dtype=np.float64)  # becomes the rank of the row in its column, then (2 rank + 1) / S_j
    dq -= np.repeat(Mo.indptr[:-1].astype(np.float64), col_sizes)
    dq *= 2.0
    dq += 1.0
    dq /= np.repeat(col_sizes.astype(np.float64), col_sizes)
    q = np.cumsum(np.bincount(Mo.indices, weights=dq, minlength=n))
    n1 = np.cumsum(np.diff(M.indptr)[order]).astype(np.float64)
    chi = np.asarray(split_chi2(q[:-1], n1[:-1], float(M.nnz)))
    t = int(np.argmax(chi))
    return t + 1, float(chi[t])


def select_terms(
    M: sp.csr_matrix, in_group1: np.ndarray, *, cc_test: float = 0.3, tsj: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """Terms kept in each child (boolean masks over the columns of ``M``), rainette's ``select_features``.

    Per term, chi-square of its 1 x 2 row of the group x term table against the expected
    ``S_j N1 / N``, and contingency coefficient ``C = sqrt(chi2 / (chi2 + S_j))`` (REINERT.md 5.4): a term
    with ``C <= cc_test`` is kept in every child where it occurs at least ``tsj`` times; otherwise only
    in the child where it is over-represented, still with at least ``tsj`` occurrences.
    """
    a = np.asarray(M[in_group1].sum(axis=0)).ravel()
    s = np.asarray(M.sum(axis=0)).ravel()
    b = s - a
    total = s.sum()
    e1 = s * a.sum() / total
    e2 = s * b.sum() / total
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.nan_to_num((a - e1) ** 2 / e1) + np.nan_to_num((b - e2) ** 2 / e2)
        cc = np.sqrt(chi / (chi + s))
    low = cc <= cc_test
    keep1 = (a >= tsj) & (low | (a > e1))
    keep2 = (b >= tsj) & (low | (b > e2))
    return keep1, keep2
