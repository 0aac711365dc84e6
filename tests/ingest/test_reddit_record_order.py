"""A submission comes before its comments in its thread, also when a comment is posted in the same second.

AutoModerator comments on a submission in the second it is posted. Messages of one date are ordered by their record
number, and a folder's files were numbered in sorted path order, which puts ``comments/`` before ``posts/`` (a
Reddit CSV export) and ``RC_`` before ``RS_`` (Pushshift dumps): the bot's comment became its thread's first
message, so the submission did not open its thread (no request, its answers unrecorded) and the bot was the
thread's starter (the coder's ``own_thread``). On r/BPD 194 of the 8,991 threads were so ordered.
"""

from __future__ import annotations

import json
from pathlib import Path

from chrysalide.ingest.loader import ingest
from chrysalide.store import Store

POSTED = 1716145973


def _bpd_folder(root: Path) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "comments").mkdir()
    (root / "posts" / "BPD.csv").write_text(
        "Title,Post Date,Post Text,Author,Author Flair,Original Content,ID,Score,Total Comments,Post URL\n"
        f"Should I go,{POSTED},I feel awful today.,ann,,False,p1,3,2,https://www.reddit.com/r/BPD/comments/p1/x/\n",
        encoding="utf-8",
    )
    (root / "comments" / "BPD_comments.csv").write_text(
        "ID,Comment,Author,OP,Post Date\n"
        f"p1,This post has been marked as a Venting Post.,AutoModerator,False,{POSTED}\n"
        f"p1,Hang in there.,bea,False,{POSTED + 60}\n",
        encoding="utf-8",
    )


def _dumps_folder(root: Path) -> None:
    root.mkdir()
    sub = {"id": "p1", "title": "Should I go", "selftext": "I feel awful today.", "author": "ann",
           "created_utc": POSTED, "subreddit": "BPD", "num_comments": 2}  # fmt: skip
    comments = [
        {"id": "c1", "body": "This post has been marked as a Venting Post.", "author": "AutoModerator",
         "created_utc": POSTED, "link_id": "t3_p1", "parent_id": "t3_p1", "subreddit": "BPD"},
        {"id": "c2", "body": "Hang in there.", "author": "bea", "created_utc": POSTED + 60, "link_id": "t3_p1",
         "parent_id": "t3_p1", "subreddit": "BPD"},
    ]  # fmt: skip
    (root / "RS_2024-05.ndjson").write_text(json.dumps(sub) + "\n", encoding="utf-8")
    (root / "RC_2024-05.ndjson").write_text("".join(json.dumps(c) + "\n" for c in comments), encoding="utf-8")


def _first_of_thread(store: Store) -> tuple[str, bool, bool, int]:
    """The thread's first message by the store's order (view thread_order), whether it opens the thread, whether
    the thread's starter is the submission's author, and the submission's stored position."""
    native, opens = store.con.execute(
        "SELECT m.native_id, o.opens_thread FROM thread_order o JOIN messages m USING (message_id) WHERE o.pos = 0"
    ).fetchone()  # type: ignore[misc]
    starter_is_author, position = store.con.execute(
        "SELECT t.starter_id = m.member_id, m.position_in_thread FROM messages m JOIN threads t USING (thread_id)"
        " WHERE m.reply_to_id IS NULL"
    ).fetchone()  # type: ignore[misc]
    return native, opens, starter_is_author, position


def test_csv_export_submission_opens_its_thread(store: Store, tmp_path: Path) -> None:
    _bpd_folder(tmp_path / "bpd")
    ingest(store, tmp_path / "bpd", format="reddit")
    assert _first_of_thread(store) == ("t3_p1", True, True, 0)


def test_dump_submission_opens_its_thread(store: Store, tmp_path: Path) -> None:
    _dumps_folder(tmp_path / "dumps")
    ingest(store, tmp_path / "dumps", format="reddit")
    assert _first_of_thread(store) == ("t3_p1", True, True, 0)
