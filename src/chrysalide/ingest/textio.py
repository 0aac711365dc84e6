"""Reading forum files as text: decompression, encoding detection, truncation, binary refusal.

Encodings are decided per line: a line that is valid UTF-8 is UTF-8, otherwise it is cp1252 (bytes
cp1252 leaves undefined fall back to latin-1). French and German forum dumps are often latin-1 or
cp1252, sometimes mixed after a migration; deciding per line reads all of them without a second pass
and without guessing from a sample. A UTF-8 byte-order mark is dropped; UTF-16 files (with a BOM) are
decoded whole. Lines end at ``\n``, ``\r\n`` or a lone ``\r`` (old Mac files, mixed endings).

A file is binary when its first bytes carry a binary format's signature or more than a few NUL bytes; a
text export with a few stray NULs is text, and the records holding them are rejected by the importers
(:func:`has_nul`). JSON goes through :func:`loads`: nesting too deep for Python and lone UTF-16
surrogates (``"\ud800"``, which no file can store) are handled there, for every importer.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from chrysalide.errors import InputError
from chrysalide.ingest.meter import open_raw

SNIFF_BYTES = 8192
# More NUL bytes than this share of the head (and no UTF-16 BOM): a binary file, not a damaged text.
MAX_NUL_SHARE = 0.01
_BINARY_MAGICS = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"SQLite format 3\x00",
                  b"\x7fELF", b"\xd0\xcf\x11\xe0", b"BZh")  # fmt: skip
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("latin-1"), error.end


codecs.register_error("chrysalide-latin1", _latin1_fallback)


class Truncated(Exception):
    """A compressed stream ended before its end marker: what came before is usable."""


@dataclass
class Decoding:
    """Which encodings the lines of a file turned out to use."""

    utf8_lines: int = 0
    cp1252_lines: int = 0
    seen: set[str] = field(default_factory=set)

    @property
    def encoding(self) -> str:
        if self.cp1252_lines and self.utf8_lines:
            return "mixed utf-8/cp1252"
        return "cp1252" if self.cp1252_lines else "utf-8"


class _ZstdRaw(io.RawIOBase):
    """A zstd stream as a raw binary file that raises ``EOFError`` when its last frame is cut short.

    zstandard's ``stream_reader`` returns short data without any error on a truncated frame (and its
    ``readline`` is unsupported), so frames are decoded with ``decompressobj``, whose ``eof`` tells a
    complete frame from a cut one. Pushshift dumps may hold several frames and use a long window.
    """

    def __init__(self, fh: BinaryIO, max_window_size: int = 2**31) -> None:
        import zstandard

        self._fh = fh
        self._dctx = zstandard.ZstdDecompressor(max_window_size=max_window_size)
        self._dobj = self._dctx.decompressobj()
        self._in_frame = False
        self._out = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._pos >= len(self._out):
            chunk = self._fh.read(1 << 17)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd stream ends before the end of its last frame")
                return 0
            self._out, self._pos = self._decode(chunk), 0
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def _decode(self, data: bytes) -> bytes:
        parts = []
        while data:
            self._in_frame = True
            parts.append(self._dobj.decompress(data))
            if not self._dobj.eof:
                break
            data = self._dobj.unused_data
            self._dobj = self._dctx.decompressobj()
            self._in_frame = False
        return b"".join(parts)

    def close(self) -> None:
        self._fh.close()
        super().close()


class _GzipRaw(io.RawIOBase):
    """A gzip stream (one member, or several as ``cat a.gz b.gz`` writes them) as a raw binary file that gives every
    byte a cut-short last member holds, then raises ``EOFError``.

    ``gzip.GzipFile`` drops the bytes it decoded in the read that meets the cut: a small file cut short gave
    nothing, where its first records were whole. Zero bytes padding the file after a member are skipped, as gzip
    does (RFC 1952 members, decoded by zlib with ``wbits=31``).
    """

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._dobj = zlib.decompressobj(wbits=31)
        self._in_member = False
        self._pending = b""  # read from the file, not yet decoded

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while True:
            data, self._pending = self._pending or self._fh.read(1 << 17), b""
            if not data:
                if self._in_member:
                    raise EOFError("gzip stream ends before the end of its last member")
                return 0
            if not self._in_member:
                data = data.lstrip(b"\x00")
                if not data:
                    continue
                self._in_member = True
            out = self._dobj.decompress(data, len(buffer))
            if self._dobj.eof:
                self._pending = self._dobj.unused_data
                self._dobj, self._in_member = zlib.decompressobj(wbits=31), False
            else:
                self._pending = self._dobj.unconsumed_tail
            if out:
                buffer[: len(out)] = out
                return len(out)

    def close(self) -> None:
        self._fh.close()
        super().close()


def decode_line(raw: bytes, stats: Decoding | None = None) -> str:
    """Decode one line: UTF-8 when valid, else cp1252 with a latin-1 fallback."""
    try:
        text = raw.decode("utf-8")
        if stats is not None:
            stats.utf8_lines += 1
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="chrysalide-latin1")
        if stats is not None:
            stats.cp1252_lines += 1
    return text


def decode_bytes(data: bytes) -> str:
    """Decode a whole document (JSON files): BOMs honoured, UTF-8 else cp1252."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data[: len(data) // 2 * 2].decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    return decode_line(data)


