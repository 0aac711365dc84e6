"""Dashboard latency: p50 / p95 per page on a study-size database (target: p95 under 150 ms), and a load test.

    .venv/bin/python benchmarks/dashboard.py --db chrysalide-study/demo.duckdb   # an existing database
    .venv/bin/python benchmarks/dashboard.py --messages 485000                    # builds one with the demo
    .venv/bin/python benchmarks/dashboard.py --db X --load 2000                   # + 2,000 requests at concurrency 8

Requests go through the ASGI app in-process (FastAPI's TestClient), so the figures are the server's time
plus the client's overhead, without network. "cpu" is the process's CPU time per request (every thread,
DuckDB's included): on a machine shared with other work it shows what a page costs when wall time cannot.
The first request of each page is reported apart ("first"):
it fills the caches of slow aggregates that ``chrysalide serve`` computes at start-up. The load test runs
``chrysalide serve`` in its own process and sends requests over loopback from 8 kept-alive connections.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, peak_rss_mb  # noqa: E402


def latency(db: Path, repeat: int) -> None:
    from fastapi.testclient import TestClient

    from chrysalide.web.app import create_app

    client = TestClient(create_app(db), base_url="http://127.0.0.1:8000")
    members = client.get("/members.json?limit=50").json()["members"]
    counts = client.get("/.json").json()
    print(f"database: {db} ({counts['messages']:,} messages, {counts['members']:,} members)")
    member_ids = [m["member_id"] for m in members[:10]]  # the most active members: the heaviest pages
    thread_ids = [client.get(f"/members/{m}.json").json()["messages"][0]["thread_id"] for m in member_ids[:5]]
    levels = client.get("/lexical.json").json()["levels"] or [None]
    pages = {
        "/": ["/"],
        "/members": ["/members", "/members?sort=recency&order=asc", "/members?sort=words"],
        "/members/{id}": [f"/members/{m}" for m in member_ids],
        "/threads": ["/threads", "/threads?sort=messages", "/threads?q=levothyrox"],
        "/threads/{id}": [f"/threads/{t}" for t in thread_ids],
        "/community": ["/community"],
        "/review": ["/review"],
        "/lexical?k=": [f"/lexical?k={k}" if k else "/lexical" for k in levels],
        "/alerts": ["/alerts"],
        "/report": ["/report"],
        "JSON twins": ["/.json", "/members.json", "/review.json", "/community.json", "/alerts.json"],
    }
    print(f"{'page':<16} {'requests':>8} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8}")
    for name, urls in pages.items():
        times, cpu = [], []
        for i in range(repeat + 1):
            url = urls[i % len(urls)]
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        first, rest, rest_cpu = times[0], sorted(times[1:]), sorted(cpu[1:])
        at95 = min(len(rest) - 1, int(0.95 * len(rest)))
        print(f"{name:<16} {len(rest):>8} {first:>9.1f} {statistics.median(rest):>8.1f} {rest[at95]:>8.1f}"
              f" {statistics.median(rest_cpu):>8.1f} {rest_cpu[at95]:>8.1f}")  # fmt: skip
    print(f"peak memory: {peak_rss_mb():.0f} MB")


def load_test(db: Path, requests: int) -> None:
    import http.client

    from chrysalide.web.loadtest import load

    port = 8765
    serve = subprocess.Popen(
        [str(Path(sys.executable).parent / "chrysalide"), "serve", "--db", str(db), "--port", str(port)],
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/.json")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        result = load(f"http://127.0.0.1:{port}", requests=requests, concurrency=8)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    print(
        f"load: {result.done:,} requests at concurrency 8 in {result.seconds:.1f} s"
        f" ({result.done / max(result.seconds, 1e-9):,.0f}/s), p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms,"
        f" errors: {result.errors or 0}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--messages", type=int, default=485_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--load", type=int, default=0, help="requests of a load test at concurrency 8 (0: none)")
    args = parser.parse_args()
    db = args.db
    if db is None:
        from chrysalide.demo.run import run_demo

        folder = CACHE / f"dashboard-{args.messages}"
        db = folder / "demo.duckdb"
        if not db.exists():
            print(f"building a {args.messages:,}-message database with the demo pipeline (minutes)...")
            run_demo(folder, size=args.messages)
    latency(db, args.repeat)
    if args.load:
        load_test(db, args.load)


if __name__ == "__main__":
    main()
