"""Shared helpers of the benchmarks: corpus generation, timing and peak memory of a child process."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from chrysalide.demo import STUDY_SIZE, generate

CACHE = Path(__file__).resolve().parent / ".cache"


def corpus(messages: int, threads: int | None = None, fmt: str = "jsonl", seed: int = 7) -> Path:
    """A generated corpus, cached between runs (seeded, so the cache is exact)."""
    CACHE.mkdir(exist_ok=True)
    threads = threads or max(1, round(messages * STUDY_SIZE["threads"] / STUDY_SIZE["messages"]))
    name = f"forum-{messages}-{threads}" + (f"-seed{seed}" if seed != 7 else "")
    path = CACHE / f"{name}.{fmt}"
    if not path.exists():
        generate(path, messages=messages, threads=threads, fmt=fmt, seed=seed)
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


def _pss_mb(pid: int) -> float:
    """Proportional set size of one process (shared pages divided among their users), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0.0


def tree_pss_mb() -> float:
    """Memory of this process and all its descendants (worker pools, Dask's local workers), in MB."""
    me = psutil.Process()
    return _pss_mb(me.pid) + sum(_pss_mb(child.pid) for child in me.children(recursive=True))


class PeakSampler:
    """Highest memory of the process tree (``tree_pss_mb``) while a block runs, sampled every 0.1 s (Linux).

    Sampling reads /proc for every process of the tree: every 20 ms it cost an import about 3 CPU seconds.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_pss_mb())
            time.sleep(self.interval)

    def __enter__(self) -> PeakSampler:
        self.peak_mb = tree_pss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
