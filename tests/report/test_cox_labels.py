"""The report's Cox table names its covariates in a reader's words, says which way each hazard ratio reads, and
escapes the board names it shows; the report and the command line name each column for what it holds."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum  # noqa: E402
from report_forum import HOSTILE_BOARD  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from chrysalide.cli.main import app  # noqa: E402
from chrysalide.journeys import journeys, survival  # noqa: E402
from chrysalide.journeys.survival_model import WEEK_DAYS  # noqa: E402
from chrysalide.report.html import report  # noqa: E402
from chrysalide.store import Store  # noqa: E402

RAW_NAMES = [
    "log_first_reply_hours",
    "answered_first_week",
    "replies_first_week",
    "thanks_first_week",
    "year",
    "board_",
]


def _forum(store: Store) -> None:
    """180 members ask, one a week from 2020-01-08 to 2023-06-14 (the even ones answered an hour later by the next member), in
    board 'thyroid' or, every third, in a board named like markup; each posts again a week and a random delay later (after the Cox model's landmark),
    helping (decentred) 4 times in 5."""
    f = Forum(store)
    rng = np.random.default_rng(0)
    for m in range(1, 181):
        f.member(m)
        f.thread(m, board=HOSTILE_BOARD if m % 3 == 0 else "thyroid")
        start = pd.Timestamp("2020-01-01") + pd.Timedelta(weeks=m)
        f.post(m, m, start, "help me", code="individual")
        if m % 2 == 0:
            f.post(m % 180 + 1, m, start + pd.Timedelta(hours=1), "thanks for asking, try this", code="collaborative")
        f.post(m, m, start + pd.Timedelta(days=WEEK_DAYS + float(rng.exponential(5 if m % 2 == 0 else 40))),
               "here is what I learned", code="collaborative", decentered=bool(rng.random() < 0.8))  # fmt: skip
    f.save()
    journeys(store, permutations=0)
    summary = survival(store).summary
    assert summary["cox_fitted"], summary["cox_error"]
    assert summary["cox_events_per_covariate"] >= 10  # so that every hazard ratio is read


def _cox_table(page: str) -> str:
    (table,) = [t for t in re.findall(r"<table>.*?</table>", page, re.S) if "<caption>Cox model" in t]
    return table


def test_cox_table_speaks_the_readers_words(store: Store, tmp_path: Path) -> None:
    _forum(store)
    table = _cox_table(report(store, tmp_path / "r.html").read_text(encoding="utf-8"))
    cells = [html.unescape(c) for c in re.findall(r"<t[dh](?: [^>]*)?>(.*?)</t[dh]>", table, re.S)]
    assert cells[:5] == ["covariate", "hazard ratio", "95% CI", "p", "reading"]
    labels = cells[5::5]
    # The model's order; the board indicator is the hostile board's, against the board with the most members.
    assert labels == [
        "wait for the first reply (1 + hours, capped at a week): per doubling",
        "answered within the first week: yes against no",
        "replies received in the first week: per reply",
        "thanks received in the first week (replies saying thanks or coded community): per reply",
        "year of the first request: per year later",
        f"first request in {HOSTILE_BOARD}: against thyroid",
    ]
    assert {c for c in cells[9::5]} <= {"decentre sooner", "decentre later", "no clear difference"}
    assert "A hazard ratio above 1 means members decentre sooner" in table
    assert not [raw for raw in RAW_NAMES if (raw in table if "_" in raw else raw in cells)]  # 'year' is a word
    assert HOSTILE_BOARD not in table and "first request in &lt;img src=x onerror=alert(" in table


READINGS = {"decentre sooner", "decentre later", "no clear difference"}


def test_the_reading_column_is_named_reading(store: Store, tmp_path: Path, wide_console: None) -> None:
    """Regression: the column of readings was headed "members" in the report and the command line."""
    _forum(store)
    table = _cox_table(report(store, tmp_path / "r.html").read_text(encoding="utf-8"))
    header = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table, re.S)
    last = [html.unescape(row[-1]) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:] for row in
            [re.findall(r"<td(?: [^>]*)?>(.*?)</td>", row, re.S)]]  # fmt: skip
    assert header[-1] == "reading" and len(last) == 6 and set(last) <= READINGS
    printed = CliRunner().invoke(app, ["survival", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    (head,) = [line for line in lines if line.startswith("┃")]
    rows = [line.split("│")[1:-1] for line in lines if line.startswith("│")]
    assert [c.strip() for c in head.split("┃")[1:-1]] == ["covariate", "hazard ratio", "95% CI", "p", "reading"]
    assert len(rows) == 6 and {r[-1].strip() for r in rows} <= READINGS


def test_stored_cox_keeps_the_covariate_names(store: Store) -> None:
    """The table and the run's JSON keep the model's names as keys; only what a reader sees is labelled."""
    _forum(store)
    names = {r[0] for r in store.con.execute("SELECT covariate FROM survival_cox").fetchall()}
    assert names == {*RAW_NAMES[:-1], f"board_{HOSTILE_BOARD}"}
    summary = survival(store).summary
    assert {r["covariate"] for r in summary["cox"]} == names and summary["cox_board_reference"] == "board_thyroid"
