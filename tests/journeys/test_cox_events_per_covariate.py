"""The Cox model counts its events per covariate (decentered members over fitted columns, each board indicator
one): below 5 it is not fitted, below 10 its hazard ratios are shown as indicative and none is read, in the report
and on the command line alike.

Regression: ADFD's model rested on 19 decentered members for 5 covariates (3.8 each), patient.info's on 21 for 6
(3.5), and the report read "decentre sooner" from them.
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import ProgressionSurvival, journeys, survival
from chrysalide.journeys.survival_model import WEEK_DAYS
from chrysalide.journeys.survival_text import FEW_EVENTS_READING, cox_events_text, cox_rows
from chrysalide.report.html import report

READINGS = {"decentre sooner", "decentre later", "no clear difference"}


def _table(events: int, members: int = 60, boards: tuple[str, ...] = ("thyroid",), years: int = 3) -> pd.DataFrame:
    """``members`` members, the first ``events`` decentered, in ``boards`` in turn; the five covariates vary (the
    year over ``years`` years: 1 makes it constant)."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(members):
        answered = i % 2 == 0
        rows.append({"board": boards[i % len(boards)], "event": i < events, "days": WEEK_DAYS + float(rng.exponential(20)),
                     "answered_first_week": float(answered), "log_first_reply_hours": np.log1p(1 + i % 5 if answered else 168),
                     "replies_first_week": float(answered + i % 3), "thanks_first_week": float(i % 4 == 0),
                     "year": 2020 + i % years})  # fmt: skip
    return pd.DataFrame(rows)


def test_below_five_events_per_covariate_the_model_is_not_fitted():
    model = ProgressionSurvival().fit(_table(24))
    assert model.cox_ is None and (model.cox_events_, model.cox_covariates_) == (24, 5)
    assert model.cox_error_ == ("24 decentered members for 5 covariates (each board indicator counted as one), 4.8 per "
                                "covariate, fewer than 5: too few for hazard ratios (Peduzzi et al. 1995; Vittinghoff "
                                "& McCulloch 2007)")  # fmt: skip
    assert model.km_ is not None and model.n_events_ == 24  # the curve is drawn all the same


def test_five_events_per_covariate_are_fitted():
    model = ProgressionSurvival().fit(_table(25))
    assert model.cox_ is not None, model.cox_error_
    assert model.cox_events_per_covariate_ == 5.0 and len(model.cox_) == 5


def test_every_board_indicator_counts_as_a_covariate():
    """The same 25 events over two boards of 30 members (13 and 12 decentered): 6 columns, 4.2 per covariate."""
    model = ProgressionSurvival().fit(_table(25, boards=("A", "B")))
    assert model.cox_ is None and (model.cox_events_, model.cox_covariates_) == (25, 6)
    assert "25 decentered members for 6 covariates" in model.cox_error_ and "4.2 per covariate" in model.cox_error_


def test_a_covariate_that_does_not_vary_is_not_counted():
    """Every first request in one year: 4 columns are fitted, and 20 events make 5 per covariate."""
    model = ProgressionSurvival().fit(_table(20, years=1))
    assert model.cox_ is not None, model.cox_error_
    assert (model.cox_events_, model.cox_covariates_) == (20, 4) and "year" not in set(model.cox_["covariate"])


def test_events_left_out_with_their_board_are_not_counted():
    """Board C (20 members, 2 decentered) is left out: 30 of the 32 events remain, for 5 covariates and board B's
    indicator."""
    table = pd.concat([_table(30, members=40, boards=("A", "B")), _table(2, members=20, boards=("C",))],
                      ignore_index=True)  # fmt: skip
    model = ProgressionSurvival().fit(table)
    assert model.cox_boards_few_events_ == {"board_C": 2}
    assert (model.cox_events_, model.cox_covariates_) == (30, 6) and model.cox_events_per_covariate_ == 5.0


COX = pd.DataFrame({"covariate": ["year", "answered_first_week"], "coef": [0.9, 0.1], "hazard_ratio": [2.5, 1.1],
                    "ci_lower": [1.5, 0.5], "ci_upper": [4.1, 2.4], "p": [0.001, 0.8]})  # fmt: skip


@pytest.mark.parametrize(
    ("summary", "readings"),
    [
        ({"cox_events": 38, "cox_covariates": 5, "cox_events_per_covariate": 7.6}, [FEW_EVENTS_READING] * 2),
        ({"cox_events": 50, "cox_covariates": 5, "cox_events_per_covariate": 10.0},
         ["no clear difference", "decentre sooner"]),
        ({}, ["no clear difference", "decentre sooner"]),  # a run before the key: read as before
    ],
)  # fmt: skip
def test_no_hazard_ratio_is_read_below_ten_events_per_covariate(summary, readings):
    assert list(cox_rows(COX, summary)["reading"]) == readings
    said = cox_events_text(summary)
    assert bool(said) is (readings[0] == FEW_EVENTS_READING)
    if said:
        assert "38 decentered members for 5 covariates (each board indicator counted as one), 7.6 per covariate, " \
               "fewer than 10" in said  # fmt: skip


