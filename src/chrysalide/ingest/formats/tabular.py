"""Generic tables: CSV/TSV (``csv``) and JSON Lines or a JSON array (``jsonl``).

Default columns ``message_id, thread_id, author, posted_at, text``; optional ``reply_to, title, board,
author_role, lang, author_id, replies_at_source`` (the number of replies the source declares for the thread a
message opens, kept in ``meta`` as Reddit's ``num_comments`` is:
:data:`~chrysalide.ingest.records.REPLIES_AT_SOURCE`). ``--map FIELD=COLUMN`` renames (``--map text=body``).
Only the text column is required: without ``message_id`` ids are derived from content, without ``thread_id`` each
message is its own thread, without ``author`` messages belong to no member. A column named with ``--map``
must exist: in the CSV header, or as a key of at least one JSON record (a key may be missing from some).
``thread_starts=True`` (``--thread-starts``) declares a table without thread ids whose every row opens a thread of
its own (an export of posts without their replies): kept in the source's options, it is read by the view
``unthreaded_sources`` (migration 0028). Such a table names no thread and no parent: a CSV header with a
``thread_id`` or ``reply_to`` column is refused, a JSON record with either is rejected.
A JSON text may be given piece by piece: a list of strings, or of objects with a ``text`` string (the sentences
of sentence-level annotations), joined one piece a line. A CSV file whose first line is no header (plain
text) is refused, naming its first line. A table a SPARQL query wrote (every column a ``?`` variable) has the
escapes of its strings decoded (``\\"`` -> ``"``: ``ingest/sparql.py``).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.columns import map_options, suggested_maps, unread_notice
from chrysalide.ingest.csvrows import csv_rows, delimiter_of
from chrysalide.ingest.records import (
    REPLIES_AT_SOURCE,
    MessageRecord,
    Record,
    Reject,
    WrongType,
    as_id,
    as_text,
    status_of_name,
)
from chrysalide.ingest.registry import register
from chrysalide.ingest.sparql import is_result_header, unescape
from chrysalide.ingest.textio import (
    Truncated,
    has_nul,
    head_text,
    iter_lines,
    loads,
    read_document,
    without_surrogates,
)

FIELDS = (
    "message_id", "thread_id", "author", "author_id", "posted_at", "text", "reply_to", "title", "board",
    "author_role", "lang", REPLIES_AT_SOURCE,
)  # fmt: skip
REQUIRED = ("text",)
_IDS = {"message_id", "thread_id", "author_id", "reply_to"}
#: The formats that read tables, the ones that take ``thread_starts``.
TABLE_FORMATS = ("csv", "jsonl")
# The fields that place a message in a thread: a table declared thread starts (``thread_starts``) has neither.
_STRUCTURE = ("thread_id", "reply_to")
_RAW_CAP = 10_000
#: The JSON records whose keys make the columns of a JSON file, for the notice of columns no field reads.
_KEYS_FROM = 1_000
# A comma right before a closing brace or bracket (JSON5 allows it, JSON does not): repaired on failure only.
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_MESSAGES_KEY = re.compile(r'"messages"\s*:\s*\[')  # where an object's array of messages opens
_COMPRESSED = (".gz", ".zst", ".zstd")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _suffixes(path: Path) -> str:
    name = path.name.lower()
    for ext in _COMPRESSED:
        name = name.removesuffix(ext)
    return name.rsplit(".", 1)[-1] if "." in name else ""


class _Mapped:
    """Field -> source column, validated against the known fields."""

    def __init__(self, mapping: Mapping[str, str] | None, thread_starts: bool = False) -> None:
        mapping = dict(mapping or {})
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise ConfigError(f"--map: unknown field(s) {unknown}; fields are {', '.join(FIELDS)}")
        self.columns = {f: mapping.get(f, f) for f in FIELDS}
        #: The columns the user named: unlike a default column, each must be in the file.
        self.asked = mapping
        #: Every row opens a thread of its own (``--thread-starts``): no row may name a thread or a parent.
        self.thread_starts = thread_starts
        # Per field, how its cell becomes a value: ids may be integers, texts must be strings, a count is checked
        # by the loader as every format's is.
        self._converters = [(_converter(f), self.columns[f]) for f in FIELDS]
        #: Warnings about the whole file, for the loader's report: the columns no field reads.
        self.notices: list[str] = []

    def check_header(self, path: Path, header: list[str], *, whole: bool = True) -> None:
        """Refuse a header without the required columns or, when it is the ``whole`` header (a CSV file's,
        not a JSON file's first record), without a column named with ``--map``."""
        missing = [f for f in REQUIRED if self.columns[f] not in header]
        if missing:
            guesses = suggested_maps(self.columns, header, [f for f in FIELDS if f not in self.asked])
            rename = (
                map_options(guesses) if set(missing) & set(guesses) else "--map text=COLUMN, the column of the text"
            )
            raise InputError(
                f"{path}: missing required {', '.join(f'{f} (column {self.columns[f]!r})' for f in missing)}; "
                f"columns found: {', '.join(h for h in header if h) or 'none'} (rename with {rename})"
                f"{_read_otherwise(path)}"
            )
        if whole:
            self.check_asked(path, header, "columns")
            read = set(self.columns.values())
            twice = [c for c, n in Counter(header).items() if n > 1 and c in read]
            if twice:
                raise InputError(f"{path}: column(s) named twice in the header: {', '.join(map(repr, twice))}; which "
                                 "one holds the field is unknown: rename one of them; nothing imported")  # fmt: skip
            self.note_unread(path, header)
        if whole and self.thread_starts:
            named = [f"{f} (column {self.columns[f]!r})" for f in _STRUCTURE if self.columns[f] in header]
            if named:
                raise InputError(
                    f"{path}: --thread-starts declares that every row opens a thread of its own, but the file names "
                    f"threads or parents: {', '.join(named)}; import it without --thread-starts; nothing imported"
                )

    def check_asked(self, path: Path, found: Iterable[str], what: str) -> None:
        """Refuse a ``--map FIELD=COLUMN`` whose column is not among ``found`` (a mistyped column would
        otherwise leave its field empty in every message, silently). ``what``: ``columns`` or ``keys``."""
        seen = list(dict.fromkeys(found))
        unknown = {f: c for f, c in self.asked.items() if c not in seen}
        if unknown:
            shown = ", ".join(seen[:50]) + (f" and {len(seen) - 50} more" if len(seen) > 50 else "")
            where = "in the file" if what == "columns" else "in any record"
            raise InputError(
                f"{path}: --map {' '.join(f'{f}={c}' for f, c in unknown.items())}: no "
                f"{what[:-1]} {', '.join(map(repr, unknown.values()))} {where} ({what} found: {shown or 'none'});"
                " nothing imported"
            )

    def note_unread(self, path: Path, found: Iterable[str]) -> None:
        """Keep the notice of the columns of ``found`` that no field reads (``ingest/columns.py``), if any."""
        notice = unread_notice(path.name, self.columns, found, thread_starts=self.thread_starts)
        if notice is not None:
            self.notices.append(notice)

    def record(self, record_no: int, row: Mapping[str, Any], raw: str) -> MessageRecord | Reject:
        # Called once per message: the columns are looked up in one comprehension, not one call each.
        values = [convert(row.get(c)) for convert, c in self._converters]
        message_id, thread_id, author, author_id, posted_at, text, reply_to, title, board, role, lang, replies = values
        if self.thread_starts and (thread_id is not None or reply_to is not None):
            named = "a thread (thread_id)" if thread_id is not None else "a parent (reply_to)"
            return Reject(record_no, raw, f"names {named}, but --thread-starts declares that every record opens a "
                                          "thread of its own")  # fmt: skip
        posted = row.get(self.columns["posted_at"])
        status = status_of_name(author) if author is not None and not author_id else None
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
            meta={} if replies is None else {REPLIES_AT_SOURCE: replies},
        )


