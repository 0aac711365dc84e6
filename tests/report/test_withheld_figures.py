"""Figures the store cannot give are withheld with their reason, not printed as numbers nor as 'not computed'."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum  # noqa: E402

from chrysalide.community import community  # noqa: E402
from chrysalide.journeys import journeys  # noqa: E402
from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections import (  # noqa: E402
    section_journeys,
    section_network,
    section_responses,
    section_summary,
)
from chrysalide.store import Store  # noqa: E402


def test_a_source_without_replies_has_no_network_because_it_records_none(store: Store) -> None:
    f = Forum(store, "solo")  # every message its own thread: the French IVF forum's shape
    for member in (1, 2):
        f.member(member), f.thread(member)
        f.post(member, member, "2021-04-01 10:00")
    f.save()
    community(store)
    network = section_network(Context(store))
    assert network.missing is not None and "not computed" not in network.missing
    assert "solo: no thread has a second message" in network.missing


def test_comments_without_their_submissions_withhold_every_response_figure(store: Store) -> None:
    f = Forum(store, "comments")
    for member in (1, 2, 3):
        f.member(member)
    f.thread(1)
    for member, at in ((1, "2021-01-01 10:00"), (2, "2021-01-01 10:30"), (3, "2021-01-01 11:00")):
        f.post(member, 1, at, parent_missing="t3_a", code="collaborative")
    f.save()
    community(store)
    journeys(store, permutations=0)
    ctx = Context(store)
    responses = section_responses(ctx)
    assert dict(responses.facts)["requests answered / within 3 h"] == "- / -"
    assert any("comments: its messages reply to messages it lacks" in p for p in responses.paragraphs)
    assert any("1 threads have no thread figure" in p for p in responses.paragraphs)
    summary = section_summary(ctx)
    (row,) = [r for r in summary.tables[0].rows if r[0] == "response to newcomers"]
    assert row[1].startswith("not measurable (comments: its messages reply to messages it lacks")
    assert "within 3 hours" not in summary.paragraphs[0]
    assert "reply to messages it lacks" in (section_network(ctx).missing or "")
    milestones = {row[0]: row[1:] for row in section_journeys(ctx).tables[0].rows}
    assert milestones["first reply to another member"] == milestones["in a month's core"] == ["-", "-", "-"]
    assert milestones["first collaborative message"][:2] == [3, "100%"]
