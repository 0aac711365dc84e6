"""Betweenness centrality of an unweighted undirected graph with sparse-matrix breadth-first search.

Brandes' algorithm (Brandes 2001, "A faster algorithm for betweenness centrality", J. Math. Sociol.
25:163-177) run for a batch of sources at once: each BFS level is one sparse matrix product, so the
work is in C rather than in a Python loop over edges (networkx takes minutes on a dense forum graph).
With ``k`` sources drawn at random the result estimates the exact value (Brandes & Pich 2007,
"Centrality estimation in large networks"). Scaling matches networkx's ``normalized=True``.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def _edges(adjacency: sparse.csr_matrix) -> sparse.csr_matrix:
    """The 0/1 matrix of the edges (every non-zero), without self-loops."""
    # scipy-stubs declare no __ne__ for sparse matrices, so `!=` is typed as object's (bool); scipy returns a
    # boolean sparse matrix
    a = (adjacency != 0).astype(np.float64).tocsr()  # type: ignore[attr-defined]
    a.setdiag(0)
    a.eliminate_zeros()
    return a


def betweenness(adjacency: sparse.csr_matrix, *, k: int | None = None, seed: int = 0, batch: int = 128) -> np.ndarray:
    """Normalised betweenness of every node; ``adjacency`` is symmetric with non-zeros for edges."""
    n = adjacency.shape[0]
    a = _edges(adjacency)
    sources = np.arange(n) if k is None or k >= n else np.sort(np.random.default_rng(seed).choice(n, k, replace=False))
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = sources[start : start + batch]
        b = len(src)
        cols = np.arange(b)
        sigma = np.zeros((n, b))
        sigma[src, cols] = 1.0
        dist = np.full((n, b), -1, dtype=np.int64)
        dist[src, cols] = 0
        frontier = sigma > 0
        levels = [frontier]
        depth = 0
        while frontier.any():
            reached = a @ (sigma * frontier)
            new = (reached > 0) & (dist < 0)
            depth += 1
            sigma[new] = reached[new]
            dist[new] = depth
            frontier = new
            levels.append(new)
        delta = np.zeros((n, b))
        with np.errstate(divide="ignore", invalid="ignore"):
            for d in range(len(levels) - 1, 0, -1):
                coef = np.where(levels[d], (1.0 + delta) / sigma, 0.0)
                delta += levels[d - 1] * sigma * (a @ coef)
        delta[src, cols] = 0.0
        total += delta.sum(axis=1)
    if n <= 2:
        return total
    scale = 1.0 / ((n - 1) * (n - 2))
    return total * scale * (n / len(sources))


def core_numbers(adjacency: sparse.csr_matrix) -> np.ndarray:
    """Core number of every node (the largest k of a k-core holding it), by vectorised peeling.

    Same result as Batagelj & Zaversnik 2003 (networkx ``core_number``): for k = 1, 2, ... nodes of
    degree < k among the remaining ones are removed until none is left, each round one sparse product.
    """
    a = _edges(adjacency)
    n = a.shape[0]
    alive = np.ones(n, dtype=bool)
    core = np.zeros(n, dtype=np.int64)
    degree = np.asarray(a.sum(axis=1)).ravel()
    k = 0
    while alive.any():
        k += 1
        while True:
            drop = alive & (degree < k)
            if not drop.any():
                break
            alive[drop] = False
            core[drop] = k - 1
            degree -= a @ drop.astype(np.float64)
    return core