def _converter(field: str) -> Callable[[Any], Any]:
    if field in _IDS:
        return _id_cell
    if field == REPLIES_AT_SOURCE:
        return _count_cell
    return _text_body if field == "text" else _text_cell


def _count_cell(value: Any) -> Any:
    """A count cell as the source wrote it (``"3"``, ``3``, ``"lots"``), absent when missing or empty: the loader
    keeps a whole number of 0 or more and warns of anything else (:func:`~chrysalide.ingest.records.as_count`)."""
    return None if value is None or value == "" else value


def _text_cell(value: Any) -> str | None:
    """A text cell: a missing cell and an empty string are both absent; another type is a WrongType."""
    if type(value) is str:
        return value or None
    return as_text(value)


def _text_body(value: Any) -> str | None:
    """The message text: a text cell, or a list of strings or of objects with a ``text`` string, joined one piece
    a line (a text given sentence by sentence, as sentence-level annotations keep it); another list is a
    WrongType naming its first wrong item."""
    if type(value) is str:
        return value or None
    if not isinstance(value, list):
        return as_text(value)
    pieces = []
    for index, item in enumerate(value, 1):
        piece = item.get("text") if isinstance(item, dict) else item
        if not isinstance(piece, str):
            wrong = WrongType.of(value)
            what = "an object without a 'text' string" if isinstance(item, dict) else WrongType.of(item).kind
            wrong.kind = f"a list whose item {index} is {what}"
            return wrong
        pieces.append(piece)
    return "\n".join(pieces) or None


