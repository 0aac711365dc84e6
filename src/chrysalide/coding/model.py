"""Trainable coder: lexicon marker scores, lemma n-grams and sentence vectors, calibrated, in one model.

Two predictors share the features the text layer gives for free (the lexicon's stage scores and request
flag, pronoun rates, length, questions, structural context, language: :data:`features.DENSE_NAMES`, plus
TF-IDF lemma n-grams):

- the **fast** predictor: a logistic regression on those features alone;
- the **full** predictor: the mean of a logistic regression that adds the message's sentence vector
  (:mod:`chrysalide.coding.encoder`) and of a perceptron on the sentence vector and the dense features.

With ``encoder="cascade"`` (the default) a message whose fast code is sure (calibrated probability at least
``encode_below``) keeps it and only the others are encoded: the encoder is most of the cost. Each predictor
is trained with balanced class weights and its code is the argmax of its output; its probabilities are
calibrated on out-of-fold predictions of the training data by a temperature and one bias per stage
(Alexandari et al. 2020; :mod:`calibration`), so that they say how sure the code is and, averaged, how
frequent each stage is (:mod:`quantify`). The same out-of-fold codes give the confusion matrix and the
review threshold: the lowest confidence at which the codes above it agree with the gold codes at kappa
``review_kappa`` (0.85) in cross-validation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.model_selection import StratifiedKFold

from chrysalide import __version__
from chrysalide.coding import features as F
from chrysalide.coding import linear
from chrysalide.coding.base import Batch, StageCoder, prepare
from chrysalide.coding.calibration import fit_calibration, scale
from chrysalide.coding.codebook import CODES, Codebook, load_codebook
from chrysalide.coding.encoder import ENCODER_NAME, encode
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.coding.selection import oof_summary, review_threshold

ENCODER_MODES = ("cascade", "always", "never")
#: Training messages a language needs before the model's confidence counts for it (below: every code of that
#: language awaits review; issue 11: German was coded confidently from no German coded message).
MIN_LANGUAGE_MESSAGES = 50


class ModelCoder(StageCoder):
    """Calibrated coder; ``C`` is the inverse regularisation strength of the logistic regressions."""

    name = "model"

    def __init__(self, *, codebook: str | Path | Codebook | None = None, C: float = 4.0,
                 secondary_threshold: float = 0.25, settings: dict[str, Any] | None = None,
                 random_state: int = 0) -> None:  # fmt: skip
        self.codebook = codebook
        self.C = C
        self.secondary_threshold = secondary_threshold
        self.settings = settings
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame | Sequence[str] | Batch, y: Sequence[str] | pd.Series | None = None, *,
            measured: Sequence[bool] | np.ndarray | None = None,
            sample_weight: Sequence[float] | np.ndarray | None = None) -> ModelCoder:  # fmt: skip
        """Learn both predictors, their calibrations, the confusion matrix and the review threshold.

        ``measured`` (default: every message) marks the messages whose codes also measure the model: the
        calibrations, confusion matrix, review threshold and out-of-fold figures come from their out-of-fold
        predictions only, while every message teaches the predictors (e.g. codes of less-trained coders).
        ``sample_weight`` (default: 1 each) is how much each message counts when the predictors learn, as in
        scikit-learn (e.g. a language with few coded messages counted more; on top of the balanced class
        weights); calibration and the figures count every measured message once.
        """
        if y is None:
            raise ValueError("ModelCoder.fit needs the codes y")
        labels = np.asarray([str(v) for v in y])
        bad = sorted(set(labels) - set(CODES))
        if bad:
            raise ValueError(f"unknown code {bad[0]!r} in y (allowed: {', '.join(CODES)})")
        self.codebook_ = load_codebook(self.codebook)
        self.settings_ = {**F.DEFAULT_SETTINGS, **(self.settings or {})}
        if self.settings_["encoder"] not in ENCODER_MODES:
            raise ValueError(f"settings['encoder'] must be one of {', '.join(ENCODER_MODES)}")
        self.lexicon_ = LexiconCoder(codebook=self.codebook_).fit()
        batch = prepare(X)
        if len(batch) != len(labels):
            raise ValueError("X and y have different lengths")
        raw = F.dense(batch, self.lexicon_)
        vectors = self._vectors(batch) if self._encodes else None
        keep = np.ones(len(labels), dtype=bool) if measured is None else np.asarray(measured, dtype=bool)
        if len(keep) != len(labels):
            raise ValueError("measured and y have different lengths")
        weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if weight is not None and (weight.shape != labels.shape or not np.all(np.isfinite(weight) & (weight >= 0))):
            raise ValueError("sample_weight needs one finite, non-negative weight per message of y")
        oof = self._out_of_fold(batch, raw, vectors, labels, weight)
        none: np.ndarray = np.zeros(len(CODES))
        if oof is not None and keep.any():
            fast, full = oof[0][keep], None if oof[1] is None else oof[1][keep]
            index, labels_m = np.array([CODES.index(c) for c in labels[keep]]), labels[keep]
            self.temperature_fast_, self.bias_fast_ = fit_calibration(fast, index)
            self.temperature_full_, self.bias_full_ = (1.0, none) if full is None else fit_calibration(full, index)
            proba, pred = self._cascade(fast, None if full is None else full.__getitem__)
            self.confusion_ = np.zeros((len(CODES), len(CODES)), dtype=np.int64)
            np.add.at(self.confusion_, (index, pred), 1)
            confidence = proba[np.arange(len(pred)), pred]
            self.review_below_ = review_threshold(labels_m, np.array(CODES)[pred], confidence,
                                                  self.settings_["review_kappa"])  # fmt: skip
            summary = oof_summary(labels_m, proba, pred)
        else:  # too few messages per code to cross-validate: uncalibrated, nothing known of the errors
            self.temperature_fast_ = self.temperature_full_ = 1.0
            self.bias_fast_ = self.bias_full_ = none
            self.confusion_ = np.zeros((len(CODES), len(CODES)), dtype=np.int64)
            self.review_below_, summary = 0.0, {}
        self.parts_ = self._fit_parts(batch, raw, vectors, labels, weight)
        self.training_: dict[str, Any] = {
            "n": len(labels), "n_measured": int(keep.sum()), "class_counts": dict(Counter(labels.tolist())),
            "chrysalide_version": __version__, "encoder": ENCODER_NAME, "cross_validated": summary,
            "languages": dict(Counter(batch.langs)),  # training messages per language: learned_languages()
        }  # fmt: skip
        return self

    @property
    def _encodes(self) -> bool:
        return self.settings_["encoder"] != "never"

    def _vectors(self, batch: Batch) -> np.ndarray:
        """Sentence vectors of the batch's texts, memoised on it (cross-validation encodes each text once)."""
        key = f"vectors:{ENCODER_NAME}:{int(self.settings_['max_chars'])}"
        if key not in batch.memo:
            batch.memo[key] = (encode(batch.texts, max_chars=int(self.settings_["max_chars"])),)
        return batch.memo[key][0]

    def _out_of_fold(self, batch: Batch, raw: np.ndarray, vectors: np.ndarray | None, labels: np.ndarray,
                     weight: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None] | None:  # fmt: skip
        """Out-of-fold probabilities of both predictors (None when a code has fewer messages than folds)."""
        folds = int(self.settings_["cv_folds"])
        if folds < 2 or min(Counter(labels.tolist()).values()) < folds:
            return None
        fast = np.zeros((len(labels), len(CODES)))
        full = np.zeros_like(fast) if vectors is not None else None
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        for train, test in splitter.split(raw, labels):
            parts = self._fit_parts(batch.take(train), raw[train], None if vectors is None else vectors[train],
                                    labels[train], None if weight is None else weight[train])  # fmt: skip
            held = batch.take(test)
            fast[test] = self._fast(parts, held, raw[test])
            if full is not None and vectors is not None:
                full[test] = self._full(parts, held, raw[test], vectors[test])
        return fast, full

    def _fit_parts(self, batch: Batch, raw: np.ndarray, vectors: np.ndarray | None,
                   labels: np.ndarray, weight: np.ndarray | None) -> dict[str, Any]:  # fmt: skip
        """Vocabulary, scalings and the weights of both predictors, fitted on these messages (``weight``: each
        message's sample weight, None for 1 each)."""
        s, seed = self.settings_, self.random_state
        vocab, idf = F.fit_vocabulary(F.word_docs(batch), kind="word", settings=s)
        std = raw.std(axis=0)
        parts: dict[str, Any] = {"vocab": vocab, "idf": idf, "dense_mean": raw.mean(axis=0),
                                 "dense_scale": np.where(std > 0, std, 1.0)}  # fmt: skip
        words = self._words(parts, batch)
        dense = self._dense(parts, raw)
        parts["fast"] = linear.fit_logistic(sp.hstack([words, sp.csr_matrix(dense)], format="csr"), labels, C=self.C,
                                            seed=seed, sample_weight=weight)  # fmt: skip
        if vectors is not None:
            weighted = sp.csr_matrix(vectors * float(s["vector_weight"]))
            x = sp.hstack([words, sp.csr_matrix(dense), weighted], format="csr")
            parts["full"] = linear.fit_logistic(x, labels, C=self.C, seed=seed, sample_weight=weight)
            joint = np.hstack([vectors, dense])
            parts["mlp_mean"], parts["mlp_scale"] = joint.mean(axis=0), joint.std(axis=0) + 1e-9
            z = (joint - parts["mlp_mean"]) / parts["mlp_scale"]
            parts["mlp"] = [linear.fit_mlp(z, labels, hidden=int(s["mlp_hidden"]), alpha=float(s["mlp_alpha"]),
                                           seed=seed + k, sample_weight=weight)
                            for k in range(int(s["mlp_seeds"]))]  # fmt: skip
        return parts

    # -- features and predictors ---------------------------------------------------------------------------
    def _words(self, parts: dict[str, Any], batch: Batch) -> sp.csr_matrix:
        index = parts.get("_index")
        if index is None:
            index = parts["_index"] = F.ngram_index(parts["vocab"])
        counts = F.word_counts(batch.lemmas, index, self.settings_["word_ngrams"], len(parts["vocab"]))
        return F.tfidf(counts, parts["idf"])

    @staticmethod
    def _dense(parts: dict[str, Any], raw: np.ndarray) -> np.ndarray:
        return (raw - parts["dense_mean"]) / parts["dense_scale"]

    def _fast(self, parts: dict[str, Any], batch: Batch, raw: np.ndarray) -> np.ndarray:
        x = sp.hstack([self._words(parts, batch), sp.csr_matrix(self._dense(parts, raw))], format="csr")
        return linear.logistic_proba(x, *parts["fast"])

    def _full(self, parts: dict[str, Any], batch: Batch, raw: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        dense = self._dense(parts, raw)
        weighted = sp.csr_matrix(vectors * float(self.settings_["vector_weight"]))
        x = sp.hstack([self._words(parts, batch), sp.csr_matrix(dense), weighted], format="csr")
        z = (np.hstack([vectors, dense]) - parts["mlp_mean"]) / parts["mlp_scale"]
        mlp = np.mean([linear.mlp_proba(z, layers) for layers in parts["mlp"]], axis=0)
        w = float(self.settings_["blend"])
        return (1 - w) * linear.logistic_proba(x, *parts["full"]) + w * mlp

    def _calibrated(self, raw: np.ndarray, which: str) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities of one predictor's output, and its codes (the argmax of the output)."""
        return scale(raw, getattr(self, f"temperature_{which}_"), getattr(self, f"bias_{which}_")), raw.argmax(axis=1)

    def _unsure(self, proba: np.ndarray, pred: np.ndarray) -> np.ndarray:
        """Rows whose fast code the full predictor should revisit (all, none, or the unsure ones)."""
        mode = self.settings_["encoder"]
        if mode == "never":
            return np.zeros(len(pred), dtype=bool)
        if mode == "always":
            return np.ones(len(pred), dtype=bool)
        return proba[np.arange(len(pred)), pred] < self.settings_["encode_below"]

    def _cascade(self, fast: np.ndarray,
                 full: Callable[[np.ndarray], np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Calibrated probabilities and codes: the fast predictor's, the full one's on the rows it leaves unsure.

        ``full`` gives the full predictor's output for some rows (their indices): at fit it slices out-of-fold
        predictions, when coding it encodes just those messages (the encoder is most of the cost).
        """
        proba, pred = self._calibrated(fast, "fast")
        if full is not None:
            idx = np.flatnonzero(self._unsure(proba, pred))
            if len(idx):
                proba[idx], pred[idx] = self._calibrated(full(idx), "full")
        return proba, pred

    # -- prediction --------------------------------------------------------------------------------------
    def _code_batch(self, batch: Batch) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]:
        """Calibrated probabilities, codes and secondary codes.

        The code is the argmax of the predictor's own output, whose balanced class weights even out the
        stages' frequencies (what kappa and macro-F1 reward); the probabilities are calibrated to the stages'
        real frequencies (:func:`~chrysalide.coding.calibration.fit_calibration`), so the code is not always
        the most probable stage: its probability is the confidence.
        """
        if not hasattr(self, "parts_"):
            raise ValueError("this ModelCoder is not fitted: call fit() or ModelCoder.load()")
        raw = F.dense(batch, self.lexicon_)

        def full(idx: np.ndarray) -> np.ndarray:
            sub = batch.take(idx)
            return self._full(self.parts_, sub, raw[idx], self._vectors(sub))

        encodes = self._encodes and "full" in self.parts_
        proba, pred = self._cascade(self._fast(self.parts_, batch, raw), full if encodes else None)
        secondary = [tuple(c for i, c in enumerate(CODES[:4]) if i != top and row[i] >= self.secondary_threshold)
                     for row, top in zip(proba, pred.tolist(), strict=True)]  # fmt: skip
        return proba, pred, secondary

    # -- persistence (chrysalide.coding.model_file) --------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the fitted model as one ``.npz`` file (arrays and JSON only; no training text)."""
        from chrysalide.coding.model_file import save_model

        return save_model(self, path)

    @classmethod
    def load(cls, path: str | Path | None = None) -> ModelCoder:
        """Read a model saved by :meth:`save` (the shipped default when ``path`` is None)."""
        from chrysalide.coding.model_file import load_model

        return load_model(cls, path)

    @property
    def review_below(self) -> float | None:
        """Confidence under which a code awaits review (chosen by cross-validation at fit)."""
        return float(self.review_below_)

    def learned_languages(self) -> tuple[str, ...] | None:
        """Languages with at least :data:`MIN_LANGUAGE_MESSAGES` training messages (None: a model file from
        before the count was kept, which vouches for every language)."""
        counts: dict[str, int] | None = self.training_.get("languages")
        return None if counts is None else tuple(sorted(k for k, n in counts.items() if n >= MIN_LANGUAGE_MESSAGES))

    @property
    def component(self) -> str:
        """Name recorded in ``codes.coder``: the model and its codebook version."""
        return f"model:codebook-{self.codebook_.version}"


def default_model_path() -> Path:
    """The shipped model (trained by ``python -m chrysalide.coding.train_default``)."""
    from importlib import resources

    return Path(str(resources.files("chrysalide.coding") / "data" / "stage_model.npz"))
