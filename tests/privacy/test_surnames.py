"""Surnames written after a member's name go with it (privacy/surnames.py).

Expected outputs are written by hand. Members here are named by first names ("Jorinde", "Dana") or user names, as
the ADFD founders are; every name is invented.
"""

from __future__ import annotations

import pytest

from chrysalide.privacy.scrubber import NameScrubber

JORINDE, DANA, ZELMINA, KAREN = "M-00000000a1", "M-00000000a2", "M-00000000a3", "M-00000000a4"
NAMES = [("Jorinde", JORINDE), ("Dana", DANA), ("Zelmina", ZELMINA), ("karen2727", KAREN)]


@pytest.fixture
def scrub() -> NameScrubber:
    return NameScrubber(NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Freiburg im September 2003, Jorinde Brandauer", f"Freiburg im September 2003, {JORINDE}"),
        ("Thema Absetzen (Jorinde Brandauer)\n\nINFORMATIONEN", f"Thema Absetzen ({JORINDE})\n\nINFORMATIONEN"),
        ("Verteiler:\nForum ? Jorinde Brandauer\n\nweitere", f"Verteiler:\nForum ? {JORINDE}\n\nweitere"),
        # A first name a member shares with a public figure: the figure's surname goes with the member's pseudonym.
        ("Dana Mortensen has a really good video", f"{DANA} has a really good video"),
        ("Take a look at Dana Mortensen's videos", f"Take a look at {DANA}'s videos"),
        # Two names after the first ("Wendell Crumb"): both go, so that scrubbing again changes nothing.
        ("Like I was Dana Wendell Crumbley from a film", f"Like I was {DANA} from a film"),
    ],
)
def test_a_surname_after_a_member_s_name_goes_with_it(scrub: NameScrubber, text: str, expected: str) -> None:
    assert scrub.scrub(text) == expected
    assert scrub.scrub(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Words of the message's language, capitalised at a sentence's start without punctuation before it.
        ("Thanks karen2727 Great advice", f"Thanks {KAREN} Great advice"),
        ("Hi Dana Hope you are well", f"Hi {DANA} Hope you are well"),
        ("Danke Jorinde Das war gut", f"Danke {JORINDE} Das war gut"),
        # A health word, a hyphenated compound with a word in it, capitals, a short word.
        ("Hi Dana Xanax helped me", f"Hi {DANA} Xanax helped me"),
        ("Zu Jorinde Brandauer-Position", f"Zu {JORINDE} Brandauer-Position"),
        ("Hi Dana OMG", f"Hi {DANA} OMG"),
        ("Hi Dana Jo", f"Hi {DANA} Jo"),
        # After a genitive a noun follows (German writes it with a capital), after an @handle a sentence.
        ("Siehe auch Zelminas Recherchen.", f"Siehe auch {ZELMINA} Recherchen."),
        ("@karen2727 Basentabletten sind gut", f"@{KAREN} Basentabletten sind gut"),
        # On the next line: no surname.
        ("Cheers,\nDana\nMortensen Street is closed", f"Cheers,\n{DANA}\nMortensen Street is closed"),
    ],
)
def test_words_after_a_member_s_name_stay(scrub: NameScrubber, text: str, expected: str) -> None:
    assert scrub.scrub(text) == expected


def test_surnames_are_counted(scrub: NameScrubber) -> None:
    scrub.scrub("Jorinde Brandauer und Dana Mortensen")
    assert scrub.counts["surnames"] == 2
    assert scrub.counts["names"] + scrub.counts["first_names"] == 2
