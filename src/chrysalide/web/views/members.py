"""The members table (recency, frequency, volume) and one member's journey and messages."""

from __future__ import annotations

import json
from typing import Any, Literal, NamedTuple, get_args

from chrysalide.journeys.decentering import undeclared_arrivals
from chrysalide.journeys.members import MILESTONES
from chrysalide.journeys.panel import segment_name
from chrysalide.report.html.sections.community import bots_left_out
from chrysalide.report.html.sections.journeys import unreadable_left_out, unreadable_members
from chrysalide.store.bots import not_bot
from chrysalide.store.unreadable import NO_WORD_OF_THEIRS, readable
from chrysalide.units import counted
from chrysalide.web.pages import Id, Limit, Offset, page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import consent_of, latest, messages

Sort = Literal["messages", "first", "last", "words", "recency", "periods", "pseudonym"]
COLUMNS = ("n_messages", "first_post_at", "last_post_at", "words", "recency_days", "active_periods", "pseudonym")
MEMBER_SORTS = dict(zip(get_args(Sort), COLUMNS, strict=True))
# The journey figure shows one dot per day and stage, per week above 400 messages, per month above 4,000.
UNITS = ((400, "day"), (4000, "week"))
SPANS = 60  # runs of one stage over several days (weeks, months) drawn as spans, longest first


class Listing(NamedTuple):
    """What the members list pages through: SQL of its rows (per-member counts), the unit of ``active_periods``, the
    sentences saying who is left out and why, and the members left out in a clause ('' when none)."""

    sql: str
    period: str
    left_out: list[str]
    not_listed: str


def _member_stats(db: Db) -> Listing:
    """The members list: from the newest journeys run when it is newer than the last import (aggregating 485,000
    messages at every request took ~0.45 s; the stored run answers in milliseconds), else from the messages by week.

    The journeys run has no row for bot accounts nor for members who wrote only removed or deleted bodies: its
    summary counts them, and the sentences and the clause say so in the report's words.
    """
    run_id = latest(db, "journeys", "member_metrics")
    fresh = run_id is not None and db.value(
        "SELECT finished_at >= (SELECT max(finished_at) FROM runs WHERE stage = 'ingest' AND status = 'ok')"
        " FROM runs WHERE run_id = ?",
        [run_id],
    )
    if not fresh:
        return Listing(
            "SELECT member_id, count(*) AS n_messages, min(posted_at) AS first_post_at, max(posted_at) AS last_post_at,"
            " sum(len(string_split(text, ' '))) AS words, count(DISTINCT date_trunc('week', posted_at)) AS active_periods"
            " FROM messages WHERE member_id IS NOT NULL GROUP BY member_id",
            "week",
            [],
            "",
        )
    period, raw = db.one("SELECT coalesce(params->>'period', 'week'), summary FROM runs WHERE run_id = ?", [run_id])
    summary = json.loads(raw or "{}")
    where = f"The members of journeys run #{int(run_id)}"  # type: ignore[arg-type]
    left = [bots_left_out(summary, where), unreadable_left_out(summary, where)]
    return Listing(
        "SELECT j.member_id, mm.n_messages, j.first_post_at, j.last_post_at, mm.words, mm.active_periods"
        f" FROM journeys j JOIN member_metrics mm USING (run_id, member_id) WHERE j.run_id = {int(run_id)}",  # type: ignore[arg-type]
        str(period),
        [sentence for sentence in left if sentence],
        not_listed(summary),
    )


def not_listed(summary: dict[str, Any]) -> str:
    """The members a journeys run (``summary``) has no row for, in the report's words: "1 bot account and 9 members
    whose every message holds no word of theirs are not listed" ('' when none)."""
    bots, unreadable = int(summary.get("bot_accounts") or 0), int(summary.get("members_unreadable") or 0)
    parts = [counted(bots, "bot account") if bots else "", unreadable_members(unreadable) if unreadable else ""]
    if not bots + unreadable:
        return ""
    return f"{' and '.join(filter(None, parts))} {'is' if bots + unreadable == 1 else 'are'} not listed"


