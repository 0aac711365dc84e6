"""A new classification of the analysed segments: simple or double, of all of them or of a seeded sample."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import scipy.sparse as sp

from chrysalide.errors import ConfigError
from chrysalide.lexical import tables
from chrysalide.lexical.double import DoubleReinertClassifier
from chrysalide.lexical.reinert import ReinertClassifier
from chrysalide.lexical.switching import Switching
from chrysalide.lexical.update import Partition

if TYPE_CHECKING:
    from chrysalide.lexical.step import LexicalParams


def sample_rows(message_id: np.ndarray, sample: int, seed: int) -> np.ndarray:
    """Row indices of a seeded random sample of whole messages totalling at least ``sample`` segments.

    Whole messages, so that merging short segments (``min_segment_size``) joins the same neighbours
    as on the full corpus; indices come back in corpus order.
    """
    ids, first, counts = np.unique(message_id, return_index=True, return_counts=True)
    if counts.sum() <= sample:
        return np.arange(message_id.size)
    order = np.random.default_rng(seed).permutation(ids.size)
    take = order[: int(np.searchsorted(np.cumsum(counts[order]), sample)) + 1]
    rows = np.concatenate([np.arange(first[i], first[i] + counts[i]) for i in np.sort(take)])
    return rows.astype(np.int64)


def _model(params: LexicalParams) -> ReinertClassifier | DoubleReinertClassifier:
    switching = cast(Switching, params.switching)  # a plain word in LexicalParams, which checks it is one of these
    if params.double:
        return DoubleReinertClassifier(
            params.max_k,
            min_segment_size1=params.min_segment_size1,
            min_segment_size2=params.min_segment_size2,
            switching=switching,
            cc_test=params.cc_test,
            tsj=params.tsj,
            min_class_share=params.min_class_share,
        )
    return ReinertClassifier(
        params.k, min_segment_size=params.min_segment_size, min_split_members=params.min_split_members,
        cc_test=params.cc_test, tsj=params.tsj, switching=switching, min_class_share=params.min_class_share,
    )  # fmt: skip


def fit_rows(
    X: sp.csr_matrix,
    doc_id: np.ndarray,
    rows: np.ndarray,
    params: LexicalParams,
    on_split: Callable[[int], None] | None = None,
) -> tuple[ReinertClassifier | DoubleReinertClassifier, dict[int, np.ndarray], list[str]]:
    """Fit on ``rows`` and return the model, labels of every segment per level, and caught warnings.

    ``on_split(n)``: the classifier's count of the splits made so far.
    """
    model: Any = _model(params)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.fit(X[rows], doc_id[rows], on_split=on_split)
        except ValueError as exc:
            if not params.double:
                raise
            raise ConfigError(
                f"double classification: {exc} (lower --min-segment-size1/2 or --max-k, or use the simple one)"
            ) from exc
    levels = dict(model.partitions_ if params.double else model.levels_)
    if rows.size < X.shape[0]:
        levels = {k: tables.assign_nearest(X, rows, lab) for k, lab in levels.items()}
    return model, levels, sorted({str(w.message) for w in caught})


def fit_all(
    X: sp.csr_matrix, doc_id: np.ndarray, params: LexicalParams, on_split: Callable[[int], None] | None = None
) -> Partition:
    """A new classification of every segment (or of the ``sample``, the others assigned)."""
    rows = sample_rows(doc_id, params.sample, params.seed) if params.sample else np.arange(X.shape[0])
    model, levels, caught = fit_rows(X, doc_id, rows, params, on_split)
    if not levels:
        raise ConfigError("the classification found fewer than 2 classes: lower --min-docfreq or the UC sizes")
    sampled = np.zeros(X.shape[0], dtype=bool)
    sampled[rows] = True
    outlier = np.zeros(X.shape[0], dtype=bool)
    outlier[rows] = model.outlier_
    classes = (
        tables.double_table(model, levels)
        if isinstance(model, DoubleReinertClassifier)
        else tables.tree_table(model, levels)
    )
    splits = list(getattr(model, "splits_", []))
    partition = Partition(levels[max(levels)], sampled, classes, splits, warnings=caught)
    partition.left_out[outlier] = "outlier"
    partition.outlier_groups = [g["rows"] for g in getattr(model, "outliers_", [])]
    return partition
