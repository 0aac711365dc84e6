"""A member's name glued to digits or, where an export dropped the line breaks around it, to the next line's first
word (privacy/glued.py, GluedNames).

Fiv.fr's stored text holds "...&start=3840<name>," (an address written without http:// and a name after it) and
"...pensé.<name>tu es la 4eme" (a name on a line of its own, both line breaks lost): the name was no word of the
message and stayed. The names here are made up in those shapes. Expected outputs are written by hand: the name set
apart and replaced, and every word that only looks glued left as written.
"""

from __future__ import annotations

import duckdb
import pytest

from chrysalide.privacy.glued import GLUED_CANDIDATE
from chrysalide.privacy.scrubber import NameScrubber

NAMES = [
    ("Paquerette", "M-00000000b1"),
    ("karen2727", "M-00000000b2"),
    ("fifou1984", "M-00000000b3"),  # first name "fifou"
    ("Marie", "M-00000000b4"),  # a user name that is a French word ("marie" of "marier")
    ("Ans", "M-00000000b5"),  # a word ("2ans"), three letters: exact case
    ("James_77", "M-00000000b6"),  # first name "James"
    ("Gabri", "M-00000000b7"),
    ("bcdef", "M-00000000b8"),  # hex letters, as a pseudonym's
]

GLUED = [
    # After the digits of an address written without http:// (Fiv.fr's shape) or of a number.
    (
        "le sujet :viewtopic.php?t=115&start=3840paquerette, c'est bien",
        "le sujet :viewtopic.php?t=115&start=3840 M-00000000b1, c'est bien",
    ),
    ("Le lien 12karen2727 marche", "Le lien 12 M-00000000b2 marche"),
    ("réponse 2Fifou !", "réponse 2 M-00000000b3 !"),
    # A name that is a word, with its capital: then read as the word with a space ("Marie" with a capital mid-sentence).
    ("On se voit le 12Marie viendra aussi", "On se voit le 12 M-00000000b4 viendra aussi"),
    # After punctuation, glued to the first word of the next line: a function word or a greeting.
    ("je ne l'aurais pensé.Paquerettetu es la 4eme", "je ne l'aurais pensé.M-00000000b1 tu es la 4eme"),
    ("pas tous comme ça !Fifoupour ta prochaine écho !", "pas tous comme ça !M-00000000b3 pour ta prochaine écho !"),
    ("Coucou,Paquerettebonjour à toi", "Coucou,M-00000000b1 bonjour à toi"),
    # ... or opening the text: a reply whose quote, which ended so, was moved out of it.
    ("Fifoupour ta prochaine écho", "M-00000000b3 pour ta prochaine écho"),
    # Both: digits, the name, the next line's first word.
    ("à 10:42Paquerettemerci pour tout", "à 10:42 M-00000000b1 merci pour tout"),
]

KEPT = [
    "depuis 2ans et 3mois",  # a name that is a word, in lower case
    "depuis 2ANS",  # shouted
    "a shot of Jameson, my favorite",  # a first name before a word: no punctuation glued before it
    "a shot of.Jameson, my favorite",  # "on" after a first name: names are made so
    "Hier Gabrielle est venue",  # "Gabri" + "elle": another name, with a space before it
    "Merci Fifoupour ta prochaine écho",  # a space before the word: no line break lost
    "Merci.Paquerettes et tulipes",  # "s" is no word
    "Merci M-01234bcdef",  # a pseudonym's hex digits hold no name
    "Paquerette2024 et 2024karol",  # another name after the digits; one before them
]


@pytest.fixture
def scrub():
    return NameScrubber(NAMES, contacts=False, languages=["fr"])


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_a_name_glued_to_digits_or_to_a_word_goes(scrub, text, expected):
    assert scrub.scrub(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_words_that_only_look_glued_stay(scrub, text):
    """Each beside a glued name, which goes: only the name is set apart."""
    glued = " (start=3840paquerette)"
    assert scrub.scrub(text + glued) == text + " (start=3840 M-00000000b1)"


def test_in_an_english_message_a_french_word_after_a_name_is_no_cut():
    scrub = NameScrubber(NAMES, contacts=False, languages=["en"])
    assert scrub.scrub("It went well.Paquerettetu") == "It went well.Paquerettetu"
    assert scrub.scrub("It went well.Paquerettethanks") == "It went well.M-00000000b1 thanks"


def test_glued_replacements_are_counted(scrub):
    scrub.scrub("start=3840paquerette, et.Fifoupour toi")
    assert scrub.counts == {"names": 1, "first_names": 1}


def test_glued_names_scrubs_only_rows_with_a_glued_name(scrub):
    """The stored rows' pass: a row with a glued name is scrubbed whole, any other is returned as it is."""
    assert scrub.glued_names("Bonjour Paquerette, le 3840paquerette") == "Bonjour M-00000000b1, le 3840 M-00000000b1"
    assert scrub.glued_names("Bonjour Paquerette, depuis 2ans") == "Bonjour Paquerette, depuis 2ans"


@pytest.mark.parametrize("text", [t for t, _ in GLUED])
def test_the_stored_rows_pass_selects_every_glued_name(text):
    """DuckDB's RE2 pre-filter of ``ingest/rescrub.py`` must select every message the rule would change."""
    assert duckdb.connect().execute("SELECT regexp_matches(?, ?)", [text, GLUED_CANDIDATE]).fetchone() == (True,)


@pytest.mark.parametrize("text", ["Hello world", "Merci Anna, à 10:42 ok", "tout. Je suis là", "le 2 mai"])
def test_the_stored_rows_pass_leaves_ordinary_text(text):
    assert duckdb.connect().execute("SELECT regexp_matches(?, ?)", [text, GLUED_CANDIDATE]).fetchone() == (False,)
