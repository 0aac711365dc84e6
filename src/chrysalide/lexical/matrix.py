"""Boolean segment x term matrix from the stored active lemmas of each segment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp


def build_matrix(
    term_strings: Sequence[str | None], *, min_docfreq: int = 1, max_terms: int | None = None
) -> tuple[sp.csr_matrix, list[str]]:
    """Presence/absence matrix of segments x terms, as Alceste and rainette classify (REINERT.md section 3).

    Each string holds the space-separated active lemmas of one segment (the ``segments.terms`` column);
    a term present several times counts once. Terms found in fewer than ``min_docfreq`` segments are
    dropped (rainette's vignette uses ``dfm_trim(min_docfreq = 10)``); ``max_terms`` then keeps the most
    frequent ones (IRaMuTeQ's ``max_actives``), ties broken alphabetically so the result is deterministic.
    The vocabulary is returned in alphabetical order; rows keep the input order, possibly empty.
    """
    if min_docfreq < 1:
        raise ValueError(f"min_docfreq must be >= 1, got {min_docfreq}")
    if max_terms is not None and max_terms < 1:
        raise ValueError(f"max_terms must be >= 1 or None, got {max_terms}")
    index: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for text in term_strings:
        # set(): presence only; str.split() with no argument also absorbs tabs/newlines of hostile input
        for term in set(text.split()) if text else ():
            indices.append(index.setdefault(term, len(index)))
        indptr.append(len(indices))
    cols = np.asarray(indices, dtype=np.int64)
    docfreq = np.bincount(cols, minlength=len(index))
    names = np.array(list(index), dtype=object)
    keep = np.flatnonzero(docfreq >= min_docfreq)
    if max_terms is not None and keep.size > max_terms:
        # sort by (-docfreq, term) and keep the head
        order = sorted(keep.tolist(), key=lambda j: (-int(docfreq[j]), names[j]))
        keep = np.asarray(order[:max_terms], dtype=np.int64)
    kept_names = names[keep]
    alpha = np.argsort(kept_names.astype(str), kind="stable")
    keep = keep[alpha]
    remap = np.full(len(index), -1, dtype=np.int64)
    remap[keep] = np.arange(keep.size)
    new_cols = remap[cols]
    row_of = np.repeat(np.arange(len(indptr) - 1), np.diff(np.asarray(indptr)))
    mask = new_cols >= 0
    mat = sp.csr_matrix((np.ones(int(mask.sum())), (row_of[mask], new_cols[mask])), shape=(len(indptr) - 1, keep.size))
    mat.sort_indices()
    return mat, [str(t) for t in names[keep]]


def as_boolean(X: sp.spmatrix | sp.sparray | np.ndarray) -> sp.csr_matrix:
    """A CSR copy with every non-zero set to 1.0, explicit zeros removed and indices sorted."""
    mat = sp.csr_matrix(X, dtype=np.float64, copy=True)
    mat.eliminate_zeros()
    mat.data[:] = 1.0
    mat.sum_duplicates()
    mat.data[:] = 1.0
    mat.sort_indices()
    return mat
