"""Merge short segments of the same document into context units (UC), as rainette's ``min_segment_size``."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp


def merge_segments(sizes: np.ndarray, doc_id: Sequence[object] | np.ndarray, min_segment_size: int) -> np.ndarray:
    """UC index of every segment (REINERT.md section 4; rainette ``compute_uc``, Barnier).

    Segments are walked in corpus order; a UC starting at segment ``i`` absorbs the following segments
    of the same document while the sum of their sizes (distinct retained terms per segment) is below
    ``min_segment_size``. When the document ends first, the whole under-size UC joins the previous UC
    of that document, if there is one. UC indices are 0-based and increase in corpus order.
    """
    n = len(sizes)
    if len(doc_id) != n:
        raise ValueError(f"doc_id has {len(doc_id)} entries for {n} segments")
    if min_segment_size <= 1 or n == 0 or bool(np.all(sizes >= min_segment_size)):
        return np.arange(n, dtype=np.int64)
    docs = list(doc_id)
    start = np.arange(n, dtype=np.int64)  # UC of a segment, named by its first segment
    last_start: dict[object, int] = {}  # most recent UC start per document
    i = 0
    while i < n:
        size = int(sizes[i])
        j = i
        while size < min_segment_size:
            if j + 1 < n and docs[j + 1] == docs[j]:
                j += 1
                size += int(sizes[j])
                start[j] = i
            else:
                prev = last_start.get(docs[i])
                if prev is not None:
                    start[i : j + 1] = prev
                break
        if start[i] == i:
            last_start[docs[i]] = i
        i = j + 1
    _, uc = np.unique(start, return_inverse=True)
    return uc.astype(np.int64)


def group_rows(X: sp.csr_matrix, uc: np.ndarray) -> sp.csr_matrix:
    """Boolean OR of the rows of each UC (``dfm_group`` then boolean)."""
    n_uc = int(uc.max()) + 1 if uc.size else 0
    grouping = sp.csr_matrix((np.ones(uc.size), (uc, np.arange(uc.size))), shape=(n_uc, uc.size))
    out = sp.csr_matrix(grouping @ X)
    out.data[:] = 1.0
    out.sort_indices()
    return out


def warn_small(U: sp.csr_matrix, min_segment_size: int) -> None:
    """Warn, as rainette does, when some UC stays below the minimum (short one-segment documents)."""
    if min_segment_size > 1:
        small = int(np.count_nonzero(np.diff(U.indptr) < min_segment_size))
        if small:
            warnings.warn(f"{small} context units have fewer than {min_segment_size} terms", stacklevel=3)
