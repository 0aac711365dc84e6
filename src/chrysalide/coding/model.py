"""Trainable coder: n-grams + lexicon/person/context features into a multinomial logistic regression.

Multinomial logistic regression gives class probabilities directly (it minimises log-loss, so its
probabilities are reasonably calibrated; Niculescu-Mizil & Caruana 2005, "Predicting good probabilities with
supervised learning"). Classes are weighted by inverse frequency so rare stages (societal) are not ignored.
A fitted model is saved as one ``.npz`` file of arrays and JSON (no pickle: loading runs no code) with the
codebook it was trained with, its feature settings and its training summary.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from chrysalide import __version__
from chrysalide.coding import features as F
from chrysalide.coding.base import Batch, StageCoder, prepare
from chrysalide.coding.codebook import CODES, Codebook, load_codebook, parse_codebook
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.errors import ConfigError, InputError

FORMAT = "chrysalide-stage-model/1"


def default_model_path() -> Path:
    """The shipped model (trained by ``python -m chrysalide.coding.train_default``)."""
    return Path(str(resources.files("chrysalide.coding") / "data" / "stage_model.npz"))


class ModelCoder(StageCoder):
    """Calibrated linear coder; ``C`` is the inverse regularisation strength of the logistic regression."""

    name = "model"

    def __init__(
        self,
        *,
        codebook: str | Path | Codebook | None = None,
        C: float = 4.0,
        secondary_threshold: float = 0.25,
        settings: dict[str, Any] | None = None,
        random_state: int = 0,
    ) -> None:
        self.codebook = codebook
        self.C = C
        self.secondary_threshold = secondary_threshold
        self.settings = settings
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame | Sequence[str], y: Sequence[str] | None = None) -> ModelCoder:
        """Learn the n-gram vocabularies, the dense-feature scaling and the regression weights."""
        if y is None:
            raise ValueError("ModelCoder.fit needs the codes y")
        labels = np.asarray([str(v) for v in y])
        bad = sorted(set(labels) - set(CODES))
        if bad:
            raise ValueError(f"unknown code {bad[0]!r} in y (allowed: {', '.join(CODES)})")
        self.codebook_ = load_codebook(self.codebook)
        self.settings_ = {**F.DEFAULT_SETTINGS, **(self.settings or {})}
        self.lexicon_ = LexiconCoder(codebook=self.codebook_).fit()
        batch = prepare(X)
        if len(batch) != len(labels):
            raise ValueError("X and y have different lengths")
        s = self.settings_
        empty: tuple[list[str], np.ndarray] = ([], np.zeros(0))
        words = F.fit_vocabulary(F.word_docs(batch), kind="word", settings=s) if s["use_words"] else empty
        chars = F.fit_vocabulary(F.char_docs(batch), kind="char", settings=s) if s["use_chars"] else empty
        self.word_vocab_, self.word_idf_ = words
        self.char_vocab_, self.char_idf_ = chars
        raw = F.dense(batch, self.lexicon_)
        self.dense_mean_ = raw.mean(axis=0)
        self.dense_scale_ = np.where(raw.std(axis=0) > 0, raw.std(axis=0), 1.0)
        matrix = self._matrix(batch, raw)
        clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state)
        # One BLAS thread: on small problems, thread oversubscription made lbfgs ten times slower.
        with threadpool_limits(limits=1):
            clf.fit(matrix, labels)
        # Expand to all five codes, in CODES order, even when a code is absent from the training data.
        self.coef_ = np.zeros((len(CODES), matrix.shape[1]))
        self.intercept_ = np.full(len(CODES), -30.0)  # an unseen code gets a negligible probability
        learned = list(clf.classes_)
        if len(learned) == 2:  # binary LogisticRegression keeps one row: class 1 vs class 0
            rows, icpt = np.vstack([-clf.coef_[0] / 2, clf.coef_[0] / 2]), np.array([-1, 1]) * clf.intercept_[0] / 2
        else:
            rows, icpt = clf.coef_, clf.intercept_
        for k, code in enumerate(learned):
            self.coef_[CODES.index(code)] = rows[k]
            self.intercept_[CODES.index(code)] = icpt[k]
        self.training_ = {
            "n": len(labels),
            "class_counts": dict(Counter(labels.tolist())),
            "chrysalide_version": __version__,
        }
        return self

    def _matrix(self, batch: Batch, raw_dense: np.ndarray | None = None) -> sp.csr_matrix:
        s = self.settings_
        blocks = []
        if s["use_words"] and self.word_vocab_:
            counts = F.word_counts(batch.lemmas, self._word_index(), s["word_ngrams"], len(self.word_vocab_))
            blocks.append(F.tfidf(counts, self.word_idf_))
        if s["use_chars"] and self.char_vocab_:
            counts = F.char_counts(F.char_docs(batch), self.char_vocab_, s["char_ngrams"])
            blocks.append(F.tfidf(counts, self.char_idf_))
        raw = F.dense(batch, self.lexicon_) if raw_dense is None else raw_dense
        scaled = (raw - self.dense_mean_) / self.dense_scale_ * (s["dense_weight"] if s["use_dense"] else 0.0)
        blocks.append(sp.csr_matrix(scaled))
        return sp.hstack(blocks, format="csr")

    def _word_index(self) -> dict[int, dict[tuple[str, ...], int]]:
        """Column of each word n-gram (built once per fitted vocabulary)."""
        if getattr(self, "_word_index_of", None) is not self.word_vocab_:
            self._word_index_cache = F.ngram_index(self.word_vocab_)
            self._word_index_of = self.word_vocab_
        return self._word_index_cache

    # -- prediction --------------------------------------------------------------------------------------
    def _code_batch(self, batch: Batch) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        if not hasattr(self, "coef_"):
            raise ValueError("this ModelCoder is not fitted: call fit() or ModelCoder.load()")
        logits = self._matrix(batch) @ self.coef_.T + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        proba /= proba.sum(axis=1, keepdims=True)
        secondary = []
        for row in proba:
            top = int(row.argmax())
            secondary.append(tuple(c for i, c in enumerate(CODES[:4])
                                   if i != top and row[i] >= self.secondary_threshold))  # fmt: skip
        return proba, secondary

    # -- persistence -------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the fitted model as one ``.npz`` file (arrays and JSON only; no training text)."""
        path = Path(path)
        meta = {
            "format": FORMAT,
            "C": self.C,
            "secondary_threshold": self.secondary_threshold,
            "random_state": self.random_state,
            "settings": self.settings_,
            "codebook_version": self.codebook_.version,
            "codebook_digest": self.codebook_.digest,
            "codebook_yaml": self.codebook_.yaml_text,
            "training": self.training_,
        }
        with path.open("wb") as fh:
            np.savez_compressed(
                fh, meta=np.array(json.dumps(meta, ensure_ascii=False)),
                word_vocab=np.array(self.word_vocab_, dtype=str), word_idf=self.word_idf_,
                char_vocab=np.array(self.char_vocab_, dtype=str), char_idf=self.char_idf_,
                dense_mean=self.dense_mean_, dense_scale=self.dense_scale_,
                coef=self.coef_, intercept=self.intercept_,
            )  # fmt: skip
        return path

    @classmethod
    def load(cls, path: str | Path | None = None) -> ModelCoder:
        """Read a model saved by :meth:`save` (the shipped default when ``path`` is None)."""
        path = Path(path) if path is not None else default_model_path()
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except FileNotFoundError as exc:
            raise InputError(f"{path}: no such model file") from exc
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a Chrysalide model file ({exc})") from exc
        try:
            meta = json.loads(str(arrays["meta"]))
        except (KeyError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not a Chrysalide model file (no metadata)") from exc
        if meta.get("format") != FORMAT:
            raise InputError(f"{path}: unsupported model format {meta.get('format')!r} (expected {FORMAT})")
        try:
            book = parse_codebook(meta["codebook_yaml"], f"{path} (embedded codebook)")
        except ConfigError as exc:
            raise InputError(str(exc)) from exc
        model = cls(codebook=book, C=meta["C"], secondary_threshold=meta["secondary_threshold"],
                    settings=meta["settings"], random_state=meta["random_state"])  # fmt: skip
        model.codebook_, model.settings_, model.training_ = book, meta["settings"], meta["training"]
        model.lexicon_ = LexiconCoder(codebook=book).fit()
        model.word_vocab_, model.word_idf_ = arrays["word_vocab"].tolist(), arrays["word_idf"]
        model.char_vocab_, model.char_idf_ = arrays["char_vocab"].tolist(), arrays["char_idf"]
        model.dense_mean_, model.dense_scale_ = arrays["dense_mean"], arrays["dense_scale"]
        model.coef_, model.intercept_ = arrays["coef"], arrays["intercept"]
        return model

    @property
    def component(self) -> str:
        """Name recorded in ``codes.coder``: the model and its codebook version."""
        return f"model:codebook-{self.codebook_.version}"
