"""French words that are members' first names stay words where no cue names the member (privacy/ambiguous.py,
privacy/positions.py).

Doctissimo IVG has members named "maman", "moi", "petite" or "girls" and digits: their first names "Maman", "Moi",
"Petite" and "Girls" were replaced in "je veux être Maman", "ma Maman", "Bonjour, Moi 29 ans, Maman de 3 garçons",
"Bonjour, Petite mise en situation" and "Bisou les Girls !!!". Expected outputs are written by hand.
"""

from __future__ import annotations

import pytest

from chrysalide.privacy.scrubber import NameScrubber

NAMES = [
    ("maman38", "M-000000ma01"),
    ("moi75", "M-000000mo02"),
    ("petite_lu", "M-000000pe03"),
    ("girls2000", "M-000000gi04"),
]
ENGLISH = [("angela_70513", "M-000000an05")]


@pytest.fixture
def french() -> NameScrubber:
    return NameScrubber(NAMES, contacts=False, languages=["fr"])


@pytest.mark.parametrize(
    "text",
    [
        # A capital mid-sentence: French writes a word for a person with one.
        'Moi quand je serai grande, je veux être Maman " ... Donc',
        "il s'est passé que j'ai perdu ma Maman , mon modèle",
        "Bisou les Girls !!!",
        # After a greeting and a comma, the word opens the sentence.
        "Bonjour, Moi 29 ans, Maman de 3 garçons (9, 6 et 2 ans)",
        "Bonjour, Petite mise en situation: je m'appelle",
        # The words in lower case, as ever.
        "ma maman et moi, on est allées à la petite clinique",
    ],
)
def test_french_words_of_first_names_stay_words(french: NameScrubber, text: str) -> None:
    assert french.scrub(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The member where a cue names her: right after a greeting, after @, as a signature, her whole user name.
        ("Merci Maman !", "Merci M-000000ma01 !"),
        ("@Maman tu as raison", "@M-000000ma01 tu as raison"),
        ("Courage à toi.\nBisous,\nMaman", "Courage à toi.\nBisous,\nM-000000ma01"),
        ("Merci maman38 pour ta réponse", "Merci M-000000ma01 pour ta réponse"),
        ("Bonjour Petite, je te réponds", "Bonjour M-000000pe03, je te réponds"),
        ("Coucou, Girls !", "Coucou, M-000000gi04 !"),  # a comma after the greeting, the name ends a phrase
    ],
)
def test_the_member_is_still_named_where_a_cue_says_so(french: NameScrubber, text: str, expected: str) -> None:
    assert french.scrub(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English: the dictionary lists first names ("angela"), so a capital mid-sentence still marks the name.
        ("I went to the doctor with Angela yesterday.", "I went to the doctor with M-000000an05 yesterday."),
        # After a greeting and a comma, a name that ends a line is still a name.
        ("Thank you,\n\nAngela\n\n0 Reply", "Thank you,\n\nM-000000an05\n\n0 Reply"),
    ],
)
def test_english_first_names_that_are_dictionary_words_still_go(text: str, expected: str) -> None:
    assert NameScrubber(ENGLISH, contacts=False, languages=["en"]).scrub(text) == expected
