"""Journeys, survival, community and alerts on unchanged data return their newest run; new data runs again."""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import reference_forum

from chrysalide.community import alerts, community, core_members, periods
from chrysalide.journeys import journeys, member_table, survival
from chrysalide.store import Store


@pytest.fixture
def forum(store: Store) -> Store:
    return reference_forum(store)


def _runs(store: Store, stage: str) -> int:
    return store.con.execute("SELECT count(*) FROM runs WHERE stage = ?", [stage]).fetchone()[0]


def _add_message(store: Store) -> None:
    store.con.execute(
        "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, content_hash)"
        " SELECT 999, source_id, '999', thread_id, member_id, posted_at + INTERVAL 1 DAY, 'late reply', 'new'"
        " FROM messages ORDER BY message_id LIMIT 1"
    )


def test_journeys(forum: Store) -> None:
    first = journeys(forum, permutations=99)
    table = member_table(forum, first.run_id)
    again = journeys(forum, permutations=99)
    assert again.run_id == first.run_id and again.up_to_date and _runs(forum, "journeys") == 1
    assert again.summary == first.summary and not first.up_to_date
    pd.testing.assert_frame_equal(member_table(forum, again.run_id), table)
    assert journeys(forum, permutations=9).run_id > first.run_id  # other parameters
    _add_message(forum)
    assert not journeys(forum, permutations=9).up_to_date


def test_survival(forum: Store) -> None:
    first = survival(forum)
    again = survival(forum)
    assert again.run_id == first.run_id and again.up_to_date
    assert again.summary == first.summary
    _add_message(forum)
    assert survival(forum).run_id > first.run_id and _runs(forum, "survival") == 2


def test_community(forum: Store) -> None:
    first = community(forum)
    again = community(forum)
    assert again.run_id == first.run_id and again.up_to_date
    assert len(periods(forum, again.run_id)) == 5 and len(core_members(forum, again.run_id)) == 3
    _add_message(forum)
    assert community(forum).run_id > first.run_id


def test_alerts(forum: Store) -> None:  # the stored alerts themselves: tests/community/test_alerts.py
    first = alerts(forum, watch=["thanks"])
    assert alerts(forum, watch=["thanks"]).run_id == first.run_id
    assert alerts(forum, watch=["other"]).run_id > first.run_id
    _add_message(forum)
    assert alerts(forum, watch=["other"]).run_id > first.run_id + 1
