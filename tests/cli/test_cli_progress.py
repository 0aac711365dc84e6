"""Progress bars: drawn on stderr when it is a terminal, never under --json, never on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TERMINAL = {"TTY_COMPATIBLE": "1", "COLUMNS": "160"}  # Rich then draws as on a terminal, captured or not


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, env={**os.environ, **env})  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("progress")
    rows = ["message_id,thread_id,author,posted_at,text"]
    rows += [f"{i},t{i % 9},member{i % 13},2020-03-{1 + i % 28:02d} 10:00,Message {i} sur la fatigue et le traitement"
             for i in range(2400)]  # fmt: skip
    (folder / "forum.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_terminal_sees_the_bars_on_stderr(folder: Path) -> None:
    ingest = run("ingest", "forum.csv", "--db", "bars.duckdb", cwd=folder, env=TERMINAL)
    assert ingest.returncode == 0, ingest.stderr
    assert "reading forum.csv" in ingest.stderr and "records" in ingest.stderr and "%" in ingest.stderr
    assert "reading" not in ingest.stdout
    steps = run("pipeline", "--db", "bars.duckdb", "--step", "text", "--step", "code", cwd=folder, env=TERMINAL)
    assert steps.returncode == 0, steps.stderr
    assert "text (running)" in steps.stderr and "code (running)" in steps.stderr
    assert "0/2400" in steps.stderr and "2400/2400" in steps.stderr  # the running step's count of its total


@pytest.mark.parametrize("env", [TERMINAL, {"TTY_COMPATIBLE": "0"}], ids=["terminal", "pipe"])
def test_json_output_is_one_document_and_no_bar(folder: Path, env: dict[str, str]) -> None:
    db = f"json-{env['TTY_COMPATIBLE']}.duckdb"
    for args in (["ingest", "forum.csv"], ["text"], ["code"], ["pipeline", "--step", "journeys"]):
        result = run(*args, "--db", db, "--json", cwd=folder, env=env)
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)
        assert "━" not in result.stderr and "running" not in result.stderr and "reading" not in result.stderr


def test_a_pipe_sees_no_bar(folder: Path) -> None:
    result = run("ingest", "forum.csv", "--db", "pipe.duckdb", cwd=folder, env={"TTY_COMPATIBLE": "0"})
    assert result.returncode == 0, result.stderr
    assert "reading" not in result.stderr and "━" not in result.stderr