def open_binary(path: Path) -> io.BufferedReader:
    """The decompressed bytes of a file (``.gz``, ``.zst``); its bytes on disk are what ``meter`` counts."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return io.BufferedReader(_GzipRaw(open_raw(path)), buffer_size=1 << 16)
    if name.endswith(".zst") or name.endswith(".zstd"):
        return io.BufferedReader(_ZstdRaw(open_raw(path)), buffer_size=1 << 16)
    return io.BufferedReader(open_raw(path))


def read_document(path: Path) -> str:
    """A whole file (decompressed, see :func:`open_binary`) as text (:func:`decode_bytes`): JSON documents."""
    with open_binary(path) as fh:
        return decode_bytes(fh.read())


def check_readable(path: Path) -> None:
    """Refuse a missing, empty or binary input with one clear sentence."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        return
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty")
    head, error = _read_head(path, SNIFF_BYTES)
    if not head and error is not None:
        raise InputError(f"{path}: cannot read or decompress: {error}") from error
    if not head:
        raise InputError(f"{path}: file is empty")
    if not head.strip(b" \t\r\n\x0b\x0c") and len(head) < SNIFF_BYTES:
        raise InputError(f"{path}: no records (the file holds only blank lines)")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: "FF FE" opens both
        raise InputError(f"{path}: UTF-32 text, which no importer reads; save it as UTF-8 (or UTF-16)")
    utf16 = head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)
    unmarked = None if utf16 or head.startswith(_BINARY_MAGICS) else utf16_without_bom(head)
    if unmarked is not None:
        raise InputError(
            f"{path}: {unmarked} text without a byte-order mark, which no importer reads: save it as UTF-8"
            " (or as UTF-16 with its byte-order mark)"
        )
    if head.startswith(_BINARY_MAGICS) or (not utf16 and head.count(b"\x00") > MAX_NUL_SHARE * len(head)):
        raise InputError(f"{path}: looks binary (NUL bytes or a binary format's signature), not a text export")


def utf16_without_bom(head: bytes) -> str | None:
    """``UTF-16LE`` or ``UTF-16BE`` when ``head`` reads as UTF-16 text without its byte-order mark, else None.

    Latin text in UTF-16 has a NUL in every other byte: at odd positions in little-endian, even in big-endian.
    Told apart from a binary file by that pattern: most bytes on one side NUL, almost none on the other.
    """
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd >= 0.6 * pairs and even <= 0.02 * pairs:
        return "UTF-16LE"
    if even >= 0.6 * pairs and odd <= 0.02 * pairs:
        return "UTF-16BE"
    return None


def _read_head(path: Path, size: int) -> tuple[bytes, Exception | None]:
    """Up to ``size`` first bytes, read in small steps so a truncated compressed file still shows them."""
    head = b""
    try:
        with open_binary(path) as fh:
            while len(head) < size:
                chunk = fh.read1(min(1024, size - len(head)))  # one step: read() loses a step cut short
                if not chunk:
                    break
                head += chunk
    except Exception as exc:  # OSError, EOFError, zlib.error, zstandard.ZstdError
        return head, exc
    return head, None


def head_text(path: Path, size: int = SNIFF_BYTES) -> str:
    """The first bytes of a (possibly compressed) file as text, for ``sniff``: byte-order marks honoured."""
    if not path.is_file():
        return ""
    head = _read_head(path, size)[0]
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    return decode_line(head.removeprefix(codecs.BOM_UTF8))


def has_nul(line: str) -> bool:
    """Whether a line holds a NUL character: a damaged record (importers reject it, the rest is read)."""
    return "\x00" in line


class JsonTooDeep(ValueError):
    """A JSON value nested deeper than Python can parse."""


def loads(text: str) -> object:
    """``json.loads`` for source records: too deep a nesting is a ``ValueError``, lone surrogates become U+FFFD.

    ``JSONDecodeError`` (a ``ValueError``) is raised as usual for invalid JSON.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep("JSON nested too deeply") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        value = without_surrogates(value)
    return value


def without_surrogates(value: object) -> object:
    """Lone UTF-16 surrogates (valid JSON escapes, but no character) replaced, in every string of a value."""
    stack: list[object] = [value]
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value)
    while stack:  # iterative: the value may be as deep as Python's parser allowed
        item = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for key, child in list(pairs):
            if isinstance(child, str):
                item[key] = _SURROGATE.sub(REPLACEMENT, child)  # type: ignore[index]
            elif isinstance(child, dict | list):
                stack.append(child)
        if isinstance(item, dict) and any(isinstance(k, str) and _SURROGATE.search(k) for k in item):
            fixed = {(_SURROGATE.sub(REPLACEMENT, k) if isinstance(k, str) else k): v for k, v in item.items()}
            item.clear()
            item.update(fixed)
    return value


def iter_lines(path: Path, stats: Decoding | None = None) -> Iterator[str]:
    """Yield the decoded lines of a text file (newline kept), decompressing ``.gz`` / ``.zst``.

    Raises :class:`Truncated` after the last complete line when a compressed stream is cut short.
    """
    with open_binary(path) as fh:
        first = True
        raw_head = fh.peek(2)[:2]
        if raw_head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            data = fh.read()
            text = data[: len(data) // 2 * 2].decode("utf-16", errors="replace")
            yield from io.StringIO(text, newline=None)
            return
        while True:
            try:
                raw = fh.readline()
            except (EOFError, OSError) as exc:
                raise Truncated(str(exc) or "compressed stream ends early") from exc
            except Exception as exc:  # zstandard.ZstdError
                raise Truncated(str(exc)) from exc
            if not raw:
                return
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
            # Line ends as universal newlines read them: \r\n and a lone \r (old Mac files, mixed endings) end a
            # line with \n, inside quoted CSV fields too (the csv module refuses a bare \r). readline splits at \n
            # only, so a line holding another \r is split here.
            pieces = raw.splitlines(keepends=True) if b"\r" in raw else (raw,)
            for piece in pieces:
                if piece.endswith(b"\r\n"):
                    piece = piece[:-2] + b"\n"
                elif piece.endswith(b"\r"):
                    piece = piece[:-1] + b"\n"
                yield decode_line(piece, stats)
