"""A source not declared a selection of threads at import that looks like one (``ingest.sampled``) is named beside the
journeys' figures read from members' arrivals: arrived helping, the time at risk and decentering, the milestones'
delays from the first message, the survival curve.

Regression: community, alerts and the report named such a source beside the newcomers and the bursts of volume, but
``chrysalide journeys``, ``survival``, the report's journeys section and its decentering finding, and the dashboard's
member page gave "arrived helping" and the delays from the first message of a member first seen in it without a word.

By hand: source ``sel`` holds 20 threads; threads 1 to 12 hold 2 messages and 13 to 20 one (12 of 20 at the largest
size, 2: cut at 2 messages a thread). Member ``t`` opens thread ``t`` on day ``t`` of March 2021 (``individual``); a
helper (member 100) answers threads 1 to 12 an hour later (``collaborative``, decentered). Every member is registered
at their first post, so the record shows every arrival: 21 members coded, the helper arrived helping, 20 at risk,
none decentered. Source ``whole`` holds 20 threads of sizes 1, 2, 3, 1, 2, 3, ... (the largest, 3, held by 6 of 20:
no cut) written by members 201 and 202.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import journeys, survival
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys, section_summary
from chrysalide.store import Store
from chrysalide.web.app import create_app

SAID = (
    "source 'sel' was not declared a selection of threads at import but looks like one (12 of the 20 threads (60%) "
    "hold exactly 2 messages and none holds more, as in an export cut at 2 messages a thread): its members' first "
    "messages there are read as their arrivals (arrived helping, the time at risk and decentering, the milestones' "
    "delays from the first message), though they need not be their first on the forum; if it is one, import it "
    "again with --sampled-threads (into a new database)"
)
CAPPED = {"sel": {"capped_threads": {"threads": 20, "size": 2, "at_size": 12}}}


def _selection(store: Store, *, declared: bool = False, registered: bool = True) -> None:
    """Source ``sel`` (above); ``declared``: imported with ``--sampled-threads``; ``registered`` False: no member's
    registration is known, so that all are first seen within the 90 days' burn-in of the record's start."""
    f = Forum(store, "sel", options={"sampled_threads": True} if declared else {})
    when = "first post" if registered else None
    helper = f.member(100, registered_at=when)
    for t in range(1, 21):
        f.thread(t)
        f.post(f.member(t, registered_at=when), t, f"2021-03-{t:02d} 10:00", "my dose is wrong", code="individual")
        if t <= 12:
            f.post(helper, t, f"2021-03-{t:02d} 11:00", "ask for a scan", code="collaborative", decentered=True)
    f.save()


def _whole(store: Store) -> None:
    """Source ``whole`` (above): members 201 (opens every thread, asks) and 202 (answers, helps)."""
    f = Forum(store, "whole", first_id=1000, options={})
    asker, helper = f.member(201), f.member(202)
    for t in range(101, 121):
        f.thread(t)
        f.post(asker, t, f"2021-05-{t - 100:02d} 10:00", "still tired", code="individual")
        for i in range(1, 1 + (t - 101) % 3):
            f.post(helper, t, f"2021-05-{t - 100:02d} {10 + i}:00", "rest helps", code="collaborative", decentered=True)
    f.save()


def _finding(store: Store) -> str:
    (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == "decentering"]
    return str(row[1])


def test_the_runs_name_it_and_warn(store: Store) -> None:
    _selection(store)
    s = journeys(store, permutations=0).summary
    assert (s["members_coded"], s["members_arrival_unseen"], s["arrived_helping"], s["at_risk"]) == (21, 0, 1, 20)
    assert s["undeclared_selections"] == CAPPED and s["members_arrival_in_undeclared_selections"] == 21
    assert s["warnings"] == [SAID]
    k = survival(store).summary
    assert k["undeclared_selections"] == CAPPED and k["warnings"] == [SAID]


def test_the_report_says_it_beside_the_journeys_and_the_decentering_finding(store: Store) -> None:
    _selection(store)
    journeys(store, permutations=0), survival(store)
    assert f"{SAID[0].upper()}{SAID[1:]}." in section_journeys(Context(store)).paragraphs
    assert SAID in _finding(store)


@pytest.mark.usefixtures("wide_console")
def test_the_command_line_says_it_and_its_json_keeps_it(store: Store) -> None:
    _selection(store)
    store.close()
    printed = CliRunner().invoke(app, ["journeys", "--db", str(store.path), "--permutations", "0"])
    assert printed.exit_code == 0, printed.output
    assert f"warning: {SAID}" in printed.output
    out = json.loads(CliRunner().invoke(app, ["journeys", "--db", str(store.path), "--json"]).output)
    assert out["summary"]["warnings"] == [SAID] and out["summary"]["undeclared_selections"] == CAPPED
    for command in ("survival", "panel"):
        printed = CliRunner().invoke(app, [command, "--db", str(store.path)])
        assert printed.exit_code == 0, printed.output
        assert f"warning: {SAID}" in printed.output


def test_declared_nothing_is_said(store: Store) -> None:
    """Declared, every member's arrival is unseen (first seen in a declared selection): no arrival is read."""
    _selection(store, declared=True)
    s = journeys(store, permutations=0).summary
    assert (s["members_arrival_unseen"], s["members_first_seen_in_sampled_threads"]) == (21, 21)
    assert s["undeclared_selections"] == {} and s["members_arrival_in_undeclared_selections"] == 0
    assert "warnings" not in s and "warnings" not in survival(store).summary
    assert not any("not declared a selection" in p for p in section_journeys(Context(store)).paragraphs)


def test_a_whole_forum_is_not_named(store: Store) -> None:
    _whole(store)
    s = journeys(store, permutations=0).summary
    assert (s["members_coded"], s["arrived_helping"], s["at_risk"], s["decentered"]) == (2, 1, 1, 0)
    assert s["undeclared_selections"] == {} and "warnings" not in s
    assert "not declared a selection" not in _finding(store)


def test_not_said_where_no_arrival_is_read(store: Store) -> None:
    """No registration date and every member first seen within 90 days of the record's start: no arrival is read
    from the selection, so nothing to caveat (the members left out are said apart)."""
    _selection(store, registered=False)
    s = journeys(store, permutations=0).summary
    assert (s["members_arrival_unseen"], s["members_arrival_in_undeclared_selections"]) == (21, 0)
    assert s["undeclared_selections"] == CAPPED and "warnings" not in s


def test_the_member_page_says_it_of_members_first_seen_there(store: Store) -> None:
    """The helper (100) first posted in ``sel``, member 201 in ``whole``: the page of 100 says it, that of 201 not."""
    _selection(store)
    _whole(store)
    s = journeys(store, permutations=0).summary
    assert s["members_arrival_in_undeclared_selections"] == 21 and s["members_coded"] == 23
    store.close()
    client = TestClient(create_app(store.path), base_url="http://127.0.0.1")
    helper, other = client.get("/members/100").text, client.get("/members/201").text
    assert 'id="undeclared-selection"' in helper and "Source &#39;sel&#39; was not declared" in helper
    assert 'id="undeclared-selection"' not in other
