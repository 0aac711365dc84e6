"""Faults survived with one-line errors: a full disk, a killed import, a run left running."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from chrysalide.errors import explain
from chrysalide.store import Store
from chrysalide.store.guard import STAGING_PREFIX

CHECK = textwrap.dedent(
    """
    import json, subprocess, sys
    db = sys.argv[1]
    cli = subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", "big.csv",
                          "--db", db], capture_output=True, text=True)
    import duckdb
    con = duckdb.connect(db, read_only=True)
    count = con.execute("SELECT count(*) FROM messages").fetchone()[0]
    con.close()
    from chrysalide.store import Store
    with Store(db) as store:  # the next start: a run left running is marked failed
        statuses = sorted(r[0] for r in store.con.execute("SELECT status FROM runs").fetchall())
    import os
    folder = os.path.dirname(db)
    print(json.dumps({"rc": cli.returncode, "stderr": cli.stderr, "count": count, "statuses": statuses,
                      "staging": [n for n in os.listdir(folder) if n.startswith(".chrysalide-ingest-")]}))
    """
)


def _forum(path: Path, n: int, prefix: str) -> None:
    rng = random.Random(1)  # random words: the staged chunks do not compress away
    words = ["".join(rng.choice("abcdefghij") for _ in range(6)) for _ in range(5000)]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("message_id,thread_id,author,text\n")
        for i in range(n):
            fh.write(f"{prefix}{i},t{i % 500},u{i % 900}," + " ".join(rng.choice(words) for _ in range(20)) + "\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    "size_mb", [7, 18]
)  # measured: staging fails below ~14 MB, DuckDB's write above  # full while staging the import / while DuckDB writes it
def test_a_full_disk_is_a_one_line_error_and_the_database_keeps_its_data(tmp_path, size_mb):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to mount a small file system")
    _forum(tmp_path / "small.csv", 50, "s")
    _forum(tmp_path / "big.csv", 60_000, "b")
    with Store(tmp_path / "db.duckdb") as store:
        from chrysalide.ingest import ingest

        ingest(store, tmp_path / "small.csv")
    (tmp_path / "check.py").write_text(CHECK, encoding="utf-8")
    (tmp_path / "mnt").mkdir()
    script = (
        f"mount -t tmpfs -o size={size_mb}m tmpfs mnt && cp db.duckdb db.key mnt/ &&"
        f" {sys.executable} check.py mnt/db.duckdb"
    )
    found = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    if found.returncode != 0 or not found.stdout.strip():
        pytest.skip(f"cannot mount a small file system here ({found.stderr.strip()[:200]})")
    result = json.loads(found.stdout.strip().splitlines()[-1])
    assert result["rc"] == 2, result
    errors = [line for line in result["stderr"].splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: the disk is full"), errors
    assert result["count"] == 50  # the import's transaction never landed: the data is as it was
    assert result["statuses"] == ["failed", "ok"]
    assert result["staging"] == []


def test_disk_full_errors_are_explained_in_one_line():
    import errno

    import duckdb

    for exc in (
        OSError(errno.ENOSPC, "No space left on device"),
        duckdb.IOException('IO Error: Could not write file "x.duckdb": No space left on device'),
        OSError("[Errno 28] Error writing bytes to file. Detail: [errno 28] No space left on device"),
    ):
        sentence = explain(exc)
        assert sentence is not None and sentence.startswith("the disk is full") and "\n" not in sentence
    assert explain(ValueError("no")) is None
    assert "another process" in (explain(duckdb.IOException('Could not set lock on file "x": Conflicting lock')) or "")


SLOW_IMPORT = textwrap.dedent(
    """
    import sys, time
    from chrysalide.ingest import finish, staging
    staging.CHUNK_MESSAGES = 100
    real = finish.finish_chunk
    def slow(naming, task):
        time.sleep(120)
        return real(naming, task)
    finish.finish_chunk = slow
    from chrysalide.ingest import ingest
    from chrysalide.store import Store
    with Store(sys.argv[1]) as store:
        ingest(store, sys.argv[2], workers=2)
    """
)


def test_a_killed_import_leaves_no_worker_no_running_run_and_no_staging_folder(tmp_path):
    _forum(tmp_path / "f.csv", 400, "m")
    (tmp_path / "slow.py").write_text(SLOW_IMPORT, encoding="utf-8")
    db = tmp_path / "db.duckdb"
    proc = subprocess.Popen([sys.executable, "slow.py", str(db), str(tmp_path / "f.csv")], cwd=tmp_path)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [c for c in parent.children(recursive=True) if c.is_running()]
        time.sleep(0.2)
    assert len(workers) >= 2, "the import's pool did not start"
    assert any(p.name.startswith(STAGING_PREFIX) for p in tmp_path.iterdir())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == [], f"workers still alive after their parent was killed: {[p.pid for p in alive]}"
    with Store(db) as store:  # the next start
        assert store.con.execute("SELECT status, summary FROM runs").fetchall()[0][0] == "failed"
        assert store.count("messages") == 0
    assert not any(p.name.startswith(STAGING_PREFIX) for p in tmp_path.iterdir())
