"""IRaMuTeQ / Alceste corpus files: export from the store, and read back (``read_corpus``).

Format (IRaMuTeQ manual, "Format des données en entrée"; Ratinaud 2009): each text (UCI) starts with
a line ``**** *var_value *var_value ...``, its lines follow until the next ``****`` line. A variable
is split at its first ``_``: names are kept to ``[a-z0-9]``, values to letters, digits, ``.``, ``-``
and ``_`` (spaces and ``*`` become ``-``). Inside a text, a line may not start with ``****`` (a new
text) nor with ``-*`` (a thematic mark): leading asterisks of text lines are removed.

Exported variables per message: ``*msg`` (internal id), ``*member`` (pseudonym, or ``guest``),
``*thread``, ``*board``, ``*year``, ``*month``, ``*stage`` (current primary code, ``none`` if uncoded),
``*lang``, ``*position`` (``first`` post of its thread or ``reply``). Under ``--quotes consented``
messages whose author did not grant quoting are left out (a placeholder would distort the lexical
analysis); ``all-pseudonymised`` exports every member who is not excluded.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.formats.iramuteq import HEADER, Uci, iter_corpus
from chrysalide.ingest.textio import check_readable
from chrysalide.report.export.data import ExportCounts, export_messages
from chrysalide.store import Store

_NAME_BAD = re.compile(r"[^a-z0-9]+")
_VALUE_BAD = re.compile(r"[^\w.-]+")
_LEADING_STARS = re.compile(r"^(\s*-?)\*+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RESERVED = ("uci", "line", "text")


@functools.lru_cache(maxsize=1024)
def sanitize_name(name: str) -> str:
    """A variable name IRaMuTeQ reads back unchanged: lower-case ASCII letters and digits."""
    return _NAME_BAD.sub("", name.lower()) or "var"


def sanitize_value(value: Any) -> str:
    """A modality without spaces or ``*`` (runs of other characters become one ``-``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "NA"
    return _VALUE_BAD.sub("-", str(value)).strip("-") or "NA"


def sanitize_text(text: str) -> str:
    """Text safe inside a UCI.

    LF line ends, no control characters, no line starting with ``*`` or ``-*``, no trailing blanks.
    """
    lines = []
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for line in text.split("\n"):
        while match := _LEADING_STARS.match(line):
            line = match.group(1) + line[match.end() :]
        lines.append(line)
    return "\n".join(lines).rstrip()


def format_header(variables: dict[str, Any]) -> str:
    """``**** *name_value ...`` from a mapping (names and values sanitised)."""
    stars = " ".join(f"*{sanitize_name(k)}_{sanitize_value(v)}" for k, v in variables.items())
    return f"{HEADER} {stars}".rstrip()


def format_text(variables: dict[str, Any], text: str) -> str:
    """One UCI: header line, sanitised text, final newline."""
    return f"{format_header(variables)}\n{sanitize_text(text)}\n"


@dataclass
class IramuteqReport:
    """What ``export_iramuteq`` wrote."""

    path: str
    texts: int
    left_out_no_consent: int
    counts: ExportCounts

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _variables(row: Any) -> dict[str, Any]:
    posted = row.posted_at if not pd.isna(row.posted_at) else None
    return {
        "msg": row.message_id,
        "member": row.pseudonym if isinstance(row.pseudonym, str) else "guest",
        "thread": row.thread_native,
        "board": row.board,
        "year": posted.year if posted is not None else None,
        "month": posted.strftime("%Y-%m") if posted is not None else None,
        "stage": row.primary_code if isinstance(row.primary_code, str) else "none",
        "lang": row.lang if isinstance(row.lang, str) else "und",
        "position": "first" if row.position_in_thread == 0 else "reply",
    }


def export_iramuteq(store: Store, out: str | Path, *, quotes: str = "consented") -> IramuteqReport:
    """Write every exportable message as one IRaMuTeQ text (UTF-8, LF)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise ConfigError(f"{out}: folder {out.parent} does not exist")
    frame, counts = export_messages(store, quotes)
    kept = frame[~frame["withheld"]]
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        for row in kept.itertuples(index=False):
            fh.write(format_text(_variables(row), row.text))
    tmp.replace(out)
    return IramuteqReport(str(out), len(kept), int(frame["withheld"].sum()), counts)


def read_corpus(path: str | Path) -> pd.DataFrame:
    """An IRaMuTeQ corpus as a DataFrame: ``uci`` (1-based), ``line``, one column per variable, ``text``.

    A variable whose name is ``uci``, ``line`` or ``text`` gets the column ``<name>_var``.
    """
    path = Path(path)
    check_readable(path)
    rows: list[dict[str, Any]] = []
    for item in iter_corpus(path):
        if not isinstance(item, Uci):
            raise InputError(f"{path}: line {item[0]}: text before the first '****' line")
        row: dict[str, Any] = {"uci": len(rows) + 1, "line": item.line}
        for name, value in item.variables.items():
            row[f"{name}_var" if name in RESERVED else name] = value
        row["text"] = item.text
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no '****' line: not an IRaMuTeQ corpus")
    frame = pd.DataFrame(rows)
    return frame[[c for c in frame.columns if c != "text"] + ["text"]]
