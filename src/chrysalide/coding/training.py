"""Training data for the trainable coder: gold CSV files and human review decisions.

Every training frame passes through the held-out filter when a ``HELDOUT_IDS.txt`` is given: the
messages reserved for independent evaluation never reach ``fit``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

from chrysalide.coding.base import prepare
from chrysalide.coding.codebook import Codebook
from chrysalide.coding.context import read_as_coded
from chrysalide.coding.heldout import HeldOut
from chrysalide.coding.metrics import classification_report
from chrysalide.coding.model import ModelCoder
from chrysalide.coding.tables import check_codes
from chrysalide.errors import InputError

FEATURE_COLUMNS = ["text", "lang", "kind", "is_first_post", "reply_to_other", "own_thread"]


def read_gold(path: str | Path) -> pd.DataFrame:
    """A gold CSV with at least ``text`` and ``primary`` (and usually ``uid``); codes are checked."""
    try:
        frame = pd.read_csv(path, dtype={"uid": str}, keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot read as CSV: {str(exc).splitlines()[0]}") from exc
    missing = [c for c in ("text", "primary") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column '{missing[0]}' (a gold file needs text and primary)")
    frame["text"] = frame["text"].fillna("").astype(str)
    return check_codes(frame, path)


def features_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``frame`` a coder reads (missing context columns are simply absent)."""
    return frame[[c for c in FEATURE_COLUMNS if c in frame.columns]]


def out_of_fold_codes(frame: pd.DataFrame, *, groups: str | None = None, n_splits: int = 5, seed: int = 0,
                      extra: pd.DataFrame | None = None, weight: str | None = None,
                      **model_params: Any) -> np.ndarray:  # fmt: skip
    """The code a ModelCoder gives each message of ``frame`` when trained on the other folds.

    Stratified ``n_splits``-fold, or with ``groups`` (e.g. ``corpus``) one fold per group
    (leave-one-group-out): the codes then estimate accuracy on a forum the model has never seen.
    ``extra`` messages (e.g. codes of less-trained coders) join every fold's training part, never its test
    part nor its calibration (``ModelCoder.fit``'s ``measured``); with ``groups``, those of the group left out
    are left out too. ``weight`` names a column of both frames holding each message's sample weight
    (``ModelCoder.fit``'s ``sample_weight``).
    """
    extra = frame.iloc[:0] if extra is None else extra
    both = pd.concat([frame, extra], ignore_index=True)
    y = both["primary"].to_numpy()
    weights = None if weight is None else both[weight].to_numpy(float)
    batch = prepare(features_of(both))  # analyse every text once; folds slice the analyses
    own = np.arange(len(frame))
    pred = np.empty(len(frame), dtype=object)
    if groups:
        splits = LeaveOneGroupOut().split(own, y[own], frame[groups])
    else:
        splits = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(own, y[own])
    for train_idx, test_idx in splits:
        added = np.arange(len(frame), len(both))
        if groups:
            added = added[~extra[groups].isin(frame[groups].iloc[test_idx]).to_numpy()]
        fit_idx = np.concatenate([train_idx, added])
        measured = np.arange(len(fit_idx)) < len(train_idx)
        model = ModelCoder(**model_params).fit(batch.take(fit_idx), y[fit_idx], measured=measured,
                                               sample_weight=None if weights is None else weights[fit_idx])  # fmt: skip
        pred[test_idx] = model.predict(batch.take(test_idx))
    return pred


def cross_validate(frame: pd.DataFrame, **options: Any) -> dict[str, Any]:
    """Classification report of :func:`out_of_fold_codes` (same options)."""
    return classification_report(frame["primary"].tolist(), out_of_fold_codes(frame, **options).tolist())


def review_decisions(store: Any, *, audit_only: bool = False) -> pd.DataFrame:
    """Human decisions of the store (newest per message) with the message text and context, as gold rows.

    ``audit_only``: only the decisions of the random audit's sample (:mod:`chrysalide.coding.audit`).
    """
    from chrysalide.coding.audit import DECISIONS_SQL, DRAWN
    from chrysalide.coding.context import CONTEXT_SQL

    return store.con.execute(
        f"""
        WITH ctx AS ({CONTEXT_SQL}), {DECISIONS_SQL}
        SELECT ctx.*, d.reviewed AS "primary"
        FROM decisions d JOIN ctx USING (message_id)
        {f"WHERE {DRAWN}" if audit_only else ""}
        """
    ).df()


def train(*, gold: str | Path | None = None, store: Any = None, out: str | Path,
          codebook: str | Path | Codebook | None = None, heldout: str | Path | None = None, audit_only: bool = False,
          **model_params: Any) -> dict[str, Any]:  # fmt: skip
    """Fit a ModelCoder on a gold CSV and/or the store's human review decisions, save it to ``out``.

    A thread start of the gold CSV is learned with its ``title`` when the file has that column, as the coding step
    reads it (:func:`chrysalide.coding.context.read_as_coded`); ``heldout`` (a HELDOUT_IDS.txt) leaves out its
    messages, matched on the file's text before the title joins it.

    Returns the model's path, its number of training messages and codes, its out-of-fold figures
    (``cross_validated``: empty when a code has fewer messages than folds) and, with a ``store``, the agreement of
    the store's automatic codes with its random audit (``audit``, :mod:`chrysalide.coding.audit`; None without
    one): the figure a model trained on this forum's codes has to beat (docs/coding.md, "Retraining on your
    forum's codes"). ``audit_only``: learn from the random audit's decisions only (a model trained on the least
    certain codes coded the rest of a forum worse).
    """
    held = HeldOut.read(heldout) if heldout is not None else HeldOut.nothing()
    frames = []
    if gold is not None:
        coded = read_gold(gold)
        # Held out on the file's own text, as HELDOUT_IDS.txt hashes it; then read as the coders read it.
        coded = read_as_coded(held.drop(coded))
        frames.append(features_of(coded).assign(primary=coded["primary"]))
    if store is not None:
        decisions = review_decisions(store, audit_only=audit_only)
        decisions = held.drop(decisions)
        frames.append(features_of(decisions).assign(primary=decisions["primary"]))
    if not frames:
        raise InputError("nothing to train on: give a gold CSV and/or --from-review")
    frame = pd.concat(frames, ignore_index=True)
    if frame["primary"].nunique() < 2:
        raise InputError(f"need at least two different codes to train, got {frame['primary'].nunique()}"
                         f" in {len(frame)} messages")  # fmt: skip
    model = ModelCoder(codebook=codebook, **model_params).fit(features_of(frame), frame["primary"])
    path = model.save(out)
    result = {"model": str(path), "n": len(frame), "class_counts": model.training_["class_counts"],
              "cross_validated": model.training_["cross_validated"]}  # fmt: skip
    if store is not None:  # what the new model has to beat: the database's automatic codes against the audit
        from chrysalide.coding.audit import AUDIT, review_agreement

        audit = review_agreement(store.con).get(AUDIT)
        result["audit"] = None if audit is None else audit.as_dict()
    return result