def _id_cell(value: Any) -> str | None:
    """An id cell: a string, or an integer as text; absent when missing or empty."""
    if type(value) is str:
        return value or None
    return as_id(value)


@register
class CsvImporter:
    """Comma, semicolon or tab separated files with a header row."""

    name: ClassVar[str] = "csv"
    version: ClassVar[str] = "1"

    def __init__(
        self, mapping: Mapping[str, str] | None = None, delimiter: str | None = None, thread_starts: bool = False
    ) -> None:
        self.fields = _Mapped(mapping, thread_starts)
        self.notices = self.fields.notices  # the loader's warnings about the whole file (the columns no field reads)
        self.delimiter = delimiter

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_file() and _suffixes(path) in ("csv", "tsv", "txt")

    def read(self, path: Path) -> Iterator[Record]:
        refuse_folder(path, self.name)
        lines = iter(iter_lines(path))
        header_line = 0
        try:
            for header_line, first in enumerate(lines, 1):  # noqa: B007 - the header's line number is used below
                if first.strip():
                    break
            else:
                return  # blank lines only: no record (the loader says so)
        except Truncated:
            return
        if _opens_json(first):
            raise InputError(
                f"{path}: line {header_line} opens a JSON value, not a header row: the file looks like JSON Lines or a"
                " JSON array; import it with --format jsonl"
            )
        delimiter = self.delimiter or delimiter_of(first)
        header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
        if self.fields.columns["text"] not in header and _not_a_header(header):
            raise InputError(
                f"{path}: line {header_line}: {first.strip()[:80]!r} is no header row (read as the columns "
                f"{', '.join(map(repr, header))}, none of them {self.fields.columns['text']!r}): a .csv, .tsv or .txt file "
                "is imported as a table whose first line names its columns, separated by commas, semicolons or tabs. "
                "This file looks like plain text: convert it to CSV or JSON Lines with a text column (docs/importers.md)"
            )
        self.fields.check_header(path, header)
        turtle = is_result_header(header)  # a SPARQL result: its strings' escapes are decoded (ingest/sparql.py)
        last = header_line
        try:
            for row in csv_rows(lines, delimiter, len(header), header_line + 1):
                last = row.line
                if row.values is None:
                    yield Reject(row.line, row.raw[:_RAW_CAP], row.reason or "malformed row")
                else:
                    values = [unescape(v) for v in row.values] if turtle else row.values
                    yield self.fields.record(row.line, dict(zip(header, values, strict=True)), row.raw[:_RAW_CAP])
        except Truncated as exc:
            yield Reject(last + 1, None, f"input truncated after line {last}: {exc}")


def tables_in(folder: Path) -> list[Path]:
    """The files of ``folder`` (sub-folders included) that ``csv`` or ``jsonl`` would read, in sorted order."""
    return sorted(p for p in folder.rglob("*") if CsvImporter.sniff(p) or JsonlImporter.sniff(p))


def one_file_each(folder: Path) -> str:
    """How to import a folder of tables: ``csv`` and ``jsonl`` read one file, so each file in turn, into one
    source (a later import into a source stores only what is new)."""
    files = tables_in(folder)
    first = files[0] if files else folder / "FILE.csv"
    return (
        f"{folder}: a folder{f' of {len(files)} table file(s)' if files else ''}, and the csv and jsonl formats read"
        f" one file each: import them one by one into one source, `chrysalide ingest {first} --source-name NAME`,"
        " then each other file with the same --source-name"
    )


def refuse_folder(path: Path, name: str) -> None:
    """Refuse a folder given to a format that reads one file (``--format csv`` or ``jsonl``)."""
    if path.is_dir():
        raise InputError(
            one_file_each(path).replace(
                "the csv and jsonl formats read one file each", f"--format {name} reads one file", 1
            )
        )


