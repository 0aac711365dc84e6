"""The panel is said for what it is (ranked by recency, frequency and volume, not "the most active"), and the RFM
segment of recent members with few active periods is "recent_infrequent", not "newcomer", the community figures'
word for a member whose first message is in the corpus; runs that stored "newcomer" are read under the new name.
"""

import json
import re
import threading
from pathlib import Path

import pandas as pd
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import journey, journeys, rank_panel, score_rfm
from chrysalide.journeys.panel import SEGMENTS
from chrysalide.report.export.iramuteq import export_iramuteq
from chrysalide.report.html import report
from chrysalide.web.reader import Db
from chrysalide.web.views.members import milestones


def test_a_recent_member_with_few_active_periods_is_recent_infrequent():
    """Five members: e wrote last (recency 0 days, score 5) in 1 active week (score 1), fewer words than anyone:
    recent_infrequent (R >= 4, F <= 2), and 'newcomer' is no segment."""
    metrics = pd.DataFrame({"member_id": [1, 2, 3, 4, 5], "recency_days": [40, 30, 20, 10, 0],
                            "active_periods": [5, 4, 3, 2, 1], "longest_run": [1, 1, 1, 1, 1],
                            "words": [500, 400, 300, 200, 100]})  # fmt: skip
    scored = score_rfm(metrics)
    assert list(scored["r_score"]) == [1, 2, 3, 4, 5] and list(scored["f_score"]) == [5, 4, 3, 2, 1]
    assert scored["segment"].iloc[-1] == "recent_infrequent" and "newcomer" not in SEGMENTS


def test_a_stored_newcomer_is_read_as_recent_infrequent():
    metrics = pd.DataFrame({"member_id": [1, 2], "r_score": [5, 1], "f_score": [1, 5], "v_score": [1, 5],
                            "words": [10, 900], "segment": ["newcomer", "loyal"]})  # fmt: skip
    assert list(rank_panel(metrics)["segment"]) == ["loyal", "recent_infrequent"]


def _forum(store) -> None:
    """30 members, member m posting m messages a week apart from 2020-01-06 (member 30's last on the corpus' last
    day), each in a thread of its own; a journeys run whose segments are then stored as runs before the rename
    stored them ('recent_infrequent' as 'newcomer'), every member's, so that every reader must rename them."""
    f = Forum(store)
    for m in range(1, 31):
        f.member(m)
        f.thread(m)
        for k in range(m):
            f.post(m, m, pd.Timestamp("2020-01-06") + pd.Timedelta(weeks=30 - m + k), "some words " * m,
                   code="individual")  # fmt: skip
    f.save()
    journeys(store, permutations=0)
    store.con.execute("UPDATE member_metrics SET segment = 'newcomer'")


def test_every_reader_says_recent_infrequent_for_a_stored_newcomer(store, tmp_path: Path):
    _forum(store)
    page = report(store, tmp_path / "r.html", panel_size=21).read_text(encoding="utf-8")
    (panel,) = [t for t in re.findall(r"<table>.*?</table>", page, re.S) if "<caption>The panel" in t]
    assert panel.count("<td>recent_infrequent</td>") == 21 and "newcomer" not in panel
    printed = CliRunner().invoke(app, ["panel", "--db", str(store.path), "--json", "--top", "5"])
    assert printed.exit_code == 0, printed.output
    assert {m["segment"] for m in json.loads(printed.output)["members"]} == {"recent_infrequent"}
    assert journey(store, 3, permutations=0)["metrics"]["segment"] == "recent_infrequent"
    db = Db(str(store.path), store.con.cursor(), {}, threading.Lock())
    assert milestones(db, 3)["metrics"]["segment"] == "recent_infrequent"  # the dashboard's member page
    export_iramuteq(store, tmp_path / "corpus.txt", quotes="all-pseudonymised")
    lines = (tmp_path / "corpus.txt").read_text(encoding="utf-8").splitlines()
    assert {line.split()[-1] for line in lines if line.startswith("****")} == {"*group_recent_infrequent"}


def test_the_panel_is_said_to_be_ranked_by_recency_frequency_and_volume(store, tmp_path: Path):
    """Regression: captioned "The 21 most active members", though a member who wrote little but lately outranks
    one who wrote much long before."""
    _forum(store)
    page = report(store, tmp_path / "r.html", panel_size=21).read_text(encoding="utf-8")
    assert "most active" not in page
    assert ("The 21 members ranked highest by recency, frequency and volume of writing (RFM quintiles), as the "
            "study chose its panel: recency weighs as much as the words written") in page  # fmt: skip
    assert "among members with the same total score, those who wrote more words rank first" in page
    printed = CliRunner().invoke(app, ["panel", "--db", str(store.path), "--top", "5"])
    assert printed.exit_code == 0, printed.output
    assert "rank: by R+F+V, then by words written" in " ".join(printed.output.split())


def test_a_lapsing_member_is_not_said_at_risk():
    """R <= 2 and F = 3 (frequent once, not lately) is 'lapsing': 'at risk' is the survival figures' word for a
    member who has not yet decentred. Runs that stored 'at_risk' are read under the new name."""
    metrics = pd.DataFrame({"member_id": [1, 2], "r_score": [1, 5], "f_score": [3, 5], "v_score": [2, 5],
                            "words": [300, 900], "segment": ["at_risk", "champion"]})  # fmt: skip
    assert list(rank_panel(metrics)["segment"]) == ["champion", "lapsing"] and "at_risk" not in SEGMENTS


def test_the_panel_says_when_two_active_weeks_already_score_the_highest_frequency(store, tmp_path: Path):
    """Regression (r/breastcancer, where 1,659 of 1,949 members post in one week only): members of two active weeks
    were "champion" beside the most regular, and nothing said so. Ten members: 1-8 post once, in weeks of their own;
    9 posts in two weeks, 10 in three. By hand: the two-week block's lowest rank is 9 of 10, ceil(5 x 0.9) = 5, so two
    weeks score F = 5, and 8 of the 10 members (80%) were active in one week only."""
    f = Forum(store)
    start = pd.Timestamp("2021-03-01")
    for m in range(1, 11):
        f.member(m)
        f.thread(m)
        weeks = {9: 2, 10: 3}.get(m, 1)
        for k in range(weeks):
            f.post(m, m, start + pd.Timedelta(weeks=m + 3 * k), "a few words of mine", code="individual")
    f.save()
    run = journeys(store, permutations=0)
    scored = store.con.execute("SELECT member_id, active_periods, f_score FROM member_metrics WHERE run_id = ?",
                               [run.run_id]).df().set_index("member_id")  # fmt: skip
    assert scored.loc[9, "active_periods"] == 2 and scored.loc[9, "f_score"] == 5
    clause = ("here 80% of the members were active in one week only, so 2 active weeks already score the highest "
              "frequency (F = 5), as high as the most regular members: the ranking rests on recency and words written")  # fmt: skip
    page = report(store, tmp_path / "r.html", panel_size=5).read_text(encoding="utf-8")
    assert clause in " ".join(page.split())
    printed = CliRunner().invoke(app, ["panel", "--db", str(store.path), "--top", "5"])
    assert printed.exit_code == 0, printed.output
    assert clause in " ".join(printed.output.split())


def test_the_panel_says_nothing_of_frequency_where_it_tells_members_apart(store, tmp_path: Path):
    """Members 1-30 active in 1-30 weeks (:func:`_forum`): F = 5 starts at 25 weeks, no clause."""
    _forum(store)
    page = report(store, tmp_path / "r.html", panel_size=21).read_text(encoding="utf-8")
    assert "already score the highest frequency" not in page
