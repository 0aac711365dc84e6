"""A bounded load test of a running dashboard: N requests over every page and twin, at a given concurrency.

Used by the test suite (2,000 requests at concurrency 8 on loopback, no error allowed) and by
``benchmarks/dashboard.py --load`` at the study's size. Each worker keeps one HTTP/1.1 connection alive,
so a server that dropped connections on errors would show up as errors here.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LIST_PAGES = ("/", "/members", "/threads", "/community", "/review", "/lexical", "/alerts", "/report")


@dataclass
class LoadResult:
    """What a load test saw: requests done, errors by kind, wall time, latency percentiles (ms)."""

    done: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def urls(base: str, sample: int = 20) -> list[str]:
    """Every list page and twin, and ``sample`` member and thread pages with their twins."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
    members = json.loads(_get(conn, f"/members.json?limit={sample}")[1])["members"]
    threads = json.loads(_get(conn, f"/threads.json?limit={sample}")[1])["threads"]
    conn.close()
    pages = list(LIST_PAGES)
    pages += [f"/members/{m['member_id']}" for m in members] + [f"/threads/{t['thread_id']}" for t in threads]
    return [p for page in pages for p in (page, "/.json" if page == "/" else f"{page}.json")]


def load(base: str, *, requests: int = 2000, concurrency: int = 8) -> LoadResult:
    """Send ``requests`` GETs to ``base`` from ``concurrency`` workers, each on one kept-alive connection."""
    parts = urlsplit(base)
    paths = urls(base)
    result = LoadResult()
    lock = threading.Lock()
    times: list[float] = []
    counter = iter(range(requests))

    def work() -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path = paths[i % len(paths)]
            started = time.perf_counter()
            try:
                status, _body = _get(conn, path)
                error = None if status == 200 else f"HTTP {status} {path.split('?')[0]}"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
                conn.close()
            with lock:
                times.append((time.perf_counter() - started) * 1000)
                result.done += 1
                if error:
                    result.errors[error] = result.errors.get(error, 0) + 1
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=work) for _ in range(concurrency)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    result.seconds = time.perf_counter() - started
    if times:
        times.sort()
        result.p50_ms = statistics.median(times)
        result.p95_ms = times[min(len(times) - 1, int(0.95 * len(times)))]
    return result
