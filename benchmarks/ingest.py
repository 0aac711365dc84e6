"""Ingest benchmark: messages per second and peak memory per format on a generated forum.

    .venv/bin/python benchmarks/ingest.py                 # the study's size: 485,000 messages, 54,305 threads
    .venv/bin/python benchmarks/ingest.py --messages 50000

Each format is imported into a fresh database in a child process, so the peak memory printed is that
import's own. CPU seconds (user + system) are printed beside wall seconds: on a shared machine they are the
steadier figure.
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
from _common import peak_rss_mb
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
started, cpu_started = time.perf_counter(), cpu()
with Store({db!r}) as store:
    report = ingest(store, {path!r}, format={fmt!r})
print(json.dumps({{"imported": report.imported, "rejected": report.rejected, "seconds": time.perf_counter() - started,
                  "cpu_s": cpu() - cpu_started, "peak_mb": peak_rss_mb()}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=STUDY_SIZE["messages"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--formats", nargs="+", default=["jsonl", "csv", "reddit", "phpbb"])
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
    print(f"{'format':<8} {'file MB':>8} {'imported':>10} {'seconds':>8} {'CPU s':>7} {'msg/s':>9} {'peak MB':>8}")
    for fmt in args.formats:
        path = files[fmt]
        with tempfile.TemporaryDirectory() as tmp:
            code = f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
            code += CHILD.format(db=str(Path(tmp) / "bench.duckdb"), path=str(path), fmt=fmt)
            result = in_child(code)
        rate = result["imported"] / result["seconds"] if result["seconds"] else 0
        print(
            f"{fmt:<8} {path.stat().st_size / 1e6:>8.0f} {result['imported']:>10,} {result['seconds']:>8.1f}"
            f" {result['cpu_s']:>7.1f} {rate:>9,.0f} {result['peak_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
