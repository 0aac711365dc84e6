"""Benchmark the demo forum generator: messages per second and peak memory.

Usage: ``.venv/bin/python benchmarks/demo_generate.py [--size study|demo|N] [--fmt jsonl|csv] [--truth]``.
The study size (485,000 messages, 54,305 threads) is the default; the file goes to a temporary folder
unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from chrysalide.demo import PRESETS, generate


def _size(value: str) -> dict[str, int]:
    if value in PRESETS:
        return dict(PRESETS[value])
    return {"messages": int(value)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="study", help="preset name (study, demo) or a number of messages")
    parser.add_argument("--fmt", default="jsonl", choices=("jsonl", "csv"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--truth", action="store_true", help="also write the generator-side truth file")
    parser.add_argument("--out", type=Path, help="output file (default: a temporary folder, removed after)")
    args = parser.parse_args(argv)
    size = _size(args.size)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / f"demo.{args.fmt}"
        wall, cpu = time.perf_counter(), time.process_time()
        generate(out, seed=args.seed, fmt=args.fmt, truth=args.truth, **size)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        megabytes = out.stat().st_size / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    n = size["messages"]
    print(f"corpus: {n:,} messages, {size.get('threads', 'default')} threads, {args.fmt}, {megabytes:,.1f} MB")
    print(f"wall time: {wall:.1f} s (cpu {cpu:.1f} s)")
    print(f"throughput: {n / wall:,.0f} messages/s (cpu: {n / cpu:,.0f} messages/s)")
    print(f"peak memory (max RSS of the process): {rss:,.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
