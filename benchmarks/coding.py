"""Benchmark the stage coders in the store: messages per second, peak memory, and the accuracy each option buys.

    .venv/bin/python benchmarks/coding.py [--size 50000] [--study | --store DB] [--workers 1 2] [--dask]
        [--coders lexicon model] [--encoder cascade always never] [--annotated DB]

The model's ``--encoder`` options: ``cascade`` (the default: sentence vectors only for the messages whose
fast code is unsure), ``always`` (every message encoded), ``never`` (fast features only). With
``--annotated DB`` (the store ``python -m chrysalide.coding.train_default --store DB`` builds), each option's
kappa and macro-F1 on our held-back annotated messages is printed too.

Throughput: ``chrysalide.coding.code(store, coder=...)`` for the lexicon coder and the shipped model on a
store holding ``--size`` generated messages (``chrysalide.demo.generate``, cached in benchmarks/.cache;
``--study`` = the study's 485,000), everything included: the SQL context, the text layer (normalise,
tokenise, lemmatise, person features), the coder and the final insert. Each configuration runs on a fresh
copy of the ingested store. CPU time is this process's plus its finished children's (pool workers), so it
stays meaningful on a shared machine. ``lexicon+model`` is one call with both coders (each message analysed
once, one run per coder); ``--store`` times a copy of an existing store (codes removed) instead.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import corpus, peak_rss_mb  # noqa: E402

from chrysalide.coding import LexiconCoder, ModelCoder, classification_report, code  # noqa: E402
from chrysalide.demo import STUDY_SIZE  # noqa: E402
from chrysalide.distributed import Execution  # noqa: E402
from chrysalide.ingest import ingest  # noqa: E402
from chrysalide.store import Store  # noqa: E402


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _model_variant(encoder: str, folder: Path) -> Path:
    """A copy of the shipped model whose encoder option is ``encoder``."""
    model = ModelCoder.load()
    model.settings_ = {**model.settings_, "encoder": encoder}
    return model.save(folder / f"model-{encoder}.npz")


def _accuracy(annotated: Path, variants: dict[str, Path | None]) -> None:
    """Kappa and macro-F1 of each coder variant on the held-back annotated messages of ``annotated``."""
    from chrysalide.coding.annotated import annotated_frame
    from chrysalide.coding.train_default import SHARED

    with Store(annotated, read_only=True) as store:
        frame = annotated_frame(store, SHARED / "annotations", SHARED / "corpora" / "HELDOUT_IDS.txt")
    held = frame[frame["held_back"]].reset_index(drop=True)
    columns = ["text", "lang", "kind", "is_first_post", "reply_to_other", "own_thread"]
    for name, path in variants.items():
        coder = LexiconCoder().fit() if path is None else ModelCoder.load(path)
        report = classification_report(held["primary"].tolist(), list(coder.predict(held[columns])))
        print(f"{name:16s} held-back annotations (n={report['n']}): macro-F1 {report['macro_f1']:.3f}  "
              f"kappa {report['kappa']:.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="number of generated messages")
    parser.add_argument("--study", action="store_true", help="use the study's size (485,000 messages)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="local pool sizes to measure")
    parser.add_argument("--dask", action="store_true", help="also run the Dask executor (local cluster)")
    parser.add_argument("--coders", nargs="+", default=["lexicon", "model"], help="coder kinds")
    parser.add_argument("--encoder", nargs="+", default=["cascade"], choices=["cascade", "always", "never"],
                        help="the model's sentence-vector options to measure")  # fmt: skip
    parser.add_argument("--annotated", type=Path, help="store of the annotated corpora: print each option's accuracy")
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
        variants: dict[str, Path | None] = {}
        for kind in args.coders:
            if kind == "model":
                variants.update({f"model:{e}": _model_variant(e, work) for e in args.encoder})
            else:
                variants[kind] = None
        runs = [(c, "local", w) for c in variants for w in args.workers]
        runs += [(c, "dask", 0) for c in variants] if args.dask else []
        for coder, executor, workers in runs:
            db = work / "run.duckdb"
            shutil.copyfile(work / "base.duckdb", db)
            shutil.copyfile(work / "base.key", work / "run.key")
            execution = Execution(workers=workers) if executor == "local" else Execution("dask")
            with Store(db) as store:
                c0, w0 = _cpu(), time.perf_counter()
                model = variants[coder]
                results = code(store, coder.split(":")[0], model=model, execution=execution)
                wall, cpu = time.perf_counter() - w0, _cpu() - c0
            label = f"{executor}" + (f" x{workers}" if executor == "local" else "")
            n_coded = max(r.summary["coded"] for r in results)
            print(f"{coder:13s} {label:9s} {n_coded:>8,} msgs  wall {wall:7.1f} s  {n_coded / wall:7,.0f} "
                  f"msg/s  cpu {cpu:7.1f} s  {n_coded / cpu:7,.0f} msg/cpu-s  "
                  f"study ~ {STUDY_SIZE['messages'] / (n_coded / wall):5.0f} s  peak RSS {peak_rss_mb():,.0f} MiB")  # fmt: skip
            db.unlink()
        if args.annotated is not None:
            _accuracy(args.annotated, variants)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
