"""The Cox model's reply covariates are unknown where the answers to a member's entry are not recorded: such members
stay in the Kaplan-Meier curve and are left out of the Cox model, which says so.

Source "posts" is a Reddit export of comments without parents (each comment names only its submission):
- T1: member 1 asks (2021-01-01 10:00); member 2's first message is a comment under it asking too (10:30).
- T2: member 3 asks (2021-01-02 09:00); member 2 comments under it, helping (12:00).
Member 1's request is answered by 2's comment after 0.5 h (1 reply in the week); member 3's by 2's after 3 h (1 reply).
Member 2's first request is a comment: its answers cannot be seen, so waiting time, answered or not, replies and
thanks are unknown, not "never answered" (2's comment under T2 is his, no answer to him). Each posts again on
2021-01-20, so that all three are still at risk on day 7 (the Cox model's landmark).
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.community import newcomer_responses, source_structure
from chrysalide.journeys import ProgressionSurvival, entry_table, journeys, survival
from chrysalide.journeys.survival_model import WEEK_DAYS
from chrysalide.report.html import report

REPLY_COVARIATES = ["first_reply_hours", "answered_first_week", "log_first_reply_hours", "replies_first_week",
                    "thanks_first_week"]  # fmt: skip


def _comments(store):
    f = Forum(store, "posts")
    for member in (1, 2, 3):
        f.member(member)
    f.thread(1), f.thread(2)
    t1 = f.post(1, 1, "2021-01-01 10:00", "I need help with my meds", code="individual")
    f.post(2, 1, "2021-01-01 10:30", "same for me, what do I do", reply_to=t1, code="individual")
    t2 = f.post(3, 2, "2021-01-02 09:00", "my doctor will not listen", code="individual")
    f.post(2, 2, "2021-01-02 12:00", "ask for a second opinion", reply_to=t2, code="collaborative")
    for member, thread, opening in ((1, 1, t1), (2, 1, t1), (3, 2, t2)):
        f.post(member, thread, "2021-01-20 08:00", "still struggling", reply_to=opening, code="individual")
    return f.save()


def test_a_comment_entry_has_unknown_reply_covariates(store):
    _comments(store)
    assert source_structure(store)["posts"]["replies"] == "submission_only"
    table = entry_table(store).set_index("member_id")
    assert table["replies_recorded"].to_dict() == {1: True, 2: False, 3: True}
    assert table.loc[1, "first_reply_hours"] == pytest.approx(0.5) and table.loc[1, "answered_first_week"] == 1
    assert table.loc[3, "first_reply_hours"] == pytest.approx(3.0) and table.loc[3, "answered_first_week"] == 1
    assert table.loc[[1, 3], "replies_first_week"].tolist() == [1, 1]
    assert table.loc[2, REPLY_COVARIATES].isna().all()
    # The newcomer figures read the same rule: member 2's first message is not recorded there either.
    newcomers = newcomer_responses(store).set_index("member_id")
    assert newcomers["replies_recorded"].to_dict() == {1: True, 2: False, 3: True}


def test_the_run_counts_who_is_left_out_of_the_cox_model(store):
    _comments(store)
    out = survival(store).summary
    assert out["at_risk"] == 3 and out["cox_left_out_unrecorded"] == 1
    assert out["cox_error"] == "2 members whose first request's answers are recorded, fewer than 10"


def _table(recorded: int, unrecorded: int) -> pd.DataFrame:
    """``recorded`` members with known covariates (half answered after 1 h, decentring sooner), then ``unrecorded``
    ones whose reply covariates are unknown."""
    rng = np.random.default_rng(1)
    n = recorded + unrecorded
    answered = np.arange(n) % 2 == 0
    known = np.arange(n) < recorded
    hours = np.where(answered, 1.0, np.nan)
    return pd.DataFrame({
        "days": WEEK_DAYS + rng.exponential(np.where(answered, 5.0, 40.0)), "event": rng.random(n) < 0.8,
        "replies_recorded": known, "first_reply_hours": np.where(known, hours, np.nan),
        "answered_first_week": np.where(known, answered.astype(float), np.nan),
        "log_first_reply_hours": np.where(known, np.log1p(np.where(answered, 1.0, 168.0)), np.nan),
        "replies_first_week": np.where(known, answered.astype(float), np.nan),
        "thanks_first_week": np.where(known, 0.0, np.nan), "year": 2020 + np.arange(n) % 3, "board": "thyroid",
    })  # fmt: skip


def test_the_cox_model_is_fitted_on_recorded_entries_only():
    table = _table(30, 7)
    model = ProgressionSurvival().fit(table)
    assert model.cox_left_out_unrecorded_ == 7 and model.n_members_ == 37
    assert model.km_ is not None and model.km_["at_risk"].iloc[0] == 37  # the curve keeps every member
    assert model.cox_ is not None, model.cox_error_
    alone = ProgressionSurvival().fit(table.head(30).drop(columns="replies_recorded"))
    assert alone.cox_ is not None and alone.cox_left_out_unrecorded_ == 0
    pd.testing.assert_frame_equal(model.cox_, alone.cox_)


def _asking_forum(store):
    """24 members each ask in a thread of "posts" (one a week from 2020-01-08; the even ones answered an hour later
    by member 99, who arrived helping) and post again after a random delay, helping 4 times in 5; member 200's first
    request is a comment under member 1's thread, and he comments again 10 days later."""
    f = Forum(store, "posts")
    rng = np.random.default_rng(0)
    f.member(99), f.member(200)
    for m in range(1, 25):
        f.member(m)
        f.thread(m)
        start = pd.Timestamp("2020-01-01") + pd.Timedelta(weeks=m)
        opening = f.post(m, m, start, "help me", code="individual")
        if m % 2 == 0:
            f.post(99, m, start + pd.Timedelta(hours=1), "try this", reply_to=opening, code="collaborative")
        f.post(m, m, start + pd.Timedelta(days=WEEK_DAYS + float(rng.exponential(5 if m % 2 == 0 else 40))),
               "here is what I learned", reply_to=opening, code="collaborative", decentered=bool(rng.random() < 0.8))  # fmt: skip
        if m == 1:
            f.post(200, 1, start + pd.Timedelta(hours=2), "me too, help", reply_to=opening, code="individual")
            f.post(200, 1, start + pd.Timedelta(days=10), "still no help", reply_to=opening, code="individual")
    f.save()


def test_the_report_and_the_command_say_who_is_left_out(store, tmp_path: Path):
    _asking_forum(store)
    journeys(store, permutations=0)
    out = survival(store).summary
    assert out["cox_fitted"], out["cox_error"]
    assert out["at_risk"] == 25 and out["cox_left_out_unrecorded"] == 1
    said = "1 member at risk is left out of the Cox model (not of the Kaplan-Meier curve)"
    page = report(store, tmp_path / "r.html").read_text(encoding="utf-8")
    (caption,) = re.findall(r"<caption>(Cox model.*?)</caption>", page, re.S)
    assert said in caption
    printed = CliRunner().invoke(app, ["survival", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    assert said in " ".join(printed.output.split())
