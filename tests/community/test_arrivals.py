"""Who is a newcomer when the record starts after the community did (left truncation), derived by hand.

r/covidlonghaulers' import (one scraped week of threads and 86 members' histories) counted 1,078 newcomers, 1,002 of
them first seen in that week, when 72% of the members whose histories show their past had posted there before. A
member without a registration date is a newcomer only when their first message comes at least 90 days (the burn-in,
``burn_in_days()``, migration 0023) after the start of the record that could hold their earlier messages.

Forum ``f``, first message 2020-01-01 10:00 (the record's start); no member but 4 and 5 has a registration date:
- 1 posts first on 2020-01-01 (0 days): burn-in; 2 on 2020-03-30 (89 days): burn-in; 3 on 2020-04-01 (91 days):
  newcomer;
- 4, registered 2020-01-10, posts first that day: newcomer at once; 5, registered 2019-06-01, posts first on
  2020-06-01: registered before the record's start, no newcomer;
- 6 and 7 have a record of their own from 2020-05-01 (a thread file's members without a history): 6 posts first on
  2020-05-10 (9 days after it, 130 after the forum's first message): burn-in; 7 on 2020-08-15 (106 days): newcomer.
Newcomers: 3, 4, 7. First seen within the burn-in: 1, 2, 6 (3). Registered before: 5.
"""

from pathlib import Path

from forum_builder import Forum

from chrysalide.community import community, newcomer_responses
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "reddit" / "patientpunk"


def _forum(store):
    f = Forum(store, "f")
    for member in (1, 2, 3):
        f.member(member, registered_at=None)
    f.member(4, registered_at="2020-01-10")
    f.member(5, registered_at="2019-06-01")
    f.member(6, registered_at=None, record_start="2020-05-01")
    f.member(7, registered_at=None, record_start="2020-05-01")
    for thread in range(1, 8):
        f.thread(thread)
    f.post(1, 1, "2020-01-01 10:00", code="individual")
    f.post(2, 2, "2020-03-30 10:00", code="individual")
    f.post(3, 3, "2020-04-01 10:00", code="individual")
    f.post(4, 4, "2020-01-10 10:00", code="individual")
    f.post(5, 5, "2020-06-01 10:00", code="individual")
    f.post(6, 6, "2020-05-10 10:00", code="individual")
    f.post(7, 7, "2020-08-15 10:00", code="individual")
    return f.save()


def test_members_first_seen_within_the_burn_in_are_no_newcomers(store):
    _forum(store)
    assert sorted(newcomer_responses(store)["member_id"]) == [3, 4, 7]
    s = community(store).summary
    assert (s["newcomers"], s["first_seen_in_burn_in"], s["first_seen_registered_before"]) == (3, 3, 1)
    assert s["burn_in_days"] == 90
    said = " ".join(section_responses(Context(store)).paragraphs)
    assert "3 members first seen less than 90 days after the start of the record" in said


def test_a_removed_first_message_is_no_opener_that_does_not_ask(store):
    """r/breastcancer: 520 of the 581 "openers coded other" were ``[removed]``. Members 1-3 register at their first
    post. 1 opens a thread with a removed body (no title to code it on: unreadable, coded other); 2 opens one coded
    other (a meme); 3 opens one coded individual (a request). Openers that do not ask: other 1; unreadable 1."""
    f = Forum(store, "f")
    for member in (1, 2, 3):
        f.member(member)
        f.thread(member, title=None)
    f.post(1, 1, "2021-01-04 10:00", "[removed]", code="other", left_out="removed")
    f.post(2, 2, "2021-01-05 10:00", "look at this cat", code="other", fs=0)
    f.post(3, 3, "2021-01-06 10:00", "my thyroid, what should I do", code="individual", fs=1)
    f.save()
    rows = newcomer_responses(store).set_index("member_id")
    assert rows["first_unreadable"].to_dict() == {1: True, 2: False, 3: False}
    s = community(store).summary
    assert (s["openers_not_requests"], s["openers_unreadable"], s["requests"]) == ({"other": 1}, 1, 1)
    said = " ".join(section_responses(Context(store)).paragraphs)
    assert "1 newcomers' first messages open a thread without asking for help (coded other 1)" in said
    assert "1 more open a thread with a body removed or deleted" in said


def test_thread_file_members_without_a_history_start_their_record_with_the_threads(store):
    """The PatientPunk fixture (tests/data/reddit/patientpunk): its thread file's first message is h1's post of
    2026-04-01 10:00; h2 has a history from 2024-06-01 (no account date), h1 none. The source's first message is
    h2's of 2024-06-01 09:00. h1's record starts on 2026-04-01 10:00, their first message: burn-in. h2's record is
    the source's: their first message is its first, burn-in too. No newcomer; two members first seen in the
    burn-in."""
    ingest(store, DATA, format="reddit", keep_names=True)
    starts = store.con.execute(
        "SELECT pseudonym, json_extract_string(meta, '$.record_start') FROM members WHERE role = 'member' ORDER BY 1"
    ).fetchall()
    assert starts == [("h1", "2026-04-01T10:00:00"), ("h2", None)]
    arrivals = store.con.execute("SELECT record_start, arrival FROM member_arrivals ORDER BY record_start").fetchall()
    assert [(str(at), arrival) for at, arrival in arrivals] == [
        ("2024-06-01 09:00:00", "burn_in"),
        ("2026-04-01 10:00:00", "burn_in"),
    ]
