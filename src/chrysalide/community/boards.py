"""Newcomer response by board: the corpus-wide figures of :func:`~chrysalide.community.responses.response_summary`
for the newcomers whose first message lies in each board.

A corpus of several boards is often several collections: r/BPD's export holds eight subreddits scraped over windows
from five days to years, and only two of them show newcomers, whose requests were answered within 3 hours at 52 %
(r/BPDrecovery, 242 requests) and 31 % (r/BPDsupport, 596). The corpus-wide share (37 %) then says how many
newcomers each collection happened to hold as much as how fast either board answers. The study (Fayn et al. 2021)
read one forum; a researcher comparing boards, or a corpus to the study's, needs each board's figures beside the
whole.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.community.responses import newcomer_figures
from chrysalide.store import Store

#: Fewest requests whose answer within 3 hours is known for a board's share to be named beside another's (below,
#: one request moves the share by more than 5 points).
BOARD_MIN_KNOWN = 20

# The board of each newcomer's first message (its thread's), and its source: a board name is the source's own
# (two exports may each have a board 'general').
_BOARDS = """
SELECT n.message_id, m.source_id, t.board
FROM newcomers n JOIN messages m USING (message_id) LEFT JOIN threads t ON t.thread_id = m.thread_id
"""


def newcomer_boards(store: Store, newcomers: pd.DataFrame) -> pd.Series:
    """The board of each newcomer's first message (``newcomers``: rows of
    :func:`~chrysalide.community.responses.newcomer_responses`), aligned on its index: the board's name, followed
    by its source's in parentheses when the corpus has several sources; None for a thread without a board."""
    rows = store.con.execute(_BOARDS).df()
    several = rows["source_id"].nunique() > 1
    label = rows["board"].where(~several | rows["board"].isna(), rows["board"] + " (" + rows["source_id"] + ")")
    boards = dict(zip(rows["message_id"], label, strict=True))
    return newcomers["message_id"].map(boards)


def by_board(newcomers: pd.DataFrame, boards: pd.Series) -> dict[str, dict[str, Any]]:
    """Per board (``boards``: :func:`newcomer_boards`), the newcomers' and requests' figures of
    :func:`~chrysalide.community.responses.newcomer_figures` (counts, answered shares, delays, within-3-hours
    shares and how many each rests on); ``{}`` when the newcomers' first messages lie in fewer than two boards
    (newcomers whose thread has no board are left out). Boards by decreasing number of newcomers, then by name."""
    named = boards.notna()
    if boards[named].nunique() < 2:
        return {}
    out: dict[str, dict[str, Any]] = {}
    counts = boards[named].value_counts()
    for board in sorted(counts.index, key=lambda b: (-counts[b], str(b))):
        out[str(board)] = newcomer_figures(newcomers[boards == board])
    return out


def board_range(summary: dict[str, Any], min_known: int = BOARD_MIN_KNOWN) -> tuple[tuple[str, float, int], ...]:
    """The boards of a community run (``summary``'s ``newcomers_by_board``) whose requests' within-3-hours share
    rests on at least ``min_known`` requests, as (board, share, requests it rests on), lowest share first; empty
    when fewer than two boards qualify."""
    known = [
        (board, float(f["request_answered_within_3h_share"]), int(f["requests_within_3h_known"]))
        for board, f in (summary.get("newcomers_by_board") or {}).items()
        if f.get("request_answered_within_3h_share") is not None
        and int(f.get("requests_within_3h_known") or 0) >= min_known
    ]
    if len(known) < 2:
        return ()
    return tuple(sorted(known, key=lambda k: (k[1], k[0])))
