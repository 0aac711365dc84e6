"""The two learners of the model coder, fitted with scikit-learn and kept as plain arrays.

- a multinomial logistic regression (log-loss: probabilities; Niculescu-Mizil & Caruana 2005);
- a one-hidden-layer perceptron with ReLU units (Rumelhart, Hinton & Williams 1986; trained by Adam, Kingma
  & Ba 2015, with early stopping), which reads the sentence vectors non-linearly.

Both are stored as arrays (weights, biases) so a model file never holds a pickle, and both predict with a few
numpy products. Classes are the five codes in :data:`~chrysalide.coding.codebook.CODES` order even when a
code is missing from the training data (its probability is then negligible).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from chrysalide.coding.calibration import softmax
from chrysalide.coding.codebook import CODES

Layers = list[tuple[np.ndarray, np.ndarray]]


def _expand(classes: Sequence[str], weights: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Output rows of the learned classes, placed at their code's index; absent codes get a -30 bias.

    With two classes scikit-learn keeps one row (class 1 against class 0): it becomes two rows whose
    softmax is the same logistic.
    """
    w = np.zeros((len(CODES), weights.shape[1]))
    b = np.full(len(CODES), -30.0)
    if len(classes) == 2 and len(weights) == 1:
        weights, bias = np.vstack([-weights[0] / 2, weights[0] / 2]), np.array([-1.0, 1.0]) * bias[0] / 2
    for k, code in enumerate(classes):
        w[CODES.index(code)], b[CODES.index(code)] = weights[k], bias[k]
    return w, b


def fit_logistic(x: sp.csr_matrix | np.ndarray, y: np.ndarray, *, C: float, seed: int,
                 sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Weights (5 x d) and intercepts (5) of a class-balanced multinomial logistic regression."""
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)
    # One BLAS thread: on small problems, thread oversubscription made lbfgs ten times slower.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y, sample_weight=sample_weight)
    return _expand(list(clf.classes_), clf.coef_, clf.intercept_)


def logistic_proba(x: sp.csr_matrix | np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return softmax(np.asarray(x @ coef.T) + intercept)


def fit_mlp(
    x: np.ndarray, y: np.ndarray, *, hidden: int, alpha: float, seed: int, sample_weight: np.ndarray | None = None
) -> Layers:
    """Layers (weights, biases) of a ReLU perceptron; the output layer expanded to the five codes."""
    stop = len(y) >= 50  # early stopping sets 10 % aside: only with enough messages
    clf = MLPClassifier(
        (hidden,), alpha=alpha, max_iter=200, early_stopping=stop, n_iter_no_change=10, random_state=seed
    )
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y, sample_weight=sample_weight)
    w, b = _expand(list(clf.classes_), clf.coefs_[-1].T, clf.intercepts_[-1])
    hidden_layers = [(wk, bk) for wk, bk in zip(clf.coefs_[:-1], clf.intercepts_[:-1], strict=True)]
    return [*hidden_layers, (w.T, b)]


def mlp_proba(x: np.ndarray, layers: Layers) -> np.ndarray:
    h = x
    for w, b in layers[:-1]:
        h = np.maximum(h @ w + b, 0.0)
    w, b = layers[-1]
    return softmax(h @ w + b)
