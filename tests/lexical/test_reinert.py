"""ReinertClassifier: known splits, determinism, partition properties, merging of short segments."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.lexical import ReinertClassifier, build_matrix, merge_segments


def two_vocabularies(n: int = 120, seed: int = 0) -> tuple[sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    texts, truth = [], []
    for i in range(n):
        prefix = "a" if i % 3 else "b"
        texts.append(" ".join(f"{prefix}{j}" for j in rng.choice(15, 5, replace=False)))
        truth.append(prefix == "a")
    X, _ = build_matrix(texts)
    return X, np.array(truth)


@pytest.mark.parametrize("switching", ["best", "rainette", "none"])
def test_two_disjoint_vocabularies_give_two_exact_classes(switching: str) -> None:
    X, truth = two_vocabularies()
    model = ReinertClassifier(k=2, switching=switching).fit(X)
    assert model.n_classes_ == 2
    assert set(model.labels_.tolist()) == {0, 1}
    same = model.labels_ == model.labels_[0]
    assert np.array_equal(same, truth == truth[0])
    # a perfect split of a 2 x p table of summed presences has chi2 = N (Cramér's V = 1)
    assert model.splits_[0]["chi2"] == pytest.approx(X.nnz)


def test_determinism_and_levels() -> None:
    rng = np.random.default_rng(5)
    X = sp.random(400, 60, density=0.08, random_state=rng, format="csr")
    a = ReinertClassifier(k=6).fit(X)
    b = ReinertClassifier(k=6).fit(X.copy())
    assert all(np.array_equal(a.levels_[k], b.levels_[k]) for k in a.levels_)
    assert a.splits_ == b.splits_
    assert sorted(a.levels_) == list(range(1, a.n_classes_ + 1))
    for k in range(2, a.n_classes_ + 1):  # each level refines the previous one
        prev, cur = a.levels_[k - 1], a.levels_[k]
        for c in np.unique(cur[cur >= 0]):
            assert np.unique(prev[cur == c]).size == 1
    assert len(a.tree_) == 2 * a.n_classes_ - 1
    assert a.heights_.shape == (a.n_classes_ - 1,)


def test_empty_rows_are_unclassified_and_min_split_members_stops() -> None:
    X, _ = two_vocabularies(60)
    X = sp.vstack([X, sp.csr_matrix((3, X.shape[1]))]).tocsr()
    model = ReinertClassifier(k=10, min_split_members=1000).fit(X)
    assert model.n_classes_ == 1
    assert (model.labels_[-3:] == -1).all() and (model.labels_[:-3] == 0).all()
    model = ReinertClassifier(k=3).fit(X)
    assert (model.labels_[-3:] == -1).all()


@st.composite
def sparse_inputs(draw: st.DrawFn) -> sp.csr_matrix:
    n, p = draw(st.integers(5, 60)), draw(st.integers(3, 20))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    return sp.csr_matrix(rng.random((n, p)) < draw(st.floats(0.05, 0.5)))


@settings(max_examples=40, deadline=None)
@given(sparse_inputs(), st.integers(1, 6), st.sampled_from(["best", "rainette"]))
def test_partition_properties(X: sp.csr_matrix, k: int, switching: str) -> None:
    model = ReinertClassifier(k=k, switching=switching, min_split_members=3).fit(X)
    empty = np.asarray(X.sum(axis=1)).ravel() == 0
    assert (model.labels_[empty] == -1).all()
    for level, labels in model.levels_.items():
        assert labels.shape == (X.shape[0],)
        used = labels[labels >= 0]
        if X.nnz == 0:  # nothing to classify
            assert used.size == 0
        else:
            assert set(used.tolist()) == set(range(level))  # no empty class, classes 0..level-1
    for split in model.splits_:
        assert min(split["sizes"]) >= 1
        assert split["chi2_true"] >= split["chi2_cut"] - 1e-7 or switching == "rainette"


@settings(max_examples=30, deadline=None)
@given(sparse_inputs())
def test_best_split_never_below_rainette(X: sp.csr_matrix) -> None:
    best = ReinertClassifier(k=2, min_split_members=3).fit(X)
    rain = ReinertClassifier(k=2, min_split_members=3, switching="rainette").fit(X)
    if best.splits_ and rain.splits_:
        assert best.splits_[0]["chi2_true"] >= rain.splits_[0]["chi2_true"] - 1e-7


# REINERT.md section 4: sizes = distinct retained terms of each segment; min_segment_size = 10
@pytest.mark.parametrize(
    ("sizes", "docs", "expected"),
    [
        ([4, 4, 4, 12], ["a", "a", "a", "a"], [0, 0, 0, 1]),  # absorb until 12 >= 10
        ([12, 3, 3], ["a", "a", "a"], [0, 0, 0]),  # under-size tail joins the previous UC of its document
        ([3, 12, 3], ["a", "b", "b"], [0, 1, 1]),  # one-segment document stays alone (warned)
        ([5, 5, 5, 5], ["a", "a", "b", "b"], [0, 0, 1, 1]),  # never across documents
        ([12, 3, 12, 3], ["a", "b", "a", "b"], [0, 1, 2, 1]),  # interleaved: tail joins the earlier UC of b
    ],
)
def test_merge_segments_examples(sizes: list[int], docs: list[str], expected: list[int]) -> None:
    uc = merge_segments(np.array(sizes), docs, 10)
    assert uc.tolist() == expected


def test_merge_nothing_when_min_size_at_most_one() -> None:
    assert merge_segments(np.array([1, 0, 2]), ["a", "a", "a"], 1).tolist() == [0, 1, 2]


def test_segments_inherit_their_uc_class() -> None:
    X, truth = two_vocabularies(90)
    docs = np.repeat(np.arange(45), 2)
    with pytest.warns(UserWarning, match="fewer than"):
        model = ReinertClassifier(k=2, min_segment_size=12).fit(X, docs)
    assert model.uc_.max() < 90
    for uc in np.unique(model.uc_):
        assert np.unique(model.labels_[model.uc_ == uc]).size == 1
    with pytest.raises(ValueError, match="doc_id"):
        ReinertClassifier(min_segment_size=5).fit(X)
