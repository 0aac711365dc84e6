"""Simple descending hierarchical classification of Reinert (Alceste), on sparse matrices.

Reinert M. (1983) "Une méthode de classification descendante hiérarchique : application à l'analyse
lexicale par contexte", Cahiers de l'analyse des données 8(2); Reinert M. (1990) "Alceste, une
méthodologie d'analyse des données textuelles", Bulletin de Méthodologie Sociologique 26. The loop,
defaults and outputs follow rainette (J. Barnier) as described in REINERT.md section 6; IRaMuTeQ
(P. Ratinaud) differs in details listed there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from chrysalide.lexical.matrix import boolean_view
from chrysalide.lexical.merge import group_rows, merge_segments, warn_small
from chrysalide.lexical.split import best_cut, first_axis, select_terms
from chrysalide.lexical.switching import Switching, switch_rows


def _submatrix(X: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    """Rows and columns of ``X`` (sorted indices); ``X`` itself when they are all of it, in order."""
    if rows.size == X.shape[0] and cols.size == X.shape[1] and X.has_sorted_indices:
        if np.array_equal(rows, np.arange(rows.size)) and np.array_equal(cols, np.arange(cols.size)):
            return X
    M = sp.csr_matrix(X[rows][:, cols])
    M.sort_indices()
    return M


@dataclass
class _Class:
    rows: np.ndarray  # UC indices, in the order rainette keeps them (matters for ties)
    cols: np.ndarray  # term indices still active in this class
    node: int


class ReinertClassifier:
    """Divisive classification: split the largest class ``k - 1`` times (REINERT.md sections 4-6).

    Learned attributes: ``labels_`` (class of each row at the last level, -1 = unclassifiable),
    ``levels_`` (number of classes -> labels), ``splits_`` (one dict per split), ``tree_`` (one dict per
    dendrogram node: parent, children, size, split chi-square), ``children_`` (node ids of the two
    children of each split), ``leaf_nodes_`` (node of each final class), ``uc_`` (UC of each row),
    ``outliers_`` (one dict per group of rows set aside, below), ``outlier_`` (rows set aside),
    ``n_classes_``. Classes are numbered left to right (low CA side first), as in rainette.

    ``min_class_share`` (0 = off, rainette's behaviour): a split whose smaller side holds fewer UCs than
    this share of the classifiable UCs does not make a class; that side is set aside as lexical outliers
    (unclassified at every level) and the other side is split again, at most ``max_outlier_groups`` times.
    On short forum posts a handful of segments whose words occur nowhere else in the class separates
    perfectly (the split's chi-square then reaches its maximum, N), so without this rule splits peel off
    tiny groups one after another (REINERT.md pitfall 5). IRaMuTeQ drops its terminal classes below a
    minimum size after the classification (``mincl``, Ratinaud); setting the tiny side aside during the
    descent spends the ``k - 1`` splits on classes of a size a reader can interpret.
    """

    def __init__(
        self,
        k: int = 10,
        *,
        min_segment_size: int = 0,
        min_split_members: int = 5,
        cc_test: float = 0.3,
        tsj: int = 3,
        switching: Switching = "best",
        min_class_share: float = 0.0,
        max_outlier_groups: int = 100,
    ) -> None:
        self.k = k
        self.min_segment_size = min_segment_size
        self.min_split_members = min_split_members
        self.cc_test = cc_test
        self.tsj = tsj
        self.switching = switching
        self.min_class_share = min_class_share
        self.max_outlier_groups = max_outlier_groups

    def fit(
        self,
        X: Any,
        doc_id: Sequence[object] | np.ndarray | None = None,
        *,
        on_split: Callable[[int], None] | None = None,
    ) -> ReinertClassifier:
        """Classify the rows of ``X`` (segments x terms, any non-zero = present).

        ``on_split(n)`` is called after each split with the number of splits made (at most ``k - 1``).
        """
        if self.k < 1:
            raise ValueError(f"k must be >= 1, got {self.k}")
        if self.switching not in ("best", "rainette", "none"):
            raise ValueError(f"switching must be 'best', 'rainette' or 'none', got {self.switching!r}")
        if not 0.0 <= self.min_class_share < 0.5:
            raise ValueError(f"min_class_share must be in [0, 0.5), got {self.min_class_share}")
        Xb = boolean_view(X)  # read only: no copy of a canonical 0/1 matrix
        n = Xb.shape[0]
        if self.min_segment_size > 1 and doc_id is None:
            raise ValueError("min_segment_size > 1 needs doc_id (the source document of each row)")
        sizes = np.diff(Xb.indptr)
        self.uc_ = merge_segments(sizes, doc_id if doc_id is not None else np.zeros(n), self.min_segment_size)
        U = group_rows(Xb, self.uc_) if self.min_segment_size > 1 else Xb
        warn_small(U, self.min_segment_size)
        min_members = max(3, self.min_split_members)
        empty_uc = np.diff(U.indptr) == 0
        classes = [_Class(np.arange(U.shape[0]), np.arange(U.shape[1]), 0)]
        self.tree_: list[dict[str, Any]] = [
            dict(node=0, parent=-1, children=(), size=int((~empty_uc).sum()), chi2=None)
        ]
        self.splits_: list[dict[str, Any]] = []
        self.children_: list[tuple[int, int]] = []
        self.outliers_: list[dict[str, Any]] = []
        outlier = np.zeros(U.shape[0], dtype=bool)
        min_rows = int(np.ceil(self.min_class_share * int((~empty_uc).sum())))
        uc_levels = {1: self._labels(classes, U.shape[0], empty_uc)}
        while len(classes) < self.k:
            big = int(np.argmax([len(c.rows) for c in classes]))
            target = classes[big]
            if len(target.rows) < min_members or len(target.rows) < 3 or len(target.cols) < 3:
                break
            split = self._split(U, target)
            if split is None:
                break
            kids, record = split
            small = [len(kid.rows) < min_rows for kid in kids]
            if all(small):
                break  # the largest class cannot be cut into two classes of the minimum size
            if any(small):
                if len(self.outliers_) >= self.max_outlier_groups:
                    break
                kept, aside = (kids[1], kids[0]) if small[0] else (kids[0], kids[1])
                outlier[aside.rows] = True
                self.outliers_.append(dict(node=target.node, rows=len(aside.rows), chi2=record["chi2"]))
                classes[big] = _Class(kept.rows, kept.cols, target.node)
                continue
            self._record(target, big, kids, record)
            classes[big : big + 1] = kids
            uc_levels[len(classes)] = self._labels(classes, U.shape[0], empty_uc)
            if on_split is not None:
                on_split(len(classes) - 1)
        for lab in uc_levels.values():
            lab[outlier] = -1  # lexical outliers are unclassified at every level
        self.outlier_ = outlier[self.uc_]
        self.levels_ = {k: lab[self.uc_] for k, lab in uc_levels.items()}
        self.n_classes_ = len(classes)
        self.labels_ = self.levels_[self.n_classes_]
        self.leaf_nodes_ = [c.node for c in classes]
        return self

    def _split(self, U: sp.csr_matrix, target: _Class) -> tuple[list[_Class], dict[str, Any]] | None:
        """The two children of ``target`` (node ids not yet given) and the split's record, or None."""
        M = _submatrix(U, target.rows, target.cols)
        live_rows = np.flatnonzero(np.diff(M.indptr) > 0)
        live_cols = np.flatnonzero(np.bincount(M.indices, minlength=M.shape[1]) > 0)
        if live_rows.size < 2 or live_cols.size < 2:
            return None
        if live_rows.size < M.shape[0] or live_cols.size < M.shape[1]:
            M = _submatrix(M, live_rows, live_cols)  # the class's matrix is dropped: one copy alive at a time
        order = np.argsort(first_axis(M), kind="stable")
        cut, chi2_cut = best_cut(M, order)
        res = switch_rows(M, order, cut, chi2_cut, self.switching)
        in1 = np.zeros(M.shape[0], dtype=bool)
        in1[res.group1] = True
        keep1, keep2 = select_terms(M, in1, cc_test=self.cc_test, tsj=self.tsj)
        rows, cols = target.rows[live_rows], target.cols[live_cols]
        kids = [_Class(rows[res.group1], cols[keep1], -1), _Class(rows[res.group2], cols[keep2], -1)]
        record = dict(
            n_rows=int(M.shape[0]),
            n_terms=int(M.shape[1]),
            sizes=(len(res.group1), len(res.group2)),
            chi2_cut=chi2_cut,
            chi2=res.chi2,
            chi2_true=res.chi2_true,
            passes=res.passes,
            terms_kept=(int(keep1.sum()), int(keep2.sum())),
        )
        return kids, record

    def _record(self, target: _Class, position: int, kids: list[_Class], record: dict[str, Any]) -> None:
        """Number the children's nodes and add the split to ``tree_``, ``children_`` and ``splits_``."""
        base = len(self.tree_)
        for i, kid in enumerate(kids):
            kid.node = base + i
            self.tree_.append(dict(node=kid.node, parent=target.node, children=(), size=len(kid.rows), chi2=None))
        self.tree_[target.node].update(children=(base, base + 1), chi2=record["chi2"])
        self.children_.append((base, base + 1))
        self.splits_.append(dict(parent=position, node=target.node, **record))

    @staticmethod
    def _labels(classes: list[_Class], n_uc: int, empty_uc: np.ndarray) -> np.ndarray:
        labels = np.full(n_uc, -1, dtype=np.int64)
        for i, c in enumerate(classes):
            labels[c.rows] = i
        labels[empty_uc] = -1  # a UC without any retained term cannot be classified
        return labels

    @property
    def heights_(self) -> np.ndarray:
        """Dendrogram heights as rainette's hclust: cumulative split chi-squares from the last split back."""
        return np.cumsum([s["chi2"] for s in reversed(self.splits_)])
