"""Inputs that an error message used to send the wrong way: each is now told what it is and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import ingest
from chrysalide.ingest.textio import utf16_without_bom


def test_a_json_lines_file_read_as_csv_is_told_to_use_format_jsonl(store, tmp_path: Path) -> None:
    """``ingest --format csv`` on a JSON Lines file said "convert it to CSV or JSON Lines"."""
    path = tmp_path / "f.jsonl"
    path.write_text('{"message_id": "1", "text": "hello, there"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"f\.jsonl: line 1 opens a JSON value.*import it with --format jsonl$"):
        ingest(store, path, format="csv")


def test_a_folder_of_csv_files_says_csv_reads_one_file_and_how_to_import_several(store, tmp_path: Path) -> None:
    """A folder of CSV files said "pass --format (...csv...)", then with --format csv "cannot read: Is a
    directory"."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("b.csv", "a.csv"):
        (folder / name).write_text("text\nhello there\n", encoding="utf-8")
    tail = f"import them one by one into one source, `chrysalide ingest {folder / 'a.csv'} --source-name NAME`"
    with pytest.raises(InputError) as without:
        ingest(store, folder)
    assert str(without.value).startswith(f"{folder}: a folder of 2 table file(s), and the csv and jsonl formats read")
    assert tail in str(without.value)
    with pytest.raises(InputError) as with_csv:
        ingest(store, folder, format="csv")
    assert f"{folder}: a folder of 2 table file(s), and --format csv reads one file: {tail}" in str(with_csv.value)


def test_utf16_without_a_bom_is_named_not_binary(store, tmp_path: Path) -> None:
    """A UTF-16LE file without its byte-order mark "looks binary"."""
    path = tmp_path / "f.csv"
    path.write_bytes("message_id,text\n1,hello there\n".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"f\.csv: UTF-16LE text without a byte-order mark.*save it as UTF-8"):
        ingest(store, path)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("text\nhi\n".encode("utf-16-le"), "UTF-16LE"),
        ("text\nhi\n".encode("utf-16-be"), "UTF-16BE"),
        (b"text\nhi\n", None),  # UTF-8: no NUL
        (b"\x00" * 64, None),  # NULs on both sides: binary
        (b"ab\x00", None),  # too short to tell
    ],
)
def test_utf16_is_told_by_nuls_on_one_side(data: bytes, expected: str | None) -> None:
    assert utf16_without_bom(data) == expected


def test_a_csv_with_other_columns_and_trailing_empty_ones_gets_the_missing_column_error(store, tmp_path) -> None:
    """Doctissimo's ``;``-separated IVG.csv, whose header ends in ``;;;``, was "no header row ... This file looks
    like plain text: convert it to CSV"."""
    path = tmp_path / "IVG.csv"
    path.write_text("?postURL;?datePost;?contentPost;?creatorPost;?age;;;\n<u1>;2014-05-08;Bonjour;x;20;;;\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as caught:
        ingest(store, path)
    assert str(caught.value) == (
        f"{path}: missing required text (column 'text'); columns found: ?postURL, ?datePost, ?contentPost,"
        " ?creatorPost, ?age (rename with --map 'text=?contentPost')"
    )


def test_a_csv_without_a_text_like_column_is_told_to_name_it(store, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"columns found: a, b, c \(rename with --map text=COLUMN, the column of"):
        ingest(store, path)


def test_plain_text_is_still_no_header_row(store, tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("Bonjour,\nje suis nouvelle ici\n", encoding="utf-8")
    with pytest.raises(InputError, match="is no header row"):
        ingest(store, path)
