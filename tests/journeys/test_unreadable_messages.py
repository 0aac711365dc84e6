"""Removed and deleted bodies are no step of a journey: the decentering, the frame, transitions and survival.

Regression: on r/breastcancer 477 of the 708 members at risk who "never asked for themselves" wrote only
'[removed]' or '[deleted]' posts, coded 'other', and a removed post inside a journey added an 'other' step.

The forum (day 0 = 2021-01-01 09:00; each member in their own thread):
1. one post, '[removed]' in a thread without a title (a flat export's): the text step left it out, so it is
   unreadable; member 1 has no journey and is counted in ``members_unreadable``;
2. individual (day 0), '[removed]' reply (day 1, unreadable), collaborative decentered (day 3): at risk from day 0,
   decentered after 3 days; transitions individual -> collaborative only (not individual -> other -> collaborative);
3. a thread start whose body is '[removed]' but whose thread has a title: coded on its title (individual, day 0),
   so it is kept; collaborative decentered (day 2): at risk from day 0, decentered after 2 days;
4. '[removed]' (day 0, no title: unreadable), community (day 1), collaborative decentered (day 5): her first
   readable message is community, so she never asks and is at risk from day 1, decentered after 4 days (not from
   the removed post on day 0, after 5 days);
5. individual (day 0), '[removed]' (day 10, unreadable): at risk from day 0, never decenters, observed up to her
   last readable message, day 0 (not day 10);
6. '[removed]' (day 0) that the text step has not read (no text_features row): nothing is left out before the text
   step, so it is her first message, coded other: at risk from day 0, never asks.

By hand: members_coded 5 (2 to 6), members_unreadable 1 (member 1), messages_unreadable 4 (members 1, 2, 4, 5),
arrived_helping 0, at_risk 5, at_risk_without_request 2 (4 and 6), decentered 3 (2, 3, 4); transitions
individual -> collaborative 2 (members 2, 3), community -> collaborative 1 (member 4), 3 in all.
"""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys import entry_table, journeys, member_table, survival
from chrysalide.journeys.decentering import decentering_table
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys, section_summary
from chrysalide.report.html.sections.journeys import unreadable_left_out
from chrysalide.store.unreadable import unreadable_counts

DAY0 = pd.Timestamp("2021-01-01 09:00")
REMOVED = "[removed]"


def day(n: float) -> pd.Timestamp:
    return DAY0 + pd.Timedelta(days=n)


def _forum(store):
    f = Forum(store)
    for member in range(1, 7):
        f.member(member)
        f.thread(member, title="A question about my scan" if member == 3 else None)
    f.post(1, 1, day(0), REMOVED, code="other", left_out="removed")
    f.post(2, 2, day(0), "I have a lump, what should I do?", code="individual", fs=2)
    f.post(2, 2, day(1), REMOVED, code="other", left_out="removed")
    f.post(2, 2, day(3), "Ask for an ultrasound, it helped others", code="collaborative", decentered=True, fs=0)
    f.post(3, 3, day(0), REMOVED, code="individual", left_out="removed")  # coded on its thread's title
    f.post(3, 3, day(2), "Get a second opinion", code="collaborative", decentered=True, fs=0)
    f.post(4, 4, day(0), REMOVED, code="other", left_out="removed")
    f.post(4, 4, day(1), "Thank you all, we are a family", code="community", fp=1)
    f.post(4, 4, day(5), "Keep asking your oncologist", code="collaborative", decentered=True, fs=0)
    f.post(5, 5, day(0), "My biopsy is tomorrow, I am scared", code="individual", fs=2)
    f.post(5, 5, day(10), REMOVED, code="other", left_out="removed")
    f.post(6, 6, day(0), REMOVED, code="other")  # not read by the text step: no text_features row
    return f.save()


# member -> (entry, at_risk_since day, decentered day), as the module docstring derives them
EXPECTED = {2: ("request", 0, 3), 3: ("request", 0, 2), 4: ("first_message", 1, 5), 5: ("request", 0, None),
            6: ("first_message", 0, None)}  # fmt: skip


def test_stage_mix_counts_removed_bodies_but_not_a_start_coded_on_its_title(store):
    from chrysalide.coding.shares import removed_bodies

    _forum(store)
    # Five posts the text step left out as removed; member 3's thread start is coded on its title (individual):
    # it is no 'other' body of the mix. Member 6's was never read by the text step.
    assert removed_bodies(store) == 4


