"""A streaming reader of MySQL/MariaDB dumps: table columns and INSERT rows, never the whole file.

It tokenizes bytes (every SQL delimiter is ASCII, so UTF-8 and latin-1 dumps tokenize alike) in
chunks, so a multi-GB dump or a single huge INSERT line is read with bounded memory; each string
value is then decoded on its own (UTF-8 when valid, else cp1252), which also reads dumps whose
encoding changed over a forum's life. Strings follow MySQL's rules: backslash escapes and doubled
quotes. INSERT statements of tables the caller does not want are skipped without tokenizing them.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from chrysalide.ingest.textio import decode_line

CHUNK = 1 << 20
MAX_CHUNK = 1 << 24

# Possessive/atomic groups: an unterminated string fails fast (no backtracking) and is refilled.
_STR = rb"'(?>[^'\\]++|\\.|'')*+'"
_DSTR = rb'"(?>[^"\\]++|\\.|"")*+"'
_BQ = rb"`(?>[^`]++|``)*+`"
_TOKEN = re.compile(
    rb"(?P<ws>\s+)|(?P<str>" + _STR + rb")|(?P<dstr>" + _DSTR + rb")|(?P<bq>" + _BQ + rb")"
    rb"|(?P<comment>/\*.*?\*/|--[^\n]*\n|\#[^\n]*\n)"
    rb"|(?P<hex>0x[0-9a-fA-F]+)|(?P<num>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    rb"|(?P<word>[A-Za-z_][A-Za-z0-9_$]*)|(?P<other>[^'\"`])",
    re.S,
)
_NUM = rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_NUM_RE = re.compile(_NUM)
_SKIP = re.compile(rb"(?:[^'\"`;]++|" + _STR + rb"|" + _DSTR + rb"|" + _BQ + rb")*+", re.S)
# A doubled quote is an escape only for the quote that delimits the string ('it''s', "say ""hi""").
_ESCAPE = {b"'": re.compile(rb"\\(.)|''", re.S), b'"': re.compile(rb'\\(.)|""', re.S)}
_ESCAPES = {b"0": b"\0", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"Z": b"\x1a"}
_NOT_COLUMNS = {"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FULLTEXT", "FOREIGN", "CHECK", "SPATIAL"}
_INSERT_WORDS = {"INTO", "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"}
_WORD_VALUES: dict[str, Any] = {"NULL": None, "TRUE": 1, "FALSE": 0}


class DumpTruncated(Exception):
    """The dump ends inside a statement (or its compressed stream is cut)."""


class DumpSyntax(Exception):
    """A statement this reader needs cannot be parsed."""


@dataclass(slots=True)
class Row:
    """One VALUES tuple: ``columns`` from the INSERT's own list, else ``None``."""

    table: str
    columns: list[str] | None
    values: list[Any]
    statement: int


@dataclass(slots=True)
class Table:
    """A CREATE TABLE's column names, in order."""

    table: str
    columns: list[str]


@dataclass(slots=True)
class Bad:
    """An INSERT statement that stopped parsing after ``rows`` good rows; its rest is skipped."""

    table: str
    statement: int
    rows: int
    reason: str


def _unescape(match: re.Match[bytes]) -> bytes:
    char = match.group(1)
    if char is None:
        return match.group(0)[:1]
    if char in (b"%", b"_"):  # MySQL keeps the backslash before these two
        return b"\\" + char
    return _ESCAPES.get(char, char)


def _string(token: bytes) -> str:
    return decode_line(_ESCAPE[token[:1]].sub(_unescape, token[1:-1]))


def _number(token: bytes) -> int | float:
    try:
        return int(token)
    except ValueError:
        return float(token)


def _name(kind: str, token: bytes) -> str:
    text = token.decode("utf-8", "replace")
    return text[1:-1].replace("``", "`") if kind == "bq" else text


