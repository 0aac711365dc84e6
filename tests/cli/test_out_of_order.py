"""Steps run before ``chrysalide code`` say that no message is coded, instead of showing empty or wrong figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

UNCODED = "no message is coded yet, and "


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture(scope="module")
def uncoded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("uncoded")
    rows = ["message_id,thread_id,author,posted_at,reply_to,text"]
    for i in range(6):
        reply = "" if i % 3 == 0 else f"m{i - 1}"
        rows.append(f"m{i},t{i // 3},u{i % 2},2024-01-0{i + 1} 10:00,{reply},message number {i} about my treatment")
    (folder / "f.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = run("ingest", "f.csv", "--db", "db.duckdb", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


def test_review_on_an_uncoded_database_says_to_run_code(uncoded: Path) -> None:
    """``review`` before ``code`` printed "accepted 0..." and recommended ``review --n 0 --audit 100``."""
    result = run("review", "--db", "db.duckdb", cwd=uncoded)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: db.duckdb: no message is coded yet, and the review shows the stage codes to accept or change: run"
        " `chrysalide code` first"
    )


def test_journeys_in_the_pipeline_warn_once_that_no_message_is_coded(uncoded: Path) -> None:
    """``pipeline --step journeys`` on an uncoded database gave no warning."""
    result = run("pipeline", "--step", "journeys", "--db", "db.duckdb", cwd=uncoded)
    assert result.returncode == 0, result.stderr
    warning = (
        "warning: no message is coded yet, and the journeys read the stage codes (stage runs, decentering,"
        " transitions): run `chrysalide code` first"
    )
    assert result.stderr.count(UNCODED) == 1 and warning in result.stderr


def test_panel_before_code_says_decentered_is_unknown_not_not_yet(uncoded: Path) -> None:
    """``panel`` before ``code`` listed every member as "decentered: not yet"."""
    result = run("panel", "--db", "db.duckdb", cwd=uncoded)
    assert result.returncode == 0, result.stderr
    assert "not yet" not in result.stdout and "unknown" in result.stdout
    assert (
        "warning: no message is coded yet, and the decentered and stages columns read them (unknown here): run"
        " `chrysalide code`, then `chrysalide journeys`"
    ) in result.stderr
