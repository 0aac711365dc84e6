"""Benchmark the stage coders: messages per second on a generated forum, accuracy on our held-back messages.

    .venv/bin/python benchmarks/coding.py [--size 20000] [--study]

Throughput: both coders (lexicon, shipped model) on ``--size`` synthetic messages from
``chrysalide.demo.generate_frame`` (``--study`` = the study's 485,000), including the text layer
(normalise, detect, tokenise, lemmatise). Accuracy: macro-F1 and Cohen's kappa on the ``holdout`` split of
``coding/data/extra_annotations.csv`` (messages written and coded by us, never used in training). The
agreement with the generator's intended stages is printed too: a sanity check, not an accuracy claim.
"""

from __future__ import annotations

import argparse
import resource
import time

import pandas as pd

from chrysalide.coding import LexiconCoder, ModelCoder, classification_report
from chrysalide.coding.training import extra_annotations_path
from chrysalide.demo import STUDY_SIZE, generate_frame


def _corpus(size: int, seed: int) -> pd.DataFrame:
    frame = generate_frame(size, seed=seed, truth=True)
    first = ~frame.duplicated("author")
    return pd.DataFrame({"text": frame["text"], "lang": frame["lang"], "is_first_post": first.astype(int),
                         "kind": frame["kind"].where(frame["kind"] == "thread_start", "reply"),
                         "truth": frame["intended_stage"]})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000, help="number of synthetic messages")
    parser.add_argument("--study", action="store_true", help="use the study's size (485,000 messages)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    size = STUDY_SIZE["messages"] if args.study else args.size
    t0 = time.perf_counter()
    corpus = _corpus(size, args.seed)
    print(f"corpus: {len(corpus):,} generated messages ({corpus['lang'].value_counts().to_dict()}), "
          f"generated in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    held = pd.read_csv(extra_annotations_path())
    held = held[held["split"] == "holdout"]
    for name, coder in (("lexicon", LexiconCoder().fit()), ("model", ModelCoder.load())):
        t0 = time.perf_counter()
        coded = pd.concat([coder.code(corpus.iloc[i : i + 5000]) for i in range(0, len(corpus), 5000)])
        wall = time.perf_counter() - t0
        report = classification_report(held["primary"].tolist(), list(coder.predict(held[["text", "lang", "kind"]])))
        truth = classification_report(corpus["truth"].tolist(), coded["primary"].tolist())
        print(f"{name:8s} wall {wall:8.1f} s  {len(corpus) / wall:8.0f} msg/s  "
              f"study size (485,000) ~ {485_000 / (len(corpus) / wall) / 60:5.1f} min")  # fmt: skip
        print(f"         held-back annotations (n={report['n']}): macro-F1 {report['macro_f1']:.3f}  "
              f"kappa {report['kappa']:.3f}  per class F1 "
              + ", ".join(f"{c} {v['f1']:.2f}" for c, v in report["per_class"].items()))  # fmt: skip
        print(f"         generator's intended stages (sanity only): macro-F1 {truth['macro_f1']:.3f}  "
              f"kappa {truth['kappa']:.3f}; codes {coded['primary'].value_counts().to_dict()}")  # fmt: skip
        print(f"         peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
