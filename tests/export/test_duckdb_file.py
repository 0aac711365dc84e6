"""The project's DuckDB file opens in the previous stable DuckDB release and its command-line client.

The client is DuckDB's own 1.5 release, pinned in the test requirements (PyPI ``duckdb-cli==1.5.6``, a wheel holding
the ``duckdb`` executable): it reads with exactly the storage code of the Python and R packages of that release,
and installs in seconds where a second Python package of another DuckDB version could not sit beside the first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from chrysalide.ingest import ingest
from chrysalide.store import Store

OLDER = Path(sys.executable).parent / "duckdb"
CSV = "message_id,thread_id,author,posted_at,text,reply_to\n1,t1,ann,2017-03-01T10:00:00,Bonjour à tous,\n" \
    "2,t1,bob,2017-03-01T11:00:00,Bienvenue Ann,1\n3,t2,ann,2017-04-02T09:30:00,Merci pour tout,\n"  # fmt: skip


def older_duckdb(db: Path, sql: str) -> subprocess.CompletedProcess[str]:
    assert OLDER.exists(), f"{OLDER} is missing: install the test requirements (duckdb-cli==1.5.6, requirements.lock)"
    return subprocess.run([str(OLDER), "-readonly", "-csv", "-noheader", str(db), "-c", sql],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_the_client_is_the_previous_release():
    version = subprocess.run([str(OLDER), "--version"], capture_output=True, text=True, timeout=60).stdout
    assert version.startswith("v1.5."), version


def test_a_new_store_opens_in_duckdb_1_5(tmp_path):
    source = tmp_path / "forum.csv"
    source.write_text(CSV, encoding="utf-8")
    db = tmp_path / "project.duckdb"
    with Store(db) as store:
        ingest(store, source)
        store.con.execute("CHECKPOINT")
    result = older_duckdb(
        db,
        "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM threads), (SELECT count(*) FROM members),"
        " (SELECT count(*) FROM reply_targets WHERE target_id IS NOT NULL),"
        " (SELECT text FROM messages ORDER BY posted_at LIMIT 1)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '3,2,2,1,"Bonjour à tous"'  # 3 messages, 2 threads, 2 members, 1 reply


def test_a_store_written_again_by_this_release_still_opens_in_duckdb_1_5(tmp_path):
    db = tmp_path / "project.duckdb"
    Store(db).close()
    with Store(db) as store:  # reopened: the file keeps the storage version it was created with
        store.con.execute("CREATE TABLE notes AS SELECT range AS n FROM range(100000)")
        store.con.execute("CHECKPOINT")
    result = older_duckdb(db, "SELECT sum(n) FROM notes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(sum(range(100000)))
