"""DoubleReinertClassifier: crossed classes, Yates chi-square, disjoint-set search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats
from test_reinert import digest, seeded_corpus

from chrysalide.lexical import DoubleReinertClassifier
from chrysalide.lexical.crossing import best_disjoint_sets, yates_chi2
from chrysalide.lexical.double import LARGEST_MAX_K


def topics(n_docs: int = 150, seed: int = 1) -> tuple[sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows, cols, docs = [], [], []
    for d in range(n_docs):
        topic = d % 3
        for _ in range(3):
            terms = topic * 20 + rng.choice(20, 6, replace=False)
            noise = rng.choice(60, 1)
            i = len(docs)
            rows += [i] * 7
            cols += list(terms) + list(noise)
            docs.append(d)
    X = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(docs), 60))
    return X, np.array(docs)


def test_yates_matches_scipy() -> None:
    for a, r, c, n in [(30, 50, 40, 200), (2, 10, 30, 100), (12, 12, 12, 24)]:
        table = np.array([[a, r - a], [c - a, n - r - c + a]])
        ref = stats.chi2_contingency(table, correction=True).statistic
        ours = yates_chi2(np.array([a]), np.array([r]), np.array([c]), n)[0]
        assert np.isclose(abs(ours), ref)
        assert (ours < 0) == (a < r * c / n)


def test_best_disjoint_sets_brute_force() -> None:
    rng = np.random.default_rng(0)
    m = 9
    weight, second = rng.random(m) * 10, rng.integers(1, 50, m).astype(float)
    compatible = rng.random((m, m)) < 0.6
    compatible = compatible & compatible.T
    np.fill_diagonal(compatible, False)
    for k in (2, 3, 4):
        sets = [
            s
            for s in itertools.combinations(range(m), k)
            if all(compatible[i, j] for i, j in itertools.combinations(s, 2))
        ]
        expected = max(sets, key=lambda s: (weight[list(s)].sum(), second[list(s)].sum())) if sets else None
        assert best_disjoint_sets(weight, second, compatible, k) == expected


@pytest.mark.parametrize("max_k", [1, LARGEST_MAX_K + 1])
def test_max_k_out_of_range_is_refused(max_k: int) -> None:
    """The crossing's search is exhaustive: max_k 12 ran past two minutes on 800 messages."""
    X, docs = topics()
    with pytest.raises(ValueError, match=f"max_k must be from 2 to {LARGEST_MAX_K}"):
        DoubleReinertClassifier(max_k=max_k).fit(X, docs)


@pytest.mark.filterwarnings("ignore:.*context units have fewer")
def test_double_classification_recovers_topics() -> None:
    X, docs = topics()
    model = DoubleReinertClassifier(max_k=3, min_segment_size1=10, min_segment_size2=15).fit(X, docs)
    assert set(model.partitions_) == {2, 3} and set(model.partitions_n_) == {2, 3}
    labels = model.partitions_[3]
    truth = docs % 3
    for cls in range(3):  # each selected crossed class is pure
        assert np.unique(truth[labels == cls]).size == 1
    assert (model.crossed_["chi2"] > 3.84).all() and (model.crossed_["size"] > 10).all()
    chosen = model.clusters_[(model.clusters_["k"] == 3) & (model.clusters_["criterion"] == "chi2")]
    assert chosen["n"].iloc[0] == int((labels >= 0).sum())
    again = DoubleReinertClassifier(max_k=3).fit(X, docs)
    assert np.array_equal(again.labels_, model.labels_)
    classical = DoubleReinertClassifier(max_k=3, full=False).fit(X, docs)
    assert classical.partitions_n_ == {} and len(classical.crossed_) <= len(model.crossed_)


@pytest.mark.filterwarnings("ignore:.*context units have fewer")
def test_regression_pinned_partitions() -> None:
    """Partitions of the first implementation on the seeded 2,000-segment corpus of test_reinert."""
    X, doc = seeded_corpus()
    model = DoubleReinertClassifier(max_k=5).fit(X, doc)
    assert {k: digest(v) for k, v in model.partitions_.items()} == {
        2: "095a0ff22af4fcfa",
        3: "863223bd656051ab",
        4: "354f64d54e42f69e",
        5: "bfc9e2169311f4de",
    }
    assert {k: digest(v) for k, v in model.partitions_n_.items()} == {
        2: "095a0ff22af4fcfa",
        3: "c08396200b967222",
        4: "ec79292ec79d7122",
        5: "194e0f8f8f33c536",
    }
