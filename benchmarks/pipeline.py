"""The whole pipeline on a generated forum of the study's size: time, throughput and peak memory per stage.

    .venv/bin/python benchmarks/pipeline.py                       # 485,000 messages, 54,305 threads
    .venv/bin/python benchmarks/pipeline.py --messages 50000
    .venv/bin/python benchmarks/pipeline.py --messages 5000000 --executor dask --steps text code journeys \
        lexical --lexical-sample 500000

Budget: the study-size pipeline in at most 3 minutes and 3 GB on 2 cores, plus up to 10 minutes for the
coding step where it buys accuracy (the stage model's sentence vectors, docs/coding.md). Peak memory per stage
is sampled from /proc every 0.1 s: the proportional set size (PSS) of this process and every process it
started (the text and coding pools, Dask's local workers), so pages shared after a fork count once. Generation of the corpus is cached and not timed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PeakSampler, corpus  # noqa: E402

from chrysalide.demo import STUDY_SIZE  # noqa: E402
from chrysalide.ingest import ingest  # noqa: E402
from chrysalide.pipeline import STEPS, PipelineOptions, Timed, pipeline  # noqa: E402
from chrysalide.store import Store  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its finished worker processes (the text and coding pools)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(
    store: Store, source: Path, steps: list[str], options: PipelineOptions, title: str
) -> tuple[float, float, float]:
    """Import ``source`` then run ``steps``, printing one line per step; return wall seconds, peak MB and the
    code step's wall seconds."""
    print(f"\n{title}")
    print(f"{'step':<13} {'wall s':>8} {'cpu s':>8} {'msg/s':>10} {'peak MB':>8}  note")
    started, cpu_started, overall_peak, coding = time.perf_counter(), cpu(), 0.0, 0.0
    with PeakSampler() as peak:
        cpu0, tic = cpu(), time.perf_counter()
        report = ingest(store, source)
        wall = time.perf_counter() - tic
        store.release_memory()
    new = report.imported
    print(f"{'ingest':<13} {wall:>8.1f} {cpu() - cpu0:>8.1f} {new / wall:>10,.0f} {peak.peak_mb:>8.0f}  {new:,} new")
    overall_peak = peak.peak_mb
    for step in [s for s in STEPS if s in steps]:
        cpu0 = cpu()
        done: list[Timed] = []
        with PeakSampler() as peak:
            pipeline(store, steps=[step], options=options, on_step=done.append)
        timed = done[0]
        summary = timed.result.summary
        rate = new / timed.seconds if timed.seconds else 0.0
        note = "up to date" if timed.result.up_to_date else ""
        if step == "lexical" and not note:
            kept = summary.get("classes_from") != timed.result.run_id
            note = f"{summary.get('assigned_new', 0):,} new segments joined the classes" if kept else "classified"
        print(f"{step:<13} {timed.seconds:>8.1f} {cpu() - cpu0:>8.1f} {rate:>10,.0f} {peak.peak_mb:>8.0f}  {note}")
        overall_peak = max(overall_peak, peak.peak_mb)
        coding += timed.seconds if step == "code" else 0.0
    wall = time.perf_counter() - started
    print(f"{'pipeline':<13} {wall:>8.1f} {cpu() - cpu_started:>8.1f} {new / wall:>10,.0f} {overall_peak:>8.0f}")
    return wall, overall_peak, coding


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=STUDY_SIZE["messages"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--executor", default="local", choices=["local", "dask"])
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--k", type=int, default=None, help="Reinert classes (default: the lexical step's)")
    parser.add_argument(
        "--lexical-sample", type=int, default=None, help="classify about N segments, assign the rest (bounded memory)"
    )
    parser.add_argument(
        "--add", type=int, default=0, help="then import N more messages and run again (incremental), then once more"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the database in this folder")
    args = parser.parse_args()

    source = corpus(args.messages, args.threads)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        measure(args, source, args.keep)
    else:  # the study-size database is about 600 MB: not left behind
        with tempfile.TemporaryDirectory(prefix="chrysalide-bench-") as tmp:
            measure(args, source, Path(tmp))


def measure(args: argparse.Namespace, source: Path, folder: Path) -> None:
    """Import ``source`` into a database in ``folder`` and run the steps (then the increments of ``--add``)."""
    db = folder / "bench.duckdb"
    options = PipelineOptions(
        k=args.k, watch=("levothyrox", "nouvelle formule"), report=folder / "report.html",
        executor=args.executor, scheduler=args.scheduler, lexical_sample=args.lexical_sample,
    )  # fmt: skip
    print(f"corpus: {args.messages:,} generated messages ({source.name}); database {db}; executor {args.executor}")
    with Store(db) as store:
        wall, peak, coding = run(store, source, args.steps, options, "first run: import and every stage")
        if args.messages == STUDY_SIZE["messages"]:
            # The coding step may spend up to 10 minutes where it buys accuracy (docs/coding.md); the rest, 3.
            verdict = "met" if wall - coding <= 180 and coding <= 600 and peak <= 3072 else "NOT met"
            print(f"budget (the study's size, 2 cores): 180 s for every step but code ({wall - coding:.0f} s), 600 s "
                  f"for code ({coding:.0f} s), 3,072 MB ({peak:,.0f} MB) -> {verdict}")  # fmt: skip
        if args.add:
            more = corpus(args.add, seed=8)
            run(store, more, args.steps, options, f"incremental: {args.add:,} more messages ({more.name})")
            run(store, more, args.steps, options, "again, nothing new")


if __name__ == "__main__":
    main()
