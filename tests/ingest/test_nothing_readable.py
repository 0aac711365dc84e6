"""An input none of whose records is a message is refused before anything is written, with the rejects' reasons
by kind: a file read in the wrong format (``--format jsonl`` on a CSV) stored a source of 788 rejects and exit 0,
and importing the file again in its own format then added its messages to a source recorded as JSON Lines."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest.loader import ingest
from chrysalide.store import Store


def test_every_record_rejected_is_refused_and_leaves_no_database(tmp_path: Path) -> None:
    path = tmp_path / "empty_texts.csv"
    path.write_text("text,author\n,ann\n  ,bob\n", encoding="utf-8")
    with pytest.raises(InputError) as err, Store(tmp_path / "e.duckdb", create=True) as store:
        ingest(store, path)
    assert str(err.value) == (f"{path}: none of its 2 records is a message it could import (read as csv): 2 empty "
                              "text. Nothing imported (docs/importers.md)")  # fmt: skip
    assert not (tmp_path / "e.duckdb").exists()  # a failed first import leaves nothing behind


def test_a_source_that_holds_messages_keeps_the_rejects_of_a_later_import(store, tmp_path: Path) -> None:
    first, later = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("message_id,text\nm1,Hello\n", encoding="utf-8")
    later.write_text("message_id,text\nm1,Hello again\n", encoding="utf-8")  # the same id, another content
    ingest(store, first, source_name="forum")
    report = ingest(store, later, source_name="forum")
    assert (report.imported, report.rejected) == (0, 1)


@pytest.mark.corpora
def test_a_csv_read_as_json_lines_is_refused(store, corpora: Path) -> None:
    path = corpora / "alzconnected_support_labels_en" / "test.csv"
    with path.open("rb") as f:
        lines = sum(1 for line in f if line.strip())  # every non-blank line is a JSON Lines record
    with pytest.raises(InputError) as err:
        ingest(store, path, format="jsonl")
    assert f"none of its {lines:,} records is a message it could import (read with --format jsonl): " in str(err.value)
    assert "invalid JSON (Expecting value)" in str(err.value) and "Is it a jsonl file?" in str(err.value)
    assert store.con.execute("SELECT count(*) FROM sources").fetchone() == (0,)
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["content"].strip()]
    report = ingest(store, path, mapping={"text": "content", "message_id": "id"})
    assert report.imported + report.duplicates == len(rows)
    assert store.con.execute("SELECT importer FROM sources").fetchall() == [("csv",)]


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_a_utf32_file_is_refused_naming_its_encoding(store, tmp_path: Path, encoding: str) -> None:
    """Regression: its byte-order mark opens with UTF-16's, and the error said the 'text' column it had was missing."""
    path = tmp_path / "u32.csv"
    data = "text,author\nhello,ann\n".encode(encoding)
    path.write_bytes(data if encoding == "utf-32" else b"\x00\x00\xfe\xff" + data)
    with pytest.raises(InputError, match="u32.csv: UTF-32 text"):
        ingest(store, path)