def _not_a_header(header: list[str]) -> bool:
    """A first line that reads as text rather than column names: an empty name ('Bonjour,' reads as the columns
    'Bonjour' and '') or a name of more than four words (a sentence). A single short name may be a header: a
    one-column table is told to name its text column with --map instead. The first name alone may be empty before
    two or more others: the index column pandas writes (CADEC's ``\tids\tbody\t...``); so may the last ones after
    two or more names: a spreadsheet's empty columns (Doctissimo's ``...;?sexe;?age;;;``)."""
    names = header[1:] if len(header) > 2 and not header[0] else header
    named = len(names)
    while named > 2 and not names[named - 1]:  # trailing delimiters after two names or more (Doctissimo's ";;;")
        named -= 1
    return any(not name or len(name.split()) > 4 for name in names[:named])


def _opens_json(line: str) -> bool:
    """Whether a first line opens a JSON object or an array of them (a JSON file read as CSV)."""
    start = line.lstrip("\ufeff \t")
    return start.startswith("{") or (start.startswith("[") and start[1:].lstrip()[:1] in ("", "{", "[", '"'))


@register
class JsonlImporter:
    """JSON Lines (one object per line) or a JSON document holding an array of objects."""

    name: ClassVar[str] = "jsonl"
    version: ClassVar[str] = "1"

    def __init__(self, mapping: Mapping[str, str] | None = None, thread_starts: bool = False) -> None:
        self.fields = _Mapped(mapping, thread_starts)
        self.notices = self.fields.notices  # the loader's warnings about the whole file (the columns no field reads)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or _suffixes(path) not in ("jsonl", "ndjson", "json"):
            return False
        return head_text(path, 2048).lstrip()[:1] in ("{", "[")

    def read(self, path: Path) -> Iterator[Record]:
        refuse_folder(path, self.name)
        head = head_text(path, 4096).lstrip()
        keys: dict[str, None] = {}
        whole = head.startswith("[") or _object_of_messages(path, head)
        records = self._read_array(path, keys) if whole else self._read_lines(path, keys)
        yield from records
        # A key may be missing from some records (``reply_to`` from thread starts), not from every one:
        # checked once all are read, before the loader writes anything.
        self.fields.check_asked(path, keys, "keys")
        self.fields.note_unread(path, keys)

    def _record(
        self, path: Path, obj: dict[str, Any], no: int, raw: str, keys: dict[str, None]
    ) -> MessageRecord | Reject:
        """The record of one JSON object; the first checks the required key, the first :data:`_KEYS_FROM` add
        their keys to ``keys``, and the next ones until every key named with ``--map`` has been seen."""
        if not keys:
            self.fields.check_header(path, list(obj), whole=False)
        if no <= _KEYS_FROM or not all(c in keys for c in self.fields.asked.values()):
            keys.update(dict.fromkeys(obj))
        return self.fields.record(no, obj, raw[:_RAW_CAP])

    def _read_lines(self, path: Path, keys: dict[str, None]) -> Iterator[Record]:
        line_no = 0
        try:
            for line_no, line in enumerate(iter_lines(path), 1):
                if not line.strip():
                    continue
                raw = line.rstrip("\r\n")
                if has_nul(line):
                    yield Reject(line_no, raw[:_RAW_CAP], f"line {line_no}: NUL byte in the record (damaged file?)")
                    continue
                try:
                    obj = _parse(raw.strip().removesuffix(","))  # a line of a pasted array may end with a comma
                except ValueError as exc:
                    yield Reject(line_no, raw[:_RAW_CAP], f"line {line_no}: invalid JSON ({_why(exc)})")
                    continue
                if not isinstance(obj, dict):
                    yield Reject(line_no, raw[:_RAW_CAP], f"line {line_no}: expected a JSON object")
                    continue
                yield self._record(path, obj, line_no, raw, keys)
        except Truncated as exc:
            yield Reject(line_no + 1, None, f"input truncated after line {line_no}: {exc}")

    def _read_array(self, path: Path, keys: dict[str, None]) -> Iterator[Record]:
        text = read_document(path)
        items = _array_items(path, text)
        for index, item in enumerate(items, 1):
            if isinstance(item, _Broken):  # an item that could not be read: its text, rejected
                yield Reject(index, item.raw[:_RAW_CAP], f"item {index}: {item.why}")
                continue
            obj, raw = item
            if not isinstance(obj, dict):
                yield Reject(index, raw[:_RAW_CAP], f"item {index}: expected a JSON object")
                continue
            yield self._record(path, obj, index, raw, keys)


