"""A board where fewer than 10 of the Cox model's members decentered gets no hazard ratio: its members are left out
of the Cox model (not of the curve), counted, and the report and the command line say so.

Regression: on r/BPD the grouped small boards held no decentered member among the model's members, and the table
showed their hazard ratio, 0.07 (95% CI 0.00-27.37), a number the penalty made, as a finding; once the landmark had
left 6 members in them, 3 decentered gave 29.3 (7.3-116.9), "decentre sooner", with the floor at 3.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import ProgressionSurvival, journeys, survival
from chrysalide.journeys.survival_model import COVARIATES, MIN_BOARD_EVENTS, WEEK_DAYS, reference_board
from chrysalide.journeys.survival_text import covariate_label, cox_left_out_text, cox_rows
from chrysalide.report.html import report


def _table(events: dict[str, int], members: int = 20) -> pd.DataFrame:
    """``members`` members in each board of ``events``, the first ``events[board]`` of them decentered; the even ones
    answered after an hour. Days and the other covariates vary so that every model converges."""
    rng = np.random.default_rng(2)
    rows = []
    for board, n in events.items():
        for i in range(members):
            answered = i % 2 == 0
            rows.append({"board": board, "event": i < n, "days": WEEK_DAYS + float(rng.exponential(5 if answered else 40)),
                         "answered_first_week": float(answered), "log_first_reply_hours": np.log1p(1 if answered else 168),
                         "replies_first_week": float(answered + i % 3), "thanks_first_week": float(i % 4 == 0),
                         "year": 2020 + i % 3})  # fmt: skip
    return pd.DataFrame(rows)


def _fit(table: pd.DataFrame, min_board_events: int = MIN_BOARD_EVENTS) -> ProgressionSurvival:
    """The model on one of these tables, which hold fewer decentered members per covariate than the model needs
    (test_cox_events_per_covariate): that floor is set aside to test the boards alone. The tests of how boards are
    grouped and which is the reference set the boards' own floor at 3 (``min_board_events``), to keep them small."""
    return ProgressionSurvival(min_events_per_covariate=0, min_board_events=min_board_events).fit(table)


GROUPING = 3  # the boards' floor in the tests of grouping and reference


def test_a_board_without_a_decentered_member_is_left_out_of_the_cox_model():
    table = _table({"A": 12, "B": 11, "C": 0})
    model = _fit(table)
    assert model.cox_ is not None, model.cox_error_
    assert model.cox_left_out_few_events_ == 20 and model.cox_boards_few_events_ == {"board_C": 0}
    assert set(model.cox_["covariate"]) >= {"board_B"} and "board_C" not in set(model.cox_["covariate"])
    assert model.board_reference_ == "board_A" and model.n_members_ == 60  # the curve keeps every member
    assert model.km_ is not None and model.km_["at_risk"].iloc[0] == 60
    # Left out, not merged into another board: the same model as on boards A and B alone.
    alone = _fit(table[table["board"] != "C"])
    assert alone.cox_left_out_few_events_ == 0
    pd.testing.assert_frame_equal(model.cox_, alone.cox_)


@pytest.mark.parametrize(("events", "left_out"), [(3, {"board_C": 3}), (9, {"board_C": 9}), (10, {})])
def test_a_board_needs_ten_decentered_members(events, left_out):
    model = _fit(_table({"A": 12, "B": 11, "C": events}))
    assert model.cox_boards_few_events_ == left_out
    assert ("board_C" in set(model.cox_["covariate"])) is not left_out


def test_a_reference_board_without_events_is_left_out_too():
    """Every other board would be compared with a board where nobody decentered: the next board becomes the
    reference."""
    model = _fit(_table({"A": 0, "B": 11, "C": 12}))
    assert model.cox_boards_few_events_ == {"board_A": 0} and model.board_reference_ == "board_B"
    assert set(model.cox_["covariate"]) - set(COVARIATES) == {"board_C"}


def test_events_are_counted_among_the_models_members():
    """Board C has 11 decentered members, 2 of them among the 5 whose answers are not recorded: 9 are left in the
    model, fewer than 10; the 15 others of C are left out for their board, the 5 for their answers."""
    table = _table({"A": 12, "B": 11, "C": 11})
    c = table.index[table["board"] == "C"]
    table["replies_recorded"] = ~table.index.isin([c[0], c[1], c[15], c[16], c[17]])  # C's first 11 are decentered
    model = _fit(table)
    assert model.cox_left_out_unrecorded_ == 5
    assert model.cox_boards_few_events_ == {"board_C": 9} and model.cox_left_out_few_events_ == 15


