"""Members whose own history the source holds are counted where they make up a figure, and the report says what
that figure then describes.

Regression: on the r/covidlonghaulers histories (``--boards covidlonghaulers``) all 85 newcomers and all 72 members
at risk are the 86 members whose histories were scraped, chosen because they posted in the week of threads
collected; the report gave "48 of the 72 members at risk (67%) went on to help others" as the community's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from forum_builder import Forum

from chrysalide.community import community
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys
from chrysalide.report.histories import at_risk_histories, message_histories, newcomer_histories
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys, section_responses, section_summary
from chrysalide.store import Store
from chrysalide.store.histories import count_histories, history_members, history_messages

PATIENTPUNK = Path(__file__).resolve().parents[1] / "data" / "reddit" / "patientpunk"


def test_a_user_history_file_marks_its_author(store: Store, tmp_path: Path) -> None:
    shutil.copytree(PATIENTPUNK, tmp_path / "pp")
    ingest(store, tmp_path / "pp", format="reddit")
    held = history_members(store)
    names = dict(store.con.execute("SELECT member_id, json_extract_string(meta, '$.history') FROM members").fetchall())
    assert len(held) == 1 and names[next(iter(held))] == "true"  # h2's history file; h1 only wrote in the thread file
    assert sum(v == "true" for v in names.values()) == 1


def _forum(store: Store) -> None:
    """By hand, a flat forum: members 1-4 each open a thread asking for help (coded individual) and later help
    another member (coded collaborative, decentered); members 1-3's histories are held (members.meta.history);
    member 5 answers everyone."""
    f = Forum(store)
    for member in range(1, 6):
        f.member(member)
    for member in range(1, 5):
        f.thread(member)
        f.post(member, member, f"2021-01-0{member} 10:00", "how do I cope, any advice?", code="individual")
        f.post(5, member, f"2021-01-0{member} 11:00", "rest helped me", code="collaborative")
    f.thread(9)
    f.post(5, 9, "2021-02-01 10:00", "my fatigue is back", code="individual")
    for member in range(1, 5):
        f.post(member, 9, f"2021-02-0{member + 1} 10:00", "pacing helped me", code="collaborative", decentered=True)
    f.save()
    store.con.execute("UPDATE members SET meta = '{\"history\": true}' WHERE member_id IN (1, 2, 3)")


def test_the_summaries_count_history_members_and_the_report_says_whom_the_figures_describe(store: Store) -> None:
    _forum(store)
    assert count_histories(store, [1, 2, 4, 5]) == 2
    assert history_messages(store) == (6, 13)  # members 1-3, 2 messages each, of 13
    j = journeys(store, permutations=0).summary
    c = community(store).summary
    assert (j["at_risk_histories"], j["decentered_histories"]) == (3, 3)
    assert c["newcomers_histories"] == 3 and (c["messages_by_histories"], c["messages_with_histories"]) == (6, 13)
    at_risk = at_risk_histories(j)
    assert at_risk.startswith(f"3 of the {j['at_risk']} members at risk are members whose own history the source holds")
    assert newcomer_histories(c).startswith(f"3 of the {c['newcomers']} newcomers are members whose own history")
    assert message_histories(c).startswith("6 of the 13 messages (46%) were written by members whose own history")
    ctx = Context(store)
    assert any(p.startswith(at_risk[:40]) for p in section_journeys(ctx).paragraphs)
    assert any(p.startswith("3 of the") and "newcomers" in p for p in section_responses(ctx).paragraphs)
    rows = {r[0]: str(r[1]) for r in section_summary(ctx).tables[0].rows}
    assert at_risk in rows["decentering"] and "newcomers whose own history" not in rows["decentering"]
    assert newcomer_histories(c) in rows["response to newcomers"]
    assert message_histories(c) in rows["stage mix"]


def test_few_history_members_are_not_said() -> None:
    assert at_risk_histories({"at_risk": 100, "at_risk_histories": 9}) == ""
    assert at_risk_histories({"at_risk": 100, "at_risk_histories": 10}) != ""
    assert newcomer_histories({}) == "" and message_histories({"messages_with_histories": 0}) == ""
