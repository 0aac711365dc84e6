"""The report's community figures say what they count: requests left out where replies were not collected, the
largest stage, the network's two edge counts, and volume bursts that are changes of level. Values by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum, weekly_alerts  # noqa: E402

from chrysalide.community import community  # noqa: E402
from chrysalide.community.bursts import level_change  # noqa: E402
from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections import section_network, section_responses, section_summary  # noqa: E402
from chrysalide.report.html.sections.alerts import section_alerts  # noqa: E402
from chrysalide.report.html.sections.community import answer_words, newcomers_judged, unrecorded  # noqa: E402
from chrysalide.report.html.sections.summary import _largest_stage, _stages_present  # noqa: E402
from chrysalide.store import Store  # noqa: E402
from chrysalide.units import sentence  # noqa: E402


def _finding(ctx: Context, topic: str) -> str:
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == topic]
    return str(row[1])


def test_requests_from_days_without_collected_replies_are_left_out_and_said(store: Store) -> None:
    # Requests are coded individual. A history: member 1's request (2020-01-10) beside two comments on missing parents, that day and the next:
    # replies were not collected. Whole threads later: member 2's request (2021-03-01 10:00), answered by member 3
    # in 1 hour, and again four days later, so that the request is not too near the end of collection to be judged.
    # Counted: 1 request, answered within 3 hours (100%); left out: 1 of 2.
    f = Forum(store, "mixed")
    for member in (1, 2, 3):
        f.member(member)
    for thread in (1, 2, 11, 12):
        f.thread(thread)
    f.post(1, 1, "2020-01-10 10:00", code="individual")
    f.post(1, 11, "2020-01-10 11:00", parent_missing="t1_a")
    f.post(1, 12, "2020-01-11 11:00", parent_missing="t1_b")
    request = f.post(2, 2, "2021-03-01 10:00", code="individual")
    f.post(3, 2, "2021-03-01 11:00", reply_to=request)
    f.post(3, 2, "2021-03-05 11:00", reply_to=request)
    f.save()
    community(store)
    ctx = Context(store)
    responses = section_responses(ctx)
    facts = dict(responses.facts)
    assert (
        facts["requests (first message opens a thread, coded individual)"]
        == "2, 1 of them whose replies were collected"
    )
    assert facts["requests answered / within 3 h"] == "100% / 100%"
    assert facts["threads never answered"] == "0% of the 1 whose replies were collected"
    (said,) = [p for p in responses.paragraphs if "left out" in p]
    assert said.startswith("1 of the 2 requests, 1 of the 3 newcomers' first messages, 1 of the 2 threads are left out")
    assert "(newcomers' first messages from 2020-01-10 to 2020-01-10)" in said
    assert "answer messages the source lacks" in said
    here = _finding(ctx, "response to newcomers")
    assert here.startswith(
        "100% of 1 newcomers' requests (first messages opening a thread to ask for help, whose replies were collected)"
    )
    assert "1 of the 2 requests are left out: their replies were not collected." in section_summary(ctx).paragraphs[0]


def test_requests_judged_by_the_replies_their_source_declares_are_counted_and_said(store: Store) -> None:
    # Requests coded individual. A history (replies not collected, as above): member 1's request (2020-01-10 10:00) declares 3 replies, none
    # stored: answered; member 2's (12:00) declares 0: not answered. Whole threads later: member 3's request
    # (2021-03-01 10:00, declares 1) answered by member 4 in 1 hour. Requests answered 2 of 3, within 3 hours 1 of
    # the 1 whose replies were collected; threads never answered 1 of 3; 2 judged by the count, 1 of them answered.
    # Member 4 answers again four days later: the collection does not end within 3 hours of the last request.
    f = Forum(store, "histories")
    for member in (1, 2, 3, 4):
        f.member(member)
    for thread in (1, 2, 3, 11, 12):
        f.thread(thread)
    f.post(1, 1, "2020-01-10 10:00", declared=3, code="individual")
    f.post(1, 11, "2020-01-10 11:00", parent_missing="t1_a")
    f.post(2, 2, "2020-01-10 12:00", declared=0, code="individual")
    f.post(1, 12, "2020-01-11 11:00", parent_missing="t1_b")
    request = f.post(3, 3, "2021-03-01 10:00", declared=1, code="individual")
    f.post(4, 3, "2021-03-01 11:00", reply_to=request)
    f.post(4, 3, "2021-03-05 11:00", reply_to=request)
    f.save()
    community(store)
    ctx = Context(store)
    responses = section_responses(ctx)
    facts = dict(responses.facts)
    assert facts["requests (first message opens a thread, coded individual)"] == (
        "3, 2 of them judged by the number of replies their source declares"
    )
    assert facts["requests answered / within 3 h"] == "67% / 100%"
    assert facts["threads never answered"] == "33% of the 3 whose replies were collected or declared by their source"
    assert not [p for p in responses.paragraphs if "left out" in p]
    (said,) = [p for p in responses.paragraphs if "declares" in p]
    assert said.startswith("2 of the 3 threads and 2 of the 3 requests are judged by the number of replies")
    assert "1 of those threads got an answer; the others are never answered" in said
    here = _finding(ctx, "response to newcomers")
    assert here.startswith(
        "100% of 1 newcomers' requests (first messages opening a thread to ask for help, whose replies were collected)"
    )
    assert "; 2 more requests are judged answered or not by the number of replies their source declares" in here


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
        # Fiv.fr: the estimate ranks individual first, the primary codes collaborative: about as large.
        ((0.407, 0.15, 0.386, 0.057, 0.0), (53, 23, 62, 7, 0), "The two largest stages are about as large: "
         "individual, an estimated 40.7% (53 of 145 primary codes), and collaborative, an estimated 38.6% (62): the "
         "estimate, corrected for the coder's errors, ranks individual first and the primary codes collaborative"),
        # Estimates 2.0 points apart (as shown), same order of primary codes: about as large.
        ((0.407, 0.15, 0.387, 0.056, 0.0), (62, 23, 53, 7, 0), "The two largest stages are about as large: "
         "individual, an estimated 40.7% (62 of 145 primary codes), and collaborative, an estimated 38.7% (53): their "
         "estimates, corrected for the coder's errors, are within 2 points of each other, the coder's error on a "
         "stage's share"),
        # 2.1 points apart, same order: individual is the largest.
        ((0.407, 0.15, 0.386, 0.057, 0.0), (62, 23, 53, 7, 0), "The largest stage is individual (an estimated "
         "40.7%, corrected for the coder's errors; 62 of 145 primary codes)"),
        # Within 2 points and ranked the other way by the primary codes.
        ((0.30, 0.29, 0.2, 0.1, 0.11), (28, 30, 20, 10, 12), "The two largest stages are about as large: "
         "individual, an estimated 30.0% (28 of 100 primary codes), and community, an estimated 29.0% (30): their "
         "estimates, corrected for the coder's errors, are within 2 points of each other, the coder's error on a "
         "stage's share, and the primary codes rank them the other way"),
    ],
)  # fmt: skip
def test_the_largest_stage_is_mostly_only_above_half(shares, counts, said) -> None:
    total = sum(counts)
    assert _largest_stage(dict(zip(STAGES, shares, strict=True)), dict(zip(STAGES, counts, strict=True)), total) == said


@pytest.mark.parametrize(
    ("n", "said"),
    [(4, "all four of the study's stages occur"), (3, "3 of the study's 4 stages occur"),
     (1, "1 of the study's 4 stages occurs")],
)  # fmt: skip
def test_how_many_of_the_study_stages_occur_in_words(n, said) -> None:
    assert _stages_present(n) == said


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


#: A flat forum (no message says whom it answers): thread 1, members 1, 2, 3 and 1 again; threads 2 and 3, member 4's
#: posts, each answered by one member (1, then 2). Each message after the first answers the one before it.
FLAT = {1: [1, 2, 3, 1], 2: [4, 1], 3: [4, 2]}


def test_a_network_of_inferred_replies_says_what_its_core_is(store: Store) -> None:
    """Regression: r/BPD's core members (the main k-core, which counts a link whatever its weight) held 31 members of
    5 messages or fewer, one of them answered by 168 members under their one post, and nothing said so. Here every
    reply is inferred; 1, 2 and 3 form a triangle and 4 is linked to 1 and 2: all four are in the 2-core, and 4
    answered no one."""
    f = Forum(store, "flat")
    for member in (1, 2, 3, 4):
        f.member(member)
    hour = 0
    for thread, authors in FLAT.items():
        f.thread(thread)
        for author in authors:
            hour += 1
            f.post(author, thread, f"2021-01-01 {hour:02d}:00")
    f.save()
    run = community(store)
    replies = sum(len(authors) - 1 for authors in FLAT.values())  # every message after a thread's first
    answering = {a for authors in FLAT.values() for a, b in zip(authors[1:], authors, strict=False) if a != b}
    core = run.summary["core_members"]
    silent = core - len(answering)
    assert (run.summary["network_replies"], run.summary["network_inferred_replies"], core) == (replies, replies, 4)
    said = [p for p in section_network(Context(store)).paragraphs if "inferred" in p]
    assert said == [
        f"None of the {replies} replies that link members here says whom it answers: the member answered is inferred "
        "(the author of the message before, in a flat thread; the author of the post a comment is under, where "
        "comments name no parent) and weighs less in a member's strength, but the core counts a link whatever its "
        "weight. A member whose post drew comments from many members is then a core member though they answered few "
        f"or none ({silent} of the {core} core members answered no one): read the core as the members the "
        "conversations gather around, not as those who help most."
    ]


def test_a_network_whose_replies_name_their_parent_says_nothing_of_it(store: Store) -> None:
    f = Forum(store, "tree")
    for member in (1, 2, 3):
        f.member(member)
    f.thread(1)
    a = f.post(1, 1, "2021-01-01 10:00")
    b = f.post(2, 1, "2021-01-01 11:00", reply_to=a)
    c = f.post(3, 1, "2021-01-01 12:00", reply_to=b)
    f.post(1, 1, "2021-01-01 13:00", reply_to=c)
    f.save()
    run = community(store)
    assert (run.summary["network_replies"], run.summary["network_inferred_replies"], run.summary["core_members"]) == (
        3, 0, 3)  # fmt: skip
    assert not any("inferred" in p for p in section_network(Context(store)).paragraphs)


@pytest.mark.parametrize(
    ("weeks", "span", "level"), [(52, 600, False), (53, 600, True), (10, 19, True), (10, 20, False)]
)
def test_a_burst_longer_than_a_year_or_half_the_series_is_a_change_of_level(weeks, span, level) -> None:
    assert level_change(weeks, span) is level


def test_a_long_volume_burst_is_a_change_of_level_and_a_share_burst_is_compared_first(store: Store) -> None:
    weekly_alerts(store, [("volume", "messages", "2016-01-04", "2017-03-05", 61, 3.0, 90.0),
                    ("stage", "societal", "2017-06-05", "2017-06-25", 3, 2.5, 20.0)])  # fmt: skip
    ctx = Context(store)
    assert _finding(ctx, "crisis") == (
        "heaviest burst in a share: societal messages, 2017-06-05 to 2017-06-25 (3 weeks), 2.5 times their average "
        "share of the week's messages; heaviest burst of volume 2016-01-04 to 2017-03-05 (61 weeks), 3.0 messages a "
        "week against 0.1 in the other weeks (3.0 times the average week): a change of level (how the data were collected, or the forum's growth) rather than a "
        "crisis"
    )
    (said,) = [p for p in section_alerts(ctx).paragraphs if "change of level" in p]
    assert "(2016-01-04 to 2017-03-05 (61 weeks), more than 52 weeks)" in said


def test_a_short_volume_burst_stays_a_burst(store: Store) -> None:
    weekly_alerts(store, [("volume", "messages", "2016-01-04", "2016-02-07", 5, 3.0, 90.0)])
    ctx = Context(store)
    assert _finding(ctx, "crisis") == (
        "heaviest burst of volume 2016-01-04 to 2016-02-07 (5 weeks), 3.0 messages a week against 0.9 in the other "
        "weeks (3.0 times the average week); no burst in "
        "a stage's or watched term's share"
    )
    assert not [p for p in section_alerts(ctx).paragraphs if "change of level" in p]


def test_sources_are_named_as_sources_quoted_not_bare() -> None:
    # A source is named after its file or folder ("data"): bare before its reason it read as a word of the sentence.
    one = {"sources": {"data": {"replies": "submission_only"}, "forum": {"replies": "tree"}}}
    assert unrecorded(one).startswith("source 'data': its comments name only the post they are under")
    two = {"sources": {"a": {"replies": "none"}, "b": {"replies": "none"}}}
    assert unrecorded(two) == "sources 'a', 'b': no thread has a second message"
    assert unrecorded({"sources": {"forum": {"replies": "tree"}}}) == ""
    assert sentence("source 'a': none") == "Source 'a': none."


def test_a_long_burst_in_a_share_is_a_change_of_level_too(store: Store) -> None:
    # 200 weeks: a 134-week burst of individual messages is more than 52 weeks, so a change of level, not a crisis.
    weekly_alerts(store, [("stage", "individual", "2015-03-02", "2017-09-24", 134, 1.9, 80.0)])
    ctx = Context(store)
    assert _finding(ctx, "crisis") == (
        "heaviest burst in a share: individual messages, 2015-03-02 to 2017-09-24 (134 weeks), 1.9 times their average "
        "share of the week's messages: a change of level in what was written (how the data were collected, or how "
        "the forum changed) rather than a crisis"
    )
    (said,) = [p for p in section_alerts(ctx).paragraphs if "change of level" in p]
    assert said.startswith("Burst in a share lasting more than a year or more than half of the corpus (individual "
                           "messages, 2015-03-02 to 2017-09-24 (134 weeks), more than 52 weeks)")  # fmt: skip


def test_a_shorter_burst_in_a_share_is_compared_before_a_heavier_change_of_level(store: Store) -> None:
    weekly_alerts(store, [("stage", "individual", "2015-03-02", "2017-09-24", 134, 1.9, 80.0),
                    ("term", "levothyrox", "2017-06-05", "2017-07-09", 5, 4.0, 30.0)])  # fmt: skip
    assert _finding(Context(store), "crisis") == (
        "heaviest short burst in a share: messages containing 'levothyrox', 2017-06-05 to 2017-07-09 (5 weeks), 4.0 "
        "times their average share of the week's messages"
    )


def test_a_shorter_volume_burst_is_named_beside_a_heavier_change_of_level(store: Store) -> None:
    # ADFD: an 88-week change of level outweighs the 11 weeks of the 2004 SSRI warnings, which the row left out.
    weekly_alerts(store, [("volume", "messages", "2016-01-04", "2017-09-03", 88, 4.3, 229.0),
                    ("volume", "messages", "2015-03-02", "2015-05-17", 11, 4.7, 33.0),
                    ("volume", "messages", "2017-10-02", "2017-10-15", 2, 6.0, 10.0)])  # fmt: skip
    assert _finding(Context(store), "crisis") == (
        "heaviest burst of volume 2016-01-04 to 2017-09-03 (88 weeks), 4.3 messages a week against 0.0 in the "
        "other weeks (4.3 times the average week): a change of level (how the data were collected, or the forum's "
        "growth) rather than a crisis; heaviest short burst of volume 2015-03-02 to 2015-05-17 (11 weeks), 4.7 "
        "messages a week against 0.8 in the other weeks (4.7 times the average week); no burst in a stage's or "
        "watched term's share"
    )


def test_a_share_that_cannot_be_computed_is_said_in_words_not_as_a_dash(store: Store) -> None:
    # ADFD dates messages by day: "- of 9 newcomers' requests ... got a direct answer within 3 hours". Here old
    # member 1 answers newcomer 2's request the same day (2021-01-01); newcomer 3's request (2021-01-02) is never
    # answered. Requests 2, answered 1 (50%), on the same day; within 3 hours: unknown; newcomers answered 1 of 2.
    f = Forum(store, "content")
    f.member(1, registered_at="2019-06-01"), f.member(2), f.member(3)
    f.thread(1), f.thread(2)
    request = f.post(2, 1, "2021-01-01", code="individual")
    f.post(1, 1, "2021-01-01", reply_to=request)
    f.post(3, 2, "2021-01-02", code="individual")
    f.save()
    community(store)
    ctx = Context(store)
    assert _finding(ctx, "response to newcomers") == (
        "whether 2 newcomers' requests (first messages opening a thread to ask for help) got a direct answer within 3 "
        "hours cannot be "
        "told (source 'content' dates messages by day only); 50% of them got one (median same day); 50% of all "
        "newcomers got one to their first message; how many threads were answered within 3 hours cannot be told "
        "either"
    )
    assert (
        " Whether newcomers' requests got a direct answer within 3 hours cannot be told (source 'content' dates "
        "messages by day only); 50% of the 2 got one (half of the answered ones on the same day)."
    ) in section_summary(ctx).paragraphs[0]
    (said,) = [p for p in section_responses(ctx).paragraphs if "by day only" in p]
    assert said.startswith("Source 'content' dates messages by day only: their delays are whole days")


@pytest.mark.parametrize(
    ("replies", "words"),
    [
        ({"forum": "tree"}, "a direct answer"),
        (
            {"content": "flat"},
            "an answer (a later message of its thread by someone else: source 'content', which does not record whom a"
            " message answers)",
        ),
        (
            {"a": "flat", "b": "flat", "c": "none"},
            "an answer (a later message of its thread by someone else: sources 'a', 'b', which do not record whom a"
            " message answers)",
        ),
        (
            {"pi": "tree", "content": "flat"},
            "a direct answer (in source 'content', which does not record whom a message answers, a later message of"
            " its thread by someone else)",
        ),
    ],
)
def test_an_answer_is_direct_only_where_the_sources_say_whom_a_message_answers(replies, words):
    """Regression: a flat forum's answer (any later message of the thread by someone else) was called "a direct
    answer", which on patient.info's reply tree is 43% of newcomers where the flat reading gives 87%."""
    summary = {"sources": {name: {"replies": kind} for name, kind in replies.items()}}
    assert answer_words(summary) == words


