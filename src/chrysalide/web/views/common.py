"""What several pages share: messages shown with their code and consent mark, stage codes of a set of messages.

The dashboard is analysis, which consent without quoting allows (docs/privacy.md): it shows the
pseudonymised text of every member who is not excluded, contacts scrubbed, and marks whose words may
be quoted verbatim outside this machine. Text of excluded members (consent ``exclude``, ``refused`` or
``withdrawn``) is withheld everywhere.
"""

from __future__ import annotations

from typing import Any

from chrysalide.coding.review import CODE_COLUMNS, current_codes_of
from chrysalide.privacy.consent import Consent, ConsentMap, read_consent
from chrysalide.privacy.quotes import gate_text
from chrysalide.report.authors import author_status_sql
from chrysalide.store.db import latest_run
from chrysalide.web.reader import Db

EXCLUDED = "[text withheld: the member is excluded from analysis]"


def consent_of(status: str | None, scope: str | None) -> dict[str, bool]:
    """The consent marks of a member: ``quotable`` (verbatim quotes allowed), ``excluded`` (text withheld)."""
    if status is None or scope is None:
        return {"quotable": False, "excluded": False}
    found = Consent(status, scope)
    return {"quotable": found.quotable, "excluded": found.excluded}


def excluded_members(db: Db) -> list[int]:
    """The members whose text is withheld everywhere (:attr:`chrysalide.privacy.consent.Consent.excluded`): a
    search must not find their messages, nor a thread's title by what its excluded opener wrote."""
    return sorted(read_consent(db.cursor).excluded_ids())


def shown(member_id: int | None, text: str | None, marks: dict[str, bool]) -> str | None:
    """The text a researcher reads: pseudonymised and contacts scrubbed, or withheld for an excluded member."""
    if text is None:
        return None
    if marks["excluded"]:
        return EXCLUDED
    return gate_text(ConsentMap(), member_id, text, mode="all-pseudonymised")


# ``author_status``: why a message has no member, as its import recorded it (chrysalide.report.authors).
MESSAGE_SQL = f"""
    SELECT m.message_id, m.thread_id, m.member_id, mb.pseudonym, m.posted_at, m.reply_to_id, t.title AS thread_title,
           m.text, m.quoted_text, cs.status AS consent_status, cs.scope AS consent_scope,
           {author_status_sql()} AS author_status
    FROM messages m
    LEFT JOIN members mb ON mb.member_id = m.member_id
    LEFT JOIN threads t ON t.thread_id = m.thread_id
    LEFT JOIN consent cs ON cs.member_id = m.member_id
"""


def messages(db: Db, where: str, params: list[Any], *, order: str, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """Messages as the pages show them: author, thread, text for analysis, consent marks and current code.

    The page's ids first (a narrow scan of ``messages``), then their rows: filtering after the joins of
    :data:`MESSAGE_SQL` took five times longer at the study's size.
    """
    ids = [r[0] for r in db.execute(
        f"SELECT m.message_id FROM messages m WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]
    ).fetchall()]  # fmt: skip
    found = messages_by_id(db, ids)
    return [found[m] for m in ids]


def messages_by_id(db: Db, ids: list[int], codes: dict[int, dict[str, Any]] | None = None) -> dict[int, dict[str, Any]]:
    """Messages as the pages show them, by id (a join with the ids: faster than a long ``IN`` list)."""
    if not ids:
        return {}
    rows = db.rows(f"{MESSAGE_SQL} JOIN (SELECT unnest(?::BIGINT[]) AS wanted) w ON w.wanted = m.message_id", [ids])
    return {r["message_id"]: r for r in decorate(db, rows, codes)}


def decorate(
    db: Db, rows: list[dict[str, Any]], codes: dict[int, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Add consent marks, the shown text and the current code (``codes``, else read) to rows of :data:`MESSAGE_SQL`."""
    if codes is None:
        codes = current_codes_of(db.cursor, [r["message_id"] for r in rows])
    openers = openers_excluded(db, [r["thread_id"] for r in rows])
    for row in rows:
        marks = consent_of(row.pop("consent_status"), row.pop("consent_scope"))
        row.update(marks)
        if row["thread_id"] in openers:
            row["thread_title"] = EXCLUDED
        row["text"] = shown(row["member_id"], row["text"], marks)
        row["quoted_text"] = shown(row["member_id"], row["quoted_text"], marks)
        row.update(codes.get(row["message_id"]) or dict.fromkeys(CODE_COLUMNS))
    return rows


def openers_excluded(db: Db, thread_ids: list[int]) -> set[int]:
    """Those of ``thread_ids`` whose first message (view ``thread_order``) an excluded member wrote: their title is
    that member's text, withheld with it (as the exports withhold it)."""
    excluded = excluded_members(db)
    if not excluded or not thread_ids:
        return set()
    # The threads' first messages on their own (the view's window then runs over these threads only; joined to
    # messages, over every thread), then their authors.
    first = dict(db.execute(
        "SELECT message_id, thread_id FROM thread_order WHERE pos = 0 AND thread_id IN (SELECT unnest(?::BIGINT[]))",
        [sorted(set(thread_ids))],
    ).fetchall())  # fmt: skip
    rows = db.execute(
        "SELECT message_id FROM messages WHERE message_id IN (SELECT unnest(?::BIGINT[]))"
        " AND member_id IN (SELECT unnest(?::BIGINT[]))",
        [list(first), excluded],
    ).fetchall()
    return {int(first[r[0]]) for r in rows}


def latest(db: Db, step: str, table: str | None = None) -> int | None:
    """The run a page shows (:func:`chrysalide.store.db.latest_run`, the one answer to "which run").

    Cached until any run is added: with ``table`` it reads the table's run ids (milliseconds per request).
    """
    return db.cached(f"latest:{step}:{table}", lambda: latest_run(db.cursor, step, table))
