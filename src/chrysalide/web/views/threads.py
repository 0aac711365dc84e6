"""The threads index (search by title or text, filter by board) and one thread's messages in thread order."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query

from chrysalide.community.responses import unthreaded_sources
from chrysalide.report.authors import author_status_sql
from chrysalide.report.html.sections.overview import named_threads
from chrysalide.web.pages import Id, Limit, Offset, page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import EXCLUDED, excluded_members, messages_by_id, openers_excluded

THREAD_SORTS = {  # recent and messages are sorted on the per-thread counts (below)
    "recent": "",
    "started": "t.started_at DESC NULLS LAST",
    "messages": "",
    "title": "t.title NULLS LAST",
}
TEXT_MATCHES = 5_000  # a text search reads messages until it has found this many (then says so)
Search = Annotated[str, Query(max_length=200)]


def _like(text: str) -> str:
    """An ILIKE pattern matching ``text`` anywhere, its own ``%``, ``_`` and ``\\`` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@page("/threads", "threads.html")
def threads(
    db: Db,
    q: Search = "",
    where: Literal["title", "text"] = "title",
    board: Search = "",
    sort: Literal["recent", "started", "messages", "title"] = "recent",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Threads with their board, starter, size and last message; ``q`` searches titles or message text.

    The starter is the author of the thread's first message (view ``thread_order``), a guest or a deleted
    account too (``starter_status``, named as :mod:`chrysalide.report.authors` names them): not
    ``threads.starter_id``, which is the thread's first *member* to post.
    Only the threads the sources name are listed and counted, as the overview counts them
    (:func:`chrysalide.report.html.sections.overview.named_threads`): a table without thread ids stores each
    message as a thread of its own, no thread of the forum; ``threads_apart`` says so ('' when nothing is left out)
    and ``named`` is None when no source names a thread.
    """
    unthreaded = unthreaded_sources(db)
    named, apart = named_threads(db, unthreaded)
    filters: list[str] = ["TRUE"]
    params: list[Any] = []
    if unthreaded:
        filters.append("NOT list_contains(?, t.source_id)")
        params.append(unthreaded)
    capped = False
    # An excluded member's text is withheld: a search finds none of their messages, nor a title they wrote.
    excluded = excluded_members(db)
    if q.strip() and where == "title":
        filters.append("t.title ILIKE ? ESCAPE '\\'")
        params.append(_like(q.strip()))
        if excluded:  # the titles of threads an excluded member opened are theirs: not found
            titled = db.execute("SELECT thread_id FROM threads WHERE title ILIKE ? ESCAPE '\\'", [_like(q.strip())])
            if hidden := sorted(openers_excluded(db, [r[0] for r in titled.fetchall()])):
                filters.append("NOT list_contains(?, t.thread_id)")
                params.append(hidden)
    elif q.strip():
        matches = db.execute(
            "SELECT thread_id FROM messages WHERE text ILIKE ? ESCAPE '\\'"
            " AND coalesce(member_id NOT IN (SELECT unnest(?::BIGINT[])), true) LIMIT ?",
            [_like(q.strip()), excluded, TEXT_MATCHES + 1],
        ).fetchall()
        capped = len(matches) > TEXT_MATCHES
        filters.append("t.thread_id = ANY(?::BIGINT[])")
        params.append(list(dict.fromkeys(r[0] for r in matches[:TEXT_MATCHES])))
    if board:
        filters.append("t.board = ?")
        params.append(board)
    where_sql = " AND ".join(filters)
    if sort in ("recent", "messages"):  # the page from the narrow per-thread counts, then its threads' rows
        chosen = f"WHERE thread_id IN (SELECT thread_id FROM threads t WHERE {where_sql})" if len(filters) > 1 else ""
        order = "max(posted_at) DESC NULLS LAST" if sort == "recent" else "count(*) DESC"
        page_sql = (f"SELECT thread_id FROM messages {chosen} GROUP BY thread_id"
                    f" ORDER BY {order}, thread_id LIMIT ? OFFSET ?")  # fmt: skip
    else:
        page_sql = f"SELECT t.thread_id FROM threads t WHERE {where_sql} ORDER BY {THREAD_SORTS[sort]}, t.thread_id LIMIT ? OFFSET ?"
    ids = [r[0] for r in db.execute(page_sql, [*params, limit, offset]).fetchall()]
    # The page's first messages on their own: joined to more tables, the view's window runs over every thread.
    opening = dict(db.execute(
        "SELECT thread_id, message_id FROM thread_order WHERE pos = 0 AND thread_id IN (SELECT unnest(?::BIGINT[]))",
        [ids],
    ).fetchall())  # fmt: skip
    found = {
        r["thread_id"]: r
        for r in db.rows(
            f"""WITH page AS (SELECT unnest(?::BIGINT[]) AS thread_id, unnest(?::BIGINT[]) AS opening_id),
                    s AS (SELECT thread_id, count(*) AS n_messages, max(posted_at) AS last_post_at FROM messages
                          WHERE thread_id IN (SELECT thread_id FROM page) GROUP BY 1)
               SELECT t.thread_id, t.board, t.title, t.started_at, s.n_messages, s.last_post_at, page.opening_id,
                      f.member_id AS starter_id, mb.pseudonym AS starter, {author_status_sql("f")} AS starter_status
               FROM page JOIN threads t USING (thread_id) LEFT JOIN s USING (thread_id)
               LEFT JOIN messages f ON f.message_id = page.opening_id
               LEFT JOIN members mb ON mb.member_id = f.member_id""",
            [ids, [opening.get(t) for t in ids]],
        )
    }
    rows = [found[t] for t in ids]
    for r in rows:
        if r["starter_id"] is not None and r["starter_id"] in excluded:
            r["title"] = EXCLUDED
    total = db.value(f"SELECT count(*) FROM threads t WHERE {where_sql}", params)
    boards = db.rows(
        "SELECT board, count(*) AS threads FROM threads WHERE board IS NOT NULL AND NOT list_contains(?, source_id)"
        " GROUP BY 1 ORDER BY 2 DESC, 1",
        [unthreaded],
    )
    return {"threads": rows, "total": total, "q": q, "where": where, "board": board, "sort": sort,
            "sorts": list(THREAD_SORTS), "limit": limit, "offset": offset, "boards": boards,
            "text_matches_capped": capped, "text_matches": TEXT_MATCHES, "named": named,
            "threads_apart": apart}  # fmt: skip


@page("/threads/{thread_id}", "thread.html", missing="thread")
def thread(db: Db, thread_id: Id, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any] | None:
    """The thread's messages in thread order (view ``thread_order``), each with its code and consent mark."""
    row = db.one("SELECT thread_id, source_id, board, title, started_at FROM threads WHERE thread_id = ?", [thread_id])
    if row is None:
        return None
    order = dict(db.execute("SELECT message_id, pos FROM thread_order WHERE thread_id = ?", [thread_id]).fetchall())
    shown = sorted(order, key=order.__getitem__)[offset : offset + limit]
    found = messages_by_id(db, shown)
    rows = [found[m] for m in shown]  # already in thread order
    for r in rows:
        r["pos"] = order[r["message_id"]]
        r["reply_to_pos"] = order.get(r["reply_to_id"]) if r["reply_to_id"] is not None else None
    title = EXCLUDED if openers_excluded(db, [thread_id]) else row[3]
    return {"thread_id": row[0], "source_id": row[1], "board": row[2], "title": title, "started_at": row[4],
            "n_messages": len(order), "limit": limit, "offset": offset, "messages": rows}  # fmt: skip
