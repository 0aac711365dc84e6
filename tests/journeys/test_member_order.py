"""Regression: stage runs, transitions and the I-to-we rank broke ties between messages of one date by our ids, while
the view ``decentering`` (and the docs) read a member's messages by date, then file order, then ids. On a forum dated
by day (ADFD), 18 of 108 members' stage runs differed from that order."""

from itertools import groupby

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import journey, journeys

#: One member's five messages of one day, in file order: (code, decentered, first singular, first plural). They are
#: stored in the reverse order of their ids, as an export whose ids do not follow its file.
IN_FILE_ORDER = [
    ("individual", False, 4, 0),
    ("individual", False, 3, 1),
    ("community", False, 2, 2),
    ("collaborative", True, 1, 3),
    ("collaborative", False, 0, 4),
]


def _forum(store) -> None:
    f = Forum(store)
    f.member(1)
    f.thread(1)
    for record_no, (code, decentered, fs, fp) in reversed(list(enumerate(IN_FILE_ORDER, 1))):
        f.post(1, 1, "2021-06-01", "words of mine", code=code, decentered=decentered, fs=fs, fp=fp,
               record_no=record_no)  # fmt: skip
    f.save()


def _expected_runs() -> list[tuple[str, int]]:
    codes = [code for code, *_ in IN_FILE_ORDER]
    return [(code, len(list(run))) for code, run in groupby(codes)]


def _expected_slope() -> float:
    """Least-squares slope of the we-ratio on the message's rank, ranks in file order."""
    ys = [fp / (fs + fp) for _, _, fs, fp in IN_FILE_ORDER]
    xs = list(range(len(ys)))
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def test_messages_of_one_day_keep_their_file_order_in_runs_transitions_and_trend(store):
    _forum(store)
    run = journeys(store, permutations=0).run_id
    runs = store.con.execute(
        "SELECT stage, n_messages FROM journey_stages WHERE run_id = ? ORDER BY seq", [run]
    ).fetchall()
    assert runs == _expected_runs()  # by ids: collaborative x2, community, individual x2
    codes = [code for code, *_ in IN_FILE_ORDER]
    pairs = pd.Series(list(zip(codes, codes[1:], strict=False))).value_counts().to_dict()
    stored = store.con.execute("SELECT from_stage, to_stage, n FROM journey_transitions WHERE run_id = ?", [run])
    assert {(a, b): n for a, b, n in stored.fetchall()} == pairs
    slope = store.con.execute("SELECT we_slope FROM member_metrics WHERE run_id = ?", [run]).fetchone()
    assert slope is not None and slope[0] == pytest.approx(_expected_slope())  # by ids: its opposite
    # The decentering milestone reads the same order: the member asked first, so did not arrive helping.
    helping = store.con.execute("SELECT arrived_helping FROM journeys WHERE run_id = ?", [run]).fetchone()
    assert helping == (False,)


def test_one_members_journey_reads_the_same_order(store):
    _forum(store)
    stages = journey(store, 1, permutations=0)["stages"]
    assert list(zip(stages["stage"], stages["n_messages"], strict=True)) == _expected_runs()
