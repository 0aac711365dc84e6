"""ReinertClassifier: known splits, determinism, partition properties, merging of short segments."""

from __future__ import annotations

import hashlib

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


def seeded_corpus(
    n: int = 2000, p: int = 600, topics: int = 5, seed: int = 20240611
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Zipfian topic-structured segments (8-15 terms each, 1-5 segments per document), as the benchmark."""
    rng = np.random.default_rng(seed)
    zipf = 1.0 / np.arange(1, p + 1) ** 1.05
    zipf /= zipf.sum()
    lengths = rng.integers(8, 16, n)
    sizes = rng.integers(1, 6, n)
    doc = np.repeat(np.arange(sizes.size), sizes)[:n]
    topic = rng.integers(0, topics, doc.max() + 1)[doc]
    rows = np.repeat(np.arange(n), lengths)
    cols = rng.choice(p, rows.size, p=zipf)
    ranks = np.stack([rng.permutation(p) for _ in range(topics)])
    own = rng.random(rows.size) < 0.45
    cols[own] = ranks[topic[rows[own]], rng.choice(p, int(own.sum()), p=zipf)]
    X = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, p))
    X.data[:] = 1.0
    return X, doc


def digest(labels: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(labels, dtype="<i8").tobytes()).hexdigest()[:16]


# Labels computed by the first implementation (full re-scoring at every switching pass), before the
# switching search was made incremental: any later optimisation must give exactly these partitions.
PINNED = {
    "best": (
        dict(switching="best"),
        "f85f2c34eb2843d2 00253a21994b53c9 6703b16e7325b24f 56358802071ff7f9 77e060f34684a789 "
        "0e29266c0b424ce6 164dfff2f3265412 9e6e6f5a2967c39e 83e63ad8cfc05a51 f9b74b971514f277",
        [54, 62, 16, 21, 9, 0, 45, 14, 1],
        [5037.460549, 4105.376956, 3179.347174, 2301.878284, 792.679134, 870.943941, 751.643412, 643.10333, 759.474887],
    ),
    "rainette": (
        dict(switching="rainette"),
        "f85f2c34eb2843d2 6ef9720fc8ebf76b 570976b139dcf726 40e8a7abaecaf3a0 4c8779fbdd887953 "
        "db7bcafbc0adf42f d4bfcd38b76bb245 0b4ccf086efe93a6 f875ca27393a121d bd7785a63a990d95",
        [3, 2, 3, 4, 1, 2, 3, 1, 2],
        [4933.0188, 4046.766459, 3109.09431, 2284.235809, 881.2043, 786.190226, 703.187413, 639.427944, 575.379072],
    ),
    "best_uc10": (
        dict(switching="best", min_segment_size=10),
        "f85f2c34eb2843d2 424163b048bd5846 9b371e4e69772825 4ad9c557e7add217 042f0b4f5c376499 "
        "01189716a06b649c 6ec9216f8d219ea0 fd463218a86d7cc5 20ab6790fbcb60f9 522364320c4c045c",
        [53, 38, 12, 4, 39, 0, 9, 1, 1],
        [4576.798062, 2927.438388, 2125.296865, 2071.242002, 684.25831, 616.125402, 664.547607, 580.826947, 555.836735],
    ),
}


@pytest.mark.filterwarnings("ignore:.*context units have fewer")
@pytest.mark.parametrize("name", sorted(PINNED))
def test_regression_pinned_labels(name: str) -> None:
    params, levels, passes, chi2 = PINNED[name]
    X, doc = seeded_corpus()
    model = ReinertClassifier(k=10, **params).fit(X, doc)
    assert [digest(model.levels_[k]) for k in range(1, 11)] == levels.split()
    assert [s["passes"] for s in model.splits_] == passes
    assert [s["chi2"] for s in model.splits_] == pytest.approx(chi2, rel=1e-9)
