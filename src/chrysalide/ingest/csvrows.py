"""CSV rows that one bad row cannot swallow: an unbalanced quote costs its own line, not the rest of the file.

The ``csv`` module reads a field that opens with a quote up to the closing quote, across lines: a row whose
closing quote is missing takes every following line into one field, and the file's last records are lost
(2 of 7 records of a hostile file were kept). Here a record read over several lines that turns out bad
(the wrong number of fields, a CSV error, the end of the file inside quotes, or more than
:data:`MAX_RECORD_LINES` lines) is rejected *alone*, by its first line, and reading starts again at the
line after it; a record whose fields are right is kept, newlines in quoted text included. Rows holding a
NUL character are rejected (a damaged file), the others read.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: A quoted field longer than this many lines is taken for an unbalanced quote.
MAX_RECORD_LINES = 2000


class _TooLong(Exception):
    """A record ran over MAX_RECORD_LINES lines."""


@dataclass(slots=True)
class Row:
    """One record: its first line's number, its fields (None when rejected), why it was rejected, its text."""

    line: int
    values: list[str] | None
    reason: str | None
    raw: str


def csv_rows(lines: Iterable[str], delimiter: str, width: int | None, first_line: int = 1) -> Iterator[Row]:
    """The records of ``lines`` (the text after the header); ``width``: the header's number of fields.

    Empty records (blank lines) are skipped. Line numbers start at ``first_line``.
    """
    source = iter(lines)
    pushed: deque[tuple[int, str]] = deque()  # lines to read again after a bad record
    taken: list[tuple[int, str]] = []  # the lines of the record being read
    counter = [first_line - 1]

    def feed() -> Iterator[str]:
        while True:
            if pushed:
                item = pushed.popleft()
            else:
                line = next(source, None)
                if line is None:
                    return
                counter[0] += 1
                item = (counter[0], line)
            taken.append(item)
            if len(taken) > MAX_RECORD_LINES:
                raise _TooLong
            yield item[1]

    reader = csv.reader(feed(), delimiter=delimiter, strict=True)
    while True:
        taken.clear()
        try:
            values = next(reader)
            reason = None
        except StopIteration:
            if not taken:
                return
            values, reason = None, "a quoted field runs to the end of the file (unbalanced quote)"
        except _TooLong:
            values, reason = None, f"a quoted field runs over {MAX_RECORD_LINES} lines (unbalanced quote)"
        except csv.Error as exc:
            values, reason = None, f"malformed CSV ({exc})"
        if not taken:
            return
        start, raw = taken[0][0], "".join(text for _, text in taken)
        if values is not None and (values == [] or values == [""]):
            continue
        if values is not None and width is not None and len(values) != width:
            reason, values = f"expected {width} fields, found {len(values)}", None
        if values is None and len(taken) > 1:
            # Read again from the line after this record's first: the bad part is this line only.
            pushed.extendleft(reversed(taken[1:]))
            raw = taken[0][1]
            reason = f"{reason}; only this line is rejected" if reason else reason
            reader = csv.reader(feed(), delimiter=delimiter, strict=True)
        elif values is not None and any("\x00" in v for v in values):
            values, reason = None, "NUL byte in the record (damaged file?)"
        yield Row(start, values, None if values is not None else f"line {start}: {reason}", raw.rstrip("\r\n"))


def delimiter_of(header_line: str) -> str:
    """The delimiter a header row uses: the most frequent of comma, semicolon and tab (comma when none)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
