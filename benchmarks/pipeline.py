"""The whole pipeline on a generated forum of the study's size: time, throughput and peak memory per stage.

    .venv/bin/python benchmarks/pipeline.py                       # 485,000 messages, 54,305 threads
    .venv/bin/python benchmarks/pipeline.py --messages 50000
    .venv/bin/python benchmarks/pipeline.py --messages 5000000 --executor dask --steps text code journeys

Budget (issue 7): the study-size pipeline in at most 3 minutes and 3 GB on 2 cores. Peak memory per stage
is sampled from /proc every 20 ms: the proportional set size (PSS) of this process and every process it
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
from chrysalide.pipeline import STEPS, PipelineOptions, StepResult, pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=STUDY_SIZE["messages"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--executor", default="local", choices=["local", "dask"])
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database in this folder")
    args = parser.parse_args()

    from chrysalide.ingest import ingest
    from chrysalide.store import Store

    source = corpus(args.messages, args.threads)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="chrysalide-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.duckdb"
    options = PipelineOptions(
        k=args.k, watch=("levothyrox", "nouvelle formule"), report=folder / "report.html",
        executor=args.executor, scheduler=args.scheduler,
    )  # fmt: skip
    print(f"corpus: {args.messages:,} generated messages ({source.name}); database {db}; executor {args.executor}")
    print(f"{'step':<13} {'wall s':>8} {'cpu s':>8} {'msg/s':>10} {'peak MB':>8}")
    rows: list[tuple[str, float, float, float]] = []

    def cpu() -> float:
        # This process and its finished worker processes (the text and coding pools).
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    total_started, total_cpu = time.perf_counter(), cpu()
    overall_peak = 0.0
    with Store(db) as store:
        cpu0 = cpu()
        with PeakSampler() as peak:
            started = time.perf_counter()
            report = ingest(store, source)
            wall = time.perf_counter() - started
        rows.append(("ingest", wall, cpu() - cpu0, peak.peak_mb))
        print(f"{'ingest':<13} {wall:>8.1f} {cpu() - cpu0:>8.1f} {report.imported / wall:>10,.0f} {peak.peak_mb:>8.0f}")
        overall_peak = max(overall_peak, peak.peak_mb)
        for step in [s for s in STEPS if s in args.steps]:
            cpu0 = cpu()
            done: list[StepResult] = []
            with PeakSampler() as peak:
                pipeline(store, steps=[step], options=options, on_step=done.append)
            result = done[0]
            used = cpu() - cpu0
            rate = args.messages / result.seconds if result.seconds else 0.0
            print(f"{step:<13} {result.seconds:>8.1f} {used:>8.1f} {rate:>10,.0f} {peak.peak_mb:>8.0f}")
            overall_peak = max(overall_peak, peak.peak_mb)
    wall = time.perf_counter() - total_started
    print(f"{'pipeline':<13} {wall:>8.1f} {cpu() - total_cpu:>8.1f} {args.messages / wall:>10,.0f} {overall_peak:>8.0f}")
    print(f"budget: 180 s and 3,072 MB on 2 cores -> {'met' if wall <= 180 and overall_peak <= 3072 else 'NOT met'}")


if __name__ == "__main__":
    main()
