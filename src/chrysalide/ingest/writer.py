"""One transaction that writes an import: source, members, threads, messages, rejects, thread order."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chrysalide.store import Store, bots, utcnow


def position_sql(thread: str) -> str:
    """A message's position in its thread (the column ``thread``): by date, undated last, then record, then id."""
    return f"row_number() OVER (PARTITION BY {thread} ORDER BY posted_at NULLS LAST, record_no, native_id) - 1"


# The first message of a thread: by date (undated last), then by record. A struct compares field by field;
# the former float key (epoch * 1e12 + record_no) lost record numbers below about 262,000 to rounding.
FIRST = "{'at': coalesce(posted_at, 'infinity'::TIMESTAMP), 'record': record_no}"


def write_source(
    store: Store,
    source_id: str,
    importer: str,
    location: str,
    options: dict[str, Any],
    pseudonymised: bool,
    frames: dict[str, Any],
    run_id: int,
    then: Callable[[], None] | None = None,
    traits: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Insert what is new and recompute thread starts and positions; all or nothing.

    ``frames`` holds what DuckDB can read as tables (Arrow tables, relations over staged Parquet files)
    named ``messages`` (in the source's order, with their positions among the new messages of their
    thread), ``members``, ``threads``, ``rejects`` and ``names`` (rows for ``name_vault``). ``then`` runs
    inside the transaction, after the inserts (the new rows are still visible as ``new_<name>``). ``traits``: what
    the import learned of the source from the input (the importer's ``boards_collected_apart``, the order of its
    dates, ``date_order``), kept in its options, an import again of a source updating them.
    """
    con = store.con
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name in _FRAMES:
            store.register(f"new_{name}", frames[name])
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [source_id, importer, location, utcnow(), json.dumps(options, default=str), pseudonymised],
        )
        if traits:
            con.execute(
                "UPDATE sources SET options = json_merge_patch(coalesce(options, '{}'), ?) WHERE source_id = ?",
                [json.dumps(traits), source_id],
            )
        counts["guests"] = _count(
            con.execute(
                "SELECT count(*) FROM new_members WHERE role = 'guest'"
                " AND member_id NOT IN (SELECT member_id FROM members)"
            )
        )
        counts["members"] = _count(
            con.execute(
                "INSERT INTO members SELECT member_id, source_id, pseudonym, registered_at, role, meta"
                " FROM new_members WHERE member_id NOT IN (SELECT member_id FROM members)"
            )
        )
        con.execute(
            "INSERT INTO name_vault SELECT source_id, sealed, pseudonym, kind FROM new_names ON CONFLICT DO NOTHING"
        )
        # Members known before but now with a role or a registration date from a users table, or a record start.
        con.execute(
            "UPDATE members SET role = n.role, registered_at = coalesce(n.registered_at, members.registered_at),"
            " meta = coalesce(n.meta, members.meta)"
            " FROM new_members n WHERE members.member_id = n.member_id"
            " AND (n.role <> 'member' OR n.registered_at IS NOT NULL OR n.meta IS NOT NULL)"
        )
        # Threads from the importer's thread records, then threads only seen through their messages.
        counts["threads"] = _count(
            con.execute(
                "INSERT INTO threads SELECT thread_id, ?, native_id, board, title, NULL, starter_id"
                " FROM new_threads WHERE thread_id NOT IN (SELECT thread_id FROM threads)",
                [source_id],
            )
        )
        counts["threads"] += _count(
            con.execute(
                "INSERT INTO threads"
                " SELECT thread_id, ?, arg_min(thread_native, record_no),"
                f"  arg_min(board, {FIRST}) FILTER (board IS NOT NULL),"
                f"  arg_min(title, {FIRST}) FILTER (title IS NOT NULL),"
                "  NULL, NULL"
                " FROM new_messages WHERE thread_id NOT IN (SELECT thread_id FROM threads) GROUP BY thread_id",
                [source_id],
            )
        )
        # Threads that had messages before this import are re-ordered after the insert (old and new messages
        # together); the others, every thread of a first import, keep the positions of ``messages``.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE grown AS SELECT DISTINCT thread_id FROM messages"
            " WHERE thread_id IN (SELECT thread_id FROM new_messages)"
        )
        columns = (
            "message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at, position_in_thread,"
            " text, quoted_text, title, lang, record_no, content_hash, field_digest, meta"
        )
        counts["messages"] = _count(con.execute(f"INSERT INTO messages ({columns}) SELECT {columns} FROM new_messages"))
        con.execute(
            "INSERT INTO message_sources SELECT message_id, source_text FROM new_messages WHERE source_text IS NOT NULL"
        )
        con.execute(
            "INSERT INTO rejects SELECT ?, record_no, raw, reason, ? FROM new_rejects"
            " WHERE record_no NOT IN (SELECT record_no FROM rejects WHERE source_id = ?)",
            [source_id, run_id, source_id],
        )
        counts["rejects_total_for_run"] = _count(con.execute("SELECT count(*) FROM new_rejects"))
        if counts["messages"]:
            _order_threads(store)
        if then is not None:
            then()
        bots.refresh(store)  # messages scrubbed again lost their text features (store.step.process_again)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in _FRAMES:
            con.unregister(f"new_{name}")
        con.execute("DROP TABLE IF EXISTS grown")
    return counts


_FRAMES = ("members", "messages", "threads", "rejects", "names")


def _order_threads(store: Store) -> None:
    """Positions in the threads that grew, then start, starter and title of every thread the import touched."""
    con = store.con
    if con.execute("SELECT count(*) FROM grown").fetchone()[0]:  # type: ignore[index]
        con.execute(
            "UPDATE messages SET position_in_thread = o.pos FROM ("
            f"  SELECT message_id, {position_sql('thread_id')} AS pos"
            "  FROM messages WHERE thread_id IN (SELECT thread_id FROM grown)"
            ") o WHERE messages.message_id = o.message_id"
        )
    con.execute(
        "UPDATE threads SET started_at = f.started_at,"
        " starter_id = coalesce(f.first_member, threads.starter_id),"
        " title = coalesce(threads.title, f.first_title) FROM ("
        "  SELECT thread_id, min(posted_at) AS started_at,"
        "   arg_min(member_id, position_in_thread) AS first_member,"
        "   arg_min(title, position_in_thread) FILTER (title IS NOT NULL) AS first_title"
        "  FROM messages WHERE thread_id IN (SELECT DISTINCT thread_id FROM new_messages) GROUP BY thread_id"
        ") f WHERE threads.thread_id = f.thread_id"
    )


def _count(result: Any) -> int:
    row = result.fetchone()
    return int(row[0]) if row and row[0] is not None else 0
