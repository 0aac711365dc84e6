"""An import staged in several chunks, or finished by several processes, stores what one chunk stores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_ingest_regression import DATA, REPORT_FIELDS, TABLES, _expected, snapshot
from typer.testing import CliRunner

from chrysalide.cli import ingest as cli_ingest
from chrysalide.cli.main import app
from chrysalide.distributed import processes
from chrysalide.errors import ConfigError
from chrysalide.ingest import finish, ingest, loader, staging, writer
from chrysalide.store import Store

# Staged three records (messages and rejects) at a time, with what crosses the chunks' boundaries:
# a name in text before its member's first message (record 1, Zoelie writes at record 5), a reply to a
# later message (1 -> 5) and to earlier ones (3 -> 1, 10 -> 3), thread t1 in every chunk, an identical
# copy (4 of 2) and a conflicting id (6 of 1) in later chunks, a missing parent, an unreadable date.
RECORDS: list[dict[str, Any]] = [
    {"message_id": "m1", "thread_id": "t1", "author": "Alice", "posted_at": "2017-08-01 10:00",
     "text": "Bonjour, Zoelie m'a conseillé ce forum", "reply_to": "m5", "title": "Nodule"},
    {"message_id": "m2", "thread_id": "t2", "author": "Bob", "posted_at": "2017-08-01 11:00", "text": "Levothyrox ?"},
    {"message_id": "m3", "thread_id": "t1", "author": "Carol", "posted_at": "2017-08-01 12:00",
     "text": "Courage Alice", "reply_to": "m1"},
    {"message_id": "m2", "thread_id": "t2", "author": "Bob", "posted_at": "2017-08-01 11:00", "text": "Levothyrox ?"},
    {"message_id": "m5", "thread_id": "t1", "author": "Zoelie", "posted_at": "2017-08-01 09:00",
     "text": "Coucou alice, bienvenue"},
    {"message_id": "m1", "thread_id": "t1", "author": "Alice", "posted_at": "2017-08-01 10:00", "text": "changed"},
    {"message_id": "m7", "thread_id": "t3", "author": "Dan", "posted_at": "2017-08-02 10:00", "text": "  "},
    {"message_id": "m8", "thread_id": "t1", "author": "Eve", "posted_at": "2017-08-03 10:00",
     "text": "Merci Carol et Zoelie", "reply_to": "nowhere"},
    {"message_id": "m9", "thread_id": "t3", "author": "Dan", "posted_at": "yesterday", "text": "Dan ici"},
    {"message_id": "m10", "thread_id": "t1", "author": "Bob", "posted_at": "2017-08-01 12:30",
     "text": "+1 Carol", "reply_to": "m3"},
    {"message_id": "m11", "thread_id": "t2", "author": "Zoelie", "posted_at": "2017-08-04 10:00",
     "text": "Bob, va voir ton endocrinologue", "reply_to": "m2"},
]  # fmt: skip
# Added by a second import: threads that grow, a reply to a message stored by the first import.
MORE: list[dict[str, Any]] = [
    {"message_id": "m12", "thread_id": "t1", "author": "Fred", "posted_at": "2017-08-01 09:30",
     "text": "Zoelie a raison", "reply_to": "m5"},
    {"message_id": "m13", "thread_id": "t4", "author": "Alice", "posted_at": "2017-08-05 10:00", "text": "Merci Fred"},
]  # fmt: skip


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {name: store.con.execute(sql).fetchall() for name, sql in TABLES.items()}


def _import_twice(folder: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, workers: int = 1) -> dict[str, Any]:
    """RECORDS, then RECORDS and MORE, into one source, staged ``chunk`` records at a time."""
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", chunk)
    folder.mkdir()
    shutil.copy(DATA / "regression.key", folder / "forum.key")
    first = _jsonl(folder / "forum.jsonl", RECORDS)
    both = _jsonl(folder / "forum_more.jsonl", RECORDS + MORE)
    with Store(folder / "forum.duckdb") as store:
        reports = [ingest(store, path, source_name="forum", workers=workers) for path in (first, both)]
        return {"tables": _tables(store), "reports": [{k: getattr(r, k) for k in REPORT_FIELDS} for r in reports]}


def test_chunked_import_stores_what_one_chunk_stores(tmp_path, monkeypatch):
    chunked = _import_twice(tmp_path / "chunked", monkeypatch, chunk=3)
    whole = _import_twice(tmp_path / "whole", monkeypatch, chunk=1000)
    assert chunked == whole
    with Store(tmp_path / "whole" / "forum.duckdb") as store:
        texts = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
        reasons = dict(store.con.execute("SELECT record_no, reason FROM rejects").fetchall())
        replies = store.con.execute(
            "SELECT m.native_id, p.native_id FROM messages m JOIN messages p ON p.message_id = m.reply_to_id"
        ).fetchall()
    assert "Zoelie" not in texts["m1"] and "alice" not in texts["m5"].lower()
    assert reasons == {6: "duplicate id 'm1' with different content (first seen at record 1)", 7: "empty text"}
    assert sorted(replies) == [("m1", "m5"), ("m10", "m3"), ("m11", "m2"), ("m12", "m5"), ("m3", "m1")]
    assert whole["reports"][0]["duplicates"] == 1
    assert whole["reports"][0]["warnings"] == [
        "record 9: unreadable timestamp 'yesterday', kept with no date",
        "record 8: replies to 'nowhere', which is not in the source; kept as a root",
    ]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_two_workers_store_what_one_stores(tmp_path, monkeypatch, start):
    monkeypatch.setattr(processes, "START_METHOD", start)
    assert _import_twice(tmp_path / "two", monkeypatch, chunk=2, workers=2) == _import_twice(
        tmp_path / "one", monkeypatch, chunk=2, workers=1
    )


def test_regression_corpus_in_small_chunks_matches_the_reference(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", 97)
    assert snapshot(tmp_path) == _expected()["pseudonymised"]
    assert snapshot(tmp_path, keep_names=True) == _expected()["keep_names"]


def test_regression_corpus_with_a_pool_matches_the_reference(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", 250)
    monkeypatch.setattr(loader, "default_workers", lambda messages: 2)
    assert snapshot(tmp_path) == _expected()["pseudonymised"]


def test_an_import_above_the_chunk_size_is_staged_in_chunks(tmp_path, monkeypatch):
    """What keeps memory bounded: no more than a chunk of records is held before it is written to disk."""
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", 3)
    staged: list[tuple[int, int, Path]] = []
    add = staging.Staging.add

    def spy(self, messages, rejects):
        staged.append((messages.num_rows, len(rejects), self.path))
        return add(self, messages, rejects)

    monkeypatch.setattr(staging.Staging, "add", spy)
    with Store(tmp_path / "forum.duckdb") as store:
        report = ingest(store, _jsonl(tmp_path / "forum.jsonl", RECORDS))
    assert [(n, r) for n, r, _ in staged] == [(3, 0), (1, 2), (3, 0), (1, 0)]
    assert report.imported == sum(n for n, _, _ in staged) == 8
    folder = staged[0][2]
    assert folder.parent == tmp_path and folder.name.startswith(".chrysalide-ingest-")
    assert not folder.exists()


@pytest.mark.parametrize("where", ["pass 2", "write"])
def test_a_failure_leaves_the_database_as_it_was_and_no_staging_folder(tmp_path, monkeypatch, where):
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", 3)
    with Store(tmp_path / "forum.duckdb") as store:
        ingest(store, _jsonl(tmp_path / "forum.jsonl", RECORDS), source_name="forum")
        before = _tables(store)
        finished: list[int] = []
        finish_chunk = finish.finish_chunk

        def fail_on_second_chunk(naming, task):
            finished.append(task.chunk.offset)
            if len(finished) == 2:
                raise RuntimeError("disk full")
            return finish_chunk(naming, task)

        def fail(store):
            raise RuntimeError("disk full")

        if where == "pass 2":
            monkeypatch.setattr(finish, "finish_chunk", fail_on_second_chunk)
        else:
            monkeypatch.setattr(writer, "_order_threads", fail)
        with pytest.raises(RuntimeError, match="disk full"):
            ingest(store, _jsonl(tmp_path / "forum_more.jsonl", RECORDS + MORE), source_name="forum")
        assert _tables(store) == before
        status = store.con.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
    assert status == ("failed",)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".chrysalide-ingest-")] == []


def test_cli_passes_workers_and_refuses_zero(tmp_path, monkeypatch):
    seen: list[int | None] = []

    def spy(*args, **kwargs):
        seen.append(kwargs["workers"])
        return ingest(*args, **kwargs)

    monkeypatch.setattr(cli_ingest, "ingest_source", spy)
    path, db = _jsonl(tmp_path / "forum.jsonl", RECORDS), str(tmp_path / "forum.duckdb")
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", db, "--workers", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert seen == [2] and json.loads(result.stdout)["imported"] == 8
    refused = CliRunner().invoke(app, ["ingest", str(path), "--db", db, "--workers", "0"])
    assert refused.exit_code == 2 and "Invalid value for '--workers'" in refused.output
    assert seen == [2]  # refused while the arguments are parsed: the importer was not called
    with Store(db) as store, pytest.raises(ConfigError, match="at least 1"):
        ingest(store, path, workers=0)  # the library's own check
