"""Measure coders: accuracy against a gold file, agreement between two coders (files keyed by uid)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.coding.metrics import classification_report, cohen_kappa, krippendorff_alpha
from chrysalide.coding.selection import calibration_report
from chrysalide.coding.tables import check_codes, read_table
from chrysalide.errors import InputError
from chrysalide.store.db import Store


def _read_codes(path: str | Path, keep_confidence: bool = False) -> pd.DataFrame:
    """A CSV with ``uid`` and ``primary`` (codes checked), one row per uid; optionally its ``confidence``."""
    frame = check_codes(read_table(path, ("uid", "primary"), "uid and primary"), path)
    dup = frame["uid"].duplicated()
    if dup.any():
        raise InputError(f"{path}: uid {frame.loc[dup.idxmax(), 'uid']!r} appears twice")
    if keep_confidence and "confidence" in frame:
        confidence = pd.to_numeric(frame["confidence"], errors="coerce")
        if confidence.isna().any() or not confidence.between(0, 1).all():
            row = int((confidence.isna() | ~confidence.between(0, 1)).idxmax())
            raise InputError(f"{path}: record {row + 1}: confidence must be a number between 0 and 1")
        return frame[["uid", "primary"]].assign(confidence=confidence)
    return frame[["uid", "primary"]]


def _store_codes(store: Store) -> pd.DataFrame:
    return store.con.execute(
        'SELECT m.native_id AS uid, c.primary_code AS "primary", c.confidence '
        "FROM current_codes c JOIN messages m USING (message_id)"
    ).df()


def evaluate(gold: str | Path, pred: str | Path | None = None, *, store: Store | None = None) -> dict[str, Any]:
    """Per-class precision/recall/F1, macro-F1, Cohen's kappa and confusion of predictions against gold.

    Predictions come from a CSV (``pred``) or, without it, from the store's current codes, matched on
    uid = the message's native id. Gold messages without a prediction are counted in ``missing``. When the
    predictions carry a ``confidence``, the report adds :func:`calibration_report`.
    """
    truth = _read_codes(gold)
    if pred is not None:
        guess = _read_codes(pred, keep_confidence=True)
    elif store is not None:
        guess = _store_codes(store)
    else:
        raise InputError("give a prediction file or a database to evaluate against")
    joined = truth.merge(guess, on="uid", suffixes=("_gold", "_pred"))
    if joined.empty:
        raise InputError(f"{gold}: no uid in common with the predictions")
    report = classification_report(joined["primary_gold"].tolist(), joined["primary_pred"].tolist())
    report["missing"] = len(truth) - len(joined)
    if "confidence" in joined and joined["confidence"].notna().all():
        report.update(calibration_report(joined["primary_gold"].tolist(), joined["primary_pred"].tolist(),
                                         joined["confidence"].to_numpy(dtype=float)))  # fmt: skip
    return report


def agreement(a: str | Path, b: str | Path) -> dict[str, Any]:
    """Cohen's (1960) kappa and Krippendorff's (2011) nominal alpha between two coders' files, on shared uids."""
    left, right = _read_codes(a), _read_codes(b)
    joined = left.merge(right, on="uid", suffixes=("_a", "_b"))
    if joined.empty:
        raise InputError(f"{a} and {b}: no uid in common")
    pairs = list(zip(joined["primary_a"], joined["primary_b"], strict=True))
    return {
        "n": len(joined),
        "only_a": len(left) - len(joined),
        "only_b": len(right) - len(joined),
        "observed_agreement": float((joined["primary_a"] == joined["primary_b"]).mean()),
        "cohen_kappa": cohen_kappa(joined["primary_a"].tolist(), joined["primary_b"].tolist()),
        "krippendorff_alpha": krippendorff_alpha(pairs),
    }
