"""The end of collection: messages posted too near it are not judged answered or not, derived by hand.

A reply tree (csv with reply_to). ann opens 20 threads, on 1 to 20 January 2021 at 00:00, and bob answers thread i
i hours later (1 to 20 h); ann answers bob's first reply an hour after it (a reply to a reply: the source is a tree).
ned opens a thread at 07:00 on 1 February, answered by ott at 12:00 (5 h), the last message: the end of the
collection. The 21 first answers to thread starts, 1, 2, 3, 4, 5, 5, 6, ..., 20 h: their 95th percentile by linear
interpolation lies at position 0.95 * 20 = 19, the value 19 h: the follow-up window, from 31 January 17:00. Kim
(25 January, 180 h before the end, no answer) is unanswered. Posted in the window, none is judged answered or not,
answered or not: ned (07:00, answered 5 h later: known not answered within 3 h), lea (02:00, no answer, 10 h before
the end: known not answered within 3 h), max (10:00, 2 h before it: within 3 h unknown too) and ott's reply (at the
end: likewise).
Everyone is a newcomer (registered at their first post), every message coded individual (thread openers are
requests).

Newcomers 7: ann (1 h), bob (1 h) answered, kim not, ned, lea, max, ott not judged: 2 of 3; within 3 h ann and bob
of ann, bob, kim, lea, ned: 2 of 5. Requests 5 (ann, kim, lea, max, ned): 1 of the 2 judged answered, 3 near the
end. Threads 24: kim's unanswered, 1 of the 21 judged (lea's, max's and ned's near the end); within 3 h ann's first
three of 23 known (max's not). By month: January holds ann's 20 threads and kim's (3 of 21 within 3 h), February
lea's, max's and ned's (0 of 2); January's newcomers ann, bob and kim are judged, none of February's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from forum_builder import code_all, register_at_first_post

from chrysalide.community import community, newcomer_responses
from chrysalide.community.responses import near_end_note
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses

ROWS = [  # message_id, thread_id, reply_to, author, posted_at
    *(row for i in range(1, 21) for row in (
        (f"a{i}", f"t{i}", "", "ann", f"2021-01-{i:02d} 00:00"), (f"b{i}", f"t{i}", f"a{i}", "bob", f"2021-01-{i:02d} {i:02d}:00"))),
    ("a1b", "t1", "b1", "ann", "2021-01-01 02:00"),
    ("k6", "k6", "", "kim", "2021-01-25 00:00"),
    ("l7", "l7", "", "lea", "2021-02-01 02:00"),
    ("m8", "m8", "", "max", "2021-02-01 10:00"),
    ("n9", "n9", "", "ned", "2021-02-01 07:00"), ("o9", "n9", "n9", "ott", "2021-02-01 12:00"),
]  # fmt: skip


@pytest.fixture
def forum(store, tmp_path: Path):
    path = tmp_path / "forum.csv"
    lines = ["message_id,thread_id,reply_to,author,posted_at,text"]
    lines += [f"{m},{t},{r},{a},{at},Words of {a} on {m}." for m, t, r, a, at in ROWS]
    path.write_text("\n".join(lines) + "\n")
    ingest(store, path, keep_names=True)
    register_at_first_post(store)  # every poster a newcomer: the burn-in is tested apart
    code_all(store)  # every thread opener is a request
    return store


def test_unanswered_near_the_end_are_not_judged(forum) -> None:
    names = dict(forum.con.execute("SELECT member_id, pseudonym FROM members").fetchall())
    run = community(forum, period="month")
    rows = {names[r.member_id]: r for r in newcomer_responses(forum).itertuples()}
    answered = {n: (None if pd.isna(r.answered) else bool(r.answered)) for n, r in rows.items()}
    assert answered == {"ann": True, "bob": True, "kim": False, "lea": None, "max": None, "ned": None, "ott": None}
    within = {n: (None if pd.isna(r.within_3h) else bool(r.within_3h)) for n, r in rows.items()}
    assert sorted(n for n, w in within.items() if w is None) == ["max", "ott"]
    assert sorted(n for n, w in within.items() if w) == ["ann", "bob"]
    assert sorted(n for n, r in rows.items() if r.near_end) == ["lea", "max", "ned", "ott"]
    s = run.summary
    (source,) = s["follow_up"].values()
    assert source["follow_up_hours"] == pytest.approx(19.0) and source["follow_up_answers"] == 21
    assert source["collection_end"] == "2021-02-01T12:00:00"
    assert (s["newcomers_near_end"], s["requests_near_end"], s["threads_near_end"]) == (4, 3, 3)
    assert (s["newcomers_answered_known"], s["newcomers_answered_share"]) == (3, pytest.approx(2 / 3))
    assert (s["newcomers_within_3h_known"], s["newcomer_answered_within_3h_share"]) == (5, pytest.approx(2 / 5))
    assert (s["requests"], s["requests_answered_known"], s["requests_answered_share"]) == (5, 2, pytest.approx(1 / 2))
    assert (s["threads"], s["threads_answered_known"], s["threads_unanswered_share"]) == (24, 21, pytest.approx(1 / 21))
    assert (s["threads_within_3h_known"], s["thread_answered_within_3h_share"]) == (23, pytest.approx(3 / 23))
    assert s["newcomers_outside_reply_collection"] == 0  # near the end is not outside the collection
    # Per month: the threads answered within 3 hours and how many could be seen so (migration 0038).
    periods = run.table(forum, "community_metrics").set_index("period")
    got = {str(p)[:7]: (int(r.threads_started), int(r.threads_answered_within_3h), int(r.threads_within_3h_known))
           for p, r in periods.iterrows()}  # fmt: skip
    assert got == {"2021-01": (21, 3, 21), "2021-02": (3, 0, 2)}
    assert [int(periods.loc[p, "newcomers_answered_known"]) for p in periods.index] == [3, 0]


def test_the_figures_say_how_many_are_not_judged(forum) -> None:
    s = community(forum).summary
    note = near_end_note(s)
    assert note is not None and note == s["near_end_note"]
    assert note.startswith("4 newcomers (3 of them requests) and 3 threads posted in the last 19.0 h of source ")
    assert "(ending 2021-02-01, 21 first answers) are not judged answered or not" in note
    section = section_responses(Context(forum))
    assert any(p.startswith(note[:40]) for p in section.paragraphs)
    # Threads never answered: kim's, 1 of the 21 judged (lea's, max's and ned's left out), 4.8%.
    facts = dict(section.facts)
    assert facts["threads never answered"] == (
        "4.8% of the 21 whose replies were collected and that could be seen answered or not before the end of collection"
    )
    json.dumps(s)  # the summary holds only what --json prints


def test_a_window_needs_20_first_answers(store, tmp_path: Path) -> None:
    """One answered thread start (1 h) gives no window (FOLLOW_UP_MIN): cat's thread, at the end and unanswered, is
    judged unanswered as before, and nothing is said."""
    path = tmp_path / "forum.csv"
    path.write_text(
        "message_id,thread_id,reply_to,author,posted_at,text\n"
        "a1,t1,,ann,2021-01-01 00:00,Any advice?\n"
        "b1,t1,a1,bob,2021-01-01 01:00,Try this.\n"
        "a2,t1,b1,ann,2021-01-01 02:00,Thanks.\n"
        "c2,t2,,cat,2021-01-01 03:00,Anyone?\n"
    )
    ingest(store, path, keep_names=True)
    register_at_first_post(store)
    s = community(store).summary
    assert s["follow_up"] == {"forum": {"collection_end": "2021-01-01T03:00:00", "follow_up_hours": None,
                                        "follow_up_answers": 1}}  # fmt: skip
    assert (s["newcomers_near_end"], s["threads_near_end"]) == (0, 0)
    assert s["near_end_note"] is None and near_end_note(s) is None
    assert (s["newcomers_answered_known"], s["newcomers_answered_share"]) == (3, pytest.approx(2 / 3))
