"""Shared helpers of the benchmarks: corpus generation, timing and peak memory of a child process."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from chrysalide.demo import STUDY_SIZE, generate

CACHE = Path(__file__).resolve().parent / ".cache"


def corpus(messages: int, threads: int | None = None, fmt: str = "jsonl") -> Path:
    """A generated corpus, cached between runs (seeded, so the cache is exact)."""
    CACHE.mkdir(exist_ok=True)
    threads = threads or max(1, round(messages * STUDY_SIZE["threads"] / STUDY_SIZE["messages"]))
    path = CACHE / f"forum-{messages}-{threads}.{fmt}"
    if not path.exists():
        generate(path, messages=messages, threads=threads, fmt=fmt)
    return path


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(code: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (so peak memory is its own); it prints one JSON line."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    payload.setdefault("wall_s", time.perf_counter() - started)
    return payload
