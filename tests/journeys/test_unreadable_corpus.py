"""r/breastcancer's submissions: members who wrote only removed or deleted bodies have no journey.

Regression: 477 of the 708 members at risk who "never asked for themselves" wrote only '[removed]' or '[deleted]'
posts. The expected count is read from the CSV itself in plain Python: a member is an author other than Reddit's
'[deleted]' account, and a body is removed or deleted when it is '[removed]' or '[deleted]'.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from chrysalide.ingest import ingest
from chrysalide.pipeline import pipeline

pytestmark = pytest.mark.corpora

CSV = "reddit_breastcancer_en/q4_tw_rd/data/data_reddit.csv"


def _by_hand(path: Path) -> tuple[int, int, int]:
    """Members, members whose every post is a removed or deleted body, and those posts, from the CSV."""
    bodies: dict[str, list[bool]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["user_id"] != "[deleted]":
                bodies[row["user_id"]].append(row["text"].strip().lower() in ("[removed]", "[deleted]"))
    only = [posts for posts in bodies.values() if all(posts)]
    return len(bodies), len(only), sum(len(posts) for posts in only)


def test_members_with_only_removed_bodies_are_counted_apart(store, corpora: Path) -> None:
    path = corpora / CSV
    members, unreadable, their_posts = _by_hand(path)
    ingest(store, path, format="csv", mapping={"author": "user_id", "posted_at": "timestamp"})
    done = {t.name: t.result for t in pipeline(store, steps=["text", "code", "journeys"])}
    s = done["journeys"].summary
    assert s["members_unreadable"] == unreadable
    assert s["members_coded"] + s["members_unreadable"] == members
    assert s["members"] == s["members_coded"]
    assert s["messages_unreadable"] >= their_posts
    # None of them is at risk as a member who "never asked": their posts are not read at all.
    only = store.con.execute(
        "SELECT count(*) FROM decentering WHERE member_id IN (SELECT member_id FROM messages WHERE member_id IS NOT"
        " NULL GROUP BY member_id HAVING bool_and(lower(trim(text)) IN ('[removed]', '[deleted]')))"
    ).fetchone()
    assert only == (0,)
