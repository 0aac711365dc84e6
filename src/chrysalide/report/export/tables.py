"""Dump every non-empty table (and view) of the store to Parquet or CSV, one file per table.

Whatever stages ran, the export takes the tables that exist (``information_schema``), so a missing
optional table is never an error. Privacy rules (docs/privacy.md), applied to every table:
- rows of excluded members go: any table with a ``member_id`` column loses their rows, any table
  with a ``message_id`` or ``segment_id`` column loses the rows of their messages and segments, the threads
  table the threads only they wrote in; other members' rows stay, and what in them names an excluded member or
  one of their messages (:data:`MEMBER_REFERENCES`, :data:`MESSAGE_REFERENCES`, ``*_member_id``,
  ``*_message_id``, lists ``*_message_ids``) is left empty: an id leads to the public post;
- text columns (``text``, ``quoted_text``, ``title`` and other free-text names in
  :data:`TEXT_COLUMNS`) of tables keyed by message, member or thread are consent-gated under
  ``--quotes consented`` and contact-scrubbed in both modes; a quoted text, and a message's source form, which
  holds its quotes (:data:`QUOTING_COLUMNS`), are kept only when the quoting member and every quoted author
  (``meta.quoted_authors``) allow quoting, and never when a quoted author is excluded;
- ``rejects.raw`` is dropped from pseudonymised stores: it is the unprocessed source record. Members
  appear by pseudonym only (the store holds no names);
- ids that link a row to a public post are left out under ``--quotes consented``: the source's own ids
  (``native_id``, ``thread_native``), the digest of the source record (``content_hash``), the native ids
  in ``meta`` (``reply_to_native``, ``file``) and in ingest warnings, and the ``rejects`` table;
- the name vault (names sealed with the key) and the key check are never exported.
A ``manifest.json`` lists each file with its table, row count, columns and SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide import __version__
from chrysalide.errors import ConfigError
from chrysalide.outputs import output_folder
from chrysalide.privacy.consent import ConsentMap, load_consent
from chrysalide.privacy.pseudonyms import PSEUDONYM
from chrysalide.privacy.quotes import WITHHELD
from chrysalide.privacy.vocabulary import Vocabulary, shown_vocabulary
from chrysalide.report.export.data import ExportCounts, allowed_mask, check_mode, gated_series
from chrysalide.store import Store, utcnow

FORMATS = ("parquet", "csv")
TEXT_COLUMNS = (
    "text",
    "quoted_text",
    "title",
    "body",
    "excerpt",
    "snippet",
    "segment",
    "segment_text",
    "source_text",
    "terms",
    "tool_terms",
)
#: Text columns that hold what a message quotes of others: shown only where every quoted author allows it.
QUOTING_COLUMNS = ("quoted_text", "source_text")
#: Tables holding no member content and internal bookkeeping: exported as they are.
_PLAIN = ("runs", "schema_migrations", "sources")
#: Never exported: names sealed with the key, and what tells the key file apart.
NEVER = ("name_vault", "chrysalide_meta")
#: Columns naming a member other than the row's own (besides every ``*_member_id``): left empty where excluded.
MEMBER_REFERENCES = ("starter_id",)
#: Columns naming a message other than the row's own (besides every ``*_message_id``): left empty where an
#: excluded member wrote it.
MESSAGE_REFERENCES = ("reply_to_id", "previous_id", "answer_id", "target_id")
#: Columns linking a row to a public post (left out under ``--quotes consented``).
NATIVE_COLUMNS = ("native_id", "thread_native", "content_hash")
NATIVE_META = ("reply_to_native", "file")


@dataclass
class TablesReport:
    """What ``export_tables`` wrote."""

    folder: str
    format: str
    quotes: str
    tables: list[dict[str, Any]] = field(default_factory=list)
    skipped_empty: list[str] = field(default_factory=list)
    counts: ExportCounts = field(default_factory=ExportCounts)
    withheld_terms: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("folder", "format", "quotes", "tables", "skipped_empty", "withheld_terms")}
        return {**out, "counts": asdict(self.counts)}


def list_tables(store: Store) -> list[str]:
    """Every table and view of the main schema, sorted."""
    rows = store.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        " AND table_catalog = current_database() ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


class _Gate:
    """Per-store lookups the table filters share."""

    def __init__(self, store: Store, quotes: str) -> None:
        self.quotes = quotes
        self.consent: ConsentMap = load_consent(store)
        self.excluded = self.consent.excluded_ids()
        authors = store.con.execute("SELECT message_id, member_id FROM messages").df()
        self.author = authors.set_index("message_id")["member_id"]
        self.excluded_messages = set(authors.loc[authors["member_id"].isin(self.excluded), "message_id"])
        openers = store.con.execute("SELECT thread_id, member_id FROM thread_order WHERE pos = 0").df()
        self.opener = openers.set_index("thread_id")["member_id"]
        self.excluded_threads = _threads_only_of(store, self.excluded)
        self.segment_message = _segment_messages(store)
        self.excluded_segments = set(self.segment_message.index[self.segment_message.isin(self.excluded_messages)])
        self.by_pseudonym = dict(store.con.execute("SELECT pseudonym, member_id FROM members").fetchall())
        self.pseudonymised = all(r[0] for r in store.con.execute("SELECT pseudonymised FROM sources").fetchall())
        self.vocabulary: Vocabulary = shown_vocabulary(store, quotes, self.consent)
        # A message's quote of others is in its quoted text and in its source form (``message_sources``).
        quoting = store.con.execute(
            "SELECT message_id, meta, quoted_text FROM messages WHERE quoted_text IS NOT NULL"
        ).fetchall()
        self.quotes_withheld = {message_id for message_id, meta, quoted in quoting if not self.quoted_ok(meta, quoted)}
        self.withheld_terms = 0
        self.messages = self.withheld = 0  # message texts exported / withheld (the messages table)

    def member_column(self, frame: pd.DataFrame) -> pd.Series | None:
        """Whose content each row is: its member, else its message's author, else its thread's first author."""
        if "member_id" in frame:
            return frame["member_id"]
        if "message_id" in frame:
            return frame["message_id"].map(self.author)
        if "segment_id" in frame:
            return frame["segment_id"].map(self.segment_message).map(self.author)
        if "thread_id" in frame:  # a thread's title and ids are its first message's author's
            return frame["thread_id"].map(self.opener)
        return None

    def quoted_ok(self, meta: Any, quoted: str = "") -> bool:
        """Whether a message's quote of others may be shown: under ``consented`` every quoted author (``meta``'s
        ``quoted_authors``, the names of phpBB's quote markup) granted quoting, and an unknown one cannot have;
        otherwise none of them is excluded, nor any member whose pseudonym the quote holds (a plain-text export's
        quote keeps its header, "M-0123456789 a écrit :", and records no author)."""
        try:
            names = json.loads(meta).get("quoted_authors") if isinstance(meta, str) else None
        except (ValueError, AttributeError):
            names = None
        if self.quotes != "consented":
            named = {*(names or ()), *re.findall(PSEUDONYM, quoted or "")}
            return not any(self.by_pseudonym.get(n) in self.excluded for n in named)
        if not names:
            return False  # unknown quoted author: cannot have consented
        return all(self.consent.quotable(self.by_pseudonym.get(n)) for n in names)

    def quotes_shown(self, message_ids: pd.Series) -> pd.Series:
        """Per message, whether what it quotes of others may be shown (:meth:`quoted_ok`; true without a quote)."""
        return ~message_ids.isin(self.quotes_withheld)

    def apply(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        if self.quotes == "consented":
            frame = without_native_ids(table, frame)
        if table in _PLAIN:
            for column in [c for c in ("location", "params", "summary") if c in frame.columns]:
                # an import's summary names members by pseudonym (the names also common words): not the excluded
                frame[column] = (
                    frame[column].map(_file_names).map(lambda v: self.consent.unnamed(v) if isinstance(v, str) else v)
                )
            return frame
        if table == "rejects":
            return frame.drop(columns=["raw"]) if self.pseudonymised and "raw" in frame else frame
        frame = self.without_excluded(table, frame)
        frame = self.gate_terms(table, frame.reset_index(drop=True))
        texts = [c for c in frame.columns if c in TEXT_COLUMNS and frame[c].dtype == object]
        if not texts:
            return frame
        owners = self.member_column(frame)
        if owners is None:  # text nobody can be traced to: nobody consented to its quotation
            owners = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        allowed = allowed_mask(owners, self.consent, self.quotes) & ~owners.isin(self.excluded)
        for column in texts:
            ok = allowed
            if column in QUOTING_COLUMNS and "message_id" in frame:
                ok = allowed & self.quotes_shown(frame["message_id"])
            frame[column] = gated_series(frame[column], ok, self.consent)
        if table == "messages" and "text" in texts:
            self.messages, self.withheld = len(frame), int((~allowed).sum())
        return frame

    def without_excluded(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` without the rows of excluded members, their messages, segments and threads, and with every
        other reference to them left empty (module docstring)."""
        owned = {"member_id": self.excluded, "message_id": self.excluded_messages, "segment_id": self.excluded_segments}
        for column, gone in owned.items():
            if column in frame:
                frame = frame[~frame[column].isin(gone)]
        if table == "threads" and "thread_id" in frame:
            frame = frame[~frame["thread_id"].isin(self.excluded_threads)]
        frame = frame.copy()
        for column in frame.columns:
            if column in MEMBER_REFERENCES or (column.endswith("_member_id") and column != "member_id"):
                gone = self.excluded
            elif column in MESSAGE_REFERENCES or (column.endswith("_message_id") and column != "message_id"):
                gone = self.excluded_messages
            elif column.endswith("_message_ids") and frame[column].dtype == object:
                frame[column] = frame[column].map(
                    lambda ids: ids if ids is None else [int(i) for i in ids if i not in self.excluded_messages]
                )
                continue
            else:
                continue
            frame[column] = frame[column].astype("Int64").mask(frame[column].isin(gone))
        return frame

    def gate_terms(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Words derived from text (a ``term`` column, a CA ``label`` of kind term, ``*_terms`` lists) that
        withheld text alone holds: rows of a term are dropped, lists lose the word (privacy/vocabulary.py)."""
        if not self.vocabulary.gates or frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        for column in [c for c in frame.columns if c == "term" or c.endswith("_term")]:
            keep &= frame[column].map(self.vocabulary.allows).astype(bool)
        if table == "ca_coordinates" and {"kind", "label"} <= set(frame.columns):
            keep &= (frame["kind"] != "term") | frame["label"].map(self.vocabulary.allows).astype(bool)
        self.withheld_terms += int((~keep).sum())
        frame = frame[keep].reset_index(drop=True)
        # Lists of words (an alert's top_terms); a column of text (a segment's tool_terms, words joined by spaces) is
        # withheld whole with its segment's text (TEXT_COLUMNS): list() would split it into letters.
        lists = [
            c for c in frame.columns if c.endswith("_terms") and c not in TEXT_COLUMNS and frame[c].dtype == object
        ]
        for column in lists:
            before = frame[column].map(lambda v: 0 if v is None else len(v))
            frame[column] = frame[column].map(lambda v: v if v is None else self.vocabulary.keep(list(v)))
            self.withheld_terms += int((before - frame[column].map(lambda v: 0 if v is None else len(v))).sum())
        return frame


def _threads_only_of(store: Store, members: set[int]) -> set[int]:
    """The threads whose every message one of ``members`` wrote."""
    rows = store.con.execute(
        "SELECT thread_id FROM messages GROUP BY thread_id"
        " HAVING bool_and(coalesce(member_id IN (SELECT unnest(?::BIGINT[])), false))",
        [sorted(members)],
    ).fetchall()
    return {r[0] for r in rows}


def _segment_messages(store: Store) -> pd.Series:
    """segment_id -> message_id: segment ids are hashes of (message, sequence number) (:func:`chrysalide.text.frame.segment_ids`),
    so a segment's message is read back from the segments table (empty without one)."""
    if not store.has_table("segments"):
        return pd.Series(dtype="int64")
    return store.con.execute("SELECT segment_id, message_id FROM segments").df().set_index("segment_id")["message_id"]


_ABSOLUTE = re.compile(r"^(?:/|[A-Za-z]:[\\/]|~[/\\])")


def _file_names(value: Any) -> Any:
    """Absolute paths (in a column or inside a run's JSON) cut to their file name: a path may carry a user's
    or a project's name (``/home/alice/thyroid-study/consent.csv``)."""

    def cut(item: Any) -> Any:
        if isinstance(item, str) and _ABSOLUTE.match(item):
            return PurePath(item.replace("\\", "/")).name
        if isinstance(item, dict):
            return {k: cut(v) for k, v in item.items()}
        if isinstance(item, list):
            return [cut(v) for v in item]
        return item

    if not isinstance(value, str):
        return value
    if _ABSOLUTE.match(value):
        return cut(value)
    if value[:1] in "{[":
        try:
            return json.dumps(cut(json.loads(value)), ensure_ascii=False)
        except ValueError:
            return value
    return value


def without_native_ids(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without what links its rows to public posts (see the module docstring)."""
    if table == "rejects":
        return frame.iloc[0:0]
    frame = frame.drop(columns=[c for c in NATIVE_COLUMNS if c in frame])
    if "meta" in frame:
        frame = frame.assign(meta=frame["meta"].map(lambda m: _json_without(m, NATIVE_META)))
    if table == "runs" and "summary" in frame:
        frame = frame.assign(summary=frame["summary"].map(lambda m: _json_without(m, ("warnings",))))
    return frame


def _json_without(value: Any, keys: tuple[str, ...]) -> Any:
    """A JSON object's text without ``keys``; anything else as it is."""
    if not isinstance(value, str) or not any(f'"{k}"' in value for k in keys):
        return value
    try:
        found = json.loads(value)
    except ValueError:
        return value
    if not isinstance(found, dict):
        return value
    kept = {k: v for k, v in found.items() if k not in keys}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def _json_cell(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists (DuckDB arrays) as JSON text, so that CSV cells read back unambiguously."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_json_cell)
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_tables(store: Store, out: str | Path, *, fmt: str = "parquet", quotes: str = "consented") -> TablesReport:
    """Write one ``<table>.parquet`` / ``<table>.csv`` per non-empty table into folder ``out``."""
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    check_mode(quotes)
    folder = output_folder(out, make=False)
    gate = _Gate(store, quotes)
    if len(gate.author) == len(gate.excluded_messages):
        raise ConfigError(
            f"nothing to export to {folder}: "
            + ("no message in the store (run `chrysalide ingest` first)" if len(gate.author) == 0 else
               "every member is excluded by their consent")
        )  # fmt: skip
    output_folder(folder)
    report = TablesReport(str(folder), fmt, quotes)
    for table in list_tables(store):
        if table in NEVER:
            continue
        frame = gate.apply(table, store.con.execute(f'SELECT * FROM "{table}"').df())
        if frame.empty:
            report.skipped_empty.append(table)
            continue
        path = folder / f"{table}.{fmt}"
        if fmt == "parquet":
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
        else:
            _csv_ready(frame).to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
        withheld = sum(int((frame[c] == WITHHELD).sum()) for c in frame.columns if c in TEXT_COLUMNS)
        report.tables.append(
            {
                "table": table,
                "file": path.name,
                "rows": len(frame),
                "columns": list(map(str, frame.columns)),
                "withheld_texts": withheld,
                "sha256": _sha256(path),
            }  # fmt: skip
        )
    report.withheld_terms = gate.withheld_terms
    report.counts = ExportCounts(gate.messages, gate.withheld, len(gate.excluded_messages), len(gate.excluded))
    manifest = {
        "chrysalide": __version__,
        "created_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "database": Path(store.path).name,
        "excluded_members": len(gate.excluded),
        **report.as_dict(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return report


def export_parquet(store: Store, out: str | Path, *, quotes: str = "consented") -> TablesReport:
    """Every non-empty table as ``<table>.parquet`` in folder ``out``, with ``manifest.json``."""
    return export_tables(store, out, fmt="parquet", quotes=quotes)


def export_csv(store: Store, out: str | Path, *, quotes: str = "consented") -> TablesReport:
    """Every non-empty table as ``<table>.csv`` (UTF-8, arrays as JSON) in folder ``out``."""
    return export_tables(store, out, fmt="csv", quotes=quotes)