def _object_of_messages(path: Path, head: str) -> bool:
    """Whether the file is one object holding the messages as its ``messages`` array (named in its first 4 KB),
    not JSON Lines: the whole file is one line, or its first line is no JSON value on its own (an object spread
    over lines, or damaged). One line is not parsed here: the array reader parses the document once."""
    if not head.startswith("{") or _MESSAGES_KEY.search(head) is None:
        return False
    lines = iter_lines(path)
    first = next(lines, "")
    if next((line for line in lines if line.strip()), None) is None:
        return True
    try:
        _parse(first.strip())
    except ValueError:
        return True
    return False  # a whole object on the first line and more lines after it: JSON Lines


def _parse(text: str) -> Any:
    """A JSON value; a trailing comma before a closing brace or bracket is forgiven."""
    try:
        return loads(text)
    except json.JSONDecodeError:
        repaired = _TRAILING_COMMA.sub(r"\1", text)
        if repaired == text:
            raise
        return loads(repaired)


def _why(exc: ValueError) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)


class _Broken(NamedTuple):
    """An array item that could not be read: its text and why."""

    raw: str
    why: str


def _array_items(path: Path, text: str) -> list[tuple[Any, str] | _Broken]:
    """The items of a JSON array (or of an object's ``messages`` array), one by one.

    The document as a whole first; when it is not valid JSON, the array is read item by item, so that a
    trailing comma or one broken item costs that item only (the items must then be on lines of their own
    or separated by commas at the top level).
    """
    try:
        doc = _parse(text)
    except ValueError as exc:
        if text.lstrip().startswith("["):
            return _items_one_by_one(text, text.index("[") + 1)
        opening = _MESSAGES_KEY.search(text)
        if opening is None:
            raise InputError(f"{path}: invalid JSON ({_why(exc)})") from None
        return _items_one_by_one(text, opening.end(), past_the_end=False)
    items = doc.get("messages") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array of messages (or an object with 'messages')")
    return [(item, _dumps(item)) for item in items]


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        return "(a JSON value too deep to show)"


def _items_one_by_one(text: str, pos: int, *, past_the_end: bool = True) -> list[tuple[Any, str] | _Broken]:
    """Items of a damaged array opened just before ``pos``: each decoded where it starts; an undecodable one is
    skipped to the next line, one nested too deeply for Python to the end of its brackets.

    What follows the array's closing bracket is read on, not dropped (``past_the_end``): more arrays (a file
    written in batches, "[...]\\n[...]") give their items, and anything else its values or its rejected lines.
    An object's ``messages`` array ends at its bracket: the rest of the object is not messages.
    """
    decoder = json.JSONDecoder()
    found: list[tuple[Any, str] | _Broken] = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,[]":
            if text[pos] == "]" and not past_the_end:
                return found
            pos += 1
        if pos >= len(text):
            return found
        try:
            value, end = decoder.raw_decode(text, pos)
            found.append((without_surrogates(value), text[pos:end]))
        except (json.JSONDecodeError, RecursionError) as exc:
            closed = _value_end(text, pos) if isinstance(exc, RecursionError) else None
            end = closed if closed is not None else _line_end(text, pos)
            found.append(_Broken(text[pos:end], "JSON nested too deeply" if closed is not None else "invalid JSON"))
        pos = end


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _value_end(text: str, pos: int) -> int | None:
    """Where the object or array opening at ``pos`` closes, counting brackets outside strings (no recursion, so
    any depth); None when it does not close."""
    depth, in_string, escaped = 0, False, False
    for i in range(pos, len(text)):
        char = text[i]
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _read_otherwise(path: Path) -> str:
    """``"; it looks like ..."`` naming the format of its own that reads ``path`` (a Reddit export given as
    ``--format csv``), or nothing."""
    from chrysalide.ingest.registry import detect

    try:
        found = detect(path)
    except InputError:
        return ""
    if found.name in ("csv", "jsonl"):
        return ""
    return f"; it looks like a {found.name!r} export: --format {found.name} reads it as one (docs/importers.md)"
