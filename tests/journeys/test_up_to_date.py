"""Journeys, survival, community and alerts on unchanged data return their newest run; new data runs again."""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import reference_forum

from chrysalide.community import alerts, community
from chrysalide.journeys import journeys, survival
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
    again = journeys(forum, permutations=99)
    assert again.run_id == first.run_id and again.summary["up_to_date"] and _runs(forum, "journeys") == 1
    assert {k: v for k, v in again.summary.items() if k != "up_to_date"} == first.summary
    cols = list(again.members.columns)
    pd.testing.assert_frame_equal(
        again.members, first.members[cols].sort_values("member_id", ignore_index=True), check_dtype=False
    )
    pd.testing.assert_frame_equal(again.stages, first.stages, check_dtype=False)
    assert again.to_dict()["members"] == first.to_dict()["members"]
    assert journeys(forum, permutations=9).run_id > first.run_id  # other parameters
    _add_message(forum)
    assert "up_to_date" not in journeys(forum, permutations=9).summary


def test_survival(forum: Store) -> None:
    first = survival(forum)
    again = survival(forum)
    assert again["run_id"] == first["run_id"] and again["up_to_date"]
    assert {k: v for k, v in again.items() if k != "up_to_date"} == first
    _add_message(forum)
    assert survival(forum)["run_id"] > first["run_id"] and _runs(forum, "survival") == 2


def test_community(forum: Store) -> None:
    first = community(forum)
    again = community(forum)
    assert again["run_id"] == first["run_id"] and again["summary"]["up_to_date"]
    pd.testing.assert_frame_equal(again["periods"], first["periods"], check_dtype=False)
    pd.testing.assert_frame_equal(
        again["core"].reset_index(drop=True), first["core"].reset_index(drop=True), check_dtype=False
    )
    _add_message(forum)
    assert community(forum)["run_id"] > first["run_id"]


def test_alerts(forum: Store) -> None:  # the stored alerts themselves: tests/community/test_alerts.py
    first = alerts(forum, watch=["thanks"])
    assert alerts(forum, watch=["thanks"])["run_id"] == first["run_id"]
    assert alerts(forum, watch=["other"])["run_id"] > first["run_id"]
    _add_message(forum)
    assert alerts(forum, watch=["other"])["run_id"] > first["run_id"] + 1
