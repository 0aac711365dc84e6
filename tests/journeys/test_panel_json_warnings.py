"""``chrysalide panel --json`` carries the warnings the printed panel gives, as ``warnings`` (a list of sentences, as
``journeys --json`` keeps its own in ``summary.warnings``).

Regression: the printed panel warned that a source looks like a selection of threads not declared at import (its
members' first messages read as arrivals by the decentered column) and that no message is coded, but its ``--json``
held the members alone.

By hand: source ``cut`` holds :data:`THREADS` threads; member ``t`` opens thread ``t`` on day ``t`` of April 2022
(``individual``); in the first :data:`AT_SIZE` threads a helper (member 400) answers an hour later
(``collaborative``, decentered) and the opener thanks them an hour after that, so that these threads hold exactly
:data:`CUT_AT` messages and the others one: the export looks cut at :data:`CUT_AT` messages a thread. Every member is
registered at their first post, so the record shows every arrival and all of them are read in ``cut``. Source
``whole`` holds 20 threads of 1, 2, 3, 1, 2, 3, ... messages (the largest held by 6 of 20: no cut).
"""

from __future__ import annotations

import json

import pytest
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import journeys
from chrysalide.store import Store

THREADS, AT_SIZE, CUT_AT = 24, 18, 3


def _cut(store: Store) -> None:
    """Source ``cut`` (above), not declared a selection of threads (a ``sources`` row without options)."""
    f = Forum(store, "cut", options={})
    helper = f.member(400)
    for t in range(1, THREADS + 1):
        f.thread(t)
        opener = f.member(t)
        f.post(opener, t, f"2022-04-{t:02d} 09:00", "my scan came back odd", code="individual")
        if t <= AT_SIZE:
            f.post(helper, t, f"2022-04-{t:02d} 10:00", "ask for the report", code="collaborative", decentered=True)
            f.post(opener, t, f"2022-04-{t:02d} 11:00", "thanks, I will ask", code="individual")
    f.save()


def _whole(store: Store, *, coded: bool = True) -> None:
    """Source ``whole`` (above): member 201 opens every thread and asks, member 202 answers; ``coded`` False: no
    message has a stage code."""
    f = Forum(store, "whole", first_id=1000, options={})
    asker, helper = f.member(201), f.member(202)
    for t in range(101, 121):
        f.thread(t)
        f.post(asker, t, f"2021-05-{t - 100:02d} 10:00", "still tired", code="individual" if coded else None)
        for i in range(1, 1 + (t - 101) % 3):
            f.post(helper, t, f"2021-05-{t - 100:02d} {10 + i}:00", "rest helps",
                   code="collaborative" if coded else None, decentered=coded)  # fmt: skip
    f.save()


def _panel(store: Store) -> tuple[list[str], list[str]]:
    """The warnings of ``panel --json`` and those the printed panel gives (its ``warning: `` lines)."""
    store.close()
    runner = CliRunner()
    out = runner.invoke(app, ["panel", "--db", str(store.path), "--json"])
    assert out.exit_code == 0, out.output
    printed = runner.invoke(app, ["panel", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    said = [line.removeprefix("warning: ") for line in printed.output.splitlines() if line.startswith("warning: ")]
    return json.loads(out.output)["warnings"], said


@pytest.mark.usefixtures("wide_console")
def test_the_json_carries_the_undeclared_selection_the_printed_panel_warns_of(store: Store) -> None:
    _cut(store)
    s = journeys(store, permutations=0).summary
    assert s["members_arrival_in_undeclared_selections"] == THREADS + 1  # the openers and the helper
    assert 100 * AT_SIZE % THREADS == 0  # a whole percentage, as the sentence gives it
    signs = (f"{AT_SIZE} of the {THREADS} threads ({100 * AT_SIZE // THREADS}%) hold exactly {CUT_AT} messages and "
             f"none holds more, as in an export cut at {CUT_AT} messages a thread")  # fmt: skip
    expected = (
        f"source 'cut' was not declared a selection of threads at import but looks like one ({signs}): its members' "
        "first messages there are read as their arrivals (arrived helping, the time at risk and decentering, the "
        "milestones' delays from the first message), though they need not be their first on the forum; if it is one, "
        "import it again with --sampled-threads (into a new database)"
    )
    warnings, printed = _panel(store)
    assert warnings == [expected] and printed == warnings


@pytest.mark.usefixtures("wide_console")
def test_a_store_without_such_a_source_gives_an_empty_list(store: Store) -> None:
    _whole(store)
    s = journeys(store, permutations=0).summary
    assert s["undeclared_selections"] == {} and s["members_coded"] == 2
    assert _panel(store) == ([], [])


@pytest.mark.usefixtures("wide_console")
def test_the_json_carries_the_warning_that_no_message_is_coded(store: Store) -> None:
    _whole(store, coded=False)
    journeys(store, permutations=0)
    warnings, printed = _panel(store)
    assert warnings == [
        "no message is coded yet, and the decentered and stages columns read them (unknown here): run "
        "`chrysalide code`, then `chrysalide journeys`"
    ]
    assert printed == warnings
