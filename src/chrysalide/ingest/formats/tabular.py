"""Generic tables: CSV/TSV (``csv``) and JSON Lines or a JSON array (``jsonl``).

Default columns ``message_id, thread_id, author, posted_at, text``; optional ``reply_to, title, board,
author_role, lang, author_id``. ``--map FIELD=COLUMN`` renames (``--map text=body``). Only the text
column is required: without ``message_id`` ids are derived from content, without ``thread_id`` each
message is its own thread, without ``author`` messages belong to no member.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.records import DELETED, GUEST, MessageRecord, Record, Reject
from chrysalide.ingest.registry import register
from chrysalide.ingest.textio import Truncated, decode_bytes, head_text, iter_lines, open_binary

FIELDS = (
    "message_id", "thread_id", "author", "author_id", "posted_at", "text", "reply_to", "title", "board",
    "author_role", "lang",
)  # fmt: skip
REQUIRED = ("text",)
# Generic exports name their non-members in words; specific importers decide from the source's own flags.
DELETED_NAMES = {"[deleted]", "deleted", "[supprimé]", "[removed]", "none", "null"}
GUEST_NAMES = {"guest", "invité", "invite", "anonymous", "anonyme", "gast"}
_COMPRESSED = (".gz", ".zst", ".zstd")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _suffixes(path: Path) -> str:
    name = path.name.lower()
    for ext in _COMPRESSED:
        name = name.removesuffix(ext)
    return name.rsplit(".", 1)[-1] if "." in name else ""


class _Mapped:
    """Field -> source column, validated against the known fields."""

    def __init__(self, mapping: Mapping[str, str] | None) -> None:
        mapping = dict(mapping or {})
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise ConfigError(f"--map: unknown field(s) {unknown}; fields are {', '.join(FIELDS)}")
        self.columns = {f: mapping.get(f, f) for f in FIELDS}
        self._order = [self.columns[f] for f in FIELDS]

    def check_header(self, path: Path, header: list[str]) -> None:
        missing = [f"{f} (column {self.columns[f]!r})" for f in REQUIRED if self.columns[f] not in header]
        if missing:
            raise InputError(
                f"{path}: missing required {', '.join(missing)}; columns found: {', '.join(header) or 'none'}"
                " (rename with --map FIELD=COLUMN)"
            )

    def record(self, record_no: int, row: Mapping[str, Any], raw: str) -> MessageRecord:
        # Called once per message: the columns are looked up in one comprehension, not one call each.
        values = [_field(row.get(column)) for column in self._order]
        message_id, thread_id, author, author_id, posted_at, text, reply_to, title, board, role, lang = values
        posted = row.get(self.columns["posted_at"])
        status = None
        if author is not None and not author_id:
            folded = author.strip().casefold()
            status = DELETED if folded in DELETED_NAMES else GUEST if folded in GUEST_NAMES else None
        return MessageRecord(
            record_no=record_no,
            native_id=message_id,
            thread_id=thread_id,
            text=text,
            author=author,
            author_id=author_id,
            author_status=status,
            posted_at=posted if isinstance(posted, int | float) and not isinstance(posted, bool) else posted_at,
            reply_to=reply_to,
            title=title,
            board=board,
            author_role=role,
            lang=lang,
            raw=raw,
        )


def _field(value: Any) -> str | None:
    """A cell as the loader wants it: None when missing or empty, JSON for nested values, else a string."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


@register
class CsvImporter:
    """Comma, semicolon or tab separated files with a header row."""

    name: ClassVar[str] = "csv"
    version: ClassVar[str] = "1"

    def __init__(self, mapping: Mapping[str, str] | None = None, delimiter: str | None = None) -> None:
        self.fields = _Mapped(mapping)
        self.delimiter = delimiter

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_file() and _suffixes(path) in ("csv", "tsv", "txt")

    def read(self, path: Path) -> Iterator[Record]:
        lines = _numbered(iter_lines(path))
        first = next(lines, None)
        if first is None:
            return
        delimiter = self.delimiter or _delimiter(first[1])
        header = next(csv.reader([first[1]], delimiter=delimiter))
        header = [h.strip() for h in header]
        self.fields.check_header(path, header)
        reader = csv.reader((line for _, line in lines), delimiter=delimiter, strict=True)
        start_line = 2
        try:
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Reject(start_line, None, f"line {start_line}: malformed CSV ({exc})")
                    start_line = reader.line_num + 2
                    continue
                record_no, start_line = start_line, reader.line_num + 2
                raw = delimiter.join(values)
                if not values or values == [""]:
                    continue
                if len(values) != len(header):
                    reason = f"line {record_no}: expected {len(header)} fields, found {len(values)}"
                    yield Reject(record_no, raw, reason)
                    continue
                yield self.fields.record(record_no, dict(zip(header, values, strict=True)), raw)
        except Truncated as exc:
            yield Reject(start_line, None, f"input truncated after line {start_line - 1}: {exc}")


def _numbered(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    yield from enumerate(lines, 1)


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


@register
class JsonlImporter:
    """JSON Lines (one object per line) or a JSON document holding an array of objects."""

    name: ClassVar[str] = "jsonl"
    version: ClassVar[str] = "1"

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        self.fields = _Mapped(mapping)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or _suffixes(path) not in ("jsonl", "ndjson", "json"):
            return False
        return head_text(path, 2048).lstrip()[:1] in ("{", "[")

    def read(self, path: Path) -> Iterator[Record]:
        head = head_text(path, 4096).lstrip()
        if head.startswith("["):
            yield from self._read_array(path)
        else:
            yield from self._read_lines(path)

    def _read_lines(self, path: Path) -> Iterator[Record]:
        checked = False
        line_no = 0
        try:
            for line_no, line in enumerate(iter_lines(path), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Reject(line_no, line.rstrip("\r\n"), f"line {line_no}: invalid JSON ({exc.msg})")
                    continue
                if not isinstance(obj, dict):
                    yield Reject(line_no, line.rstrip("\r\n"), f"line {line_no}: expected a JSON object")
                    continue
                if not checked:
                    self.fields.check_header(path, list(obj))
                    checked = True
                yield self.fields.record(line_no, obj, line.rstrip("\r\n"))
        except Truncated as exc:
            yield Reject(line_no + 1, None, f"input truncated after line {line_no}: {exc}")

    def _read_array(self, path: Path) -> Iterator[Record]:
        with open_binary(path) as fh:
            data = fh.read()
        try:
            doc = json.loads(decode_bytes(data))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        items = doc.get("messages") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise InputError(f"{path}: expected a JSON array of messages (or an object with 'messages')")
        checked = False
        for index, obj in enumerate(items, 1):
            raw = json.dumps(obj, ensure_ascii=False)
            if not isinstance(obj, dict):
                yield Reject(index, raw, f"item {index}: expected a JSON object")
                continue
            if not checked:
                self.fields.check_header(path, list(obj))
                checked = True
            yield self.fields.record(index, obj, raw)
