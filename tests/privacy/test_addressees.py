"""A reply that opens by naming a member who wrote earlier in its thread loses the name, whatever its case
(privacy/addressees.py).

An audit of the stored texts found replies opening with the first name of the member they answer, a common word
or in lower case ("Thanks <name>,", "Hi <name> \\r\\n", "Yes <Name>,", "<Name> thank you"), kept in clear; ADFD
greeted a user name of digits. The names here are made up: user names that are a first name and digits, whose first
names are English words ("robin", "hazel", "rusty", "willow", "sandy", "dusty"); expected outputs are written by
hand.
"""

from __future__ import annotations

import pytest

from chrysalide.privacy.addressees import Addressees
from chrysalide.privacy.scrubber import NameScrubber

NAMES = [
    ("robin5531", "M-00000000c1"),
    ("hazel38", "M-00000000c2"),
    ("rusty_4410", "M-00000000c3"),
    ("willow_2087", "M-00000000c4"),
    ("sandy71", "M-00000000c5"),
    ("dusty902", "M-00000000c6"),
    ("48213", "M-00000000c7"),  # a user name of digits, greeted as it is ("Hallo 48213")
    ("sonnenschein", "M-00000000c8"),  # a German word as a user name
    ("sure88", "M-00000000c9"),  # "Sure, ..." opens sentences
]
EARLIER = {pseudonym for _, pseudonym in NAMES}


@pytest.fixture(scope="module")
def scrubber() -> NameScrubber:
    return NameScrubber(NAMES, languages=("en",), addressees=Addressees(NAMES))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks robin,\n\nwould i get steroids from gp?", "Thanks M-00000000c1,\n\nwould i get steroids from gp?"),
        ("Hi hazel \r\n\r\nI read your post", "Hi M-00000000c2 \r\n\r\nI read your post"),
        ("Hello willow this is the first time", "Hello M-00000000c4 this is the first time"),
        ("Yes Rusty,C-Diff is mainly in the hospitals.", "Yes M-00000000c3,C-Diff is mainly in the hospitals."),
        ("Sandy, Well, join the boat!!!", "M-00000000c5, Well, join the boat!!!"),
        ("Dusty thank you for responding", "M-00000000c6 thank you for responding"),
        ("dusty!\nme too", "M-00000000c6!\nme too"),
        ("Thank you, robin", "Thank you, M-00000000c1"),
        ("Hallo 48213,\nich nehme das auch.", "Hallo M-00000000c7,\nich nehme das auch."),
        ("Hallo Sonnenschein, ich nehme das auch.", "Hallo M-00000000c8, ich nehme das auch."),
        ("Liebe sonnenschein\ndanke dir.", "Liebe M-00000000c8\ndanke dir."),
        ("Robin5531, see above", "M-00000000c1, see above"),
    ],
)
def test_a_reply_opening_with_an_earlier_authors_name_loses_it(
    scrubber: NameScrubber, text: str, expected: str
) -> None:
    assert scrubber.scrub(text, earlier=EARLIER) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I told robin that the gp was right.",  # mid-sentence
        "We went to the hazel wood, then rusty, the dog, ran off.",  # not at the opening
        "My rusty bike, again",  # not the opening word
        "Hazel eyes run in my family.",  # no mark of address after a bare first word
        "Sure, I agree with that.",  # a piece of a user name that opens sentences
        "Hi sure it helps",  # the same after a greeting
    ],
)
def test_other_words_stay(scrubber: NameScrubber, text: str) -> None:
    assert scrubber.scrub(text, earlier=EARLIER) == text


@pytest.mark.parametrize(
    "text",
    ["Thanks robin,\n\nwould i get steroids from gp?", "Yes Rusty,C-Diff is mainly in the hospitals.", "Hallo 48213,"],
)
def test_a_name_stays_when_its_member_wrote_nothing_earlier_in_the_thread(scrubber: NameScrubber, text: str) -> None:
    assert scrubber.scrub(text) == text  # a thread's first message: nobody wrote before
    others = EARLIER - {"M-00000000c1", "M-00000000c3", "M-00000000c7"}
    assert scrubber.scrub(text, earlier=others) == text


