"""IRaMuTeQ / Alceste corpora (``**** *var_value`` lines): one message per text (UCI).

Variables with a meaning for Chrysalide (the ones ``chrysalide export iramuteq`` writes, plus common
names): ``*msg`` / ``*id`` -> message id, ``*thread`` -> thread, ``*member`` / ``*author`` /
``*auteur`` -> author (``guest``, ``deleted`` and ``NA`` mean no member, as in the generic tables:
``records.status_of_name``), ``*board`` / ``*forum`` -> board, ``*date`` ->
timestamp (ISO date or epoch seconds), ``*reply`` -> the message answered, ``*lang`` -> language. Every variable is also kept in ``meta["iramuteq"]``. Without
``*thread`` each text is its own thread; without an id the loader derives one from the content.
Record numbers are the line numbers of the ``****`` lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from chrysalide.ingest.records import MessageRecord, Record, Reject, status_of_name
from chrysalide.ingest.registry import OptionlessImporter, register
from chrysalide.ingest.textio import Truncated, head_text, iter_lines

HEADER = "****"
_ID = ("msg", "id")
_AUTHOR = ("member", "author", "auteur")
_BOARD = ("board", "forum")
_SUFFIXES = (".txt", ".txt.gz", ".txt.zst")


def _first(variables: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = variables.get(name)
        if value and value != "NA":
            return value
    return None


@dataclass
class Uci:
    """One text read from a corpus: the line of its ``****`` header, its variables and its text."""

    line: int
    variables: dict[str, str]
    text: str


def parse_header(line: str) -> dict[str, str]:
    """Variables of a ``****`` line; a repeated variable keeps its first value."""
    variables: dict[str, str] = {}
    for token in line[len(HEADER) :].split():
        if token.startswith("*") and len(token) > 1:
            name, _, value = token[1:].partition("_")
            variables.setdefault(name, value)
    return variables


def iter_corpus(path: Path) -> Iterator[Uci | tuple[int, str]]:
    """UCIs in file order; non-blank text before the first header comes as ``(line, text)``.

    Lines are split on LF only (``\\x0c`` or U+2028 inside a message are text, not line ends).
    """
    current: Uci | None = None
    lines: list[str] = []
    for number, raw in enumerate(iter_lines(path), 1):
        line = raw.rstrip("\n").removesuffix("\r")
        if line.lstrip().startswith(HEADER):
            if current is not None:
                current.text = "\n".join(lines).rstrip()
                yield current
            elif "".join(lines).strip():
                yield (1, "\n".join(lines))
            current, lines = Uci(number, parse_header(line.lstrip()), ""), []
        else:
            lines.append(line)
    if current is not None:
        current.text = "\n".join(lines).rstrip()
        yield current
    elif "".join(lines).strip():
        yield (1, "\n".join(lines))


@register
class IramuteqImporter(OptionlessImporter):
    """Reads an IRaMuTeQ corpus; texts are the members' own words (no quote handling)."""

    name: ClassVar[str] = "iramuteq"
    version: ClassVar[str] = "1"

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or not path.name.lower().endswith(_SUFFIXES):
            return False
        head = head_text(path, 1024).lstrip("\ufeff \t\r\n")
        return head.startswith(HEADER)

    def read(self, path: Path) -> Iterator[Record]:
        last = 0
        try:
            for item in iter_corpus(path):
                if not isinstance(item, Uci):
                    yield Reject(item[0], item[1][:10_000], "text before the first '****' line")
                    continue
                last = item.line
                yield self._record(item)
        except Truncated as exc:
            yield Reject(last + 1, None, f"input truncated after record {last}: {exc}")

    @staticmethod
    def _record(uci: Uci) -> MessageRecord:
        variables = uci.variables
        author = _first(variables, _AUTHOR)
        status = status_of_name(author)
        return MessageRecord(
            record_no=uci.line,
            native_id=_first(variables, _ID),
            thread_id=_first(variables, ("thread",)),
            text=uci.text,
            author=None if status else author,
            author_status=status,
            posted_at=_first(variables, ("date",)),
            reply_to=_first(variables, ("reply",)),
            board=_first(variables, _BOARD),
            lang=_first(variables, ("lang",)),
            meta={"iramuteq": dict(variables)} if variables else {},
        )
