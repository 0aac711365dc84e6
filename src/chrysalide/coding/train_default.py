"""Reproduce the shipped model: ``python -m chrysalide.coding.train_default [--cv] [--evaluate]``.

Training data (:mod:`chrysalide.coding.annotated`): the hand-coded messages of ``../shared/annotations``
(``stages_train.csv`` and ``stages_more.csv``) joined to their messages imported from ``../shared/corpora``
into a store, with the context the store gives them; minus every message of ``HELDOUT_IDS.txt``; minus our
own held-back fifth, on which ``--evaluate`` measures the shipped model. ``--cv`` prints the cross-validated
figures of docs/coding.md (stratified 5-fold, whole corpora left out, learning curve).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.coding.annotated import IMPORTS, PROJECT_CODES, annotated_frame, import_corpora
from chrysalide.coding.codebook import CODES
from chrysalide.coding.metrics import bootstrap
from chrysalide.coding.model import ModelCoder, default_model_path
from chrysalide.coding.quantify import adjusted_count, classify_and_count, probability_average
from chrysalide.coding.selection import oof_summary
from chrysalide.coding.training import cross_validate, features_of, out_of_fold_codes

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
#: The shipped model's parameters, chosen by the cross-validation recorded in docs/coding.md.
DEFAULT_PARAMS: dict[str, Any] = {"C": 4.0}
#: How much a trained coder's message counts when the model learns, by language (the issue's "weigh
#: languages"; chosen by cross-validation, docs/coding.md): French has 186 of them, English 4,213.
LANGUAGE_WEIGHTS: dict[str, float] = {"fr": 3.0}


def training_data(annotations: Path, corpora: Path, heldout: Path, store_path: Path | None = None,
                  project: Path | None = PROJECT_CODES) -> pd.DataFrame:  # fmt: skip
    """The annotated frame (see :func:`annotated_frame`), importing the corpora into a store first."""
    from chrysalide.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = store_path or Path(tmp) / "annotated.duckdb"
        with Store(path) as store:
            present = {row[0] for row in store.con.execute("SELECT DISTINCT source_id FROM messages").fetchall()}
            missing = [folder for folder in IMPORTS if folder not in present]
            if missing:
                import_corpora(store, corpora, missing)
            return annotated_frame(store, annotations, heldout, project)


def sample_weights(frame: pd.DataFrame) -> np.ndarray:
    """Each message's weight in training: :data:`LANGUAGE_WEIGHTS` of its language (``lang_gold``) for the
    trained coders' messages, 1 for the others (ours, and the languages not listed)."""
    by_language = frame["lang_gold"].map(LANGUAGE_WEIGHTS).fillna(1.0).to_numpy(float)
    return np.where(frame["coders"].to_numpy() == "trained", by_language, 1.0)


def with_intervals(gold: list[str], pred: list[str], langs: np.ndarray, n_boot: int = 1000,
                   seed: int = 0) -> dict[str, Any]:  # fmt: skip
    """Kappa, macro-F1 and accuracy, overall and per language, each (point, low, high) with its bootstrap 95 %
    interval (:func:`~chrysalide.coding.metrics.bootstrap`)."""
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    groups = {"all": np.arange(len(gold))}
    groups.update({lang: np.flatnonzero(langs == lang) for lang in ("en", "fr")})
    for name, idx in groups.items():
        out[name] = bootstrap([gold[i] for i in idx], [pred[i] for i in idx], n_boot=n_boot, seed=rng) | {"n": len(idx)}
    return out


def evaluate_held_back(model: ModelCoder, frame: pd.DataFrame, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Figures of ``model`` on the held-back messages (:func:`with_intervals`, calibration, stage shares)."""
    coded = model.code(features_of(frame))
    proba = coded[[f"score_{c}" for c in CODES]].to_numpy()
    gold, pred = frame["primary"].tolist(), coded["primary"].tolist()
    out = with_intervals(gold, pred, frame["lang_gold"].to_numpy(), n_boot, seed)
    calibration = oof_summary(gold, proba, np.array([CODES.index(c) for c in pred]))
    out["ece"], out["kappa_at_coverage"] = calibration["ece"], calibration["kappa_at_coverage"]
    out["needs_review"] = round(float(coded["needs_review"].mean()), 3)
    out["shares"] = {
        "gold": classify_and_count(gold),
        "raw": classify_and_count(pred),
        "pcc": probability_average(proba),
        "acc": adjusted_count(pred, model.confusion_),
    }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=SHARED / "annotations")
    parser.add_argument("--corpora", type=Path, default=SHARED / "corpora")
    parser.add_argument("--heldout", type=Path, default=SHARED / "corpora" / "HELDOUT_IDS.txt")
    parser.add_argument("--store", type=Path, default=None, help="keep the imported corpora in this DuckDB file")
    parser.add_argument("--out", type=Path, default=default_model_path())
    parser.add_argument("--cv", action="store_true", help="print cross-validated scores first")
    parser.add_argument("--evaluate", action="store_true", help="print the figures on the held-back fifth")
    parser.add_argument("--project", type=Path, default=PROJECT_CODES, help="our own codes (annotations/)")
    parser.add_argument("--without-project", action="store_true", help="train on the trained coders' codes only")
    args = parser.parse_args(argv)
    project = None if args.without_project else args.project
    frame = training_data(args.annotations, args.corpora, args.heldout, args.store, project)
    frame["lang_gold"] = frame["corpus"].str[-2:]
    frame["weight"] = sample_weights(frame)
    trained = frame[frame["coders"] == "trained"]
    ours = frame[frame["coders"] == "project"].reset_index(drop=True)
    train = trained[~trained["held_back"]].reset_index(drop=True)
    test = trained[trained["held_back"]].reset_index(drop=True)
    print(f"annotated messages: {len(frame)} ({frame.attrs['unmatched']} without a stored message); "
          f"trained coders' {len(trained)}: training {len(train)}, held back {len(test)}; "
          f"ours (training only) {len(ours)}")  # fmt: skip
    if args.cv:
        for groups in (None, "corpus"):
            pred = out_of_fold_codes(train, groups=groups, extra=ours, weight="weight", **DEFAULT_PARAMS).tolist()
            figures = with_intervals(train["primary"].tolist(), pred, train["lang_gold"].to_numpy())
            print(f"cv {'leaving one corpus out' if groups else 'stratified 5-fold'}:", json.dumps(figures), flush=True)
        for n in (500, 1000, 2000):
            sample = train.sample(n, random_state=0).reset_index(drop=True)
            report = cross_validate(sample, weight="weight", **DEFAULT_PARAMS)
            print(f"learning curve n={n}: kappa {report['kappa']:.3f} macro-F1 {report['macro_f1']:.3f}", flush=True)
    fit = pd.concat([train, ours], ignore_index=True)
    model = ModelCoder(**DEFAULT_PARAMS).fit(
        features_of(fit),
        fit["primary"],
        measured=(fit["coders"] == "trained").to_numpy(),
        sample_weight=fit["weight"].to_numpy(),
    )
    print("out-of-fold:", json.dumps(model.training_["cross_validated"]), f"review below {model.review_below}")
    print(f"saved {model.save(args.out)}")
    if args.evaluate:
        print("held back:", json.dumps(evaluate_held_back(model, test), default=float))


if __name__ == "__main__":
    main()
