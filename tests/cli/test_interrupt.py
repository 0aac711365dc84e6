"""Ctrl-C ends every command with one line saying what it interrupted, exit code 130, and nothing written.

A command runs in a subprocess whose chosen function first writes a ``ready`` file, then runs a DuckDB query
long enough to be interrupted there; the test sends SIGINT once the file exists.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from chrysalide.cli.main import INTERRUPTED_EXIT

SLOW = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import {module} as target
    real = target.{function}
    def slow(*args, **kwargs):
        Path("ready").write_text("ready")
        args[0].con.execute("SELECT count(*) FROM range(100000000000) a") if hasattr(args[0], "con") else \\
            args[0].execute("SELECT count(*) FROM range(100000000000) a")
        return real(*args, **kwargs)
    target.{function} = slow
    sys.argv = ["chrysalide", *sys.argv[1:]]
    from chrysalide.cli.main import run
    run()
    """
)


def _interrupt(cwd: Path, module: str, function: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``chrysalide *args`` with ``module.function`` made slow; SIGINT once it is reached."""
    (cwd / "slow.py").write_text(SLOW.format(module=module, function=function), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "slow.py", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (cwd / "ready").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)  # into the query
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "f.csv").write_text(
        "message_id,thread_id,author,text\n1,t1,A,hello there\n2,t1,B,thank you, it helps\n", encoding="utf-8"
    )
    done = subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", "f.csv",
                           "--db", "db.duckdb"], cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return tmp_path


def _tables(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # type: ignore[index]
    finally:
        con.close()


def test_interrupt_while_opening_the_database_is_no_internal_error(project: Path) -> None:
    """Ctrl-C while the database was opened printed "internal error (RuntimeError: Query interrupted) ...
    please report it" and exited 1."""
    before = _tables(project / "db.duckdb")
    result = _interrupt(project, "chrysalide.store.guard", "user_tables", "text", "--db", "db.duckdb")
    assert result.returncode == INTERRUPTED_EXIT, result.stderr
    assert result.stderr.strip() == (
        "interrupted while chrysalide text was opening the database db.duckdb: nothing of the current step was written"
    )
    assert _tables(project / "db.duckdb") == before


def test_interrupt_during_a_step_names_it_and_writes_nothing_of_it(project: Path) -> None:
    """Ctrl-C during a step exited 130 silently: the message "interrupted: nothing of the current step was
    written" never appeared (Typer turned the KeyboardInterrupt into exit code 130 before ``run`` saw it)."""
    before = _tables(project / "db.duckdb")
    result = _interrupt(project, "chrysalide.store.bots", "refresh", "pipeline", "--step", "text",
                        "--db", "db.duckdb")  # fmt: skip
    assert result.returncode == INTERRUPTED_EXIT, result.stderr
    assert result.stderr.strip() == (
        "interrupted during step 'text' of chrysalide pipeline: nothing of the current step was written"
    )
    after = _tables(project / "db.duckdb")
    assert {name: n for name, n in after.items() if name != "runs"} == {
        name: n for name, n in before.items() if name != "runs"
    }
    con = duckdb.connect(str(project / "db.duckdb"), read_only=True)
    statuses = con.execute("SELECT stage, status FROM runs ORDER BY run_id").fetchall()
    con.close()
    assert statuses[-1] == ("text", "failed")  # the run log keeps the interrupted run


def test_interrupt_while_the_commands_load_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C within the first seconds of any command printed a 40-line traceback ending in SciPy's
    "ImportError: initialization failed": the commands were imported before the handler was in place."""
    (tmp_path / "slow.py").write_text(
        textwrap.dedent(
            """
            import sys, time
            from pathlib import Path
            import importlib.abc
            class Slow(importlib.abc.MetaPathFinder):
                def find_spec(self, name, path, target=None):
                    if name == "chrysalide.cli.app":
                        Path("ready").write_text("ready")
                        time.sleep(60)
                    return None
            sys.meta_path.insert(0, Slow())
            sys.argv = ["chrysalide", *sys.argv[1:]]
            from chrysalide.cli.main import run
            run()
            """
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, "slow.py", "ingest", "f.csv"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (tmp_path / "ready").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == INTERRUPTED_EXIT
    assert err.strip() == "interrupted while chrysalide ingest was starting: nothing of the current step was written"
    assert not (tmp_path / "chrysalide.duckdb").exists()
