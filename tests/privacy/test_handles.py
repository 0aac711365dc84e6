"""u/handles in every form Reddit's user names take, and what is no handle (units, subreddits, addresses).

Regression: r/covidlonghaulers' texts kept handles written with a capital U and names with a digit first (as
``U/zoopadoo``, ``u/2SleepyOwl``): the handle pattern wanted a lower-case "u/" and a letter first. Reddit's names
are 3 to 20 letters, digits, "-" and "_" (``chkuser`` of reddit-archive/reddit). Names here are made up.
"""

from __future__ import annotations

from collections import Counter

import pytest

from chrysalide.privacy.handles import handle_names, handles


@pytest.mark.parametrize(
    ("text", "expected", "names"),
    [
        ("talking to U/zoopadoo about", "talking to U/[user] about", ["zoopadoo"]),
        ("u/2SleepyOwl -Would you", "u/[user] -Would you", ["2SleepyOwl"]),
        ("see /u/KL_Hendrix.", "see /u/[user].", ["KL_Hendrix"]),
        ("(u/_under-score_, u/Vitamen-Q-)", "(u/[user], u/[user])", ["_under-score_", "Vitamen-Q-"]),
        ("ask u/weary", "ask u/[user]", ["weary"]),  # a common word, and still a user's name here
        # A name ending in digits, or a pseudonym, before a handle is no number before a unit.
        ("u/Lamp_4411 u/Trifle27", "u/[user] u/[user]", ["Lamp_4411", "Trifle27"]),
        ("u/M-0123456789 u/Trifle27", "u/M-0123456789 u/[user]", ["Trifle27"]),
        # No handle: a subreddit, a unit after a number, two letters, a path, a pseudonym, a placeholder.
        ("r/covidlonghaulers", "r/covidlonghaulers", []),
        ("2500 U/mL, 2497 u/mL, U/S scan, 10 U/day", "2500 U/mL, 2497 u/mL, U/S scan, 10 U/day", []),
        ("u/M-0123456789 and u/[user]", "u/M-0123456789 and u/[user]", []),
        # Longer than Reddit allows: no Reddit name.
        ("u/abcdefghijklmnopqrstu", "u/abcdefghijklmnopqrstu", []),
    ],
)
def test_u_handles_in_every_form_and_what_is_none(text, expected, names):
    counts: Counter[str] = Counter()
    assert handles(text, counts) == expected
    assert handle_names(text) == names
    assert counts["handles"] == len(names)


def test_at_handles_still_want_a_letter_first():
    # "@2pm" is a time; an @handle of any site keeps its rule.
    assert handles("@bob and @2pm, mail x@example.org", Counter()) == "@[user] and @2pm, mail x@example.org"
    assert handle_names("@bob") == []  # only u/ names a Reddit user


def test_a_reddit_profile_s_address_names_its_user_and_stays_for_the_contact_rules():
    """The address is no handle (the contact rules replace it), but its user name is a name of the source."""
    text = "https://reddit.com/u/someone_else and menu/abc, [x](https://www.reddit.com/user/Quill_moss/)"
    assert handles(text, Counter()) == text
    assert handle_names(text) == ["someone_else", "Quill_moss"]
    assert handle_names("https://reddit.com/u/M-0123456789/") == []
