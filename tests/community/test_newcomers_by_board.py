"""Newcomer response by board: the corpus's figures for the newcomers whose first message lies in each board.

Regression: r/BPD's boards were scraped over windows from five days to years; its requests were answered within 3
hours at 52 % in one board (242 requests) and 31 % in the other (596), and the report gave only the whole (37 %).

By hand, a flat forum of two boards, every member registered at their first message (a newcomer):
- 'recovery': 20 members each open a thread asking for help (coded individual) on day d (2021-01-01 + d, 10:00);
  the helper (member 100) answers the first 15 one hour later and the last 5 five hours later: 15 of 20 within
  3 hours (75 %). The helper's own first message is that first reply: a newcomer of 'recovery', no request, never
  answered (nobody posts after it in its thread).
- 'support': 20 members open threads the same way on days 30-49; the helper answers the first 8 after 30 minutes,
  the other 12 never: 8 of 20 within 3 hours (40 %), 8 of 20 answered.
Whole corpus: 40 requests, 23 within 3 hours (57.5 %). The helper writes again in the first thread on day 60: the
collection ends 11 days after the last thread, beyond the follow-up window of the 23 first answers (5 h), so every
thread is judged (docs/community.md, "End of collection"); it answers no one (its own earlier reply is the latest).
"""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.community import community
from chrysalide.community.boards import board_range
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses, section_summary


def _at(day: int, hour: str) -> str:
    return str(pd.Timestamp("2021-01-01") + pd.Timedelta(days=day) + pd.Timedelta(hour))


def _forum(store) -> None:
    f = Forum(store)
    f.member(100)
    for i in range(40):
        member, board = i + 1, "recovery" if i < 20 else "support"
        f.member(member)
        f.thread(member, board=board)
        f.post(member, member, _at(i, "10:00:00"), "how do I cope with this, any advice?", code="individual")
        if i < 15:
            f.post(100, member, _at(i, "11:00:00"), "this helped me", code="collaborative")
        elif i < 20:
            f.post(100, member, _at(i, "15:00:00"), "this helped me", code="collaborative")
        elif i < 28:
            f.post(100, member, _at(i, "10:30:00"), "this helped me", code="collaborative")
    f.post(100, 1, _at(60, "10:00:00"), "still here if you need", code="community")
    f.save()


def test_the_summary_gives_each_boards_figures(store):
    _forum(store)
    s = community(store).summary
    assert s["requests"] == 40 and s["request_answered_within_3h_share"] == pytest.approx(23 / 40)
    boards = s["newcomers_by_board"]
    assert list(boards) == ["recovery", "support"]  # most newcomers first (21, then 20)
    recovery, support = boards["recovery"], boards["support"]
    assert (recovery["newcomers"], recovery["requests"], support["newcomers"], support["requests"]) == (21, 20, 20, 20)
    assert recovery["request_answered_within_3h_share"] == pytest.approx(15 / 20)
    assert recovery["requests_answered_share"] == 1.0 and recovery["request_first_reply_median_hours"] == 1.0
    assert support["request_answered_within_3h_share"] == pytest.approx(8 / 20)
    assert support["requests_answered_share"] == pytest.approx(8 / 20)
    assert support["request_first_reply_median_hours"] == 0.5
    assert recovery["newcomer_answered_within_3h_share"] == pytest.approx(15 / 21)  # the helper is never answered
    assert board_range(s) == (("support", pytest.approx(0.4), 20), ("recovery", pytest.approx(0.75), 20))
    assert board_range(s, min_known=21) == ()


def test_the_report_sets_the_boards_beside_the_whole(store):
    _forum(store)
    community(store)
    ctx = Context(store)
    (table,) = [t for t in section_responses(ctx).tables if t.columns[0] == "board"]
    assert table.rows[0][:2] == ["recovery", 21] and table.rows[0][-1] == "75% (of 20)"
    assert table.rows[1][:2] == ["support", 20] and table.rows[1][-1] == "40% (of 20)"
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "response to newcomers"]
    assert "by the board of the request, from 40% of 20 in 'support' to 75% of 20 in 'recovery'" in str(row[1])


def test_one_board_gives_no_breakdown(store):
    f = Forum(store)
    f.member(1), f.member(2)
    f.thread(1)
    f.post(1, 1, "2021-01-01 10:00", "any advice?", code="individual")
    f.post(2, 1, "2021-01-01 11:00", "yes", code="collaborative")
    f.save()
    s = community(store).summary
    assert s["newcomers_by_board"] == {}
    assert not [t for t in section_responses(Context(store)).tables if t.columns[0] == "board"]


def test_the_command_line_prints_the_boards_as_a_table(store, wide_console):
    """Regression: ``chrysalide community`` printed the boards' figures as one line of raw keys ("BPDsupport
    newcomers 1,170, newcomers_answered_known 618, ...") and the burn-in of 90 days as "3.0 months"."""
    _forum(store)
    store.close()
    printed = CliRunner().invoke(app, ["community", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("newcomers by board")))
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines[start:] if line.startswith("│")][:2]
    # recovery: 21 newcomers (the helper among them, never answered), 20 answered, 15 within 3 h, median of 15 one-hour
    # and 5 five-hour delays; support: 8 of 20 answered in 30 minutes, the other 12 never.
    assert rows == [["recovery", "21", "95% (of 21)", "71% (of 21)", "1.0 h", "20", "75% (of 20)"],
                    ["support", "20", "40% (of 20)", "40% (of 20)", "30 min", "20", "40% (of 20)"]]  # fmt: skip
    assert "newcomers_answered_known" not in printed.output
    (burn_in,) = [line for line in lines if line.startswith("│ burn in days")]
    assert burn_in.split("│")[2].strip() == "90 days"
