"""The shipped model's figures on our own held-back annotated messages (never trained on).

The messages are the annotations of ../shared/annotations whose uid hashes to 0 modulo 5, imported with their
corpora so that they get the context the store gives when serving. The metrics are computed here with a few
plain lines, not with the project's metric code. Skips without ../shared.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chrysalide.coding.model import ModelCoder
from chrysalide.coding.train_default import training_data

pytestmark = [pytest.mark.corpora, pytest.mark.slow]
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
STAGES = ["individual", "community", "collaborative", "societal", "other"]


def kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb[k] for k in ca) / n / n
    return (p_o - p_e) / (1 - p_e)


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for k in set(gold) | set(pred):
        tp = sum(g == k and p == k for g, p in zip(gold, pred, strict=True))
        fp, fn = sum(p == k for p in pred) - tp, sum(g == k for g in gold) - tp
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s)


@pytest.fixture(scope="module")
def held_back(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not (SHARED / "annotations" / "stages_more.csv").exists() or not (SHARED / "corpora").is_dir():
        pytest.skip(f"annotations or corpora not found under {SHARED}")
    frame = training_data(SHARED / "annotations", SHARED / "corpora", SHARED / "corpora" / "HELDOUT_IDS.txt",
                          tmp_path_factory.mktemp("store") / "a.duckdb")  # fmt: skip
    # Independent of the code: which uids are held back (only the trained coders' files are measured on).
    trained = frame[frame["file"].isin(["stages_train.csv", "stages_more.csv"])]
    test = trained[[int(hashlib.sha256(u.encode()).hexdigest(), 16) % 5 == 0 for u in trained["uid"]]]
    assert len(test) == int(frame["held_back"].sum()) and len(test) > 800
    assert frame.attrs["unmatched"] == 0  # every annotation found its message
    coded = ModelCoder.load().code(test[["text", "lang", "kind", "is_first_post", "reply_to_other", "own_thread"]])
    return test.reset_index(drop=True), coded.reset_index(drop=True)


def test_accuracy_on_held_back_messages(held_back: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Floors under the shipped model's figures (kappa 0.626, macro-F1 0.653): issue 11's kappa 0.65 is not met."""
    test, coded = held_back
    gold, pred = test["primary"].tolist(), coded["primary"].tolist()
    assert kappa(gold, pred) >= 0.62
    assert macro_f1(gold, pred) >= 0.63


def test_calibration_and_coverage(held_back: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    test, coded = held_back
    gold, pred = test["primary"].to_numpy(), coded["primary"].to_numpy()
    # The confidence is the probability of the primary code (not always the highest: see docs/coding.md).
    confidence = np.array([row[f"score_{code}"] for code, (_, row) in zip(pred, coded.iterrows(), strict=True)])
    assert np.allclose(confidence, coded["confidence"])
    ece = 0.0
    for low in np.arange(0, 1, 0.1):
        inside = (confidence > low) & (confidence <= low + 0.1)
        if inside.any():
            ece += inside.mean() * abs((gold[inside] == pred[inside]).mean() - confidence[inside].mean())
    assert ece <= 0.05
    top = np.argsort(-confidence, kind="stable")[: len(confidence) // 2]
    assert kappa(list(gold[top]), list(pred[top])) >= 0.85


def test_stage_shares(held_back: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """The probability average (the estimate the store reports) near the coders' shares: the issue's target is 2
    points, which the shipped model misses on collaborative (2.0007 points under: docs/coding.md); this guard,
    2.5 points, catches a model that drifts further.

    Raw counts stay within 3 points (they overstate `other` by 2.0: docs/coding.md)."""
    test, coded = held_back
    for stage in STAGES:
        truth = (test["primary"] == stage).mean()
        assert abs((coded["primary"] == stage).mean() - truth) <= 0.03, stage
        estimate = coded[[f"score_{s}" for s in STAGES]].mean()[f"score_{stage}"]
        assert abs(estimate - truth) <= 0.025, stage
