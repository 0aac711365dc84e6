"""The fingerprint of the stored data and the up-to-date check of the analysis steps."""

from __future__ import annotations

from chrysalide.store import Store
from chrysalide.store.state import HASH_COLUMNS, input_state

ALL = tuple(HASH_COLUMNS)


def _message(store: Store, message_id: int, text_hash: str = "h") -> None:
    store.con.execute(
        "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, content_hash)"
        " VALUES (?, 's', ?, 1, 'x', ?)",
        [message_id, str(message_id), text_hash],
    )


def test_the_fingerprint_follows_every_change_of_the_data(store: Store) -> None:
    empty = input_state(store, ALL)
    assert input_state(store, ALL) == empty  # stable
    _message(store, 1)
    one = input_state(store, ALL)
    assert one != empty
    _message(store, 2)
    store.con.execute("DELETE FROM messages WHERE message_id = 2")
    assert input_state(store, ALL) == one  # order-free: back to the same rows, same fingerprint
    store.con.execute("UPDATE messages SET content_hash = 'other' WHERE message_id = 1")
    assert input_state(store, ALL) != one
    store.con.execute("UPDATE messages SET content_hash = 'h' WHERE message_id = 1")
    store.con.execute(
        "INSERT INTO codes VALUES (7, 1, 'individual', [], false, NULL, NULL, NULL, NULL, NULL, NULL, 'human', 'r',"
        " now()::TIMESTAMP, NULL, NULL, NULL, NULL, NULL)"
    )
    coded = input_state(store, ALL)
    assert coded != one
    store.con.execute(
        "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (10, 1, 0, 3, 'x', 'x')"
    )
    assert input_state(store, ALL) != coded


def test_upstream_runs_are_part_of_the_fingerprint(store: Store) -> None:
    before = input_state(store, ALL, upstream=("journeys",))
    assert input_state(store, ALL) != before  # the line of the upstream run counts
    with store.run("journeys", "j", {}):
        pass
    assert input_state(store, ALL, upstream=("journeys",)) != before


def test_only_the_newest_run_with_the_same_component_params_and_inputs_is_up_to_date(store: Store) -> None:
    state = input_state(store, ALL)
    with store.run("community", "c/1", {"period": "month"}, inputs=state) as run:
        pass
    assert store.up_to_date("community", "c/1", {"period": "month"}, state) == run.run_id
    assert store.up_to_date("community", "c/1", {"period": "week"}, state) is None
    assert store.up_to_date("community", "c/2", {"period": "month"}, state) is None
    assert store.up_to_date("community", "c/1", {"period": "month"}, "other") is None
    with store.run("community", "c/1", {"period": "week"}, inputs=state):
        pass
    # the newest run is the one readers take: an older identical run does not count
    assert store.up_to_date("community", "c/1", {"period": "month"}, state) is None


def test_a_failed_run_is_never_up_to_date(store: Store) -> None:
    state = input_state(store, ALL)
    try:
        with store.run("alerts", "a/1", {}, inputs=state):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.up_to_date("alerts", "a/1", {}, state) is None
