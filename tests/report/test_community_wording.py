"""The report's community figures say what they count: requests left out where replies were not collected, the
largest stage, and the network's two edge counts. Values by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum  # noqa: E402

from chrysalide.community import community  # noqa: E402
from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections import section_network, section_responses, section_summary  # noqa: E402
from chrysalide.report.html.sections.summary import _largest_stage  # noqa: E402
from chrysalide.store import Store  # noqa: E402


def _finding(ctx: Context, topic: str) -> str:
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == topic]
    return str(row[1])


def test_requests_from_days_without_collected_replies_are_left_out_and_said(store: Store) -> None:
    # A history: member 1's request (2020-01-10) beside two comments on missing parents, that day and the next:
    # replies were not collected. Whole threads later: member 2's request (2021-03-01 10:00), answered by member 3
    # in 1 hour. Counted: 1 request, answered within 3 hours (100%); left out: 1 of 2.
    f = Forum(store, "mixed")
    for member in (1, 2, 3):
        f.member(member)
    for thread in (1, 2, 11, 12):
        f.thread(thread)
    f.post(1, 1, "2020-01-10 10:00")
    f.post(1, 11, "2020-01-10 11:00", parent_missing="t1_a")
    f.post(1, 12, "2020-01-11 11:00", parent_missing="t1_b")
    request = f.post(2, 2, "2021-03-01 10:00")
    f.post(3, 2, "2021-03-01 11:00", reply_to=request)
    f.save()
    community(store)
    ctx = Context(store)
    responses = section_responses(ctx)
    facts = dict(responses.facts)
    assert facts["requests (first message opens a thread)"] == "2, 1 of them whose replies were collected"
    assert facts["requests answered / within 3 h"] == "100% / 100%"
    assert facts["threads never answered"] == "0% of the 1 whose replies were collected"
    (said,) = [p for p in responses.paragraphs if "left out" in p]
    assert said.startswith("1 of the 2 requests, 1 of the 3 newcomers' first messages, 1 of the 2 threads are left out")
    assert "(newcomers' first messages from 2020-01-10 to 2020-01-10)" in said
    assert "answer messages the source lacks" in said
    here = _finding(ctx, "response to newcomers")
    assert here.startswith(
        "100% of 1 newcomers' requests (first messages opening a thread, whose replies were collected)"
    )
    assert "1 of the 2 requests are left out: their replies were not collected." in section_summary(ctx).paragraphs[0]


STAGES = ("individual", "community", "collaborative", "societal", "other")


@pytest.mark.parametrize(
    ("shares", "counts", "said"),
    [
        # Above half: "mostly"; 'other' smaller either way: not named.
        ((0.1, 0.1, 0.6, 0.1, 0.1), (10, 10, 60, 10, 10), "Messages are coded mostly collaborative (an estimated "
         "60.0%, corrected for the coder's errors; 60 of 100 primary codes)"),
        # r/covidlonghaulers: collaborative the largest stage at 27.2%, 'other' more primary codes at 22.9%.
        ((0.239, 0.22, 0.272, 0.041, 0.229), (12484, 15052, 18401, 3324, 22117), "The largest stage is "
         "collaborative (an estimated 27.2%, corrected for the coder's errors; 18,401 of 71,378 primary codes); "
         "'other' (none of the study's stages) has more primary codes (22,117) for an estimated 22.9%"),
        # 'other' larger by its estimate too.
        ((0.2, 0.1, 0.3, 0.0, 0.4), (20, 10, 30, 0, 40), "The largest stage is collaborative (an estimated 30.0%, "
         "corrected for the coder's errors; 30 of 100 primary codes), but more messages are 'other' (none of the "
         "study's stages): an estimated 40.0% (40 primary codes)"),
    ],
)  # fmt: skip
def test_the_largest_stage_is_mostly_only_above_half(shares, counts, said) -> None:
    total = sum(counts)
    assert _largest_stage(dict(zip(STAGES, shares, strict=True)), dict(zip(STAGES, counts, strict=True)), total) == said


def test_the_network_counts_answering_pairs_and_linked_pairs_apart(store: Store) -> None:
    # 1 answers 2, 2 answers 1, 3 answers 1 (twice): answering pairs 1->2, 2->1, 3->1 = 3; linked pairs 1-2, 1-3 = 2.
    f = Forum(store, "tree")
    for member in (1, 2, 3):
        f.member(member)
    f.thread(1)
    a = f.post(2, 1, "2021-01-01 10:00")
    b = f.post(1, 1, "2021-01-01 11:00", reply_to=a)
    f.post(2, 1, "2021-01-01 12:00", reply_to=b)
    f.post(3, 1, "2021-01-01 13:00", reply_to=b)
    f.post(3, 1, "2021-01-01 14:00", reply_to=b)
    f.save()
    run = community(store)
    assert run.summary["network_answering_pairs"] == 3 and run.summary["network_edges"] == 2
    facts = dict(section_network(Context(store)).facts)
    assert facts["answering pairs (A answered B; B answering A is another)"] == "3"
    assert facts["pairs of members linked by a reply, either way (the edges the core is computed on)"] == "2"