class DumpReader:
    """Yields :class:`Table` and :class:`Row` events from a binary stream of SQL."""

    def __init__(self, fh: BinaryIO, wanted: Callable[[str], bool]) -> None:
        self.fh = fh
        self.wanted = wanted
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.cut: str | None = None
        self.statement = 0
        self.rows_in_statement = 0
        self.table = ""
        self.in_insert = False

    def _fill(self, size: int) -> None:
        try:
            chunk = self.fh.read(size)
        except (EOFError, zlib.error, OSError) as exc:
            chunk, self.cut = b"", str(exc) or "compressed stream ends early"
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        self.eof = not chunk

    def _token(self) -> tuple[str, bytes] | None:
        size = CHUNK
        while True:
            m = _TOKEN.match(self.buf, self.pos)
            if m and (m.end() < len(self.buf) or self.eof):
                self.pos = m.end()
                kind = m.lastgroup or "other"
                if kind not in ("ws", "comment"):
                    return kind, m.group()
                continue
            if self.eof:
                if self.pos >= len(self.buf):
                    return None
                raise DumpTruncated(self._where())
            self._fill(size)
            size = min(size * 2, MAX_CHUNK)

    def _need(self) -> tuple[str, bytes]:
        tok = self._token()
        if tok is None:
            raise DumpTruncated(self._where())
        return tok

    def _where(self) -> str:
        cause = f"compressed stream cut ({self.cut})" if self.cut else "the dump ends"
        if self.in_insert:
            return (
                f"{cause} inside INSERT INTO {self.table} (statement {self.statement}) "
                f"after {self.rows_in_statement} complete rows of it"
            )
        return f"{cause} inside a statement"

    def _skip_statement(self, lenient: bool = False) -> None:
        """Move past the next ';' outside strings; ``lenient``: a missing final ';' is no cut."""
        size = CHUNK
        while True:
            m = _SKIP.match(self.buf, self.pos)
            end = m.end() if m else self.pos
            if end < len(self.buf) and self.buf[end : end + 1] == b";":
                self.pos = end + 1
                return
            progressed = end > self.pos
            self.pos = end
            if self.eof:
                if lenient and self.cut is None:
                    self.pos = len(self.buf)
                    return
                raise DumpTruncated(self._where())
            self._fill(size)
            size = CHUNK if progressed else min(size * 2, MAX_CHUNK)

    def events(self) -> Iterator[Table | Row | Bad]:
        """Every CREATE TABLE and wanted INSERT row; raises DumpTruncated / DumpSyntax."""
        while True:
            tok = self._token()
            if tok is None:
                if self.cut:
                    raise DumpTruncated(self._where())
                return
            kind, text = tok
            word = text.decode("ascii", "replace").upper() if kind == "word" else ""
            if word == "CREATE":
                yield from self._create()
            elif word in ("INSERT", "REPLACE"):
                self.statement += 1
                self.in_insert = True
                try:
                    yield from self._insert()
                except DumpSyntax as exc:
                    yield Bad(self.table, self.statement, self.rows_in_statement, str(exc))
                    self._skip_statement()
                self.in_insert = False
            elif text != b";":
                self._skip_statement(lenient=True)

    def _create(self) -> Iterator[Table]:
        kind, text = self._need()
        if kind != "word" or text.upper() != b"TABLE":
            self._skip_statement(lenient=True)
            return
        kind, text = self._need()
        while kind == "word" and text.upper() in (b"IF", b"NOT", b"EXISTS"):
            kind, text = self._need()
        name = _name(kind, text)
        kind, text = self._need()
        while text == b".":  # `db`.`table`
            name = _name(*self._need())
            kind, text = self._need()
        if text != b"(":
            self._skip_statement()
            return
        columns: list[str] = []
        depth, first = 1, True
        while depth:
            kind, text = self._need()
            if text == b"(":
                depth += 1
            elif text == b")":
                depth -= 1
            elif text == b"," and depth == 1:
                first = True
                continue
            elif first and depth == 1 and kind in ("bq", "word", "dstr"):
                col = _name(kind, text) if kind != "dstr" else text[1:-1].decode("utf-8", "replace")
                if kind == "bq" or col.upper() not in _NOT_COLUMNS:
                    columns.append(col)
            first = False
        self._skip_statement()
        yield Table(name, columns)

    def _insert(self) -> Iterator[Row]:
        kind, text = self._need()
        while kind == "word" and text.upper().decode("ascii", "replace") in _INSERT_WORDS:
            kind, text = self._need()
        name = _name(kind, text)
        kind, text = self._need()
        while text == b".":
            name = _name(*self._need())
            kind, text = self._need()
        self.table, self.rows_in_statement = name, 0
        if not self.wanted(name):
            self._skip_statement()
            return
        columns: list[str] | None = None
        if text == b"(":
            columns = []
            while True:
                kind, text = self._need()
                if text == b")":
                    break
                if text != b",":
                    columns.append(_name(kind, text))
            kind, text = self._need()
        if kind != "word" or text.upper() not in (b"VALUES", b"VALUE"):
            raise DumpSyntax(f"INSERT INTO {name}: expected VALUES, found {text[:40]!r}")
        while True:
            kind, text = self._need()
            if text != b"(":
                raise DumpSyntax(f"INSERT INTO {name}: expected '(', found {text[:40]!r}")
            yield Row(name, columns, self._tuple(name), self.statement)
            self.rows_in_statement += 1
            kind, text = self._need()
            if text == b";":
                return
            if text != b",":  # ON DUPLICATE KEY UPDATE ...
                self._skip_statement()
                return

    def _fast_tuple(self) -> list[Any] | None:
        """The common row (quoted strings, numbers, NULL) found with bytes.find, or None.

        Regex scanning of long strings runs at tens of MB/s; ``find`` runs at memory speed. ``None``
        (anything unusual, or the row reaches the end of the buffer) leaves the token path to do it.
        """
        buf, i, n = self.buf, self.pos, len(self.buf)
        values: list[Any] = []
        while True:
            while i < n and buf[i] in b" \t\r\n":
                i += 1
            if i >= n:
                return None
            if buf[i] == 0x29 and not values:  # ')' of an empty row
                self.pos = i + 1
                return values
            quote = buf[i]
            if quote in b"'\"":
                j = i + 1
                while True:
                    j = buf.find(bytes((quote,)), j)
                    if j < 0 or j + 1 >= n:
                        return None
                    k = j - 1
                    while buf[k] == 0x5C:  # backslashes before the quote: odd count escapes it
                        k -= 1
                    if (j - 1 - k) % 2:
                        j += 1
                    elif buf[j + 1] == quote:
                        j += 2
                    else:
                        break
                values.append(_string(buf[i : j + 1]))
                i = j + 1
            elif buf.startswith(b"NULL", i):
                values.append(None)
                i += 4
            else:
                m = _NUM_RE.match(buf, i)
                if m is None or m.end() >= n:
                    return None
                values.append(_number(m.group()))
                i = m.end()
            while i < n and buf[i] in b" \t\r\n":
                i += 1
            if i >= n:
                return None
            if buf[i] == 0x29:
                self.pos = i + 1
                return values
            if buf[i] != 0x2C:
                return None
            i += 1

    def _tuple(self, table: str) -> list[Any]:
        fast = self._fast_tuple()
        if fast is not None:
            return fast
        values: list[Any] = []
        while True:
            kind, text = self._need()
            if kind == "word" and text.startswith(b"_") and len(text) > 1:  # _binary / _utf8mb4 'x'
                kind, text = self._need()
            if kind in ("str", "dstr"):
                values.append(_string(text))
            elif kind == "num":
                values.append(_number(text))
            elif kind == "hex":
                digits = text[2:].decode("ascii")
                values.append(decode_line(bytes.fromhex(digits if len(digits) % 2 == 0 else "0" + digits)))
            elif kind == "word" and text.upper().decode("ascii", "replace") in _WORD_VALUES:
                values.append(_WORD_VALUES[text.upper().decode("ascii")])
            elif text == b")" and not values:
                return values
            else:
                raise DumpSyntax(f"INSERT INTO {table}: unexpected {text[:40]!r} in a row")
            kind, text = self._need()
            if text == b")":
                return values
            if text != b",":
                raise DumpSyntax(f"INSERT INTO {table}: expected ',' or ')', found {text[:40]!r}")
