"""Regression: ``chrysalide panel`` said "decentered: not yet" of every member without a delay to decentering, also of
those who arrived helping and of those whose arrival the record does not show, who are not at risk (on
r/covidlonghaulers 6 of the first 30), and its ``--json`` said nothing of either."""

import json

from forum_builder import reference_forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import journeys

#: By hand from :func:`forum_builder.reference_forum`: A (m1) asks on 01-01 and decenters on 01-10; B (m2) first
#: writes a collaborative message, so arrived helping; C (m3) asks twice and never helps; D (m4), registered before the
#: corpus starts, is a member whose arrival the record does not show, though her one message is coded.
EXPECTED = {"m1": "decentered", "m2": "arrived helping", "m3": "not yet", "m4": "arrival not shown"}


def _panel(store, *options: str) -> str:
    reference_forum(store)
    journeys(store, permutations=0)
    result = CliRunner().invoke(app, ["panel", "--db", str(store.path), *options], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_panel_says_who_arrived_helping_and_whose_arrival_is_not_shown(store):
    lines = _panel(store).splitlines()
    for pseudonym, status in EXPECTED.items():
        (row,) = [line for line in lines if f" {pseudonym} " in line]
        # A's delay: 01-01 10:00 to 01-10 09:00, 8 days 23 hours, said in whole days
        assert (f"{(8 * 24 + 23) / 24:.0f} days" if status == "decentered" else status) in row, row
    assert "'arrival not shown': a member whose arrival the record does not show" in " ".join(lines)


def test_the_panel_json_carries_the_status(store):
    members = json.loads(_panel(store, "--json"))["members"]
    by_name = {m["pseudonym"]: m for m in members}
    assert {name: by_name[name]["decentering_status"] for name in EXPECTED} == EXPECTED
    assert [by_name[n]["arrived_helping"] for n in ("m1", "m2", "m3", "m4")] == [False, True, False, None]
    assert [by_name[n]["arrival_shown"] for n in ("m1", "m2", "m3", "m4")] == [True, True, True, False]
