"""The end of collection: messages without an answer posted too near it are not judged, derived by hand.

A reply tree (csv with reply_to; fay's reply is answered by eve, so some parent is itself a reply). The collection
ends with ott's reply, 2021-02-01 12:00. The thread starts answered, with their delays: ann 1 h (bob), cat 2 h
(dan), eve 4 h (fay), gus 10 h (hal), ivy 100 h (jon), ned 10 h (ott). Their 95th percentile by linear
interpolation, over 1, 2, 4, 10, 10, 100: position 0.95 * 5 = 4.75, so 10 + 0.75 * 90 = 77.5 h, the follow-up window.
Without an answer: kim (2021-01-20, 300 h before the end: unanswered), lea (50 h before it: not judged, but not
answered within 3 h), max (2 h before it: neither judged nor within 3 h known), ott's reply (at the end: likewise),
and the replies of bob, dan, hal and jon (weeks before the end: unanswered). Everyone is a newcomer (registered at
their first post) and every message is coded individual, so the thread openers are requests.

Newcomers 15: answered ann, cat, eve, fay, gus, ivy, ned (7) of the 12 judged (lea, max, ott near the end); within
3 h ann, cat, fay (3) of the 13 known (max and ott not). Requests 9 (ann, cat, eve, gus, ivy, kim, lea, max, ned):
answered 6 of 7 judged, 2 near the end. Threads 9: kim's unanswered, 1 of the 7 judged, lea's and max's near the
end; within 3 h ann's and cat's of 8 known (max's not): January holds t1-t7 (2 of 7), February t8 and t9 (0 of 1).
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
    ("a1", "t1", "", "ann", "2021-01-01 00:00"), ("b1", "t1", "a1", "bob", "2021-01-01 01:00"),
    ("c2", "t2", "", "cat", "2021-01-02 00:00"), ("d2", "t2", "c2", "dan", "2021-01-02 02:00"),
    ("e3", "t3", "", "eve", "2021-01-03 00:00"), ("f3", "t3", "e3", "fay", "2021-01-03 04:00"),
    ("e3b", "t3", "f3", "eve", "2021-01-03 05:00"),
    ("g4", "t4", "", "gus", "2021-01-04 00:00"), ("h4", "t4", "g4", "hal", "2021-01-04 10:00"),
    ("i5", "t5", "", "ivy", "2021-01-05 00:00"), ("j5", "t5", "i5", "jon", "2021-01-09 04:00"),
    ("k6", "t6", "", "kim", "2021-01-20 00:00"),
    ("l7", "t7", "", "lea", "2021-01-30 10:00"),
    ("m8", "t8", "", "max", "2021-02-01 10:00"),
    ("n9", "t9", "", "ned", "2021-02-01 02:00"), ("o9", "t9", "n9", "ott", "2021-02-01 12:00"),
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
    assert answered == {
        "ann": True, "bob": False, "cat": True, "dan": False, "eve": True, "fay": True, "gus": True, "hal": False,
        "ivy": True, "jon": False, "kim": False, "lea": None, "max": None, "ned": True, "ott": None,
    }  # fmt: skip
    within = {n: (None if pd.isna(r.within_3h) else bool(r.within_3h)) for n, r in rows.items()}
    assert sorted(n for n, w in within.items() if w is None) == ["max", "ott"]
    assert sorted(n for n, w in within.items() if w) == ["ann", "cat", "fay"]
    assert sorted(n for n, r in rows.items() if r.near_end) == ["lea", "max", "ott"]
    s = run.summary
    (source,) = s["sources"].values()
    assert source["follow_up_hours"] == pytest.approx(77.5) and source["follow_up_answers"] == 6
    assert source["collection_end"] == "2021-02-01T12:00:00"
    assert (s["newcomers_near_end"], s["requests_near_end"], s["threads_near_end"]) == (3, 2, 2)
    assert (s["newcomers_answered_known"], s["newcomers_answered_share"]) == (12, pytest.approx(7 / 12))
    assert (s["newcomers_within_3h_known"], s["newcomer_answered_within_3h_share"]) == (13, pytest.approx(3 / 13))
    assert (s["requests"], s["requests_answered_known"], s["requests_answered_share"]) == (9, 7, pytest.approx(6 / 7))
    assert (s["threads"], s["threads_answered_known"], s["threads_unanswered_share"]) == (9, 7, pytest.approx(1 / 7))
    assert (s["threads_within_3h_known"], s["thread_answered_within_3h_share"]) == (8, pytest.approx(2 / 8))
    assert s["newcomers_outside_reply_collection"] == 0  # near the end is not outside the collection
    # Per month: the threads answered within 3 hours and how many could be seen so (migration 0038).
    periods = run.table(forum, "community_metrics").set_index("period")
    got = {str(p)[:7]: (int(r.threads_started), int(r.threads_answered_within_3h), int(r.threads_within_3h_known))
           for p, r in periods.iterrows()}  # fmt: skip
    assert got == {"2021-01": (7, 2, 7), "2021-02": (2, 0, 1)}
    assert [int(periods.loc[p, "newcomers_answered_known"]) for p in periods.index] == [11, 1]


def test_the_figures_say_how_many_are_not_judged(forum) -> None:
    s = community(forum).summary
    note = near_end_note(s)
    assert note is not None and note == s["near_end_note"]
    # 77.5 h, said in days as every delay of 48 h or more (chrysalide.units.duration)
    assert note.startswith("3 newcomers (2 of them requests) and 2 threads posted in the last 3 days of source ")
    assert "(ending 2021-02-01, 6 first answers) without an answer are not judged answered or not" in note
    section = section_responses(Context(forum))
    assert any(p.startswith(note[:40]) for p in section.paragraphs)
    # Threads never answered: kim's, 1 of the 7 judged (lea's and max's left out), 14%.
    facts = dict(section.facts)
    assert facts["threads never answered"] == (
        "14% of the 7 whose replies were collected and that could be seen answered or not before the end of collection"
    )
    json.dumps(s)  # the summary holds only what --json prints


def test_a_corpus_with_every_answer_in_time_says_nothing(store, tmp_path: Path) -> None:
    path = tmp_path / "forum.csv"
    path.write_text(
        "message_id,thread_id,reply_to,author,posted_at,text\n"
        "a1,t1,,ann,2021-01-01 00:00,Any advice?\n"
        "b1,t1,a1,bob,2021-01-01 01:00,Try this.\n"
        "a2,t1,b1,ann,2021-01-01 02:00,Thanks.\n"
    )
    ingest(store, path, keep_names=True)
    register_at_first_post(store)
    s = community(store).summary
    # The window is 1 h (one answered thread start): ann's thanks, at the end, has no answer but is not a first
    # message; bob's reply, 1 h before the end, is answered by ann.
    assert (s["newcomers_near_end"], s["threads_near_end"]) == (0, 0)
    assert s["near_end_note"] is None and near_end_note(s) is None
    assert s["newcomers_answered_share"] == 1.0