def test_two_members_sharing_a_first_name_the_earlier_author_is_named() -> None:
    names = [("robin5531", "M-00000000d2"), ("robin_777", "M-00000000d1")]
    scrubber = NameScrubber(names, languages=("en",), addressees=Addressees(names))
    assert scrubber.scrub("robin, thanks", earlier={"M-00000000d2"}) == "M-00000000d2, thanks"
    assert scrubber.counts["addressees"] == 1


# Two members sharing the first name "robin" (made up): the names of every position give it to one of them whatever
# the thread (the smaller pseudonym, M-00000000d1); at a reply's opening it is the earlier author's. "robin.4410" is a
# user name of several parts, a first name and digits, which names of several words replace whole.
SHARED = [("robin5531", "M-00000000d2"), ("Robin_777", "M-00000000d1"), ("robin.4410", "M-00000000d3")]


@pytest.fixture(scope="module")
def shared() -> NameScrubber:
    return NameScrubber(SHARED, languages=("en",), addressees=Addressees(SHARED))


@pytest.mark.parametrize(
    ("text", "earlier", "expected"),
    [
        ("Hi Robin,\nsame here", {"M-00000000d2"}, "Hi M-00000000d2,\nsame here"),
        ("Hi Robin,\nsame here", {"M-00000000d1"}, "Hi M-00000000d1,\nsame here"),
        ("Robin, thanks for this", {"M-00000000d2", "M-00000000c5"}, "M-00000000d2, thanks for this"),
        ("Hi Robin,\nsame here", {"M-00000000c5"}, "Hi M-00000000d1,\nsame here"),  # neither wrote before
        ("Hi Robin,\nsame here", {"M-00000000d1", "M-00000000d2"}, "Hi M-00000000d1,\nsame here"),  # both did
        ("I told Robin that", {"M-00000000d2"}, "I told M-00000000d1 that"),  # not at the opening
    ],
)
def test_a_first_name_two_members_share_names_the_one_who_wrote_earlier_in_the_thread(
    shared: NameScrubber, text: str, earlier: set[str], expected: str
) -> None:
    assert shared.scrub(text, earlier=earlier) == expected


@pytest.mark.parametrize(
    "earlier", [{"M-00000000d2"}, {"M-00000000d1"}, {"M-00000000d3"}, {"M-00000000d1", "M-00000000d3"}]
)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks robin.4410!", "Thanks M-00000000d3!"),
        ("Thanks Robin.4410! Sorry to jump in", "Thanks M-00000000d3! Sorry to jump in"),
        ("robin.4410, same here", "M-00000000d3, same here"),
    ],
)
def test_a_user_name_of_several_parts_at_the_opening_is_replaced_whole(
    shared: NameScrubber, text: str, expected: str, earlier: set[str]
) -> None:
    """Whoever wrote before, the user name is its member's, whole: no ".4410" is left after another robin's pseudonym
    (read before the other names, the addressee rule replaced "robin" alone)."""
    scrubbed = shared.scrub(text, earlier=earlier)
    assert scrubbed == expected
    assert ".4410" not in scrubbed and "4410" not in scrubbed


def test_names_of_several_words_and_surnames_go_whole_with_the_earlier_authors_pseudonym() -> None:
    names = [("Claire Dupont", "M-00000000e1"), ("claire_12", "M-00000000e0"), ("Jorinde_5", "M-00000000e3"),
             ("jorinde44", "M-00000000e2")]  # fmt: skip
    scrubber = NameScrubber(names, languages=("de",), addressees=Addressees(names))
    # A display name of two words is one member's, even where another member with its first name wrote before.
    assert scrubber.scrub("Hallo Claire Dupont, ja", earlier={"M-00000000e0"}) == "Hallo M-00000000e1, ja"
    # The surname after a first name two members share goes with it, under the earlier author's pseudonym.
    assert scrubber.scrub("Hallo Jorinde Brandauer,\nich", earlier={"M-00000000e3"}) == "Hallo M-00000000e3,\nich"
    assert scrubber.scrub("Hallo Jorinde Brandauer,\nich", earlier={"M-00000000e2"}) == "Hallo M-00000000e2,\nich"
