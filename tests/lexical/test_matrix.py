"""build_matrix: presence counting, document-frequency filter, term cap, hostile input."""

from __future__ import annotations

import numpy as np

from chrysalide.lexical import build_matrix


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
