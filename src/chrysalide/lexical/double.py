"""Double classification (Reinert 1990; rainette ``rainette2``, Barnier): stable crossed classes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chrysalide.lexical.crossing import best_disjoint_sets, membership, yates_chi2
from chrysalide.lexical.matrix import as_boolean
from chrysalide.lexical.reinert import ReinertClassifier
from chrysalide.lexical.switching import Switching

#: Largest ``max_k`` (``chrysalide lexical --double --max-k``): the search for the best disjoint crossed classes
#: (:func:`~chrysalide.lexical.crossing.best_disjoint_sets`) is exhaustive, and its time grows about fourfold with each
#: k. Fit time for max_k 5 to 11 on the demo corpus (6,000 messages, 7,286 segments): 0.4, 0.5, 0.5, 0.7, 1.7, 3.5
#: and 33 s; on 800 messages 0.2, 0.2, 0.3, 0.6, 1.7, 7.6 and 26 s, and 12 ran past 150 s; on 30,000 messages 5.7 s at
#: 10 and 18 s at 11. rainette2 defaults to 5 (Barnier), as does this class.
LARGEST_MAX_K = 10


class DoubleReinertClassifier:
    """Two simple classifications with different UC sizes, crossed (REINERT.md section 7.1).

    Learned: ``runs_`` (the two fitted ``ReinertClassifier``), ``crossed_`` (DataFrame of the retained
    crossed classes: name, level/class in each run, size, chi2), ``partitions_`` (k -> labels for the
    partition with the largest total chi-square, -1 = unassigned), ``partitions_n_`` (same for the
    largest total size, only when ``full``), ``clusters_`` (DataFrame: k, criterion, crossed classes,
    chi2, n), ``labels_`` (the chi2 partition with the most classes), ``max_k_`` (k actually reached).
    Rows unclassified by either run (empty rows) are left out of the crossing (REINERT.md pitfall 4).
    ``min_class_share`` is given to both runs (``ReinertClassifier``); ``outlier_`` marks the rows either
    run set aside.
    """

    def __init__(
        self,
        max_k: int = 5,
        *,
        min_segment_size1: int = 10,
        min_segment_size2: int = 15,
        min_members: int = 10,
        min_chi2: float = 3.84,
        full: bool = True,
        switching: Switching = "best",
        cc_test: float = 0.3,
        tsj: int = 3,
        min_class_share: float = 0.0,
    ) -> None:
        self.max_k = max_k
        self.min_segment_size1 = min_segment_size1
        self.min_segment_size2 = min_segment_size2
        self.min_members = min_members
        self.min_chi2 = min_chi2
        self.full = full
        self.switching = switching
        self.cc_test = cc_test
        self.tsj = tsj
        self.min_class_share = min_class_share

    def fit(
        self, X: Any, doc_id: Sequence[object] | np.ndarray, *, on_split: Callable[[int], None] | None = None
    ) -> DoubleReinertClassifier:
        """Run both classifications on ``X`` and select the best disjoint crossed classes for each k.

        ``on_split(n)`` counts the splits of both runs: at most ``max_k - 1`` each. ``max_k`` is from 2 to
        :data:`LARGEST_MAX_K` (a ValueError otherwise).
        """
        if not 2 <= self.max_k <= LARGEST_MAX_K:
            raise ValueError(f"max_k must be from 2 to {LARGEST_MAX_K} (LARGEST_MAX_K), got {self.max_k}")
        Xb = as_boolean(X)
        self.runs_ = [
            ReinertClassifier(
                self.max_k,
                min_segment_size=size,
                min_split_members=self.min_members,
                cc_test=self.cc_test,
                tsj=self.tsj,
                switching=self.switching,
                min_class_share=self.min_class_share,
            ).fit(Xb, doc_id, on_split=_after(on_split, run * (self.max_k - 1)))
            for run, size in enumerate((self.min_segment_size1, self.min_segment_size2))
        ]
        self.max_k_ = min(self.max_k, *(r.n_classes_ for r in self.runs_))
        self.outlier_ = self.runs_[0].outlier_ | self.runs_[1].outlier_
        n_rows = Xb.shape[0]
        self.partitions_: dict[int, np.ndarray] = {}
        self.partitions_n_: dict[int, np.ndarray] = {}
        self.crossed_ = pd.DataFrame(columns=["name", "level1", "class1", "level2", "class2", "size", "chi2"])
        self.clusters_ = pd.DataFrame(columns=["k", "criterion", "clusters", "chi2", "n"])
        self.labels_ = np.full(n_rows, -1, dtype=np.int64)
        if self.max_k_ < 2:
            return self
        universe = (self.runs_[0].labels_ >= 0) & (self.runs_[1].labels_ >= 0)
        runs = [{k: np.where(universe, lab, -1) for k, lab in r.levels_.items()} for r in self.runs_]
        (m1, names1), (m2, names2) = (membership(levels, self.max_k_) for levels in runs)
        both = (m1.T @ m2).toarray()
        n1, n2 = np.asarray(m1.sum(axis=0)).ravel(), np.asarray(m2.sum(axis=0)).ravel()
        chi = yates_chi2(both, n1[:, None], n2[None, :], float(universe.sum()))
        keep = (both > self.min_members) & (chi > self.min_chi2)
        pairs = np.argwhere(keep)  # row-major: run-1 candidate outer, run-2 inner
        members = sp.csc_matrix(m1[:, pairs[:, 0]].multiply(m2[:, pairs[:, 1]]))
        inter = (members.T @ members).toarray()
        size = np.diag(inter).copy()
        dup = (inter == size[:, None]) & (inter == size[None, :])
        first = np.array([int(np.argmax(dup[i])) == i for i in range(size.size)], dtype=bool)
        pairs, members, inter, size = pairs[first], members[:, first], inter[np.ix_(first, first)], size[first]
        weight = chi[pairs[:, 0], pairs[:, 1]] if pairs.size else np.zeros(0)
        if not self.full:
            mutual = self._mutual_best(pairs, weight)
            pairs, members, inter, size, weight = (
                pairs[mutual],
                members[:, mutual],
                inter[np.ix_(mutual, mutual)],
                size[mutual],
                weight[mutual],
            )
        if pairs.shape[0] < 2:
            raise ValueError("fewer than 2 crossed classes pass min_members and min_chi2: no double classification")
        self.crossed_ = pd.DataFrame(
            {
                "name": [f"{names1[a][0]}.{names1[a][1]}x{names2[b][0]}.{names2[b][1]}" for a, b in pairs],
                "level1": [names1[a][0] for a, _ in pairs],
                "class1": [names1[a][1] for a, _ in pairs],
                "level2": [names2[b][0] for _, b in pairs],
                "class2": [names2[b][1] for _, b in pairs],
                "size": size.astype(np.int64),
                "chi2": weight,
            }
        )
        self._select(members, inter == 0, weight, size.astype(np.float64), n_rows)
        if self.partitions_:
            self.labels_ = self.partitions_[max(self.partitions_)]
        return self

    def _select(
        self, members: sp.csc_matrix, compatible: np.ndarray, weight: np.ndarray, size: np.ndarray, n: int
    ) -> None:
        rows = []
        criteria = [("chi2", weight, size, self.partitions_)]
        if self.full:
            criteria.append(("n", size, weight, self.partitions_n_))
        for k in range(2, self.max_k_ + 1):
            for name, primary, second, store in criteria:
                chosen = best_disjoint_sets(primary, second, compatible, k)
                if chosen is None:
                    continue
                labels = np.full(n, -1, dtype=np.int64)
                for cls, cand in enumerate(chosen):
                    labels[members[:, cand].indices] = cls
                store[k] = labels
                names = self.crossed_["name"].iloc[np.asarray(chosen)].tolist()
                rows.append(
                    dict(
                        k=k,
                        criterion=name,
                        clusters=names,
                        chi2=float(weight[list(chosen)].sum()),
                        n=int(size[list(chosen)].sum()),
                    )
                )
        self.clusters_ = pd.DataFrame(rows, columns=["k", "criterion", "clusters", "chi2", "n"])

    @staticmethod
    def _mutual_best(pairs: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Pairs where each class is the other's highest-chi2 partner (rainette2 ``full = FALSE``)."""
        best1: dict[int, int] = {}
        best2: dict[int, int] = {}
        for i, (a, b) in enumerate(pairs):
            if a not in best1 or weight[i] > weight[best1[a]]:
                best1[int(a)] = i
            if b not in best2 or weight[i] > weight[best2[b]]:
                best2[int(b)] = i
        return np.array([best1[int(a)] == i and best2[int(b)] == i for i, (a, b) in enumerate(pairs)], dtype=bool)


def _after(on_split: Callable[[int], None] | None, before: int) -> Callable[[int], None] | None:
    """``on_split`` counting on from ``before`` splits: the second run's after the first's."""
    if on_split is None:
        return None
    return lambda n: on_split(before + n)
