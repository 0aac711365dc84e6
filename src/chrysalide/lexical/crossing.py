"""Crossed classes of two simple classifications and the best sets of disjoint crossed classes.

Reinert (1990) keeps only the classes that two classifications with different context-unit sizes
agree on; this follows rainette's ``rainette2`` (Barnier; REINERT.md section 7.1): candidate classes
are every class of every level of both trees, association measured by a Yates-corrected 2 x 2
chi-square, and for each number of classes the set of pairwise-disjoint crossed classes with the
largest total chi-square (or total size) is chosen.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def yates_chi2(a: np.ndarray, row: np.ndarray, col: np.ndarray, n: float) -> np.ndarray:
    """Signed chi-square of 2 x 2 tables with R ``chisq.test``'s Yates correction ``min(0.5, |O - E|)``.

    ``a`` = count in both, ``row``/``col`` = margins of the first row/column, ``n`` = total. In a 2 x 2
    table ``|O - E|`` is the same in the four cells; the sign is negative when ``a`` is below expectation.
    """
    a, row, col = (np.asarray(v, dtype=np.float64) for v in (a, row, col))
    e = np.stack([row * col, row * (n - col), (n - row) * col, (n - row) * (n - col)]) / n
    dev = np.abs(a - e[0])
    corrected = dev - np.minimum(0.5, dev)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where(e > 0, corrected**2 / e, 0.0).sum(axis=0)
    return np.where(a < e[0], -chi, chi)


def membership(levels: dict[int, np.ndarray], max_k: int) -> tuple[sp.csc_matrix, list[tuple[int, int]]]:
    """Rows x candidate classes (level 2..max_k, class) indicator matrix; -1 labels belong to none."""
    blocks: list[sp.csc_matrix] = []
    names: list[tuple[int, int]] = []
    for k in range(2, max_k + 1):
        lab = levels[k]
        ok = lab >= 0
        blocks.append(sp.csc_matrix((np.ones(int(ok.sum())), (np.flatnonzero(ok), lab[ok])), shape=(lab.size, k)))
        names.extend((k, c) for c in range(k))
    return sp.csc_matrix(sp.hstack(blocks)), names


def best_disjoint_sets(
    weight: np.ndarray, second: np.ndarray, compatible: np.ndarray, k: int
) -> tuple[int, ...] | None:
    """The set of ``k`` pairwise-compatible candidates maximising (sum weight, sum second), or None.

    Exhaustive like rainette's enumeration but depth-first with a bound (current sum plus the ``r``
    largest remaining weights); among exact ties the lexicographically first index set wins. Weights
    must be non-negative. Its time still grows about fourfold with each ``k``, hence
    :data:`chrysalide.lexical.double.LARGEST_MAX_K`.
    """
    m = weight.size
    best: list[object] = [(-np.inf, -np.inf), None]
    idx_all = np.arange(m)

    def visit(chosen: tuple[int, ...], allowed: np.ndarray, score: tuple[float, float]) -> None:
        need = k - len(chosen)
        if need == 0:
            if score > best[0]:  # type: ignore[operator]
                best[0], best[1] = score, chosen
            return
        idx = idx_all[allowed]
        if idx.size < need:
            return
        bound = score[0] + np.sort(weight[idx])[-need:].sum()
        top = best[0][0]  # type: ignore[index]
        if bound < top - 1e-9 * max(1.0, abs(top)):
            return
        for i in idx:
            nxt = allowed & compatible[i]
            nxt[: i + 1] = False
            visit(chosen + (int(i),), nxt, (score[0] + weight[i], score[1] + second[i]))

    visit((), np.ones(m, dtype=bool), (0.0, 0.0))
    return best[1]  # type: ignore[return-value]
