"""Messages whose source date contradicts their replies: response figures and the report's reason, derived by hand.

patient.info (imported): thread 1, ann's request dated 2020-03-25 20:57 in the file, answered by bob on
2010-06-17 19:09, whom ann thanks at 21:09; thread 2, cat's request (2018-07-29 12:58) answered by dan, whose reply
is dated 2020-03-25 21:12 above eve's answer to it (2018-08-29 04:54) and his own (2019-01-26). The importer dates
ann's request and dan's reply by their earliest reply (2010-06-17 19:09, 2018-08-29 04:54): the latest they can
have been posted. So:
- ann's first message is her request (before: her thanks at 21:09, and thread 1 opened by bob's reply);
- ann's, cat's and dan's first messages are answered, with unknown delays (their date, or their answer's, is a
  bound); bob's is answered by ann in 2 hours; eve's is not answered;
- newcomers 5, answered 4/5, delays known for bob (2 h, within 3 h) and eve (not answered): within 3 h 1/2;
  requests 2 (ann, cat; every message coded individual), both answered, no known delay; 2 threads, none unanswered, none without its opening.

A table whose dates contradict its replies (csv): in thread t1, m2 replies to m1 but is dated a day before it; in
thread t2, m3 replies to 'zz', which the file lacks. Both threads' first message by date is a reply: 2 threads
without an opening, 1 of them opened by a reply dated before its parent.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
from forum_builder import code_all, register_at_first_post

from chrysalide.community import community, newcomer_responses
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses

# The shapes of the real patient.info file (tests/ingest/test_patientinfo.py): a request dated by a later activity.
THREADS = Path(__file__).resolve().parents[1] / "data" / "patientinfo" / "late.json"


def test_a_request_dated_by_its_answer_is_a_request_whose_delay_is_unknown(store, tmp_path: Path) -> None:
    path = tmp_path / "threads.json"
    shutil.copyfile(THREADS, path)
    ingest(store, path, keep_names=True)
    register_at_first_post(store)  # every poster a newcomer: the burn-in is tested apart
    code_all(store)  # every first message that opens a thread is a request
    rows = newcomer_responses(store)
    names = dict(store.con.execute("SELECT member_id, pseudonym FROM members").fetchall())
    got = {
        names[r.member_id]: (r.starts_thread, r.answered, r.first_reply_hours, r.within_3h) for r in rows.itertuples()
    }
    assert {n: v[:2] for n, v in got.items()} == {
        "ann": (True, True), "bob": (False, True), "cat": (True, True), "dan": (False, True), "eve": (False, False)
    }  # fmt: skip
    for name in ("ann", "cat", "dan"):
        assert math.isnan(got[name][2]) and pd.isna(got[name][3]), name
    assert got["bob"][2:] == (2.0, True) and got["eve"][3] == False  # noqa: E712 - a pandas boolean
    s = community(store).summary
    assert (s["newcomers"], s["newcomers_answered_share"], s["newcomer_answered_within_3h_share"]) == (5, 0.8, 0.5)
    assert s["newcomer_first_reply_median_hours"] == 2.0
    assert (s["requests"], s["requests_answered_share"], s["request_first_reply_median_hours"]) == (2, 1.0, None)
    assert s["request_answered_within_3h_share"] is None
    assert (s["threads"], s["threads_unanswered_share"], s["threads_without_opening"]) == (2, 0.0, 0)


def test_threads_opened_by_a_reply_say_why(store, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(
        "message_id,thread_id,reply_to,author,posted_at,text\n"
        "m1,t1,,ann,2021-01-02 10:00,Any advice?\n"
        "m2,t1,m1,bob,2021-01-01 10:00,Try this.\n"
        "m3,t2,zz,cat,2021-01-03 10:00,As I said.\n"
    )
    ingest(store, path)
    register_at_first_post(store)  # every poster a newcomer: the burn-in is tested apart
    s = community(store).summary
    assert (s["threads_without_opening"], s["threads_opened_by_early_replies"]) == (2, 1)
    (paragraph,) = [p for p in section_responses(Context(store)).paragraphs if "no thread figure" in p]
    assert paragraph.startswith("2 threads have no thread figure: their first message by date is a reply")
    assert "1 to a message the source lacks" in paragraph and "1 to a message dated after it or undated" in paragraph
