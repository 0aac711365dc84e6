"""How far an import has read its input: bytes of the input files read, against their summed size.

Pass 1 reads records whose number is unknown until the end, but the size of the files is known: the
bytes read from disk give an import a total, hence a share done and a time left. Compressed files
count their compressed bytes (what is on disk). Every importer opens its files through
``textio.open_binary``, which opens them with :func:`open_raw`: while :func:`metering` is active, the
files opened are watched by its :class:`ReadMeter`, with no cost per read (the position is asked of
the file only when the meter is read).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_METER: ContextVar[ReadMeter | None] = ContextVar("chrysalide_read_meter", default=None)


def input_size(path: Path) -> int:
    """Bytes of a file, or the summed bytes of the files under a folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


class ReadMeter:
    """Bytes read so far from the files opened while it is active, and the size of the whole input.

    Each file counts up to the furthest position read in it, once: a file read twice (its head sniffed,
    then read whole) counts its size once, so the count reaches ``total`` when every file of the input
    was read to its end.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self._open: list[_MeteredFile] = []
        self._reached: dict[str, int] = {}
        self._sum = 0  # of _reached: a folder of a million small files is not summed again at every reading

    def bytes_read(self) -> int:
        """The bytes of the input read so far (a position asked of each open file: one system call each)."""
        for fh in self._open:
            self._reach(fh.key, fh.tell())
        return self._sum

    def _reach(self, name: str, position: int) -> None:
        old = self._reached.get(name, 0)
        if position > old:
            self._reached[name] = position
            self._sum += position - old

    def _closing(self, fh: _MeteredFile) -> None:
        self._reach(fh.key, fh.tell())
        self._open.remove(fh)


class _MeteredFile(io.FileIO):
    """A file opened for reading whose position its meter reads, and keeps when the file is closed."""

    def __init__(self, path: Path, meter: ReadMeter | None) -> None:
        super().__init__(path, "rb")
        self.key = str(path)
        self._meter = meter
        if meter is not None:
            meter._open.append(self)

    def close(self) -> None:
        if self._meter is not None and not self.closed:
            self._meter._closing(self)
            self._meter = None
        super().close()


def open_raw(path: Path) -> io.FileIO:
    """The file, unbuffered, for reading; seen by the active meter, if any."""
    return _MeteredFile(path, _METER.get())


@contextmanager
def metering(path: Path) -> Iterator[ReadMeter]:
    """Watch the files opened until the block ends: the input ``path`` (a file or a folder) and its files."""
    meter = ReadMeter(input_size(path))
    token = _METER.set(meter)
    try:
        yield meter
    finally:
        _METER.reset(token)
