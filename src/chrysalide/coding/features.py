"""Features of the trainable coder: lemma n-grams, character n-grams, lexicon scores, person and context.

The n-gram vectorisers are stored as plain arrays (vocabulary + idf), not pickles, so a model file holds
weights and n-grams only. TF-IDF with sublinear tf and l2 rows, as scikit-learn's ``TfidfVectorizer``
(Salton & Buckley 1988, "Term-weighting approaches in automatic text retrieval").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from chrysalide.coding.base import Batch
from chrysalide.coding.lexicon import LexiconCoder

DENSE_NAMES = (
    "lex_individual", "lex_community", "lex_collaborative", "lex_societal", "lex_other", "lex_request",
    "first_singular", "first_plural", "second_informal", "second_formal", "own_health", "we_ratio",
    "log_tokens", "questions", "thread_start", "reply", "first_post", "reply_to_other", "own_thread",
    "lang_en", "lang_fr",
)  # fmt: skip

DEFAULT_SETTINGS: dict[str, Any] = {
    "word_ngrams": [1, 2],
    "char_ngrams": [2, 5],
    "min_df": 2,
    "max_word_features": 20000,
    "max_char_features": 30000,
    "use_words": True,
    "use_chars": True,
    "use_dense": True,
    "dense_weight": 1.0,
}


def word_docs(batch: Batch) -> list[str]:
    """Lemmas joined by spaces (placeholders such as ``_num_`` kept): the documents of the word n-grams."""
    return [" ".join(a.lemmas) for a in batch.analyses]


def char_docs(batch: Batch) -> list[str]:
    return [a.text.lower() for a in batch.analyses]


def dense(batch: Batch, lexicon: LexiconCoder) -> np.ndarray:
    """Lexicon stage scores, pronoun rates, length, questions, context flags and language, one row each."""
    scores, requests = lexicon.raw_scores(batch)
    rows = []
    for i, a in enumerate(batch.analyses):
        p = a.person
        n = max(len(a.tokens), 1)
        rows.append([
            *np.log1p(scores[i]), float(requests[i]),
            10 * p.first_singular / n, 10 * p.first_plural / n, 10 * p.second_informal / n,
            10 * p.second_formal / n, float(p.own_health), p.we_ratio or 0.0,
            np.log1p(len(a.tokens)), min(a.text.count("?"), 5),
            batch.thread_start[i], batch.reply[i], batch.first_post[i], batch.reply_to_other[i],
            batch.own_thread[i], a.lang == "en", a.lang == "fr",
        ])  # fmt: skip
    return np.asarray(rows, dtype=float).reshape(len(batch), len(DENSE_NAMES))


def fit_vocabulary(docs: list[str], *, kind: str, settings: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    """Learn the n-gram vocabulary (n-grams seen in at least ``min_df`` messages) and its idf weights."""
    if kind == "word":
        vec = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=True,
                              ngram_range=tuple(settings["word_ngrams"]), min_df=settings["min_df"],
                              max_features=settings["max_word_features"])  # fmt: skip
    else:
        vec = TfidfVectorizer(analyzer="char_wb", lowercase=False, sublinear_tf=True,
                              ngram_range=tuple(settings["char_ngrams"]), min_df=settings["min_df"],
                              max_features=settings["max_char_features"])  # fmt: skip
    vec.fit(docs)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return vocab, np.asarray(vec.idf_, dtype=float)


def transform(docs: list[str], vocab: list[str], idf: np.ndarray, *, kind: str, ngrams: list[int]) -> sp.csr_matrix:
    """Sublinear TF-IDF rows (l2-normalised) over a fixed vocabulary."""
    if not vocab:
        return sp.csr_matrix((len(docs), 0))
    if kind == "word":
        counter = CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                                  ngram_range=tuple(ngrams), vocabulary=vocab)  # fmt: skip
    else:
        counter = CountVectorizer(analyzer="char_wb", lowercase=False, ngram_range=tuple(ngrams), vocabulary=vocab)
    counts = counter.transform(docs).astype(float).tocsr()
    counts.data = 1.0 + np.log(counts.data)
    return l2_normalize(counts @ sp.diags(idf), norm="l2", copy=False).tocsr()
