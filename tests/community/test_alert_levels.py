"""``chrysalide alerts`` and its ``--json`` flag a burst longer than 52 weeks, or than half the weeks of the series,
as a change of level, by the rule the report and the dashboard read (``community.bursts.level_change``).

Regression: the command line's table and ``--json`` flagged ``edge`` and ``one voice`` but no change of level,
which only the report and the dashboard said: r/BPD's 134-week burst in the share of individual messages read as a
crisis there.
"""

from __future__ import annotations

import json

import pandas as pd
from alerts_table import header_and_row
from forum_builder import Forum, weekly_alerts
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.community import stored_alerts
from chrysalide.community.bursts import LEVEL_WEEKS
from chrysalide.report.html.sections.alerts import LEVEL_READING

START = pd.Timestamp("2015-01-05")  # a Monday


def test_stored_alerts_say_which_bursts_are_changes_of_level(store) -> None:
    """A series of 200 weeks (``weekly_alerts``): 134 and 53 weeks are more than 52, 52 and 5 are not, and none of
    them is more than half of 200 weeks."""
    rows = [("stage", "individual", "2015-03-02", "2017-09-24", 134, 1.9, 80.0),
            ("term", "dbt", "2016-01-04", "2017-01-08", 53, 2.0, 40.0),
            ("term", "covid", "2018-01-01", "2018-12-30", 52, 2.0, 35.0),
            ("term", "levothyrox", "2017-06-05", "2017-07-09", 5, 4.0, 30.0)]  # fmt: skip
    weekly_alerts(store, rows)
    found = stored_alerts(store, store.latest("alerts"))
    assert [(a["target"], a["level_change"]) for a in found] == [
        ("individual", True), ("dbt", True), ("covid", False), ("levothyrox", False)
    ]  # fmt: skip
    assert LEVEL_WEEKS == 52


def _growing(store) -> None:
    """200 weeks: one message a week by member 1 for 120 weeks, then six a week (members 1 to 6, so that no member
    writes most of them) for the last 80: a burst of volume of 80 weeks, from 2017-04-24 to 2018-11-04."""
    f = Forum(store)
    for member in range(1, 7):
        f.member(member)
    f.thread(1)
    for week in range(200):
        for k in range(1 if week < 120 else 6):
            f.post(1 + k, 1, START + pd.Timedelta(weeks=week, days=k % 5, hours=k))
    f.save()


def test_the_command_line_and_its_json_flag_a_change_of_level(store, wide_console) -> None:
    _growing(store)
    store.close()
    out = json.loads(CliRunner().invoke(app, ["alerts", "--db", str(store.path), "--json"]).output)
    assert [(a["kind"], a["start_at"], a["end_at"], a["weeks"], a["level_change"]) for a in out["alerts"]] == [
        ("volume", "2017-04-24", "2018-11-04", 80, True)
    ]
    printed = CliRunner().invoke(app, ["alerts", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    header, row = header_and_row(printed.output, "2017-04-24")
    assert header[6] == "flags" and row[6] == "LT"  # every message in thread 1: a few threads too
    said = " ".join(printed.output.split("┘")[-1].split())  # the notes under the table, one per flag shown
    assert said.startswith(f"level (L): the burst lasts more than 52 weeks, or more than half the weeks of the series: "
                           f"of volume, {LEVEL_READING}.")  # fmt: skip