def test_a_single_board_is_never_left_out():
    model = _fit(_table({"thyroid": 3}, members=30))
    assert model.cox_ is not None and model.cox_boards_few_events_ == {} and model.board_reference_ is None


def test_too_few_members_left_is_a_reason_not_an_error():
    model = ProgressionSurvival(min_events_per_covariate=0, min_board_events=3).fit(
        _table({"A": 4, "B": 0, "C": 1}, members=6)
    )
    assert model.cox_ is None and model.cox_boards_few_events_ == {"board_B": 0, "board_C": 1}
    assert model.cox_error_ == "6 members left in boards where at least 3 decentered, fewer than 10"


QUIET = "[red]quiet <b>"  # sorted before the others: the reference board until it is left out; markup in both outputs


def _forum(store):
    """60 members ask, one a week from 2020-01-08, in boards levothyrox, thyroid and QUIET in turn (the even ones
    answered an hour later by member 99, who arrived helping); each posts again a week and a random delay later, helping
    (decentred) 4 times in 5, except in QUIET, where nobody decenters."""
    f = Forum(store)
    rng = np.random.default_rng(0)
    boards = ["levothyrox", "thyroid", QUIET]
    f.member(99)
    for m in range(1, 61):
        f.member(m)
        f.thread(m, board=boards[m % 3])
        start = pd.Timestamp("2020-01-01") + pd.Timedelta(weeks=m)
        f.post(m, m, start, "help me", code="individual")
        if m % 2 == 0:
            f.post(99, m, start + pd.Timedelta(hours=1), "try this", code="collaborative")
        helps = boards[m % 3] != QUIET and bool(rng.random() < 0.8)
        f.post(m, m, start + pd.Timedelta(days=WEEK_DAYS + float(rng.exponential(5 if m % 2 == 0 else 40))),
               "here is what I learned", code="collaborative", decentered=helps)  # fmt: skip
    f.save()


