"""Features of the trainable coder: lemma n-grams, lexicon scores, person and context.

The n-gram vectorisers are stored as plain arrays (vocabulary + idf), not pickles, so a model file holds
weights and n-grams only. TF-IDF with sublinear tf and l2 rows, as scikit-learn's ``TfidfVectorizer``
(Salton & Buckley 1988, "Term-weighting approaches in automatic text retrieval").
"""

from __future__ import annotations

from itertools import chain, islice, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
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
    "min_df": 2,
    "max_word_features": 20000,
    # Sentence vectors (chrysalide.coding.encoder): "cascade" encodes only the messages whose fast code has
    # a calibrated probability below encode_below; "always" every message; "never" none (fast model only).
    "encoder": "cascade",
    "encode_below": 0.8,
    "max_chars": 1000,
    "vector_weight": 1.5,
    "mlp_hidden": 256,
    "mlp_alpha": 10.0,
    "mlp_seeds": 3,
    "blend": 0.5,  # weight of the perceptron in the full predictor
    "cv_folds": 5,  # out-of-fold predictions for calibration, confusion matrix and review threshold
    "review_kappa": 0.85,
}


def word_docs(batch: Batch) -> list[str]:
    """Lemmas joined by spaces (placeholders such as ``_num_`` kept): the documents of the word n-grams."""
    return [" ".join(lemmas) for lemmas in batch.lemmas]


def dense(batch: Batch, lexicon: LexiconCoder) -> np.ndarray:
    """Lexicon stage scores, pronoun rates, length, questions, context flags and language, one row each."""
    scores, requests = lexicon.raw_scores(batch)
    n_tokens = batch.n_tokens
    per = np.maximum(n_tokens, 1)
    person = batch.person
    fs, fp = person[:, 0], person[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):  # we_ratio is 0 without any first person
        we_ratio = np.where(fs + fp > 0, fp / (fs + fp), 0.0)
    langs = np.asarray(batch.langs, dtype=object)
    questions = np.minimum(np.fromiter((t.count("?") for t in batch.texts), dtype=np.int64, count=len(batch)), 5)
    columns = [
        *np.log1p(scores).T, requests,
        *(10 * person[:, k] / per for k in range(4)), batch.own_health, we_ratio,
        np.log1p(n_tokens), questions,
        batch.thread_start, batch.reply, batch.first_post, batch.reply_to_other, batch.own_thread,
        langs == "en", langs == "fr",
    ]  # fmt: skip
    return np.column_stack([np.asarray(c, dtype=float) for c in columns]).reshape(len(batch), len(DENSE_NAMES))


def ngram_index(vocab: list[str]) -> dict[int, dict[tuple[str, ...], int]]:
    """Column of each n-gram of a word vocabulary, by n, keyed by the tuple of its lemmas."""
    index: dict[int, dict[tuple[str, ...], int]] = {}
    for column, gram in enumerate(vocab):
        parts = tuple(gram.split(" "))
        index.setdefault(len(parts), {})[parts] = column
    return index


def word_counts(lemma_lists: list[list[str]], index: dict[int, dict[tuple[str, ...], int]], ngrams: list[int],
                n_columns: int) -> sp.csr_matrix:  # fmt: skip
    """Counts of the vocabulary's lemma n-grams in each message (as ``CountVectorizer`` with ``str.split``).

    Each message's n-grams are looked up as tuples with one ``map`` of the vocabulary's ``dict.get`` per n
    (C loops, no string built per n-gram) and the matrix is assembled once for the whole batch.
    """
    low, high = ngrams
    unigrams = {gram[0]: column for gram, column in index.get(1, {}).items()}
    ids: list[int] = []
    lengths = np.zeros(len(lemma_lists), dtype=np.int64)
    # A lemma may hold whitespace: such messages are split as the vectoriser's tokenizer did (rare, so the
    # others skip the join and split).
    spaced = {lemma for lemma in set(chain.from_iterable(lemma_lists)) if len(lemma.split()) != 1}
    for row, lemmas in enumerate(lemma_lists):
        tokens = " ".join(lemmas).split() if spaced and not spaced.isdisjoint(lemmas) else lemmas
        start = len(ids)
        if low == 1:
            ids.extend(map(unigrams.get, tokens, repeat(-1)))
        for k in range(max(2, low), high + 1):
            grams = zip(*(islice(tokens, j, None) for j in range(k)), strict=False)
            ids.extend(map(index.get(k, {}).get, grams, repeat(-1)))
        lengths[row] = len(ids) - start
    cols = np.asarray(ids, dtype=np.int64)
    rows = np.repeat(np.arange(len(lemma_lists)), lengths)
    keep = cols >= 0
    counts = sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=(len(lemma_lists), n_columns))
    counts.sum_duplicates()
    return counts


def fit_vocabulary(docs: list[str], *, kind: str, settings: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    """Learn the n-gram vocabulary (n-grams seen in at least ``min_df`` messages) and its idf weights."""
    if kind != "word":
        raise ValueError(f"unknown vocabulary kind {kind!r}")
    vec = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=True,
                          ngram_range=tuple(settings["word_ngrams"]), min_df=settings["min_df"],
                          max_features=settings["max_word_features"])  # fmt: skip
    vec.fit(docs)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return vocab, np.asarray(vec.idf_, dtype=float)


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF-IDF rows (l2-normalised) from raw counts."""
    counts = counts.astype(float).tocsr()
    counts.data = 1.0 + np.log(counts.data)
    return l2_normalize(counts @ sp.diags(idf), norm="l2", copy=False).tocsr()
