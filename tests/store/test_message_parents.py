"""Whether a message names a parent, kept or missing (macros ``parent_named`` and ``parent_missing``, migration 0037),
and the views that read them, against values written here by hand, on the schema before 0037 and after it.

A reply tree (source ``tree``): A opens thread 1; B answers A (a kept parent), A answers B (a kept parent that is
itself a reply), C names a parent the source lacks; B's message opening thread 2 names one it lacks too, and so
does C's lone message of thread 3, four days later; D opens thread 5 the evening before. A flat forum (source
``flat``): A, B, B in thread 4, naming no parent.
"""

from __future__ import annotations

import json

import duckdb

from chrysalide.store.migrations import migrate

#: message_id: (source, thread, member, reply_to_id, missing parent's native id, posted_at)
MESSAGES = {
    1: ("tree", 1, 1, None, None, "2020-01-01 08:00"),
    2: ("tree", 1, 2, 1, None, "2020-01-01 09:00"),
    3: ("tree", 1, 1, 2, None, "2020-01-01 10:00"),
    4: ("tree", 1, 3, None, "gone1", "2020-01-01 11:00"),
    5: ("tree", 2, 2, None, "gone2", "2020-01-01 12:00"),
    6: ("tree", 3, 3, None, "gone3", "2020-01-05 08:00"),
    10: ("tree", 5, 4, None, None, "2019-12-31 23:00"),
    7: ("flat", 4, 1, None, None, "2020-02-01 08:00"),
    8: ("flat", 4, 2, None, None, "2020-02-01 09:00"),
    9: ("flat", 4, 2, None, None, "2020-02-01 10:00"),
}
#: message_id: (names a parent, names one the source lacks)
PARENTS = {1: (False, False), 2: (True, False), 3: (True, False), 4: (True, True), 5: (True, True), 6: (True, True),
           10: (False, False), 7: (False, False), 8: (False, False), 9: (False, False)}  # fmt: skip
#: the first of their thread that name no parent
OPENS = {1, 10, 7}
#: source: (reply_tree, submission_only). tree: every reply after a thread's first message names a parent, and
#: one kept parent (2) is itself a reply; a third of them (4) name a missing one. flat: none names a parent.
TREES = {"tree": (True, False), "flat": (False, False)}
#: message_id: (target_id, reply_to_other, target_unknown). In the tree, a message whose parent is missing answers
#: nothing known; in the flat forum, each the one before (9 answers its own author's 8).
TARGETS = {1: (None, False, False), 2: (1, True, False), 3: (2, True, False), 4: (None, False, True),
           5: (None, False, True), 6: (None, False, True), 10: (None, False, False), 7: (None, False, False),
           8: (7, True, False), 9: (8, False, False)}  # fmt: skip
#: (source, day): (answers, parents_missing, replies_collected), each over the day and the next: 2019-12-31 and
#: 2020-01-01 see the answers 2 and 3 and the missing parents of 4 and 5; 2020-01-05 only 6's missing parent.
COLLECTION = {("tree", "2019-12-31"): (2, 2, True), ("tree", "2020-01-01"): (2, 2, True),
              ("tree", "2020-01-05"): (0, 1, False), ("flat", "2020-02-01"): (1, 0, True)}  # fmt: skip


def _insert(con: duckdb.DuckDBPyConnection) -> None:
    for message_id, (source, thread, member, reply_to, missing, at) in MESSAGES.items():
        meta = json.dumps({"reply_to_native": missing, "file": "f.json"} if missing else {"file": "f.json"})
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,"
            " text, record_no, content_hash, meta) VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMP, 'words', ?, 'h', ?)",
            [message_id, source, f"n{message_id}", thread, member, reply_to, at, message_id, meta],
        )


def _views(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    return {
        "opens": {m for (m,) in con.execute("SELECT message_id FROM thread_order WHERE opens_thread").fetchall()},
        "trees": {s: (t, o) for s, t, o in con.execute("SELECT * FROM source_trees").fetchall()},
        "targets": {
            m: (t, o, u)
            for m, t, o, u in con.execute(
                "SELECT message_id, target_id, reply_to_other, target_unknown FROM reply_targets"
            ).fetchall()
        },
        "collection": {
            (s, str(d)): (a, p, c)
            for s, d, a, p, c in con.execute(
                "SELECT source_id, day, answers, parents_missing, replies_collected FROM reply_collection"
            ).fetchall()
        },
    }


EXPECTED = {"opens": OPENS, "trees": TREES, "targets": TARGETS, "collection": COLLECTION}


def test_the_views_read_one_definition_of_a_parent_and_return_the_rows_of_before(older_schema) -> None:
    con = older_schema(37)
    _insert(con)
    before = _views(con)
    assert before == EXPECTED
    assert "one_definition" in migrate(con)
    assert _views(con) == EXPECTED
    parents = con.execute(
        "SELECT message_id, parent_named(reply_to_id, meta), parent_missing(reply_to_id, meta) FROM messages"
    ).fetchall()
    assert {m: (n, p) for m, n, p in parents} == PARENTS