def test_the_run_the_report_and_the_command_say_who_is_left_out(store, tmp_path: Path):
    _forum(store)
    journeys(store, permutations=0)
    out = survival(store).summary
    assert out["cox_fitted"], out["cox_error"]
    assert out["cox_left_out_unrecorded"] == 0 and out["cox_left_out_few_events"] == 20
    assert out["cox_boards_few_events"] == {f"board_{QUIET}": 0} and out["cox_board_reference"] == "board_levothyrox"
    assert {r["covariate"] for r in out["cox"]} - set(COVARIATES) == {"board_thyroid"}
    said = ("20 members at risk are left out of the Cox model (not of the Kaplan-Meier curve): too few of the members "
            "the model is fitted on decentered in the board of their first request to estimate its hazard ratio "
            f"(fewer than 10): 0 in {QUIET}.")  # fmt: skip
    page = report(store, tmp_path / "r.html").read_text(encoding="utf-8")
    (caption,) = re.findall(r"<caption>(Cox model.*?)</caption>", page, re.S)
    assert said.replace("<", "&lt;").replace(">", "&gt;") in caption and QUIET not in page
    printed = CliRunner().invoke(app, ["survival", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    assert said in " ".join(printed.output.split())


def test_older_runs_without_the_keys_say_nothing_of_boards():
    assert cox_left_out_text({}) == ""
    assert "board" not in cox_left_out_text({"cox_left_out_unrecorded": 4})


def _shares_table() -> pd.DataFrame:
    """48 members whose answers are recorded: 22 in A, 22 in B, 2 in C and 2 in D (each 2/48 = 4.2% of them, all
    4 decentered); 10 more in C and D, 5 each, whose answers are not: of all 58 members at risk C and D hold 7 each
    (12%)."""
    table = _table({"A": 12, "B": 9}, members=22)
    small = _table({"C": 2, "D": 2}, members=7)
    small["replies_recorded"] = np.arange(len(small)) % 7 < 2  # the first 2 of each board, the decentered ones
    return pd.concat([table.assign(replies_recorded=True), small], ignore_index=True)


def test_small_boards_are_small_among_the_members_the_model_is_fitted_on():
    """Grouped by their share of all members at risk, C and D (12% each) would stay apart, each with 2 decentered
    members, too few for a hazard ratio; among the 48 members of the model they are small, grouped, with 4."""
    model = _fit(_shares_table(), GROUPING)
    assert model.cox_left_out_unrecorded_ == 10 and model.cox_boards_few_events_ == {}
    boards = set(model.cox_["covariate"]) - set(COVARIATES)
    assert boards == {"board_B", "small_boards"} and model.board_reference_ == "board_A"


def test_a_board_common_among_the_models_members_is_not_grouped():
    """E holds 3 of the 47 members of the model (6.4%) but 3 of the 67 members at risk (4.5%): it keeps its own
    hazard ratio."""
    recorded = pd.concat([_table({"A": 12, "B": 9}, members=22), _table({"E": 3}, members=3)], ignore_index=True)
    unrecorded = _table({"F": 5}, members=20).assign(replies_recorded=False)
    table = pd.concat([recorded.assign(replies_recorded=True), unrecorded], ignore_index=True)
    model = _fit(table, GROUPING)
    assert model.cox_left_out_unrecorded_ == 20 and model.cox_boards_few_events_ == {}
    assert set(model.cox_["covariate"]) - set(COVARIATES) == {"board_B", "board_E"}


def test_the_reference_is_the_board_with_the_most_members():
    """Z has 30 members, A and B 20 each: every hazard ratio is against Z, not against A, first by name; the grouped
    small boards are never the reference while a board of its own is left."""
    table = pd.concat([_table({"A": 12, "B": 9}), _table({"Z": 10}, members=30)], ignore_index=True)
    model = _fit(table, GROUPING)
    assert model.board_reference_ == "board_Z"
    assert set(model.cox_["covariate"]) - set(COVARIATES) == {"board_A", "board_B"}
    assert reference_board(pd.Series(["small_boards"] * 5 + ["board_B"] * 2 + ["board_A"] * 2)) == "board_A"
    assert reference_board(pd.Series(["small_boards"] * 3)) == "small_boards"


def test_a_board_named_other_is_not_merged_with_the_small_boards():
    """Regression: the small boards were grouped as "other", so that a board of that name joined them. Of 48
    members, 22 in A, 22 in "other", 2 in C and 2 in D (each 2/48 = 4.2%, small): "other" keeps its own hazard
    ratio, apart from the small boards' (C and D, 4 members), both against A (first by name among equals)."""
    table = pd.concat([_table({"A": 12, "other": 9}, members=22), _table({"C": 2, "D": 2}, members=2)])
    model = _fit(table.reset_index(drop=True), GROUPING)
    assert model.cox_ is not None, model.cox_error_
    boards = set(model.cox_["covariate"]) - set(COVARIATES)
    assert boards == {"board_other", "small_boards"} and model.board_reference_ == "board_A"
    labels = {c: covariate_label(c, model.board_reference_) for c in sorted(boards)}
    assert labels == {
        "board_other": "first request in other: against A",
        "small_boards": "first request in the small boards (each under 5% of the members the Cox model is fitted on): "
        "against A",
    }


def test_the_wait_is_read_per_doubling():
    """A ratio of e per unit of log(1 + hours) (a wait e times longer) is e ** ln 2 = 2 per doubling, its interval
    likewise; the other covariates are shown as stored."""
    cox = pd.DataFrame({"covariate": ["log_first_reply_hours", "year"], "hazard_ratio": [np.e, 1.5],
                        "ci_lower": [np.e**0.5, 1.2], "ci_upper": [np.e**2, 1.9], "p": [0.01, 0.02]})  # fmt: skip
    rows = cox_rows(cox, {}).set_index("covariate")
    assert rows.loc["log_first_reply_hours", ["hazard_ratio", "ci_lower", "ci_upper"]].tolist() == pytest.approx(
        [2.0, 2**0.5, 4.0]
    )
    assert rows.loc["year", "hazard_ratio"] == 1.5 and rows.loc["log_first_reply_hours", "reading"] == "decentre sooner"
    assert (
        rows.loc["log_first_reply_hours", "label"]
        == "wait for the first reply (1 + hours, capped at a week): per doubling"
    )
