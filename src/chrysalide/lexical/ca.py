"""Correspondence analysis of a small contingency table (classes x terms) for the CA map.

Benzécri J.-P. (1973) L'analyse des données, t. 2; Greenacre M. (2007) Correspondence Analysis in
Practice. IRaMuTeQ's map after a CHD analyses the class x term table of segment counts (variant A,
REINERT.md pitfall 12); this does the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.lexical.keyness import _indicator, classified
from chrysalide.lexical.matrix import boolean_view


def correspondence_analysis(table: np.ndarray, n_axes: int = 3) -> dict[str, np.ndarray]:
    """Principal coordinates of rows and columns, eigenvalues and inertia shares of a dense table.

    Empty rows/columns get NaN coordinates. SVD of the standardised residuals
    ``(P - r c') / sqrt(r c')``; principal coordinates ``D_r^-1/2 U S`` and ``D_c^-1/2 V S``.
    """
    t = np.asarray(table, dtype=np.float64)
    P = t / t.sum()
    r, c = P.sum(axis=1), P.sum(axis=0)
    rows, cols = r > 0, c > 0
    sub, rs, cs = P[np.ix_(rows, cols)], r[rows], c[cols]
    Z = (sub - np.outer(rs, cs)) / np.sqrt(np.outer(rs, cs))
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    axes = min(n_axes, int((s > 1e-10 * max(s[0], 1e-300)).sum()) if s.size else 0)  # drop null axes
    row_coord = np.full((t.shape[0], n_axes), np.nan)
    col_coord = np.full((t.shape[1], n_axes), np.nan)
    row_coord[rows, :axes] = U[:, :axes] * s[:axes] / np.sqrt(rs)[:, None]
    col_coord[cols, :axes] = Vt[:axes].T * s[:axes] / np.sqrt(cs)[:, None]
    eig = s**2
    return dict(rows=row_coord, columns=col_coord, eigenvalues=eig[:axes], inertia_share=eig[:axes] / eig.sum())


def ca_map(X: Any, labels: np.ndarray, terms: Sequence[str], n_axes: int = 3) -> pd.DataFrame:
    """Tidy CA coordinates of classes and terms: kind ('class' / 'term'), label, axis1..axisN."""
    labels = np.asarray(labels)
    ind, levels = _indicator(classified(labels))
    table = np.asarray((ind @ boolean_view(X)).todense())
    res = correspondence_analysis(table, n_axes)
    coords = np.vstack([res["rows"], res["columns"]])
    frame = pd.DataFrame(coords, columns=[f"axis{i + 1}" for i in range(n_axes)])
    frame.insert(0, "label", [str(v) for v in levels] + list(terms))
    frame.insert(0, "kind", ["class"] * len(levels) + ["term"] * len(terms))
    return frame
