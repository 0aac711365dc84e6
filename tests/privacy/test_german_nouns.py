"""A group a German greeting addresses is no person: an inflected form of a German noun stays a word
(privacy/names.py ``german_inflected_noun``, read by every rule that asks whether a word is a German word).

ADFD's greetings "Liebe Leidensgenossen!", "Hallo Moderatoren,", "Liebe ADFD-Neulinge," lost their nouns to the
greeting's cue of a person's name: the German dictionary, read in lower case, holds no noun. Expected outputs are
written by hand; the names are made up.
"""

from __future__ import annotations

import pytest

from chrysalide.privacy.names import german_inflected_noun
from chrysalide.privacy.scrubber import NameScrubber

P = "M-00000000ff"  # the pseudonym of every person in these tests


@pytest.fixture
def german() -> NameScrubber:
    return NameScrubber([("zq01vint", "M-00000000a1")], languages=["de"], person=lambda name: P)


@pytest.mark.parametrize(
    "text",
    [
        "Liebe Leidensgenossen! Nachdem ich Probleme habe mit dem Absetzen",
        "Hallo Moderatoren, macht es Sinn, den Beitrag zu teilen?",
        "Liebe ADFD-Neulinge, hier ein Link zu einem Text.",
        "Liebe Foren-Mitglieder, ein Hinweis vorab.",
    ],
)
def test_a_greeted_group_keeps_its_noun(german: NameScrubber, text: str) -> None:
    assert german.scrub(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hallo Sabine, danke dir.", f"Hallo {P}, danke dir."),
        ("Liebe Renate, ich nehme das auch.", f"Liebe {P}, ich nehme das auch."),
        ("Danke für alles.\nLG Jürgen", f"Danke für alles.\nLG {P}"),
        ("Hallo Zq01vint, wie geht es?", "Hallo M-00000000a1, wie geht es?"),
    ],
)
def test_a_name_still_goes(german: NameScrubber, text: str, expected: str) -> None:
    assert german.scrub(text) == expected


@pytest.mark.parametrize(
    ("word", "inflected"),
    [
        ("Neulinge", True),  # plural of "Neuling"
        ("Mitglieder", True),  # plural of "Mitglied"
        ("Foren-Mitglieder", True),  # a compound, by its last part
        ("Leidensgenossen", True),
        ("Video", False),  # a noun's own form: the dictionary holds first names so too
        ("Renate", False),
        ("Sabines", False),  # a genitive in "s" of a name
        ("Jürgen", False),
    ],
)
def test_inflected_forms(word: str, inflected: bool) -> None:
    assert german_inflected_noun(word) is inflected
