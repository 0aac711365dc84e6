"""A first-reply delay between dates without a time of day is not given in hours in JSON, derived by hand.

A flat table dated by day: ann's thread answered by bob the same day, cat's by dan the same day, eve's by fay three
days later. The newcomers answered are ann, cat and eve, their delays 0, 0 and 72 h: median 0 (the same day, not
"0.0 hours"), 90th percentile by linear interpolation 0 + 0.8 * 72 = 57.6 h, 2.4 days. In JSON the delays in hours
are null, with why, and the same delays are given in days.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from forum_builder import register_at_first_post

from chrysalide.community import community
from chrysalide.ingest import ingest
from chrysalide.report.periods import delays_by_day, hours_unknown
from chrysalide.store import Store

ROWS = "a1,t1,ann,2021-01-01 b1,t1,bob,2021-01-01 c2,t2,cat,2021-01-02 d2,t2,dan,2021-01-02 e3,t3,eve,2021-01-03 f3,t3,fay,2021-01-06"


def _forum(path: Path) -> Path:
    path.write_text("message_id,thread_id,author,posted_at,text\n" + "".join(f"{r},Words.\n" for r in ROWS.split()))
    return path


def test_day_dated_delays_are_given_in_days(store, tmp_path: Path) -> None:
    ingest(store, _forum(tmp_path / "days.csv"), keep_names=True)
    register_at_first_post(store)
    s = community(store).summary
    assert s["sources"]["days"]["day_only"] and s["newcomer_first_reply_median_hours"] == 0.0  # stored as measured
    out = delays_by_day(s, s)
    assert out["newcomer_first_reply_median_hours"] is None and out["newcomer_first_reply_median_days"] == 0.0
    assert out["newcomer_first_reply_p90_hours"] is None
    assert out["newcomer_first_reply_p90_days"] == pytest.approx(2.4)
    assert out["thread_first_reply_median_hours"] is None and out["thread_first_reply_median_days"] == 0.0
    assert out["request_first_reply_median_hours"] is None and out["request_first_reply_median_days"] is None
    assert out["newcomers_answered_share"] == s["newcomers_answered_share"]  # only delays change
    assert hours_unknown(s) == (
        "source 'days' dates messages by day only: a first-reply delay is a whole number of days (0: the same day), "
        "which cannot be told in hours, so the *_hours delays are null and the *_days keys give them"
    )


def test_minute_dated_delays_stay_in_hours(store, tmp_path: Path) -> None:
    path = tmp_path / "minutes.csv"
    path.write_text("message_id,thread_id,author,posted_at,text\na1,t1,ann,2021-01-01 10:00,Hi.\n"
                    "b1,t1,bob,2021-01-01 12:30,Hello.\nc1,t1,cat,2021-01-02 12:30,Late.\n")  # fmt: skip
    ingest(store, path, keep_names=True)
    register_at_first_post(store)
    s = community(store).summary
    assert delays_by_day(s, s) == s and hours_unknown(s) is None
    # ann answered by bob in 2.5 h, bob (flat: the next message by someone else) by cat in 24 h: median 13.25 h
    assert s["newcomer_first_reply_median_hours"] == pytest.approx(13.25)


def test_community_json_says_why(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    with Store(db) as store:
        ingest(store, _forum(tmp_path / "days.csv"), keep_names=True)
        register_at_first_post(store)
    out = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "community", "--db", str(db), "--json"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    payload = json.loads(out.stdout)
    summary = payload["summary"]
    assert summary["newcomer_first_reply_median_hours"] is None and summary["newcomer_first_reply_median_days"] == 0
    assert summary["delays_in_hours_unknown"].startswith("source 'days' dates messages by day only")
    (period,) = payload["periods"]  # January 2021
    assert period["newcomer_first_reply_median_hours"] is None and period["newcomer_first_reply_median_days"] == 0
    assert period["thread_first_reply_p90_days"] == pytest.approx(2.4)
