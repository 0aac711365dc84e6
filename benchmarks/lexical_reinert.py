"""Benchmark: Reinert simple (k=10) and double classification on synthetic sparse segment x term matrices.

Usage: .venv/bin/python benchmarks/lexical_reinert.py --segments 20000 100000 1000000 [--no-double]
       [--switching best|rainette|none] [--timeout SECONDS]

The matrix imitates lemmatised forum segments: ~4,000 terms with Zipfian frequencies, 8-15 distinct
terms per segment, 6 latent topics each with its own Zipfian vocabulary ranking, segments grouped into
messages of 1-5 segments (the doc_id used to merge short segments). Peak memory is the process's
maximum resident set size (ru_maxrss), measured in a fresh subprocess for each size and mode; CPU time
(user + system, all threads) is printed next to wall time because wall time means little on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import scipy.sparse as sp


def synthetic(n: int, p: int = 4000, topics: int = 6, seed: int = 0) -> tuple[sp.csr_matrix, np.ndarray]:
    """Zipfian, topic-structured binary matrix and the message id of every segment."""
    rng = np.random.default_rng(seed)
    zipf = 1.0 / np.arange(1, p + 1) ** 1.05
    zipf /= zipf.sum()
    lengths = rng.integers(8, 16, n)
    sizes = rng.integers(1, 6, n // 2 + 1)
    doc = np.repeat(np.arange(sizes.size), sizes)[:n]
    topic = rng.integers(0, topics, doc.max() + 1)[doc]  # one topic per message
    rows = np.repeat(np.arange(n), lengths)
    from_topic = rng.random(rows.size) < 0.45
    cols = rng.choice(p, rows.size, p=zipf)
    ranks = np.stack([rng.permutation(p) for _ in range(topics)])
    topical = rng.choice(p, rows.size, p=zipf)
    cols[from_topic] = ranks[topic[rows[from_topic]], topical[from_topic]]
    X = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, p))
    X.data[:] = 1.0
    return X, doc


def run_one(n: int, mode: str, switching: str) -> dict[str, object]:
    from chrysalide.lexical import DoubleReinertClassifier, ReinertClassifier, class_terms

    X, doc = synthetic(n)
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "simple":
        model = ReinertClassifier(k=10, switching=switching).fit(X, doc)
        classes = int(model.n_classes_)
        passes = [s["passes"] for s in model.splits_]
        class_terms(X, model.labels_, [f"t{j}" for j in range(X.shape[1])])
    else:
        model = DoubleReinertClassifier(max_k=5, switching=switching).fit(X, doc)
        classes = int(model.max_k_)
        passes = [s["passes"] for r in model.runs_ for s in r.splits_]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    unassigned = float(np.mean(model.labels_ < 0))
    return dict(
        segments=n,
        terms=X.shape[1],
        nnz=int(X.nnz),
        mode=mode,
        classes=classes,
        switching_passes=passes,
        unassigned_share=round(unassigned, 4),
        seconds=round(wall, 2),
        cpu_seconds=round(cpu, 2),
        segments_per_second=round(n / wall),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--no-double", action="store_true", help="only the simple classification")
    parser.add_argument("--switching", default="best", choices=["best", "rainette", "none"])
    parser.add_argument("--timeout", type=float, default=None, help="give up a size/mode after this many seconds")
    parser.add_argument("--child", nargs=2, metavar=("N", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(int(args.child[0]), args.child[1], args.switching)))
        return
    modes = ["simple"] if args.no_double else ["simple", "double"]
    for n in args.segments:
        for mode in modes:
            command = [sys.executable, __file__, "--child", str(n), mode, "--switching", args.switching]
            try:
                out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print(f"{n:>9,} segments {mode:>6}: not finished after {args.timeout:.0f} s", flush=True)
                continue
            res = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{res['segments']:>9,} segments x {res['terms']} terms ({res['nnz']:,} nnz) {mode:>6}: "
                f"{res['classes']} classes, {res['seconds']:>8.2f} s wall, {res['cpu_seconds']:>8.2f} s CPU, "
                f"{res['segments_per_second']:>9,} seg/s, "
                f"peak RSS {res['peak_rss_mb']:,} MB, unassigned {res['unassigned_share']:.1%}, "
                f"switching passes {res['switching_passes']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
