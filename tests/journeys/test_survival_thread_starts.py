"""Regression: ``chrysalide survival`` on a corpus of thread starts only (Doctissimo IVG) printed "0 decentered"
without a word that only the posts that open threads can show decentering there, which the report says beside the
same figure; its ``--json`` said nothing either.

By hand: 12 members each open two threads 5 days apart and no thread has a reply; the second thread of members 1-6
helps others (collaborative, decentered), so 6 of the 12 members at risk decenter.
"""

import json

from forum_builder import reference_forum, thread_starts_forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.journeys import journeys
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_summary
from chrysalide.report.html.sections.journeys import UNSEEN_HELP

#: The report's words, without their full stop (the key finding goes on after them).
NOTE = f"The corpus holds no reply (source 't': no thread has a second message). {UNSEEN_HELP}"


def _survival(store, *options: str) -> str:
    result = CliRunner().invoke(app, ["survival", "--db", str(store.path), *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_survival_says_that_only_thread_starts_can_show_decentering(store):
    thread_starts_forum(store)
    printed = " ".join(_survival(store).split())
    assert "12 members at risk" in printed and "6 decentered" in printed
    assert f"note: {NOTE}." in printed
    assert json.loads(_survival(store, "--json"))["note"] == f"{NOTE}."
    journeys(store, permutations=0)  # the key finding says it in the same words
    (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == "decentering"]
    assert NOTE in row[1]


def test_survival_has_no_note_where_replies_are_recorded(store):
    reference_forum(store)
    assert "note:" not in _survival(store)
    assert json.loads(_survival(store, "--json"))["note"] is None
