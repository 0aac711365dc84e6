"""A member's name followed by an "s" (a genitive without its apostrophe) and a name glued after a greeting in lower
case are scrubbed (privacy/scrubber.py, privacy/glued.py).

ADFD wrote "<name>s Recherchen", patient.info "i think <name>s natural doctor": the word was no form of a name and
stayed. A greeting glued to a name in lower case ("bonjourpaquerette") was read only before a capital. The names here
are made up; expected outputs are written by hand.
"""

from __future__ import annotations

import pytest

from chrysalide.privacy.scrubber import NameScrubber

NAMES = [
    ("Paquerette", "M-00000000b1"),
    ("Zelmina_84", "M-00000000b2"),  # signs "Zelmina"
    ("Andrea", "M-00000000b3"),  # "Andreas" is another person's first name
    ("anyone_12", "M-00000000b4"),  # signs "anyone", an English word: "anyones" is no genitive of it
    ("biscus", "M-00000000b5"),  # "hibiscus" is a word, not "hi" and a name
    ("mortelle", "M-00000000b6"),  # "re" opens words ("remortelle" stays)
    ("king_42", "M-00000000b7"),  # "hiking" is a word
    ("tbox", "M-00000000b8"),  # "Hitbox", a gamers' word the dictionary lacks
]

CASES = [
    # A genitive without apostrophe, in German and English, with or without a capital.
    ("Siehe auch Zelminas Recherchen.", "Siehe auch M-00000000b2 Recherchen."),
    ("i think zelminas natural doctor is", "i think M-00000000b2 natural doctor is"),
    ("Paquerettes Frage war gut, ich habe sie auch gelesen", "M-00000000b1 Frage war gut, ich habe sie auch gelesen"),
    # French writes a plural so: the word stays.
    ("merci à mes paquerettes et à toutes", "merci à mes paquerettes et à toutes"),
    # With an apostrophe, as before: the "'s" stays after the pseudonym.
    ("Zelmina's post and Zelmina’s reply", "M-00000000b2's post and M-00000000b2’s reply"),
    # A first name in "s" after another, a word, a name that is a word: as written.
    ("Andreas sagt, Andrea schreibt", "Andreas sagt, M-00000000b3 schreibt"),
    ("curious if anyones family has been there", "curious if anyones family has been there"),
    # A greeting glued to a name in lower case, the name set apart and replaced.
    ("bonjourpaquerette ça va ?", "bonjour M-00000000b1 ça va ?"),
    ("coucouzelmina !", "coucou M-00000000b2 !"),
    ("hizelmina, thanks", "hi M-00000000b2, thanks"),
    ("Bonjourpaquerette", "Bonjour M-00000000b1"),
    ("BonjourpaqueretteHa ha", "Bonjour M-00000000b1 Ha ha"),
    # Ordinary words that open with a greeting stay whole.
    ("hibiscus and bonjours", "hibiscus and bonjours"),
    ("hiking with the kids", "hiking with the kids"),
    ("the Hitbox of that level is off", "the Hitbox of that level is off"),  # after "hi", six letters
    ("je suis pleine de remortelle", "je suis pleine de remortelle"),
]


@pytest.fixture(scope="module")
def scrubber() -> NameScrubber:
    return NameScrubber(NAMES, languages=("fr", "en", "de"))


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_genitives_and_lower_case_greetings(scrubber: NameScrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text) == expected


def test_a_member_named_so_keeps_the_first_name_in_s() -> None:
    """ "Andreas" is replaced when a member is named so, by that member's pseudonym, not Andrea's."""
    scrubber = NameScrubber([("Andrea", "M-00000000c1"), ("Andreas", "M-00000000c2")], languages=("de",))
    assert scrubber.scrub("Andreas und Andrea") == "M-00000000c2 und M-00000000c1"
