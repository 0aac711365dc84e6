"""The Cox model is a landmark analysis: its first-week covariates are known on day 7 after the start of the time at
risk, so it is fitted only on the members still at risk then, with time counted from day 7 (Anderson, Cain & Gelber
1983). Before, a member who decentered on day 2 and was thanked for it on day 4 entered the model with that thanks
among the causes of his own decentering.

Forum (2020-01-01 = day 0, every member asks then in a thread of his own):
- member 1 decenters on day 2; member 9 thanks him for it on day 4: thanked only after decentering;
- member 2 decenters on day 3;
- member 3 gets member 9's reply on day 2 and decenters on day 20: still at risk on day 7, time 13 days from it;
- member 4 posts again on day 5, not decentered: observed for less than a week;
- member 9 arrives helping (not at risk).
"""

from pathlib import Path

import pandas as pd
import pytest
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import ProgressionSurvival, entry_table, journeys, survival
from chrysalide.journeys.survival_text import cox_left_out_text
from chrysalide.report.html import report

DAY0 = pd.Timestamp("2020-01-01 10:00")
SAID = ("3 members at risk are left out of the Cox model (not of the Kaplan-Meier curve): 2 who decentered within "
        "the first week and 1 observed for less than a week.")  # fmt: skip


def _forum(store):
    f = Forum(store)
    for m in (1, 2, 3, 4, 9):
        f.member(m)
    asks = {}
    for m in (1, 2, 3, 4):
        f.thread(m)
        asks[m] = f.post(m, m, DAY0, "I need help with my meds", code="individual")
    f.post(9, 3, DAY0 + pd.Timedelta(days=2), "try asking your doctor", reply_to=asks[3], code="collaborative")
    helped = f.post(1, 1, DAY0 + pd.Timedelta(days=2), "what helped me was this", reply_to=asks[1],
                    code="collaborative", decentered=True)  # fmt: skip
    f.post(9, 1, DAY0 + pd.Timedelta(days=4), "thanks, that is useful", reply_to=helped, code="community")
    f.post(2, 2, DAY0 + pd.Timedelta(days=3), "here is what I learned", reply_to=asks[2], code="collaborative",
           decentered=True)  # fmt: skip
    f.post(3, 3, DAY0 + pd.Timedelta(days=20), "here is what worked", reply_to=asks[3], code="collaborative",
           decentered=True)  # fmt: skip
    f.post(4, 4, DAY0 + pd.Timedelta(days=5), "still unwell", reply_to=asks[4], code="individual")
    f.save()


def test_members_no_longer_at_risk_on_day_7_are_left_out_and_counted(store, tmp_path: Path):
    _forum(store)
    table = entry_table(store).set_index("member_id")
    # The window counts member 1's thanks (given after he decentered); the landmark keeps it out of the model.
    assert table.loc[1, "thanks_first_week"] == 1 and table.loc[1, "days"] == pytest.approx(2)
    assert table.loc[3, "replies_first_week"] == 1 and table.loc[3, "days"] == pytest.approx(20)
    model = ProgressionSurvival().fit(table.reset_index())
    assert (model.cox_left_out_decentered_first_week_, model.cox_left_out_followed_under_week_) == (2, 1)
    assert model.km_ is not None and model.km_["at_risk"].iloc[0] == 4  # the curve keeps every member at risk
    assert model.cox_error_ == "1 members still at risk on day 7, fewer than 10"
    out = survival(store).summary
    assert out["cox_left_out_decentered_first_week"] == 2 and out["cox_left_out_followed_under_week"] == 1
    assert cox_left_out_text(out).startswith(SAID)
    assert "landmark analysis" in cox_left_out_text(out)


# days, event, replies, thanks: four members no longer at risk on day 7, twelve still at risk.
EARLY = [(2, True, 1, 1),  # thanked only after decentering on day 2
         (3, True, 0, 0), (5, False, 1, 0), (7, True, 2, 1)]  # fmt: skip
LATER = [(20, True, 1, 0), (9, True, 2, 1), (10, False, 0, 0), (12, True, 3, 0), (15, False, 1, 1), (18, True, 0, 0),
         (25, False, 2, 0), (30, True, 1, 1), (40, False, 0, 1), (8, True, 4, 2), (50, False, 0, 0), (14, True, 2, 0)]  # fmt: skip
FROM_DAY_7 = [13, 2, 3, 5, 8, 11, 18, 23, 33, 1, 43, 7]  # LATER's days less 7, by hand


def _table(rows: list[tuple[int, bool, int, int]]) -> pd.DataFrame:
    days, event, replies, thanks = zip(*rows, strict=True)
    return pd.DataFrame({"days": list(map(float, days)), "event": event, "replies_first_week": replies,
                         "thanks_first_week": thanks, "answered_first_week": 1.0, "log_first_reply_hours": 1.0,
                         "year": 2020, "board": "thyroid"})  # fmt: skip


def test_the_cox_model_is_fitted_from_day_7_on_the_members_still_at_risk():
    from lifelines import CoxPHFitter

    model = ProgressionSurvival(min_events_per_covariate=0).fit(_table(EARLY + LATER))
    assert (model.cox_left_out_decentered_first_week_, model.cox_left_out_followed_under_week_) == (3, 1)
    assert model.cox_events_ == 7 and model.km_ is not None and model.km_["at_risk"].iloc[0] == 16
    later = _table(LATER)
    expected = CoxPHFitter(penalizer=0.01).fit(
        pd.DataFrame({"replies_first_week": later["replies_first_week"], "thanks_first_week": later["thanks_first_week"],
                      "days": FROM_DAY_7, "event": later["event"].astype(int)}),
        duration_col="days", event_col="event",
    ).summary  # fmt: skip
    assert model.cox_ is not None, model.cox_error_
    assert model.cox_["hazard_ratio"].tolist() == pytest.approx(expected["exp(coef)"].tolist(), rel=1e-6)


def test_the_report_and_the_command_say_who_the_landmark_leaves_out(store, tmp_path: Path):
    _forum(store)
    journeys(store, permutations=0)
    printed = CliRunner().invoke(app, ["survival", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    said = f"Cox model not fitted: 1 members still at risk on day 7, fewer than 10. {SAID}"
    assert said in " ".join(printed.output.split())
    page = report(store, tmp_path / "r.html").read_text(encoding="utf-8")
    assert said in " ".join(page.split())
