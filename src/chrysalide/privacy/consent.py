"""Members' consent: import it from a CSV file, read it back as a map every output consults.

Meaning of a consent row (docs/privacy.md):

- ``granted`` + ``quote``: the member may be quoted verbatim (the only case where text leaves the tool);
- ``granted`` + ``analyse``: the member's messages are analysed and exported pseudonymised, never quoted;
- ``exclude`` scope, or status ``refused`` / ``withdrawn``: the member is **excluded**: their messages,
  codes and per-member rows are left out of every export, and no quote of theirs is shown;
- no row at all: analysed, not quoted (the forum is public; quoting needs an explicit yes).

The CSV's ``member`` column holds a pseudonym (``M-...``) or the source's native user id or display name.
A native value is matched by computing its keyed pseudonym exactly as the loader does
(``source_id \\x1f id:<user id>`` or ``source_id \\x1f name:<display name>``), so the raw name is never
stored and never needs to be.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from chrysalide.errors import InputError
from chrysalide.privacy.contacts import HANDLE_MARK
from chrysalide.privacy.keys import store_key
from chrysalide.privacy.pseudonyms import PSEUDONYM, PSEUDONYM_PREFIX, Pseudonymiser, as_pseudonym

if TYPE_CHECKING:  # the store imports nothing from privacy, but keep this module import-light
    from chrysalide.store import Store

STATUSES = ("granted", "refused", "withdrawn")
SCOPES = ("quote", "analyse", "exclude")
_SCOPE_ALIASES = {"analyze": "analyse", "analysis": "analyse", "quotes": "quote", "excluded": "exclude"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")
#: The columns of a consent file, in the documented order; ``date`` may be left out.
COLUMNS = ("member", "status", "date", "scope")
REQUIRED_COLUMNS = ("member", "status", "scope")
UNKNOWN_MEMBER = "no member matches the member column"
_ANY_PSEUDONYM = re.compile(PSEUDONYM)


@dataclass(frozen=True)
class Consent:
    """One member's consent decision."""

    status: str
    scope: str
    date: date | None = None

    @property
    def excluded(self) -> bool:
        return self.scope == "exclude" or self.status in ("refused", "withdrawn")

    @property
    def quotable(self) -> bool:
        return self.status == "granted" and self.scope == "quote"


class ConsentMap(dict[int, Consent]):
    """member_id -> :class:`Consent`; members without a row are analysed but never quoted."""

    #: The pseudonyms of the excluded members (:func:`read_consent`): where others name them, an export names nobody.
    excluded_pseudonyms: frozenset[str] = frozenset()

    @overload
    def unnamed(self, text: str) -> str: ...
    @overload
    def unnamed(self, text: None) -> None: ...
    def unnamed(self, text: str | None) -> str | None:
        """``text`` with each excluded member's pseudonym replaced by the mark of a withheld user name
        (:data:`~chrysalide.privacy.contacts.HANDLE_MARK`): a reply that thanks them by pseudonym would otherwise
        say who took part (patient.info: 7 such mentions in the texts exported once 3 members were excluded)."""
        if text is None or not self.excluded_pseudonyms or PSEUDONYM_PREFIX not in text:
            return text
        return _ANY_PSEUDONYM.sub(lambda m: HANDLE_MARK if m.group() in self.excluded_pseudonyms else m.group(), text)

    def quotable(self, member_id: int | None) -> bool:
        found = self.get(member_id) if member_id is not None else None
        return bool(found and found.quotable)

    def excluded(self, member_id: int | None) -> bool:
        found = self.get(member_id) if member_id is not None else None
        return bool(found and found.excluded)

    def excluded_ids(self) -> set[int]:
        return {m for m, c in self.items() if c.excluded}

    def quotable_ids(self) -> set[int]:
        return {m for m, c in self.items() if c.quotable}


def load_consent(store: Store) -> ConsentMap:
    """Every consent row of the store as a :class:`ConsentMap`."""
    return read_consent(store.con)


def read_consent(con: Any) -> ConsentMap:
    """Every consent row as a :class:`ConsentMap`, through a connection or a cursor (the dashboard's), with the
    excluded members' pseudonyms."""
    rows = con.execute(
        "SELECT c.member_id, c.status, c.scope, c.date, m.pseudonym FROM consent c LEFT JOIN members m USING (member_id)"
    ).fetchall()
    found = ConsentMap({int(m): Consent(status, scope, d) for m, status, scope, d, _ in rows})
    found.excluded_pseudonyms = frozenset(p for m, *_, p in rows if p and found.excluded(int(m)))
    return found


@dataclass
class ConsentImport:
    """What ``import_consent`` did; problems name the CSV line, never the raw member value."""

    path: str
    imported: int = 0
    unknown: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def reasons(self, limit: int = 20) -> list[str]:
        """Why rows were skipped, one sentence per reason with its CSV line numbers (at most ``limit`` each)."""
        by_reason: dict[str, list[int]] = {}
        for line, problem in self.problems:
            by_reason.setdefault(problem, []).append(line)
        if self.unknown:
            by_reason[UNKNOWN_MEMBER] = self.unknown
        return [f"{reason} on line(s) {_lines(lines, limit)}" for reason, lines in by_reason.items()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "imported": self.imported,
            "unknown_member_lines": self.unknown,
            "problems": [{"line": line, "problem": p} for line, p in self.problems],
        }


def _lines(lines: list[int], limit: int) -> str:
    """CSV line numbers, the first ``limit`` of them and how many in all when there are more."""
    shown = ", ".join(map(str, lines[:limit]))
    return shown if len(lines) <= limit else f"{shown} ... ({len(lines)} in all)"


