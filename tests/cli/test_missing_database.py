"""No silent empty projects: only ingest and demo create a database; a failed import leaves no file behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    ["text"], ["code"], ["review"], ["lexical"], ["journeys"], ["panel"], ["survival"], ["community"], ["alerts"],
    ["pipeline"], ["report", "--out", "r.html"], ["consent", "import", "consent.csv"], ["consent", "list"],
    ["export", "refi", "--out", "x.qdpx"], ["export", "iramuteq", "--out", "x.txt"], ["export", "parquet", "--out", "pq"],
    ["export", "csv", "--out", "csv"], ["serve", "--port", "8999"],
]  # fmt: skip


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_but_ingest_refuses_a_missing_database(tmp_path, command):
    (tmp_path / "consent.csv").write_text("member,status,date,scope\nM-1,granted,,quote\n", encoding="utf-8")
    result = run(*command, "--db", "typo.duckdb", cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "no such database" in result.stderr and "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1
    assert not any(p.name.startswith("typo") for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    ("content", "options", "expected"),
    [
        ("message_id,text\n\n\n", [], "no records"),
        ("message_id,text\n1,hello\n", ["--map", "text=body"], "missing required text (column 'body')"),
        ("message_id,text\n1,hello\n", [], None),
    ],
)
def test_a_failed_first_import_leaves_no_database_wal_or_key(tmp_path, content, options, expected):
    (tmp_path / "f.csv").write_text(content, encoding="utf-8")
    result = run("ingest", "f.csv", "--db", "new.duckdb", *options, cwd=tmp_path)
    if expected is None:  # the control: a good import keeps its database and key
        assert result.returncode == 0
        assert {p.name for p in tmp_path.iterdir()} == {"f.csv", "new.duckdb", "new.key"}
        return
    assert result.returncode == 2 and expected in result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"f.csv"}


def test_a_failed_later_import_keeps_the_database_as_it_was(tmp_path):
    (tmp_path / "f.csv").write_text("message_id,text,author\n1,hello,ann\n", encoding="utf-8")
    assert run("ingest", "f.csv", "--db", "db.duckdb", cwd=tmp_path).returncode == 0
    (tmp_path / "g.csv").write_text("\n\n", encoding="utf-8")
    result = run("ingest", "g.csv", "--db", "db.duckdb", cwd=tmp_path)
    assert result.returncode == 2
    assert {p.name for p in tmp_path.iterdir()} == {"f.csv", "g.csv", "db.duckdb", "db.key"}