def test_decentering_reads_readable_messages_only(store):
    _forum(store)
    view = decentering_table(store).set_index("member_id")
    assert sorted(view.index) == sorted(EXPECTED)  # member 1 wrote only a removed body
    for member, (entry, since, decentered) in EXPECTED.items():
        row = view.loc[member]
        assert not row["arrived_helping"], member
        assert row["entry"] == entry, member
        assert row["at_risk_since"] == day(since), member
        assert (row["decentered_at"] == day(decentered)) if decentered else pd.isna(row["decentered_at"]), member
    assert view.loc[5, "last_at"] == day(0)  # the removed post of day 10 ends no observation
    assert unreadable_counts(store) == {"members_unreadable": 1, "messages_unreadable": 4}


def test_journeys_and_survival_leave_removed_bodies_out(store):
    _forum(store)
    done = journeys(store)
    s = done.summary
    assert (s["members_coded"], s["members_unreadable"], s["messages_unreadable"]) == (5, 1, 4)
    assert (s["arrived_helping"], s["at_risk"], s["at_risk_without_request"], s["decentered"]) == (0, 5, 2, 3)
    assert s["transitions"] == 3
    moves = store.con.execute(
        "SELECT from_stage, to_stage, n FROM journey_transitions WHERE run_id = ? ORDER BY 1, 2", [done.run_id]
    ).fetchall()
    assert moves == [("community", "collaborative", 1), ("individual", "collaborative", 2)]
    table = member_table(store, done.run_id).set_index("member_id")
    assert sorted(table.index) == [2, 3, 4, 5, 6]
    assert table.loc[2, "n_messages"] == 2 and table.loc[4, "first_post_at"] == day(1)
    assert table.loc[4, "days_to_decentered"] == pytest.approx(4)
    stages = store.con.execute(
        "SELECT list(stage ORDER BY seq) FROM journey_stages WHERE run_id = ? AND member_id = 2", [done.run_id]
    ).fetchone()
    assert stages == (["individual", "collaborative"],)

    entries = entry_table(store).set_index("member_id")
    assert entries.loc[5, "days"] == 0 and not entries.loc[5, "event"]  # censored at her last readable message
    assert entries.loc[4, "days"] == pytest.approx(4)
    km = survival(store).summary
    assert (km["members_coded"], km["members_unreadable"], km["at_risk"]) == (5, 1, 5)


def test_report_sentence_counts_what_is_left_out(store):
    _forum(store)
    sentence = unreadable_left_out(journeys(store).summary, "Journeys")
    assert sentence is not None
    assert "leave out the 4 messages of members that hold no word of their author" in sentence
    assert "1 member wrote nothing else: they have no journey" in sentence
    assert unreadable_left_out({"members_unreadable": 0, "messages_unreadable": 0}, "Journeys") is None
    assert unreadable_left_out({}, "Journeys") is None  # a run made before the counts


def test_report_sentence_on_one_message_and_no_member_left_out():
    # Regression: patient.info's report said "the 1 messages of members that hold no word ... cannot be read.."
    sentence = unreadable_left_out({"members_unreadable": 0, "messages_unreadable": 1}, "Journeys")
    assert sentence is not None
    assert "leave out the 1 message of a member that holds no word of their author" in sentence
    assert sentence.endswith("what was written cannot be read.")
    sentence = unreadable_left_out({"members_unreadable": 2, "messages_unreadable": 3}, "Journeys")
    assert sentence is not None and sentence.endswith("they have no journey and are not among the members coded.")


def test_report_sections_say_who_is_left_out(store):
    _forum(store)
    journeys(store)
    survival(store)
    ctx = Context(store)
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "decentering"]
    assert (
        "; 1 member whose every message holds no word of theirs (bodies removed by moderators or deleted by" in row[1]
    )
    assert "'[deleted]'), or only a quote, a picture or a bot command) is left out, as what they wrote cannot" in row[1]
    section = section_journeys(ctx)
    assert ("members with coded messages", "5 (1 more whose every message holds no word of theirs, left out)") in (
        section.facts
    )
    assert any(p.startswith("Journeys, the panel and decentering leave out the 4 messages") for p in section.paragraphs)
