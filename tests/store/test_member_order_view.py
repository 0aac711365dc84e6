"""A member's order of messages (view ``member_order``, migration 0037), against an order written here by hand.

Member 7 writes eight messages, six of them at one same minute, told apart only by their place in their files
(``record_no``), their source's id (``native_id``, from two files that number their records alike) or our id; two
are undated. By hand, the order is: the one of the day before (``f``), then, at the same minute, the records numbered
3 by native id ("a1" twice: ``d`` before ``c`` by our id 100 < 103; then "z9", ``b``), the record numbered 5 (``a``),
the one without a record number (``e``), then the undated ones, the one with a record number (``g``) before the one
without (``h``). All are in one thread, with a guest's message, so that the thread's order can be checked to be the
same.
"""

from __future__ import annotations

import pandas as pd
import pytest

from chrysalide.journeys.frame import in_member_order, load_frame
from chrysalide.lexical.variables import message_variables
from chrysalide.store import Store

SAME = "2020-01-01 10:00"
#: name: (message_id, source, posted_at, record_no, native_id, member_id, primary code)
ROWS = {
    "a": (101, "s1", SAME, 5, "b2", 7, "community"),
    "b": (102, "s1", SAME, 3, "z9", 7, "individual"),
    "c": (103, "s2", SAME, 3, "a1", 7, "individual"),
    "d": (100, "s1", SAME, 3, "a1", 7, "community"),
    "e": (99, "s2", SAME, None, "0", 7, "individual"),
    "f": (104, "s2", "2019-12-31 23:00", 50, "f", 7, None),
    "g": (105, "s1", None, 1, "g", 7, None),
    "h": (98, "s1", None, None, "h", 7, None),
    "guest": (106, "s1", "2020-01-01 09:00", 9, "x", None, None),
}
MEMBER_ORDER = ["f", "d", "c", "b", "a", "e", "g", "h"]
THREAD_ORDER = ["f", "guest", "d", "c", "b", "a", "e", "g", "h"]
IDS = {ROWS[name][0]: name for name in ROWS}


def _save(store: Store, rows: dict[str, tuple], thread_id: int = 1) -> Store:
    con = store.con
    con.execute(
        "INSERT INTO members (member_id, source_id, pseudonym) VALUES (7, 's1', 'zq01 Vint'), (8, 's1', 'zq02')"
    )
    con.execute("INSERT INTO threads (thread_id, source_id, native_id) VALUES (1, 's1', 't1'), (2, 's1', 't2')")
    for message_id, source, at, record_no, native, member, code in rows.values():
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, record_no,"
            " content_hash) VALUES (?, ?, ?, ?, ?, ?::TIMESTAMP, 'some words here', ?, ?)",
            [message_id, source, native, thread_id, member, at, record_no, str(message_id)],
        )
        if code is not None:
            con.execute(
                "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, origin, coder,"
                " decided_at) VALUES (1, ?, ?, []::VARCHAR[], false, 'human', 'test', TIMESTAMP '2024-01-01')",
                [message_id, code],
            )
    return store


@pytest.fixture
def ties(store: Store) -> Store:
    return _save(store, ROWS)


def test_a_members_order_breaks_ties_as_the_thread_order(ties: Store) -> None:
    rows = ties.con.execute("SELECT message_id, member_id, member_pos FROM member_order ORDER BY member_pos").fetchall()
    assert [IDS[m] for m, _, _ in rows] == MEMBER_ORDER
    assert [pos for _, _, pos in rows] == list(range(len(MEMBER_ORDER)))
    assert {member for _, member, _ in rows} == {7}  # a guest has no member order
    thread = ties.con.execute("SELECT message_id FROM thread_order ORDER BY pos").fetchall()
    assert [IDS[m] for (m,) in thread] == THREAD_ORDER


def test_every_reader_of_a_members_order_reads_it(ties: Store) -> None:
    """The member's first message, the passage from asker to helper and the journeys' frame read the same order.
    Decentering counts the dated coded messages (f is not coded): d first (community), so the member is at risk from
    their first request, c (by our ids alone it would be e, by file order and our ids b)."""
    assert ties.con.execute("SELECT message_id FROM member_firsts").fetchall() == [(ROWS["f"][0],)]
    entry = ties.con.execute("SELECT first_code, entry, entry_message_id FROM decentering").fetchall()
    assert entry == [("community", "request", ROWS["c"][0])]
    frame = load_frame(ties)
    assert [IDS[m] for m in frame["message_id"]] == MEMBER_ORDER[:6]  # the undated ones have no journey
    assert [IDS[m] for m in in_member_order(frame.iloc[::-1])["message_id"]] == MEMBER_ORDER[:6]


def test_the_position_variable_reads_a_members_order(store: Store) -> None:
    """Member 8's two messages of one minute share their record number (two files): the one whose source's id comes
    first ("a", our id 201) is their first, though our id of the other (200) is smaller."""
    rows = {
        "first": (201, "s2", SAME, 4, "a", 8, None),
        "second": (200, "s1", SAME, 4, "b", 8, None),
        "third": (202, "s1", "2020-02-01", 1, "c", 8, None),
        "guest": (203, "s1", "2020-02-02", 2, "d", None, None),
    }
    _save(store, rows, thread_id=2)
    store.con.execute(
        "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms)"
        " SELECT message_id, message_id, 0, 1, text, 'word' FROM messages"
    )
    positions = message_variables(store, ["position"]).set_index("message_id")["position"]
    assert (positions[201], positions[200], positions[202]) == ("1", "2-5", "2-5")
    assert pd.isna(positions[203])  # a guest's message has no position
