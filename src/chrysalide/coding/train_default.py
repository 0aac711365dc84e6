"""Reproduce the shipped model: ``python -m chrysalide.coding.train_default [--cv]``.

Training data: ``stages_train.csv`` (../shared/annotations) plus the train split of our hand-written
``data/extra_annotations.csv``, minus every message of ``HELDOUT_IDS.txt``. ``--cv`` first prints the
cross-validated scores reported in docs/coding.md (stratified 5-fold, and grouped by corpus).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from chrysalide.coding.model import ModelCoder, default_model_path
from chrysalide.coding.training import cross_validate, default_training_frame, features_of

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
#: The shipped model's parameters, chosen by the cross-validation recorded in docs/coding.md.
DEFAULT_PARAMS: dict = {"C": 4.0, "settings": {"use_chars": False}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=SHARED / "annotations" / "stages_train.csv")
    parser.add_argument("--heldout", type=Path, default=SHARED / "corpora" / "HELDOUT_IDS.txt")
    parser.add_argument("--out", type=Path, default=default_model_path())
    parser.add_argument("--cv", action="store_true", help="print cross-validated scores first")
    args = parser.parse_args(argv)
    frame = default_training_frame(args.annotations, args.heldout)
    print(f"training messages: {len(frame)} ({frame['source'].value_counts().to_dict()})")
    if args.cv:
        for groups in (None, "corpus"):
            report = cross_validate(frame, groups=groups, **DEFAULT_PARAMS)
            summary = {k: report[k] for k in ("macro_f1", "kappa", "accuracy")}
            summary["per_class_f1"] = {c: round(v["f1"], 3) for c, v in report["per_class"].items()}
            print(f"cv grouped by {groups or 'nothing (stratified)'}:", json.dumps(summary))
    model = ModelCoder(**DEFAULT_PARAMS).fit(features_of(frame), frame["primary"])
    print(f"saved {model.save(args.out)}")


if __name__ == "__main__":
    main()
