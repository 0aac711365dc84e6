"""Dashboard latency: p50 / p95 per page on a study-size database (target: p95 under 150 ms).

    .venv/bin/python benchmarks/dashboard.py --db chrysalide-study/demo.duckdb   # an existing database
    .venv/bin/python benchmarks/dashboard.py --messages 485000                    # builds one with the demo

Requests go through the ASGI app in-process (FastAPI's TestClient), so the figures are the server's time
plus the client's overhead, without network.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, peak_rss_mb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--messages", type=int, default=485_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from chrysalide.web.app import create_app

    db = args.db
    if db is None:
        from chrysalide.demo.run import run_demo

        folder = CACHE / f"dashboard-{args.messages}"
        db = folder / "demo.duckdb"
        if not db.exists():
            print(f"building a {args.messages:,}-message database with the demo pipeline (minutes)...")
            run_demo(folder, size=args.messages)
    client = TestClient(create_app(db))
    members = client.get("/members.json?limit=50").json()["members"]
    counts = client.get("/.json").json()
    print(f"database: {db} ({counts['messages']:,} messages, {counts['members']:,} members)")
    member_ids = [m["member_id"] for m in members[:10]]
    thread_ids = [client.get(f"/members/{m}.json").json()["messages"][0]["thread_id"] for m in member_ids[:5]]
    pages = {
        "/": ["/"],
        "/members": ["/members", "/members?sort=recency&order=asc", "/members?sort=words"],
        "/members/{id}": [f"/members/{m}" for m in member_ids],
        "/threads/{id}": [f"/threads/{t}" for t in thread_ids],
        "/review": ["/review"],
        "/lexical": ["/lexical"],
        "/alerts": ["/alerts"],
    }
    print(f"{'page':<16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, urls in pages.items():
        times = []
        for i in range(args.repeat):
            url = urls[i % len(urls)]
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{name:<16} {len(times):>8} {statistics.median(times):>8.1f} {p95:>8.1f}")
    print(f"peak memory: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
