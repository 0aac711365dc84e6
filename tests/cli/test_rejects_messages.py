"""What ``ingest`` and ``rejects`` say of rejected records: never an empty list, never a wrong source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture(scope="module")
def imported_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("rejects")
    (folder / "f.csv").write_text("message_id,thread_id,author,text\n1,t,A,hello there\n2,t,B,\n", encoding="utf-8")
    first = run("ingest", "f.csv", "--db", "db.duckdb", cwd=folder)
    assert first.returncode == 0, first.stderr
    return folder, run("ingest", "f.csv", "--db", "db.duckdb", cwd=folder)


def test_a_reimport_names_the_rejects_an_earlier_import_stored(imported_twice) -> None:
    """A re-import printed "1 record(s) rejected, kept in the rejects table:" over an empty list."""
    _, again = imported_twice
    assert again.returncode == 0, again.stderr
    lines = again.stderr.splitlines()
    at = lines.index("1 record(s) rejected, already kept in the `rejects` table by an earlier import:")
    assert lines[at + 1 : at + 3] == [
        "          1  empty text",
        "list them: chrysalide rejects --db db.duckdb --source f",
    ]


def test_a_reimport_of_nothing_new_says_so(imported_twice) -> None:
    _, again = imported_twice
    assert "nothing new: every message of f.csv is stored already in source 'f'" in again.stdout


def test_rejects_of_an_unknown_source_names_the_sources(imported_twice) -> None:
    """``chrysalide rejects --source nope`` said "no rejected record", as if the source existed."""
    folder, _ = imported_twice
    result = run("rejects", "--source", "nope", "--db", "db.duckdb", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --source nope: no such source; the database holds f"
