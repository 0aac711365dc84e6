"""Every benchmark still runs: each script on a tiny generated corpus, in its own process.

The benchmarks are run on demand, not by CI, so a change to the library can break one unnoticed (two did:
a table that gained columns, a look-up that became a tuple of look-ups). This checks that each runs to the
end and prints its peak memory; it times nothing (timings belong to the benchmarks themselves).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

RUNS = [
    ["pipeline.py", "--messages", "400", "--add", "4"],
    ["ingest.py", "--messages", "300"],
    ["text.py", "--source", "demo", "--size", "300"],
    ["coding.py", "--size", "100"],
    ["lexical_reinert.py", "--segments", "400"],
    ["journeys_community.py", "--messages", "2000", "--threads", "200", "--members", "100"],
    ["demo_generate.py", "--size", "300"],
    ["phpbb_sql.py", "--posts", "300"],
    ["dashboard.py", "--messages", "300", "--repeat", "1"],
]


def test_every_benchmark_is_smoke_tested() -> None:
    scripts = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    # a runner, a library, a one-off study, a study of the coder on ../shared (tests/test_external_labels.py)
    helpers = {"run_all.py", "formats.py", "text_lemma_choice.py", "external_labels.py"}
    assert scripts - helpers == {run[0] for run in RUNS}


@pytest.mark.parametrize("run", RUNS, ids=[run[0] for run in RUNS])
def test_benchmark_runs(run: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / run[0]), *run[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "peak" in done.stdout.lower(), done.stdout[-3000:]
