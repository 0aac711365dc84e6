import pytest

import chrysalide
from chrysalide.errors import ConfigError, StoreError
from chrysalide.store import Store, migrate
from chrysalide.store.migrations import available


def test_migrations_are_named_recorded_and_applied_once(tmp_path):
    path = tmp_path / "db.duckdb"
    with Store(path) as store:
        names = [r[0] for r in store.con.execute("SELECT name FROM schema_migrations ORDER BY number").fetchall()]
        assert names == [m.name for m in available()]
        assert names[0] == "core"
        assert migrate(store.con) == []
    with Store(path) as again:
        assert again.count("schema_migrations") == len(names)


def test_core_columns_other_tools_read():
    with Store(":memory:") as store:

        def columns(table):
            return [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]

        assert columns("messages")[:12] == [
            "message_id",
            "source_id",
            "native_id",
            "thread_id",
            "member_id",
            "reply_to_id",
            "posted_at",
            "position_in_thread",
            "text",
            "quoted_text",
            "title",
            "lang",
        ]
        assert columns("members")[:5] == ["member_id", "source_id", "pseudonym", "registered_at", "role"]
        assert columns("threads")[:7] == [
            "thread_id",
            "source_id",
            "native_id",
            "board",
            "title",
            "started_at",
            "starter_id",
        ]
        assert columns("rejects")[:4] == ["source_id", "record_no", "raw", "reason"]
        assert columns("runs")[:3] == ["run_id", "stage", "component"]
        assert {"params", "started_at", "finished_at", "status"} <= set(columns("runs"))
        assert store.has_table("sources") and store.has_table("consent")


def test_run_records_success_and_failure(store):
    with store.run("demo", "unit", {"k": 1}) as run:
        run.summary["n"] = 3
    with pytest.raises(ValueError):
        with store.run("demo", "unit"):
            raise ValueError("boom")
    rows = store.con.execute("SELECT status, summary->>'n' FROM runs ORDER BY run_id").fetchall()
    assert rows == [("ok", "3"), ("failed", None)]
    assert store.latest("demo") == 1


def test_open_returns_dataframes(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        chrysalide.open(tmp_path / "c.duckdb")
    corpus = chrysalide.open(tmp_path / "c.duckdb", create=True)
    assert list(corpus.messages().columns)[:3] == ["message_id", "source_id", "native_id"]
    assert corpus.members().empty and corpus.threads().empty
    corpus.close()


def test_unopenable_paths_are_store_errors(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing-folder" / "db.duckdb")
    not_a_db = tmp_path / "text.duckdb"
    not_a_db.write_text("hello, I am not a database")
    with pytest.raises(StoreError, match="not a DuckDB database"):
        Store(not_a_db)


def test_release_memory_keeps_the_memory_limit(tmp_path):
    def limit(store):
        return store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    with Store(tmp_path / "m.duckdb") as store:
        store.con.execute("SET memory_limit = '1GB'")
        store.con.execute("CREATE TABLE t AS SELECT range AS x FROM range(100000)")
        store.release_memory()
        first = limit(store)
        assert first.startswith("953.")  # 1 GB, as DuckDB prints it (rounded to 0.1 MiB)
        for _ in range(5):
            store.release_memory()
        assert limit(store) == first and store.count("t") == 100000  # no drift, nothing lost


def test_memory_limit_from_the_environment_or_the_argument(tmp_path, monkeypatch):
    monkeypatch.setenv("CHRYSALIDE_MEMORY_LIMIT", "1GB")
    with Store(tmp_path / "a.duckdb") as store:
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("953.")
    with Store(tmp_path / "a.duckdb", memory_limit="512MB") as store:  # the argument wins
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("488.")
    monkeypatch.setenv("CHRYSALIDE_MEMORY_LIMIT", "a lot")
    with pytest.raises(ConfigError, match="CHRYSALIDE_MEMORY_LIMIT.*2GB"):
        Store(tmp_path / "a.duckdb")


def test_cli_reports_a_bad_memory_limit_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "f.csv").write_text("text\nhello\n")
    result = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", "f.csv"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "CHRYSALIDE_MEMORY_LIMIT": "lots"},
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "CHRYSALIDE_MEMORY_LIMIT" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_running_out_of_duckdb_memory_is_one_clear_error(tmp_path, monkeypatch, capsys):
    import duckdb

    from chrysalide.cli import app, main

    def exhausted() -> None:
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")

    monkeypatch.setenv("CHRYSALIDE_MEMORY_LIMIT", "300MB")
    monkeypatch.setattr(app, "app", exhausted)  # run() imports the commands' app when it starts
    with pytest.raises(SystemExit) as stop:
        main.run()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "ran out of memory" in err and "CHRYSALIDE_MEMORY_LIMIT (now 300MB)" in err and "Traceback" not in err


def test_a_memory_limit_too_small_to_work_is_refused(tmp_path):
    for limit in ("1MB", "255MB", "0.1GB"):
        with pytest.raises(ConfigError, match="at least 256MB"):
            Store(tmp_path / "s.duckdb", memory_limit=limit)
    with Store(tmp_path / "s.duckdb", memory_limit="0.5GiB") as store:
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "512.0 MiB"
