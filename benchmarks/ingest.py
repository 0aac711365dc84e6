"""Ingest benchmark: messages per second and peak memory per format on a generated forum.

    .venv/bin/python benchmarks/ingest.py                 # the study's size: 485,000 messages, 54,305 threads
    .venv/bin/python benchmarks/ingest.py --messages 50000
    .venv/bin/python benchmarks/ingest.py --formats jsonl --workers 1     # without the pool of pass 2
    .venv/bin/python benchmarks/ingest.py --messages 2000000 --formats jsonl --duckdb-memory 500MB

Each format is imported into a fresh database in a child process, so the peak memory printed is that
import's own: ``peak MB`` is the importing process's peak (``ru_maxrss``), ``tree MB`` the highest memory
of that process and its pool of workers together (proportional set size, sampled every half second:
sampling every 20 ms cost the import 3 CPU seconds at 485,000 messages). The workers' own ``ru_maxrss``
would mislead: a spawned worker is forked from the importing process before it executes a fresh
interpreter, and Linux counts the pages it shared at that moment in its peak. CPU seconds (user +
system, the workers' included) are printed beside wall seconds: on a shared machine they are the
steadier figure. ``--duckdb-memory`` caps DuckDB's memory for the import (``Store(memory_limit=)``, as
``CHRYSALIDE_MEMORY_LIMIT`` does for the commands), to tell DuckDB's
buffers (which it frees down to that limit) from the loader's own memory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, corpus, in_child  # noqa: E402
from formats import to_csv, to_phpbb, to_reddit  # noqa: E402

from chrysalide.demo import STUDY_SIZE  # noqa: E402

CHILD = """
import json, resource, time
from chrysalide.ingest import ingest
from chrysalide.store import Store
from _common import PeakSampler, peak_rss_mb
def cpu():  # this process and its workers (counted once they have ended)
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usages)
started, cpu_started = time.perf_counter(), cpu()
with Store({db!r}, memory_limit={duckdb_memory!r} or None) as store, PeakSampler(interval=0.5) as tree:
    report = ingest(store, {path!r}, format={fmt!r}, workers={workers!r})
print(json.dumps({{"imported": report.imported, "rejected": report.rejected, "seconds": time.perf_counter() - started,
                  "cpu_s": cpu() - cpu_started, "peak_mb": peak_rss_mb(), "tree_mb": tree.peak_mb}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=STUDY_SIZE["messages"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--formats", nargs="+", default=["jsonl", "csv", "reddit", "phpbb"])
    parser.add_argument("--workers", type=int, default=None, help="processes of pass 2 (default: the loader's)")
    parser.add_argument(
        "--duckdb-memory", default="", help="DuckDB's memory_limit, e.g. 500MB (default: DuckDB's, 80%% of RAM)"
    )
    args = parser.parse_args()
    source = corpus(args.messages, args.threads)
    files = {"jsonl": source}
    makers = {"csv": (to_csv, ".csv"), "reddit": (to_reddit, ".reddit.ndjson"), "phpbb": (to_phpbb, ".sql")}
    for fmt in args.formats:
        if fmt in makers:
            maker, suffix = makers[fmt]
            target = CACHE / (source.stem + suffix)
            if not target.exists():
                maker(source, target)
            files[fmt] = target
    print(f"corpus: {args.messages:,} generated messages ({source.name}), one fresh database per format")
    print(
        f"{'format':<8} {'file MB':>8} {'imported':>10} {'seconds':>8} {'CPU s':>7} {'msg/s':>9} {'peak MB':>8}"
        f" {'tree MB':>8}"
    )
    for fmt in args.formats:
        path = files[fmt]
        with tempfile.TemporaryDirectory() as tmp:
            code = f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
            code += CHILD.format(
                db=str(Path(tmp) / "bench.duckdb"),
                path=str(path),
                fmt=fmt,
                workers=args.workers,
                duckdb_memory=args.duckdb_memory,
            )
            result = in_child(code)
        rate = result["imported"] / result["seconds"] if result["seconds"] else 0
        print(
            f"{fmt:<8} {path.stat().st_size / 1e6:>8.0f} {result['imported']:>10,} {result['seconds']:>8.1f}"
            f" {result['cpu_s']:>7.1f} {rate:>9,.0f} {result['peak_mb']:>8.0f} {result['tree_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
