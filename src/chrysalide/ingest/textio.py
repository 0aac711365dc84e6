"""Reading forum files as text: decompression, encoding detection, truncation, binary refusal.

Encodings are decided per line: a line that is valid UTF-8 is UTF-8, otherwise it is cp1252 (bytes
cp1252 leaves undefined fall back to latin-1). French and German forum dumps are often latin-1 or
cp1252, sometimes mixed after a migration; deciding per line reads all of them without a second pass
and without guessing from a sample. A UTF-8 byte-order mark is dropped; UTF-16 files (with a BOM) are
decoded whole.
"""

from __future__ import annotations

import codecs
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from chrysalide.errors import InputError

SNIFF_BYTES = 8192


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
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    return decode_line(data)


def open_binary(path: Path) -> BinaryIO:
    name = path.name.lower()
    if name.endswith(".gz"):
        # typeshed's GzipFile has every method of BinaryIO but does not subclass it (a nominal type)
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".zst") or name.endswith(".zstd"):
        return io.BufferedReader(_ZstdRaw(open(path, "rb")), buffer_size=1 << 16)
    return open(path, "rb")


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
    utf16 = head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)
    if b"\x00" in head and not utf16:
        raise InputError(f"{path}: looks binary (NUL bytes), not a text export")


def _read_head(path: Path, size: int) -> tuple[bytes, Exception | None]:
    """Up to ``size`` first bytes, read in small steps so a truncated compressed file still shows them."""
    head = b""
    try:
        with open_binary(path) as fh:
            while len(head) < size:
                chunk = fh.read(min(1024, size - len(head)))
                if not chunk:
                    break
                head += chunk
    except Exception as exc:  # OSError, EOFError, zlib.error, zstandard.ZstdError
        return head, exc
    return head, None


def head_text(path: Path, size: int = SNIFF_BYTES) -> str:
    """The first bytes of a (possibly compressed) file as text, for ``sniff``."""
    if not path.is_file():
        return ""
    return decode_line(_read_head(path, size)[0])


def iter_lines(path: Path, stats: Decoding | None = None) -> Iterator[str]:
    """Yield the decoded lines of a text file (newline kept), decompressing ``.gz`` / ``.zst``.

    Raises :class:`Truncated` after the last complete line when a compressed stream is cut short.
    """
    with open_binary(path) as fh:
        first = True
        raw_head = fh.peek(2)[:2] if hasattr(fh, "peek") else b""
        if raw_head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            text = fh.read().decode("utf-16")
            yield from io.StringIO(text, newline="")
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
            yield decode_line(raw, stats)