def _parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value[:10] if fmt == "%Y-%m-%d" else value, fmt).date()
        except ValueError:
            continue
    raise ValueError("unreadable date (use YYYY-MM-DD or DD/MM/YYYY)")  # the cell is not echoed: it may hold a name


class _Matcher:
    """Finds the member(s) a CSV value designates: pseudonym first, then native id or name per source.

    A pseudonym matches in any case (``m-67C1AB23DE``); a native id or display name only as written, since its
    keyed pseudonym is computed from the exact text (docs/privacy.md, "Consent file").
    """

    def __init__(self, store: Store) -> None:
        rows = store.con.execute(
            "SELECT m.member_id, m.pseudonym, m.source_id, coalesce(s.pseudonymised, true)"
            " FROM members m LEFT JOIN sources s USING (source_id)"
        ).fetchall()
        self.by_pseudonym: dict[str, list[int]] = {}
        self.by_source: dict[str, dict[str, int]] = {}
        for member_id, pseudonym, source_id, pseudonymised in rows:
            self.by_pseudonym.setdefault(pseudonym, []).append(int(member_id))
            if pseudonymised:
                self.by_source.setdefault(source_id, {})[pseudonym] = int(member_id)
        self._pseudo = Pseudonymiser(store_key(store)) if self.by_source else None

    def match(self, value: str) -> list[int]:
        value = value.strip()
        if not value:
            return []
        pseudonym = value if value in self.by_pseudonym else as_pseudonym(value)
        if pseudonym in self.by_pseudonym:  # a name kept as pseudonym (--keep-names) is matched as written
            return list(self.by_pseudonym[pseudonym])
        if self._pseudo is None:
            return []
        if value.startswith(("id:", "name:")):
            keys = [value if value.startswith("id:") else "name:" + value[5:].strip()]
        else:
            keys = [f"id:{value}", f"name:{value}"]
        found: list[int] = []
        for source_id, members in self.by_source.items():
            for key in keys:
                member_id = members.get(self._pseudo.pseudonym(f"{source_id}\x1f{key}"))
                if member_id is not None and member_id not in found:
                    found.append(member_id)
        return found


def _header_error(path: Path, header: list[str]) -> InputError:
    """The error for a first line that lacks required columns; it names no cell but expected column names.

    A file without a header starts with a data row, whose cells may hold a member's real name: only the
    cells that spell an expected column are named, the others are counted.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    known = [c for c in COLUMNS if c in header]
    if not any(header):
        found = "the first line holds no column"
    else:
        found = f"the first line holds {len(header)} column(s), " + (
            f"of which {', '.join(known)} {'is' if len(known) == 1 else 'are'} expected" if known else "none expected"
        )
    return InputError(
        f"{path}: missing required column(s) {', '.join(missing)}; expected a first line naming the columns"
        f" {', '.join(COLUMNS)} (date may be left out); {found}"
    )


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not path.is_file():
        raise InputError(f"{path}: no such consent file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # spreadsheets on Windows save CSV as cp1252
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if any(c not in header for c in REQUIRED_COLUMNS):
        raise _header_error(path, header)
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: (v or "") for k, v in row.items() if isinstance(k, str)}))
    return header, rows


def import_consent(store: Store, path: str | Path) -> ConsentImport:
    """Read a consent CSV (member, status, date, scope) into the ``consent`` table.

    A later row for the same member replaces the earlier one (the newest decision counts), and so
    does a re-import. Unknown members and bad rows are reported by line number and skipped; a file of which
    no row can be recorded (none under the header, or none valid with a known member) is an
    :class:`InputError` giving the reasons by line, and nothing is written.
    """
    path = Path(path)
    _, rows = _read_rows(path)
    if not rows:
        raise InputError(f"{path}: no row under the header; nothing was recorded")
    report = ConsentImport(path=str(path))
    matcher = _Matcher(store)
    decided: dict[int, tuple[str, date | None, str]] = {}
    for line, row in rows:
        status = row.get("status", "").strip().lower()
        scope = row.get("scope", "").strip().lower()
        scope = _SCOPE_ALIASES.get(scope, scope)
        if status not in STATUSES:
            report.problems.append((line, f"status must be one of {', '.join(STATUSES)}"))
            continue
        if scope not in SCOPES:
            report.problems.append((line, f"scope must be one of {', '.join(SCOPES)}"))
            continue
        try:
            when = _parse_date(row.get("date", ""))
        except ValueError as exc:
            report.problems.append((line, str(exc)))
            continue
        members = matcher.match(row.get("member", ""))
        if not members:
            report.unknown.append(line)
            continue
        for member_id in members:
            decided[member_id] = (status, when, scope)
    if not decided:
        raise InputError(f"{path}: no row could be read, nothing was recorded: {'; '.join(report.reasons())}")
    with store.run("consent", "consent-csv/1", {"path": str(path.resolve())}) as run:
        if decided:
            store.con.executemany(
                "INSERT OR REPLACE INTO consent (member_id, status, date, scope) VALUES (?, ?, ?, ?)",
                [[m, s, d, sc] for m, (s, d, sc) in decided.items()],
            )
        report.imported = len(decided)
        run.summary.update(report.as_dict())
    return report


def list_consent(store: Store) -> list[dict[str, Any]]:
    """Consent rows with the member's pseudonym, newest decision first."""
    rows = store.con.execute(
        "SELECT m.pseudonym, c.member_id, c.status, c.scope, c.date FROM consent c"
        " LEFT JOIN members m USING (member_id) ORDER BY c.date DESC NULLS LAST, m.pseudonym"
    ).fetchall()
    return [
        {
            "pseudonym": p,
            "member_id": m,
            "status": s,
            "scope": sc,
            "date": d.isoformat() if d else None,
            "quotable": Consent(s, sc).quotable,
            "excluded": Consent(s, sc).excluded,
        }
        for p, m, s, sc, d in rows
    ]