@page("/members", "members.html")
def members(
    db: Db,
    sort: Sort = "messages",
    order: Literal["asc", "desc"] = "desc",
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Every member who posted, with recency (days), frequency (active periods) and volume (words), sortable; read
    from the newest journeys run, the list and its ``total`` leave out the members it has no row for, said beside
    (``not_listed``) and why (``left_out``)."""
    listing = _member_stats(db)
    direction = "ASC" if order == "asc" else "DESC"
    key = f"{MEMBER_SORTS[sort]} {direction} NULLS LAST, member_id"
    # One page of the narrow per-member figures first; pseudonyms and consent only for its rows.
    named = "JOIN members mb USING (member_id)" if sort == "pseudonym" else ""
    rows = db.rows(
        f"""
        WITH m AS ({listing.sql}), corpus_end AS (SELECT max(posted_at) AS t FROM messages),
        page AS (SELECT m.*, date_diff('day', m.last_post_at, (SELECT t FROM corpus_end)) AS recency_days
                 FROM m {named} ORDER BY {key} LIMIT ? OFFSET ?)
        SELECT mb.member_id, mb.pseudonym, mb.role, page.n_messages, page.first_post_at, page.last_post_at,
               page.words, page.active_periods, page.recency_days, cs.status AS consent_status, cs.scope AS consent_scope
        FROM page JOIN members mb USING (member_id) LEFT JOIN consent cs USING (member_id)
        ORDER BY {key}
        """,
        [limit, offset],
    )
    for row in rows:
        row.update(consent_of(row.pop("consent_status"), row.pop("consent_scope")))
    # The rows the list pages through (not every member who posted: the journeys run leaves some out, said beside).
    total = db.cached("members_listed", lambda: db.value(f"SELECT count(*) FROM ({listing.sql})"),
                      steps=("ingest", "journeys"))  # fmt: skip
    return {"members": rows, "total": total, "sort": sort, "order": order, "limit": limit, "offset": offset,
            "sorts": list(MEMBER_SORTS), "period": listing.period, "left_out": listing.left_out,
            "not_listed": listing.not_listed}  # fmt: skip


def milestones(db: Db, member_id: int) -> dict[str, Any] | None:
    """The member's milestones and metrics from the newest ``journeys`` run (None before the first run), and
    ``undeclared``: the source of their first message when it looks like a selection of threads not declared at
    import, as the report says it (:func:`~chrysalide.journeys.decentering.undeclared_arrivals`), for a member whose
    arrival is read ('' else)."""
    run_id = latest(db, "journeys", "journeys")
    if run_id is None:
        return None
    rows = db.rows(
        "SELECT j.*, m.* EXCLUDE (run_id, member_id) FROM journeys j"
        " LEFT JOIN member_metrics m ON m.run_id = j.run_id AND m.member_id = j.member_id"
        " WHERE j.run_id = ? AND j.member_id = ?",
        [run_id, member_id],
    )
    if not rows:
        return None
    record = rows[0]
    found = [{"milestone": name, "at": record[at], "days": record[days]}
             for name, (at, days) in MILESTONES.items() if record.get(at) is not None]  # fmt: skip
    found.sort(key=lambda r: r["at"])
    dated = {c for pair in MILESTONES.values() for c in pair} | {"run_id", "member_id"}
    metrics = {k: v for k, v in record.items() if k not in dated}
    if metrics.get("segment") is not None:
        metrics["segment"] = segment_name(metrics["segment"])
    # A selection of threads not declared at import holding the member's first message, read as their arrival.
    undeclared = ""
    if record.get("arrived_helping") is not None:  # their arrival is read (the record shows it)
        first = db.value("SELECT m.source_id FROM member_arrivals a JOIN messages m USING (message_id)"
                         " WHERE a.member_id = ?", [member_id])  # fmt: skip
        undeclared = undeclared_arrivals(db.run_summary(run_id), str(first)) if first is not None else ""
    return {"run_id": run_id, "milestones": found, "metrics": metrics, "undeclared": undeclared}


def journey_points(db: Db, member_id: int, n_messages: int, run_id: int | None) -> dict[str, Any]:
    """The member's coded messages for the journey figure: dots per day, week or month (:data:`UNITS`) and
    stage, and the longest runs of one stage as spans.

    Read from the newest journeys run's ``journey_stages`` (the member's messages collapsed into runs of one
    stage, in milliseconds even for a member with 25,000 messages) when there is one; else from the current
    codes. A run's messages are counted at its first day; runs longer than that are drawn as spans.
    """
    unit = next((u for most, u in UNITS if n_messages <= most), "month")
    if run_id is None:
        dots = db.rows(
            f"""SELECT date_trunc('{unit}', m.posted_at)::DATE AS "at", c.primary_code AS stage, count(*) AS n
                FROM messages m JOIN current_codes c USING (message_id)
                WHERE m.member_id = ? AND m.posted_at IS NOT NULL GROUP BY ALL ORDER BY "at", stage""",
            [member_id],
        )
        return {"source": "current codes", "unit": unit, "dots": dots, "spans": []}
    dots = db.rows(
        f"""SELECT date_trunc('{unit}', started_at)::DATE AS "at", stage, sum(n_messages)::BIGINT AS n
            FROM journey_stages WHERE run_id = ? AND member_id = ? GROUP BY ALL ORDER BY "at", stage""",
        [run_id, member_id],
    )
    spans = db.rows(
        f"""SELECT started_at::DATE AS start, ended_at::DATE AS "end", stage, n_messages AS n FROM journey_stages
            WHERE run_id = ? AND member_id = ? AND date_trunc('{unit}', ended_at) > date_trunc('{unit}', started_at)
            ORDER BY ended_at - started_at DESC, seq LIMIT ?""",
        [run_id, member_id, SPANS],
    )
    return {"source": f"journeys run #{run_id}", "unit": unit, "dots": dots, "spans": spans}


@page("/members/{member_id}", "member.html", missing="member")
def member(db: Db, member_id: Id, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any] | None:
    """The member, consent mark, milestones and metrics, journey figure, and one page of their messages."""
    row = db.one(
        "SELECT mb.member_id, mb.pseudonym, mb.role, mb.registered_at, cs.status, cs.scope"
        " FROM members mb LEFT JOIN consent cs USING (member_id) WHERE mb.member_id = ?",
        [member_id],
    )
    if row is None:
        return None
    n_messages = db.value("SELECT count(*) FROM messages WHERE member_id = ?", [member_id])
    journey = milestones(db, member_id)
    ran = journey is None and latest(db, "journeys", "journeys") is not None
    no_journey = _no_journey(db, member_id) if ran else None
    return {
        "member_id": row[0],
        "pseudonym": row[1],
        "role": row[2],
        "registered_at": row[3],
        **consent_of(row[4], row[5]),
        "n_messages": n_messages,
        "journey": journey,
        "no_journey": no_journey,
        "points": journey_points(db, member_id, n_messages, journey["run_id"] if journey else None),
        "limit": limit,
        "offset": offset,
        "messages": messages(
            db, "m.member_id = ?", [member_id], order="m.posted_at NULLS LAST, m.message_id", limit=limit, offset=offset
        ),
    }


def _no_journey(db: Db, member_id: int) -> str | None:
    """Why a member has no row in the newest journeys run: a bot account, or every message of theirs holds no word
    of theirs (:mod:`chrysalide.store.unreadable`); None when neither (a member who posted since the run)."""
    dated, bot, words = db.one(
        f"SELECT count(*), coalesce(bool_or(NOT {not_bot()}), false), count(*) FILTER ({readable()})"
        " FROM messages m WHERE m.member_id = ? AND m.posted_at IS NOT NULL",
        [member_id],
    )
    if not dated:
        return None
    if bot:
        return "A bot account has no journey: its messages are a program's, not a member's."
    if not words:
        return (f"Every dated message of this member holds no word of theirs ({NO_WORD_OF_THEIRS}): the coder codes "
                "them 'other', but the journeys leave them out, so this member has no journey.")  # fmt: skip
    return None
