"""A source not declared a selection of threads that looks like one (``ingest.sampled``: its threads cut at one size,
or its post ids sparse) is found in the store by the community and alerts runs, as the import found it, and every
place that gives their newcomer or volume figures says so, with the evidence and the remedy.

Regression: r/mentalhealth's comment table (964 of its 1,000 threads hold exactly 10 comments), imported without
``--sampled-threads``, was warned about once, at import; then ``community`` gave 6,289 newcomers, ``alerts`` nine
volume bursts and the report a crisis finding (the comments of 68 sampled posts) without a word of it, and the
overview called its threads "pieces of conversations, often a comment or two".

By hand: a CSV of 20 threads, 15 of them holding 4 messages (the largest size) and the others 1 to 3, thread ``t``
starting on day ``10 t`` of 2021, each message by an author of its own: those of the threads starting 90 days or
more after the first message are newcomers (no registration date: the burn-in).
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from chrysalide.community import alerts, community
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_overview, section_responses, section_summary
from chrysalide.store import Store
from chrysalide.web.app import create_app

SIZES = [4] * 15 + [1, 2, 3, 2, 1]
REMEDY = "if it is one, import it again with --sampled-threads (into a new database)"


def _csv(path: Path) -> Path:
    rows = ["message_id,thread_id,author,posted_at,text"]
    for t, size in enumerate(SIZES):
        day = date(2021, 1, 1) + timedelta(days=10 * t)
        rows += [f"m{t}-{i},t{t},a{t}-{i},{day} {10 + i}:00,message {i} of thread {t}" for i in range(size)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _evidence() -> str:
    """The sizes' evidence, counted from :data:`SIZES`."""
    size = max(SIZES)
    at = SIZES.count(size)
    return (f"{at} of the {len(SIZES)} threads ({round(100 * at / len(SIZES))}%) hold exactly {size} messages and none "
            "holds more")  # fmt: skip


def _finding(store: Store, topic: str) -> str:
    (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == topic]
    return str(row[1])


def test_the_community_and_alerts_runs_find_it_in_the_store(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path / "t.csv"))
    expected = {"t": {"capped_threads": {"threads": len(SIZES), "size": max(SIZES), "at_size": SIZES.count(4)}}}
    run = community(store)
    assert run.summary["undeclared_selections"] == expected
    (warning,) = [w for w in run.summary["warnings"] if "not declared a selection" in w]
    assert warning == (
        f"source 't' was not declared a selection of threads at import but looks like one ({_evidence()}, as in an "
        "export cut at 4 messages a thread): its members' first messages there are counted as their arrivals "
        f"(newcomers), though they need not be their first on the forum; {REMEDY}"
    )
    assert alerts(store).summary["undeclared_selections"] == expected


def test_declared_it_is_not_named(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path / "t.csv"), sampled_threads=True)
    run = community(store)
    assert run.summary["undeclared_selections"] == {}
    assert not any("not declared a selection" in w for w in run.summary.get("warnings") or [])
    assert alerts(store).summary["undeclared_selections"] == {}


def test_the_report_and_the_dashboard_say_it_beside_the_newcomers(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path / "t.csv"))
    run = community(store)
    assert run.summary["newcomers"] > 0
    ctx = Context(store)
    said = f"{_evidence()}, as in an export cut at 4 messages a thread"
    (paragraph,) = [p for p in section_responses(ctx).paragraphs if "not declared a selection" in p]
    assert said in paragraph and paragraph.endswith(f"{REMEDY}.")
    assert said in _finding(store, "response to newcomers")
    store.close()
    page = TestClient(create_app(tmp_path / "test.duckdb"), base_url="http://127.0.0.1").get("/community").text
    assert 'id="undeclared-selection"' in page and said in page


def test_the_mentalhealth_comment_table_is_named_by_the_runs(store: Store, corpora: Path) -> None:
    """Counted over the raw CSV: comments per post_id (the posts are not in the table: every thread lacks its
    opening message)."""
    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    with path.open(encoding="utf-8", newline="") as f:
        sizes = Counter(row["post_id"] for row in csv.DictReader(f))
    largest = max(sizes.values())
    ingest(store, path)
    summary = community(store).summary
    (source,) = summary["undeclared_selections"]
    assert summary["undeclared_selections"][source] == {"capped_threads": {
        "threads": len(sizes), "size": largest, "at_size": sum(n == largest for n in sizes.values())}}  # fmt: skip
    median = statistics.median(sizes.values())
    assert summary["threads_without_opening_median_messages"] == median and median > 2
    assert dict(section_overview(Context(store)).facts)["threads"].endswith(
        f"pieces of conversations, {median:g} messages in the median one)"
    )


def test_the_command_line_warns_beside_the_newcomers(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args],
                              capture_output=True, text=True, timeout=600, cwd=tmp_path,
                              env={**os.environ, "COLUMNS": "250"})  # fmt: skip

    assert run("ingest", str(_csv(tmp_path / "t.csv")), "--db", "c.duckdb").returncode == 0
    done = run("community", "--db", "c.duckdb")
    assert done.returncode == 0, done.stderr
    assert (
        f"warning: source 't' was not declared a selection of threads at import but looks like one ({_evidence()}"
        in (" ".join(done.stderr.split()))
    )