def _forum(store, decenters) -> int:
    """60 members ask, one a week from 2020-01-08 to 2021-02-24, each in a thread of its own; the even ones are
    answered 1 to 4 hours later by member 999 (who arrived helping), every fourth twice; each posts again 8 to 37
    days later (after the Cox model's landmark, day 7), a decentered message when ``decenters(m)``. Returns how many decentered."""
    f = Forum(store)
    f.member(999)
    for m in range(1, 61):
        f.member(m)
        f.thread(m)
        start = pd.Timestamp("2020-01-01") + pd.Timedelta(weeks=m)
        f.post(m, m, start, "help me", code="individual")
        if m % 2 == 0:
            f.post(999, m, start + pd.Timedelta(hours=1 + m % 4), "try this", code="collaborative")
        if m % 4 == 0:
            f.post(999, m, start + pd.Timedelta(days=2), "and this", code="collaborative")
        later = start + pd.Timedelta(days=WEEK_DAYS + 1 + m * 7 % 30)
        if decenters(m):
            f.post(m, m, later, "here is what helped", code="collaborative", decentered=True)
        else:
            f.post(m, m, later, "still unwell", code="individual")
    f.save()
    journeys(store, permutations=0)
    return sum(map(decenters, range(1, 61)))


def test_the_report_and_the_command_say_the_model_rests_on_few_events(wide_console, store, tmp_path: Path):
    """20 decentered members (every third) for 4 covariates: the wait, the answer, the replies and the year vary,
    the thanks (none) do not, and there is one board. 5.0 per covariate: fitted, and no hazard ratio is read."""
    assert _forum(store, lambda m: m % 3 == 0) == 20
    out = survival(store).summary
    assert out["cox_fitted"], out["cox_error"]
    assert (out["cox_events"], out["cox_covariates"], out["cox_events_per_covariate"]) == (20, 4, 5.0)
    said = ("20 decentered members for 4 covariates (each board indicator counted as one), 5.0 per covariate, "
            "fewer than 10")  # fmt: skip
    page = report(store, tmp_path / "r.html").read_text(encoding="utf-8")
    (table,) = [t for t in re.findall(r"<table>.*?</table>", page, re.S) if "<caption>Cox model" in t]
    assert said in table and "indicative only" in table
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    readings = [re.findall(r"<td(?: [^>]*)?>(.*?)</td>", r, re.S)[-1] for r in rows]
    assert readings == [FEW_EVENTS_READING] * 4
    assert not READINGS & set(re.findall(r"<td(?: [^>]*)?>(.*?)</td>", table, re.S))
    printed = CliRunner().invoke(app, ["survival", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    assert said in " ".join(printed.output.split())
    cells = [line.split("│")[-2].strip() for line in printed.output.splitlines() if line.startswith("│")]
    assert cells == [FEW_EVENTS_READING] * 4
    # A run stored before the key: its hazard ratios are read as they were.
    summary = {k: v for k, v in out.items() if not k.startswith("cox_events") and k != "cox_covariates"}
    store.con.execute("UPDATE runs SET summary = ? WHERE stage = 'survival'", [json.dumps(summary)])
    table = [t for t in re.findall(r"<table>.*?</table>", report(store, tmp_path / "old.html").read_text(), re.S)
             if "<caption>Cox model" in t][0]  # fmt: skip
    assert said not in table and FEW_EVENTS_READING not in table


def test_below_five_the_report_and_the_command_say_why_there_is_no_model(store, tmp_path: Path, wide_console):
    """15 decentered members (every fourth) for the same 4 covariates: 3.8 per covariate."""
    assert _forum(store, lambda m: m % 4 == 0) == 15
    out = survival(store).summary
    assert not out["cox_fitted"] and out["cox"] == [] and out["cox_events_per_covariate"] == 15 / 4
    why = ("15 decentered members for 4 covariates (each board indicator counted as one), 3.8 per covariate, fewer "
           "than 5: too few for hazard ratios")  # fmt: skip
    page = report(store, tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"Cox model not fitted: {why}" in page and "<caption>Cox model" not in page
    printed = CliRunner().invoke(app, ["survival", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    assert f"Cox model not fitted: {why}" in " ".join(printed.output.split())
