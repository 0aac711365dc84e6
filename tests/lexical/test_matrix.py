"""build_matrix: presence counting, document-frequency filter, term cap, hostile input."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.lexical import build_matrix
from chrysalide.lexical.matrix import count_matrix


def test_presence_filter_and_cap() -> None:
    texts = ["thyroid doctor thyroid", "doctor levothyrox", "thyroid  tired\nnight", "", None, "doctor thyroid"]
    X, vocab = build_matrix(texts, min_docfreq=2)
    assert vocab == ["doctor", "thyroid"]
    assert X.toarray().tolist() == [[1, 1], [1, 0], [0, 1], [0, 0], [0, 0], [1, 1]]
    X, vocab = build_matrix(texts, max_terms=3)
    assert vocab == ["doctor", "levothyrox", "thyroid"]  # docfreq 3, 3, then ties by name
    assert X.shape == (6, 3) and set(np.unique(X.data)) == {1.0}


def test_hostile_strings() -> None:
    huge = " ".join(["x"] * 100_000) + " <script>alert(1)</script> [b]bold[/b]"
    X, vocab = build_matrix([huge, "\x00 é ñ 🙂"])
    assert X.shape[0] == 2 and "<script>alert(1)</script>" in vocab and X[0].sum() == 3


def _reference(texts: list[str | None], min_docfreq: int, max_terms: int | None) -> tuple[np.ndarray, list[str]]:
    """The former per-string Python loop, kept as the specification of the SQL version."""
    sets = [set(t.split()) if t else set() for t in texts]
    df: dict[str, int] = {}
    for s in sets:
        for w in s:
            df[w] = df.get(w, 0) + 1
    keep = [w for w, n in df.items() if n >= min_docfreq]
    if max_terms is not None:
        keep = sorted(keep, key=lambda w: (-df[w], w))[:max_terms]
    vocab = sorted(keep)
    return np.array([[float(w in s) for w in vocab] for s in sets]).reshape(len(texts), len(vocab)), vocab


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.lists(st.sampled_from(["a", "b", "é", "ß", "x\x00", "🙂", "Zz"]), max_size=6).map(
                lambda ws: "".join(
                    w + sep for w, sep in zip(ws, [" ", "\t", "\u00a0", "  ", "\u3000", "\n"] * 2, strict=False)
                )
            ),
        ),
        max_size=12,
    ),
    st.integers(1, 3),
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_sql_split_equals_python_split(texts: list[str | None], min_docfreq: int, max_terms: int | None) -> None:
    X, vocab = build_matrix(texts, min_docfreq=min_docfreq, max_terms=max_terms)
    ref, ref_vocab = _reference(texts, min_docfreq, max_terms)
    assert vocab == ref_vocab and X.shape == ref.shape and (X.toarray() == ref).all()
    assert X.has_sorted_indices and set(np.unique(X.data)) <= {1.0}
    C = count_matrix(texts, vocab).toarray()
    assert (C == np.array([[(t or "").split().count(w) for w in vocab] for t in texts]).reshape(C.shape)).all()
