"""Opening a database: foreign, SQLite, truncated and damaged files refused before anything is written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import duckdb
import pytest

from chrysalide.errors import StoreError, explain
from chrysalide.ingest import ingest
from chrysalide.privacy.keys import store_key
from chrysalide.store import Store
from chrysalide.store.guard import STAGING_PREFIX, staging_owner


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _forum(folder: Path, n: int = 300) -> Path:
    path = folder / "forum.csv"
    rows = "".join(
        f"{i},t{i % 7},user{i % 11},message number {i} about my thyroid {'x' * (i % 50)}\n" for i in range(n)
    )
    path.write_text("message_id,thread_id,author,text\n" + rows, encoding="utf-8")
    return path


def _database(folder: Path) -> Path:
    db = folder / "db.duckdb"
    with Store(db) as store:
        ingest(store, _forum(folder))
    return db


def test_connections_never_load_or_install_extensions(store):
    settings = store.con.execute(
        "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')"
    ).fetchone()
    assert settings == (False, False)


def test_a_sqlite_file_is_refused_without_asking_duckdb(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # where DuckDB would put a downloaded extension
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (a)")
    before = _digest(path)
    for read_only in (False, True):
        with pytest.raises(StoreError, match="SQLite database"):
            Store(path, read_only=read_only)
    assert _digest(path) == before
    assert not (tmp_path / ".duckdb").exists()


@pytest.mark.parametrize("with_messages", [False, True])
def test_another_applications_duckdb_file_gets_no_table(tmp_path, with_messages):
    path = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE inventory (item VARCHAR, n INTEGER)")
    if with_messages:
        con.execute("CREATE TABLE messages (id INTEGER, body VARCHAR)")
    con.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="another application"):
        Store(path)
    with pytest.raises(StoreError, match="another application"):
        Store(path, read_only=True)
    assert _digest(path) == before
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert tables == ({"inventory", "messages"} if with_messages else {"inventory"})


@pytest.mark.parametrize(
    "statements",
    [
        ["CREATE TABLE chrysalide_meta (k VARCHAR, v VARCHAR)"],  # our marker's name, other columns
        [  # our marker alone, without the tables it marks
            "CREATE TABLE chrysalide_meta (name VARCHAR PRIMARY KEY, value VARCHAR)",
            "INSERT INTO chrysalide_meta VALUES ('application', 'chrysalide')",
        ],
    ],
)
def test_a_marker_table_alone_does_not_make_a_database_ours(tmp_path, statements):
    """Regression: both stopped on internal errors (a missing column, then a missing schema_migrations)."""
    path = tmp_path / "forged.duckdb"
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()
    before = _digest(path)
    for read_only in (False, True):
        with pytest.raises(StoreError, match="another application"):
            Store(path, read_only=read_only)
    assert _digest(path) == before


@pytest.mark.parametrize("keep", [0, 100, 5000, 2])  # bytes kept: none, part of the header, headers, half
def test_a_truncated_database_is_refused_before_anything_is_written(tmp_path, keep):
    db = _database(tmp_path)
    data = db.read_bytes()
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(data[: len(data) // 2] if keep == 2 else data[:keep])
    before = _digest(cut)
    with pytest.raises(StoreError) as found:
        Store(cut)
    assert any(word in str(found.value) for word in ("truncated", "empty", "cannot open"))
    assert "\n" not in str(found.value)
    assert _digest(cut) == before
    assert not Path(f"{cut}.wal").exists()


def test_a_damaged_block_is_a_one_line_error_when_read(tmp_path):
    db = _database(tmp_path)
    data = bytearray(db.read_bytes())
    with Store(db, read_only=True) as store:  # a block of the messages' text
        blocks = store.con.execute(
            "SELECT DISTINCT block_id FROM pragma_storage_info('messages') WHERE column_name = 'text' AND block_id >= 0"
        ).fetchall()
        size = store.con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    offset = 3 * 4096 + blocks[0][0] * size + 100
    data[offset : offset + 64] = bytes(b ^ 0xFF for b in data[offset : offset + 64])
    db.write_bytes(bytes(data))
    with pytest.raises(duckdb.Error) as found, Store(db, read_only=True) as store:
        store.con.execute("SELECT sum(length(text)) FROM messages").fetchone()
    sentence = explain(found.value)
    assert sentence is not None and "damaged" in sentence and "\n" not in sentence


def test_a_newer_schema_is_refused(tmp_path):
    db = _database(tmp_path)
    with Store(db) as store:
        store.con.execute("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', now()::TIMESTAMP)")
    with pytest.raises(StoreError, match="newer version"):
        Store(db)


def test_an_earlier_schema_is_refused_when_only_read_and_upgraded_when_written(tmp_path):
    db = _database(tmp_path)
    with Store(db) as store:  # as the version before migration 0030 left it
        store.con.execute("DROP MACRO coded_text")
        store.con.execute("DELETE FROM schema_migrations WHERE number = 30")
    with pytest.raises(
        StoreError, match=r"earlier version of Chrysalide \(schema \d+, this version's \d+\).*writes once"
    ):
        Store(db, read_only=True)
    Store(db).close()  # a command that writes upgrades it
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT coded_text(0, true, 'body', 'Title')").fetchone() == ("Title\n\nbody",)


def test_a_missing_table_is_refused(tmp_path):
    db = _database(tmp_path)
    with Store(db) as store:
        store.con.execute("DROP TABLE consent")
    with pytest.raises(StoreError, match="table consent is missing"):
        Store(db)


def test_runs_left_running_by_a_killed_process_are_marked_failed_at_the_next_open(tmp_path):
    db = tmp_path / "db.duckdb"
    with Store(db) as store:
        store.con.execute(
            "INSERT INTO runs (stage, component, version, started_at, status) VALUES ('text', 'x', '0', now(), 'running')"
        )
        # Another store of this very process on the same file: a live run is not touched.
        with Store(db) as again:
            assert again.con.execute("SELECT status FROM runs").fetchone()[0] == "running"
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT status FROM runs").fetchone()[0] == "running"  # read-only: no repair
    with Store(db) as store:
        status, finished, summary = store.con.execute("SELECT status, finished_at, summary FROM runs").fetchone()
    assert status == "failed" and finished is not None and "interrupted" in summary


def test_staging_folders_of_a_killed_import_are_removed_at_the_next_open(tmp_path):
    db = tmp_path / "db.duckdb"
    Store(db).close()
    ours, theirs, old = (tmp_path / f"{STAGING_PREFIX}{n}" for n in ("a1", "b2", "c3"))
    for folder, owner in ((ours, db), (theirs, tmp_path / "other.duckdb"), (old, None)):
        folder.mkdir()
        (folder / "raw-00000.parquet").write_bytes(b"raw names and text")
        if owner is not None:
            staging_owner(folder).write_text(str(owner.resolve()), encoding="utf-8")
    Store(db).close()
    assert not ours.exists() and theirs.exists() and old.exists()


def test_a_store_that_created_its_file_removes_it_when_its_block_fails_with_nothing_imported(tmp_path):
    db = tmp_path / "new.duckdb"
    with pytest.raises(RuntimeError), Store(db) as store:
        store_key(store)  # the key file is created, as an import would, but nothing lands
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    # Once an import has landed, the database and its key are kept (tests/privacy/test_keys.py).
    with pytest.raises(RuntimeError), Store(db) as store:
        ingest(store, _forum(tmp_path, 3))
        raise RuntimeError("boom")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forum.csv", "new.duckdb", "new.key"]
    existing = _database(tmp_path)
    with pytest.raises(RuntimeError), Store(existing):
        raise RuntimeError("boom")
    assert existing.exists() and existing.with_suffix(".key").exists()


def test_only_asked_for_creation_creates(tmp_path):
    for kwargs in ({"create": False}, {"read_only": True}):
        with pytest.raises(StoreError, match="no such database"):
            Store(tmp_path / "typo.duckdb", **kwargs)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
