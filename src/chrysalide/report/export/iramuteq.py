"""IRaMuTeQ / Alceste corpus files: export from the store, and read back (``read_corpus``).

Format (IRaMuTeQ manual, "Format des données en entrée"; Ratinaud 2009): each text (UCI) starts with
a line ``**** *var_value *var_value ...``, its lines follow until the next ``****`` line. A variable
is split at its first ``_``: names are kept to ``[a-z0-9]``, values to ASCII letters, digits, ``.``,
``-`` and ``_`` (accents are dropped, other runs become ``-``). Texts hold no ``*`` (it marks variables)
nor ``$`` (IRaMuTeQ's own marker), no HTML tags or character references, no control characters.

Texts hold none of what this package's text step reads as a placeholder and never as a term
(:func:`chrysalide.text.normalize.drop_references`): the marks ingest left where it took something out
(``[profile-url]``, ``[email]``, ``[phone]``, ``@[user]``, ``[image]``), links, e-mail addresses and references
to members (pseudonyms, ``u/...``, ``@...``). IRaMuTeQ counts every form it is given ("profile", "url", "https",
a pseudonym's digits), and an underscore keeps a form whole (``_url_`` would be one unrecognised form), so
they are dropped: IRaMuTeQ's classes are then drawn from the words ours are (a message holding nothing
else, a link alone, is an empty text, which IRaMuTeQ skips).

Exported variables per message, chosen for IRaMuTeQ's own analyses (a variable with thousands of
values, one per message or member, only slows its specificities down): ``*board``, ``*year``,
``*stage`` (current primary code, ``none`` if uncoded) and ``*group`` (the member's recency-frequency-
volume segment of the newest journeys run, ``NA`` without a run, ``none`` for a member that run gave no segment:
a bot account, or a member whose every message is removed or deleted; without a member ``guest``, ``deleted``
or ``unknown``: :mod:`chrysalide.report.authors`). With ``ids=True`` (``--ids``) each text also carries
``*msg``, ``*member`` (pseudonym; without a member ``guest``, ``deleted`` or ``NA``), ``*thread``,
``*date`` (epoch seconds) and ``*reply`` (the message answered): what ``chrysalide ingest`` needs to
rebuild threads, dates and reply links from the file. Under ``--quotes consented`` messages whose
author did not grant quoting are left out (a placeholder would form its own lexical class);
``all-pseudonymised`` exports every member who is not excluded.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.errors import InputError
from chrysalide.frames import each_row
from chrysalide.ingest.formats.iramuteq import HEADER, Uci, iter_corpus
from chrysalide.ingest.textio import check_readable
from chrysalide.journeys.panel import segment_name
from chrysalide.outputs import output_file, writing
from chrysalide.report.authors import no_member_status
from chrysalide.report.export.data import ExportCounts, export_messages, require_texts
from chrysalide.store import Store
from chrysalide.text.normalize import drop_references

_NAME_BAD = re.compile(r"[^a-z0-9]+")
_VALUE_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_MARKS = re.compile(r"[*$]+")
RESERVED = ("uci", "line", "text")
#: ``*group`` of a member whom the newest journeys run gave no segment.
NO_SEGMENT = "none"
# Letters NFKD does not decompose into an ASCII base letter.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d"})


@functools.lru_cache(maxsize=1024)
def sanitize_name(name: str) -> str:
    """A variable name IRaMuTeQ reads back unchanged: lower-case ASCII letters and digits."""
    return _NAME_BAD.sub("", name.lower()) or "var"


def _ascii(value: str) -> str:
    """Accents dropped ("thyroïde" -> "thyroide"): IRaMuTeQ's variable values are safest in ASCII."""
    return unicodedata.normalize("NFKD", value.translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii")


def sanitize_value(value: Any) -> str:
    """An ASCII modality without spaces or ``*`` (runs of other characters become one ``-``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "NA"
    return _VALUE_BAD.sub("-", _ascii(str(value))).strip("-") or "NA"


def sanitize_text(text: str) -> str:
    """Text safe inside a UCI.

    HTML tags removed and character references decoded, ``*`` and ``$`` removed, LF line ends, no
    control characters, no trailing blanks.
    """
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _MARKS.sub(" ", text) if ("*" in text or "$" in text) else text
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip()


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
    variables: list[str]
    counts: ExportCounts

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _groups(store: Store) -> dict[int, str] | None:
    """Each member's RFM segment in the newest journeys run (``member_metrics.segment``); None before any run."""
    run_id = store.latest("journeys", "member_metrics")
    if run_id is None:
        return None
    rows = store.con.execute("SELECT member_id, segment FROM member_metrics WHERE run_id = ?", [run_id]).fetchall()
    return {int(m): segment_name(str(g)) for m, g in rows}


def _group(member: int, groups: dict[int, str] | None) -> str | None:
    """A member's ``*group``: their segment; ``none`` if the run gave them none (a bot account, or every message
    removed or deleted: they have no journey), as a star variable needs a value; None (``NA``) before any run."""
    return None if groups is None else groups.get(member, NO_SEGMENT)


def _variables(row: Any, groups: dict[int, str] | None, ids: bool) -> dict[str, Any]:
    posted = row.posted_at if not pd.isna(row.posted_at) else None
    member = None if pd.isna(row.member_id) else int(row.member_id)
    # Without a member, the reason the store records (the importer reads guest, deleted and NA back as no member).
    status = no_member_status(row.author_status)
    out: dict[str, Any] = {
        "board": row.board,
        "year": posted.year if posted is not None else None,
        "stage": row.primary_code if isinstance(row.primary_code, str) else "none",
        "group": (status or "unknown") if member is None else _group(member, groups),
    }
    if ids:
        out = {
            "msg": row.message_id,
            "member": row.pseudonym if isinstance(row.pseudonym, str) else status,
            "thread": row.thread_id,
            "date": int(pd.Timestamp(posted).timestamp()) if posted is not None else None,
            "reply": None if pd.isna(row.reply_to_id) else int(row.reply_to_id),
            **out,
        }
    return out


def export_iramuteq(store: Store, out: str | Path, *, quotes: str = "consented", ids: bool = False) -> IramuteqReport:
    """Write every exportable message as one IRaMuTeQ text (UTF-8, LF); ``ids``: see the module docstring."""
    out = output_file(out)
    frame, counts = export_messages(store, quotes)
    require_texts(counts, quotes, "an IRaMuTeQ corpus")
    kept = frame[~frame["withheld"]]
    groups = _groups(store)
    names: list[str] = []
    with writing(out) as part, open(part, "w", encoding="utf-8", newline="") as fh:
        for row in each_row(kept, index=False):
            variables = _variables(row, groups, ids)
            names = names or list(variables)
            # What the lexical analysis reads as placeholders are no words in IRaMuTeQ either (module docstring).
            fh.write(format_text(variables, drop_references(row.text)))
    return IramuteqReport(str(out), len(kept), int(frame["withheld"].sum()), names, counts)


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
