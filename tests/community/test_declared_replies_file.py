"""Threads, requests and newcomers of a PatientPunk folder whose posts declare their comments, against the raw files.

``tests/data/reddit/declared``: a week's thread file (posts a1 to a3 with their comments) and two members'
histories (h1, h6) whose posts come without the comments of others. By hand: a1 answered by h2 in 30 min; a2
declares 0 (a count taken before its comment) and is answered by h4 in 2 h; a3 declares 0 and has none; b1
declares 0; b2 declares 3, none stored: answered; b3 declares 2, both its author's own: never answered; c1
declares 4, one its author's own: answered; c2 is answered by h1's history comment, posted where replies were not
collected (h6's other comments that day answer missing parents). Threads never answered: a3, b1, b3 of 8; judged by
the count: b1, b2, b3, c1, c2 (3 answered). The last message, h4's comment, ends the collection (2026-04-04 12:00):
a2, posted 2 hours before, and that comment are not judged within 3 hours or not (answered or not: among the
messages of the last 3 hours only those answered could be seen so), though their answers and delays stay (with 2
first answers the source has no follow-up window: answered or not is judged). Within 3 hours: a1 of a1, a3 (median
1.25 h, a2's 2 h counted). Requests (first messages opening a thread, every message coded individual): h1's b1, h3's
a2, h5's a3, h6's c1: 2 of 4 answered, 0 of 1 (a3) within 3 hours. Newcomers: h1 to h6, answered h2 (by h1), h3, h6:
3 of 6; within 3 hours h2 of h2, h5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from forum_builder import code_all, register_at_first_post

from chrysalide.community import community
from chrysalide.ingest import ingest

FOLDER = Path(__file__).resolve().parents[1] / "data" / "reddit" / "declared"


def _raw_threads() -> dict[str, bool]:
    """Each post's answered flag from the raw files, in plain Python: the first copy of an id wins (files in
    sorted path order); a post is answered when a comment by someone else replies to it, else when it declares
    more comments (num_comments) than its thread holds."""
    posts: dict[str, dict] = {}
    comments: dict[str, dict] = {}
    for path in sorted(FOLDER.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "subreddit_posts.json":
            for post in doc:
                posts.setdefault(post["post_id"], post)
                for com in post["comments"]:
                    comments.setdefault(com["comment_id"], com | {"thread": post["post_id"]})
        elif path.parent.name == "users":
            for post in doc["posts"]:
                posts.setdefault(post["post_id"], post | {"author_hash": doc["author_hash"]})
            for com in doc["comments"]:
                comments.setdefault(com["comment_id"], com | {"author_hash": doc["author_hash"]})

    def thread(com: dict) -> str | None:
        parent = com["parent_id"]
        return com.get("thread") or (parent if parent.startswith("t3_") else thread(comments[parent]) if parent
                                     in comments else None)  # fmt: skip

    answered = {}
    for pid, post in posts.items():
        held = [c for c in comments.values() if thread(c) == pid]
        direct = [c for c in held if c["parent_id"] == pid and c["author_hash"] != post["author_hash"]]
        answered[pid] = bool(direct) or post["num_comments"] > len(held)
    return answered


def test_the_raw_files_give_the_hand_counts() -> None:
    answered = _raw_threads()
    assert sorted(p for p, a in answered.items() if not a) == ["t3_a3", "t3_b1", "t3_b3"] and len(answered) == 8


def test_community_figures_match_the_raw_files(store) -> None:
    ingest(store, FOLDER, format="reddit", keep_names=True)
    register_at_first_post(store)  # every poster a newcomer: the burn-in is tested apart
    code_all(store)  # every message individual: each first message that opens a thread is a request
    answered = _raw_threads()
    s = community(store).summary
    assert s["threads"] == len(answered)
    assert s["threads_unanswered_share"] == pytest.approx(sum(not a for a in answered.values()) / len(answered))
    assert (s["threads_outside_reply_collection"], s["threads_by_reply_count"]) == (0, 5)
    assert s["threads_answered_by_reply_count"] == 3
    assert s["thread_answered_within_3h_share"] == pytest.approx(1 / 2)
    assert s["thread_first_reply_median_hours"] == pytest.approx(1.25)
    assert (s["requests"], s["requests_by_reply_count"]) == (4, 2)
    assert s["requests_answered_share"] == pytest.approx(2 / 4)
    assert s["request_answered_within_3h_share"] == pytest.approx(0 / 1)
    assert s["newcomers"] == 6 and s["newcomers_answered_share"] == pytest.approx(3 / 6)
    assert s["newcomer_answered_within_3h_share"] == pytest.approx(1 / 2)
