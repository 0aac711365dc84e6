"""What each dashboard page shows, as plain dicts: the HTML page and its JSON twin render the same dict.

The logic stays in the library: journeys, review queues and consent gating come from their stages;
this module only selects and shapes rows for display.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from chrysalide.journeys.members import MILESTONES
from chrysalide.privacy.consent import ConsentMap
from chrysalide.privacy.quotes import quote
from chrysalide.store.db import latest_run, table_exists

MEMBER_SORTS = {
    "messages": "n_messages",
    "first": "first_post_at",
    "last": "last_post_at",
    "words": "words",
    "recency": "recency_days",
    "periods": "active_periods",
    "pseudonym": "pseudonym",
}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN/NaT become None, timestamps ISO strings)."""
    out = frame.astype(object).where(frame.notna(), None)
    rows = out.to_dict(orient="records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                row[key] = value.isoformat()
    return rows


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    counts = con.execute(
        "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM members), (SELECT count(*) FROM threads),"
        " (SELECT count(*) FROM rejects), (SELECT min(posted_at) FROM messages), (SELECT max(posted_at) FROM messages)"
    ).fetchone()
    assert counts is not None
    stage_mix = con.execute(
        "SELECT primary_code AS code, count(*) AS messages FROM current_codes GROUP BY 1 ORDER BY 2 DESC"
    ).df()
    runs = con.execute(
        "SELECT run_id, stage, component, status, started_at, finished_at FROM runs ORDER BY run_id DESC LIMIT 15"
    ).df()
    sources = con.execute("SELECT source_id, importer, imported_at, pseudonymised FROM sources ORDER BY 1").df()
    return {
        "messages": counts[0],
        "members": counts[1],
        "threads": counts[2],
        "rejects": counts[3],
        "first_post_at": counts[4].isoformat() if counts[4] else None,
        "last_post_at": counts[5].isoformat() if counts[5] else None,
        "stage_mix": _records(stage_mix),
        "sources": _records(sources),
        "runs": _records(runs),
    }


def members(
    con: duckdb.DuckDBPyConnection, *, sort: str = "messages", order: str = "desc", limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """The members table with recency, frequency (active months) and volume (words), sortable."""
    column = MEMBER_SORTS.get(sort, "n_messages")
    direction = "ASC" if order == "asc" else "DESC"
    limit = max(1, min(limit, 1000))
    stats, unit = _member_stats(con)
    frame = con.execute(
        f"""
        WITH m AS ({stats}), corpus_end AS (SELECT max(posted_at) AS t FROM messages)
        SELECT mb.member_id, mb.pseudonym, mb.role, m.n_messages, m.first_post_at, m.last_post_at, m.words,
               m.active_periods, date_diff('day', m.last_post_at, (SELECT t FROM corpus_end)) AS recency_days
        FROM members mb JOIN m USING (member_id)
        ORDER BY {column} {direction} NULLS LAST, member_id
        LIMIT {limit} OFFSET {max(0, offset)}
        """
    ).df()
    total = con.execute("SELECT count(DISTINCT member_id) FROM messages WHERE member_id IS NOT NULL").fetchone()
    return {
        "members": _records(frame),
        "total": total[0] if total else 0,
        "sort": sort if sort in MEMBER_SORTS else "messages",
        "order": "asc" if direction == "ASC" else "desc",
        "limit": limit,
        "offset": max(0, offset),
        "sorts": list(MEMBER_SORTS),
        "period": unit,
    }


def _member_stats(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """SQL for per-member counts and the unit of ``active_periods``.

    From the newest journeys run when it is newer than the last import (aggregating 485,000 messages at
    every request took ~0.45 s; the stored run answers in milliseconds), else from the messages by week.
    """
    row = None
    if table_exists(con, "member_metrics"):
        row = con.execute(
            "SELECT run_id, coalesce(params->>'period', 'week') FROM runs WHERE stage = 'journeys' AND status = 'ok'"
            " AND finished_at >= (SELECT max(finished_at) FROM runs WHERE stage = 'ingest' AND status = 'ok')"
            " ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return (
            "SELECT member_id, count(*) AS n_messages, min(posted_at) AS first_post_at, max(posted_at) AS last_post_at,"
            " sum(len(string_split(text, ' '))) AS words, count(DISTINCT date_trunc('week', posted_at)) AS active_periods"
            " FROM messages WHERE member_id IS NOT NULL GROUP BY member_id"
        ), "week"
    return (
        "SELECT j.member_id, mm.n_messages, j.first_post_at, j.last_post_at, mm.words, mm.active_periods"
        f" FROM journeys j JOIN member_metrics mm USING (run_id, member_id) WHERE j.run_id = {int(row[0])}"
    ), str(row[1])


def _coded_messages(
    con: duckdb.DuckDBPyConnection,
    where: str,
    params: list[Any],
    consent: ConsentMap,
    *,
    limit: int = 10_000,
    offset: int = 0,
) -> list[dict[str, Any]]:
    frame = con.execute(
        f"""
        SELECT m.message_id, m.thread_id, m.member_id, mb.pseudonym, m.posted_at, m.position_in_thread,
               m.reply_to_id, t.title AS thread_title, m.text, m.quoted_text,
               c.primary_code, c.secondary_codes, c.decentered, c.origin, c.confidence
        FROM messages m
        LEFT JOIN members mb USING (member_id)
        LEFT JOIN threads t USING (thread_id)
        LEFT JOIN current_codes c USING (message_id)
        WHERE {where}
        ORDER BY m.posted_at NULLS LAST, m.position_in_thread, m.message_id
        LIMIT {int(limit)} OFFSET {int(offset)}
        """,
        params,
    ).df()
    rows = _records(frame)
    for row in rows:
        row["text"] = quote(consent, row["member_id"], row["text"])
        if row["quoted_text"]:
            row["quoted_text"] = quote(consent, row["member_id"], row["quoted_text"])
        if row["secondary_codes"] is not None:
            row["secondary_codes"] = list(row["secondary_codes"])
    return rows


def member(
    con: duckdb.DuckDBPyConnection, member_id: int, consent: ConsentMap, *, limit: int = 200, offset: int = 0
) -> dict[str, Any] | None:
    """The member, milestones and one page of their coded timeline (veterans have tens of thousands)."""
    row = con.execute(
        "SELECT member_id, pseudonym, role, registered_at FROM members WHERE member_id = ?", [member_id]
    ).fetchone()
    if row is None:
        return None
    return {
        "member_id": row[0],
        "pseudonym": row[1],
        "role": row[2],
        "registered_at": row[3].isoformat() if row[3] else None,
        "journey": milestones(con, member_id),
        "n_messages": con.execute("SELECT count(*) FROM messages WHERE member_id = ?", [member_id]).fetchone()[0],
        "limit": max(1, min(limit, 1000)),
        "offset": max(0, offset),
        "messages": _coded_messages(
            con, "m.member_id = ?", [member_id], consent, limit=max(1, min(limit, 1000)), offset=max(0, offset)
        ),
    }


def milestones(con: duckdb.DuckDBPyConnection, member_id: int) -> dict[str, Any] | None:
    """The member's milestones and metrics from the newest ``journeys`` run (None before the first run).

    Read from the stored run rather than recomputed: the page must stay fast on a study-size forum.
    """
    if not table_exists(con, "journeys"):
        return None
    run_id = latest_run(con, "journeys")
    if run_id is None:
        return None
    row = con.execute(
        "SELECT j.*, m.* EXCLUDE (run_id, member_id) FROM journeys j"
        " LEFT JOIN member_metrics m ON m.run_id = j.run_id AND m.member_id = j.member_id"
        " WHERE j.run_id = ? AND j.member_id = ?",
        [run_id, member_id],
    ).df()
    if row.empty:
        return None
    record = _records(row)[0]
    rows = [
        {"milestone": name, "at": record[at], "days": record[days]}
        for name, (at, days) in MILESTONES.items()
        if record.get(at) is not None
    ]
    rows.sort(key=lambda r: r["at"])
    metrics = {k: v for k, v in record.items() if k not in {c for pair in MILESTONES.values() for c in pair}}
    return {"run_id": run_id, "milestones": rows, "metrics": metrics}


def review_queue(con: duckdb.DuckDBPyConnection, queue: pd.DataFrame, consent: ConsentMap) -> list[dict[str, Any]]:
    """The review queue for display: coders read the text (analysis), except of members who asked to be excluded."""
    rows = _records(queue)
    if not rows:
        return rows
    authors = dict(
        con.execute(
            "SELECT message_id, member_id FROM messages WHERE message_id IN (SELECT unnest(?::BIGINT[]))",
            [[r["message_id"] for r in rows]],
        ).fetchall()
    )
    for row in rows:
        row["member_id"] = authors.get(row["message_id"])
        if consent.excluded(row["member_id"]):
            row["text"] = "[text withheld: member excluded from analysis]"
        if row.get("secondary_codes") is not None:
            row["secondary_codes"] = list(row["secondary_codes"])
    return rows


def thread(con: duckdb.DuckDBPyConnection, thread_id: int, consent: ConsentMap) -> dict[str, Any] | None:
    row = con.execute(
        "SELECT thread_id, source_id, board, title, started_at FROM threads WHERE thread_id = ?", [thread_id]
    ).fetchone()
    if row is None:
        return None
    return {
        "thread_id": row[0],
        "source_id": row[1],
        "board": row[2],
        "title": row[3],
        "started_at": row[4].isoformat() if row[4] else None,
        "messages": _coded_messages(con, "m.thread_id = ?", [thread_id], consent),
    }


def lexical(con: duckdb.DuckDBPyConnection, top: int = 15) -> dict[str, Any]:
    """Classes of the newest lexical run with their characteristic terms."""
    if not table_exists(con, "lexical_classes"):
        return {"run_id": None, "classes": []}
    run_id = latest_run(con, "lexical", "lexical_classes")
    if run_id is None:
        return {"run_id": None, "classes": []}
    classes = con.execute("SELECT * FROM lexical_classes WHERE run_id = ? ORDER BY 1, 2, 3", [run_id]).df()
    terms = con.execute(
        "SELECT * FROM class_terms WHERE run_id = ? AND chi2 > 0 QUALIFY row_number() OVER (PARTITION BY class ORDER BY chi2 DESC) <= ?",
        [run_id, top],
    ).df()
    by_class: dict[Any, list[dict[str, Any]]] = {}
    for rec in _records(terms):
        by_class.setdefault(rec["class"], []).append(rec)
    out = []
    for rec in _records(classes):
        rec["terms"] = by_class.get(rec.get("class"), [])
        out.append(rec)
    return {"run_id": run_id, "classes": out}


def alerts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    if not table_exists(con, "alerts"):
        return {"alerts": []}
    frame = con.execute("SELECT * FROM alerts WHERE run_id = ? ORDER BY 1", [latest_run(con, "alerts")]).df()
    return {"alerts": _records(frame)}
