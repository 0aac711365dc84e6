"""Benchmark the stage coders in the store: messages per second on a generated forum, accuracy on our held-back messages.

    .venv/bin/python benchmarks/coding.py [--size 50000] [--study | --store DB] [--workers 1 2] [--dask]
        [--coders lexicon model lexicon+model]

Throughput: ``chrysalide.coding.code(store, coder=...)`` for the lexicon coder and the shipped model on a
store holding ``--size`` generated messages (``chrysalide.demo.generate``, cached in benchmarks/.cache;
``--study`` = the study's 485,000), everything included: the SQL context, the text layer (normalise,
tokenise, lemmatise, person features), the coder and the final insert. Each configuration runs on a fresh
copy of the ingested store. CPU time is this process's plus its finished children's (pool workers), so it
stays meaningful on a shared machine. ``lexicon+model`` is one call with both coders (each message analysed
once, one run per coder); ``--store`` times a copy of an existing store (codes removed) instead. Accuracy: macro-F1 and Cohen's kappa on the ``holdout`` split of
``coding/data/extra_annotations.csv`` (messages written and coded by us, never used in training).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import corpus, peak_rss_mb  # noqa: E402

from chrysalide.coding import LexiconCoder, ModelCoder, classification_report, code  # noqa: E402
from chrysalide.coding.training import extra_annotations_path  # noqa: E402
from chrysalide.demo import STUDY_SIZE  # noqa: E402
from chrysalide.distributed import Execution  # noqa: E402
from chrysalide.ingest import ingest  # noqa: E402
from chrysalide.store import Store  # noqa: E402


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _held_out() -> None:
    held = pd.read_csv(extra_annotations_path())
    held = held[held["split"] == "holdout"]
    for name, coder in (("lexicon", LexiconCoder().fit()), ("model", ModelCoder.load())):
        report = classification_report(held["primary"].tolist(), list(coder.predict(held[["text", "lang", "kind"]])))
        print(f"{name:8s} held-back annotations (n={report['n']}): macro-F1 {report['macro_f1']:.3f}  "
              f"kappa {report['kappa']:.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="number of generated messages")
    parser.add_argument("--study", action="store_true", help="use the study's size (485,000 messages)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="local pool sizes to measure")
    parser.add_argument("--dask", action="store_true", help="also run the Dask executor (local cluster)")
    parser.add_argument("--coders", nargs="+", default=["lexicon", "model", "lexicon+model"],
                        help="coder kinds; a+b codes with both in one pass")  # fmt: skip
    parser.add_argument("--store", type=Path, help="copy of this ingested store (and its .key) instead of --size")
    args = parser.parse_args()
    size = STUDY_SIZE["messages"] if args.study else args.size
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="chrysalide-bench-coding-"))
    try:
        if args.store is not None:
            shutil.copyfile(args.store, work / "base.duckdb")
            shutil.copyfile(args.store.with_suffix(".key"), work / "base.key")
            origin = str(args.store)
        else:
            source = corpus(size)
            origin = source.name
        with Store(work / "base.duckdb") as store:
            if args.store is None:
                ingest(store, source)
            store.con.execute("DELETE FROM codes")
            store.con.execute("CHECKPOINT")
            n = store.con.execute("SELECT count(*) FROM messages").fetchone()[0]  # type: ignore[index]
        print(f"corpus: {n:,} messages ({origin}), ready in {time.perf_counter() - t0:.1f} s")
        runs = [(c, "local", w) for c in args.coders for w in args.workers]
        runs += [(c, "dask", 0) for c in args.coders] if args.dask else []
        for coder, executor, workers in runs:
            db = work / "run.duckdb"
            shutil.copyfile(work / "base.duckdb", db)
            shutil.copyfile(work / "base.key", work / "run.key")
            execution = Execution(workers=workers) if executor == "local" else Execution("dask")
            with Store(db) as store:
                c0, w0 = _cpu(), time.perf_counter()
                results = code(store, coder.split("+"), execution=execution)
                wall, cpu = time.perf_counter() - w0, _cpu() - c0
            label = f"{executor}" + (f" x{workers}" if executor == "local" else "")
            n_coded = max(r.summary["coded"] for r in results)
            print(f"{coder:13s} {label:9s} {n_coded:>8,} msgs  wall {wall:7.1f} s  {n_coded / wall:7,.0f} "
                  f"msg/s  cpu {cpu:7.1f} s  {n_coded / cpu:7,.0f} msg/cpu-s  "
                  f"study ~ {STUDY_SIZE['messages'] / (n_coded / wall):5.0f} s  peak RSS {peak_rss_mb():,.0f} MiB")  # fmt: skip
            db.unlink()
        _held_out()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