def test_a_newcomer_share_names_the_newcomers_it_rests_on():
    """Regression: "41% of all newcomers' first messages got one" rested on 46 of the 85 newcomers (r/covidlonghaulers
    with its histories: 39 posted where replies were not collected)."""
    assert newcomers_judged({"newcomers": 85, "newcomers_answered_known": 46}) == (
        "the 46 of the 85 newcomers whose answer can be seen"
    )
    assert newcomers_judged({"newcomers": 85, "newcomers_within_3h_known": 24}, "within_3h_known") == (
        "the 24 of the 85 newcomers whose answer time can be seen"
    )
    assert newcomers_judged({"newcomers": 12, "newcomers_answered_known": 12}) == "all newcomers"
    assert newcomers_judged({"newcomers": 12}) == "the newcomers whose answer can be seen"  # a run made before


def test_a_rate_of_a_hundred_or_more_reads_without_a_decimal(store: Store) -> None:
    """Regression (r/BPD): "6,109.0 messages a week". By hand: one week observing 150 messages where one a week is
    expected; the other 199 weeks hold (200 - 150) / 199 = 0.25 a week, "0.3" (under 100, one decimal stays)."""
    weekly_alerts(store, [("volume", "messages", "2016-01-04", "2016-01-10", 1, 150.0, 90.0)])
    assert "150 messages a week against 0.3 in the other weeks" in _finding(Context(store), "crisis")
