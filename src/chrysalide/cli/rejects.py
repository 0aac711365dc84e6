"""``chrysalide rejects``: the records an import set aside, grouped by kind, and the warnings of an import.

A reason names its record ("line 12: invalid JSON (Expecting value)", "record 7: replies to 'x9', which is not in
the source"); its *kind* is the reason without what differs from record to record: positions and numbers become
``N``, quoted values ``'…'``, so that 58,000 warnings read as two lines with their counts.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from chrysalide.cli.common import DEFAULT_DB_PATH, DbOption, JsonOption, console, err_console, print_json
from chrysalide.ingest.report import check_source, kind, reject_kinds
from chrysalide.store import Store

#: A warning about one record names it first ("record 12: ..."); the others are about the whole import.
_PER_RECORD = re.compile(r"^(?:record|line|item|statement) \d+")
KINDS_SHOWN = 8
#: Upper bound of ``--limit``: more records than an import sets aside (the study's forum has 485,000 messages), and
#: within what DuckDB's LIMIT takes (past 128 bits it fails).
LIMIT_MAX = 100_000_000


def print_warnings(total: int, kept: list[str]) -> None:
    """An import's warnings: those about the whole import (naming no record, :data:`_PER_RECORD`) as they are,
    then the others as kinds with counts; the import keeps its first ones, the rest are counted."""
    whole = [w for w in kept if not _PER_RECORD.match(w)]
    for warning in whole:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    total, kept = total - len(whole), [w for w in kept if _PER_RECORD.match(w)]
    if total <= 0:
        return
    kinds = Counter(kind(w) for w in kept)
    if len(kept) >= total:
        err_console.print(f"{total:,} warning(s):", markup=False)
        for text, n in kinds.most_common(KINDS_SHOWN):
            err_console.print(f"  {n:>9,}  {text}", markup=False, highlight=False)
        return
    err_console.print(f"{total:,} warnings; the {len(kept):,} the import keeps (also in `--json`), by kind:",
                      markup=False)  # fmt: skip
    for text, n in kinds.most_common(KINDS_SHOWN):
        err_console.print(f"  {n:>9,}  {text}", markup=False, highlight=False)


def rejects(
    db: DbOption = DEFAULT_DB_PATH,
    source: Annotated[str | None, typer.Option("--source", help="Only this source (see `chrysalide ingest`).")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Only reasons containing this text (case-insensitive).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, max=LIMIT_MAX, help="Records to list after the counts (0: none).")
    ] = 20,
    raw: Annotated[
        bool, typer.Option("--raw", help="Also show the start of each record as read (it may hold names).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Rejected records: counts by kind of reason, then the records themselves (source, record number, reason)."""
    with Store(db, read_only=True) as store:
        if source is not None:
            check_source(store.con, source)
        kinds = reject_kinds(store.con, source)
        where, params = "WHERE true", list[object]()
        if source is not None:
            where, params = where + " AND source_id = ?", [source]
        if reason is not None:
            where, params = where + " AND reason ILIKE ?", [*params, f"%{reason}%"]
        rows = store.con.execute(
            f"SELECT source_id, record_no, reason, left(raw, 200) FROM rejects {where}"
            " ORDER BY source_id, record_no LIMIT ?",
            [*params, limit],
        ).fetchall()
        total = store.con.execute(f"SELECT count(*) FROM rejects {where}", params).fetchone()
    if as_json:
        records = [{"source": s, "record": r, "reason": why, **({"raw": text} if raw else {})}
                   for s, r, why, text in rows]  # fmt: skip
        print_json({"kinds": [{"kind": k, "records": n} for k, n in kinds], "records": records})
        return
    if not kinds:
        console.print("no rejected record" + (f" in source {source}" if source else ""), markup=False)
        return
    table = Table(title="rejected records by kind", title_justify="left")
    table.add_column("records", justify="right", no_wrap=True)
    table.add_column("kind of reason", overflow="fold")
    for text, n in kinds:
        table.add_row(f"{n:,}", Text(text))
    console.print(table)
    if not rows:
        return
    listed = Table(title=f"first {len(rows):,} of {int(total[0]) if total else 0:,}", title_justify="left")
    listed.add_column("source", overflow="fold")
    listed.add_column("record", justify="right", no_wrap=True)
    listed.add_column("reason", overflow="fold")
    if raw:
        listed.add_column("as read", overflow="fold")
    for s, r, why, text in rows:
        listed.add_row(Text(s), f"{r:,}", Text(why), *([Text(text or "")] if raw else []))  # no markup
    console.print(listed)


def register(app: typer.Typer) -> None:
    app.command("rejects")(rejects)
