"""A member's name glued to a greeting or thanks by an export that ran lines together (privacy/glued.py).

Fiv.fr's export stored "Bonjour <name>" then "Ha ha !" on the next line as one word, "Bonjour<name>Ha ha !": the name
was no word of the message and stayed. The names here are made up in that shape. Expected outputs are written by
hand: the name set apart and replaced, the greeting kept, and every word that only looks glued left as written.
"""

from __future__ import annotations

import duckdb
import pytest

from chrysalide.privacy.glued import CANDIDATE
from chrysalide.privacy.scrubber import NameScrubber

NAMES = [
    ("Paquerette", "M-00000000a1"),
    ("karen2727", "M-00000000a2"),
    ("ELLE", "M-00000000a3"),
    ("Die-kleine-Runde", "M-00000000a4"),
    ("Ari", "M-00000000a5"),  # three letters: matched with its exact case
    ("Fully_Alive", "M-00000000a6"),  # "Fully" a word of the user name, only where names stand
    ("HelloKitty99", "M-00000000a7"),  # a user name that starts with a greeting
    ("maman33", "M-00000000a8"),  # a first name that is a French word
]

GLUED = [
    # The greeting before the name, the next line glued after it, as in Fiv.fr.
    ("BonjourPaqueretteHa ha ! Avec ses tenues", "Bonjour M-00000000a1 Ha ha ! Avec ses tenues"),
    ("coucouPaquerette, ça va ?", "coucou M-00000000a1, ça va ?"),
    ("Merci à toutes.BonjourPaquerette", "Merci à toutes.Bonjour M-00000000a1"),
    ("ThanksKaren2727 :)", "Thanks M-00000000a2 :)"),
    ("Thank youKaren2727!", "Thank you M-00000000a2!"),
    ("HalloRunde, danke!", "Hallo M-00000000a4, danke!"),
    ("HelloAri", "Hello M-00000000a5"),
    # The greeting after the name: a signature's line glued to the next one.
    ("Bises\nPaqueretteMerci pour tout", "Bises\nM-00000000a1 Merci pour tout"),
    ("karen2727Thanks again", "M-00000000a2 Thanks again"),
    # A name that is a word decides as it would with the space: right after a greeting it stands as a name.
    ("BonjourELLE, tu as raison", "Bonjour M-00000000a3, tu as raison"),
    ("Coucou à toutes.\nMerciMaman pour ton message", "Coucou à toutes.\nMerci M-00000000a8 pour ton message"),
    # ... and a word as it would with the space: a greeting after a comma opens no name position ("à toutes, Merci
    # Maman"); the word keeps the space, which the export had lost.
    ("Coucou à toutes,MerciMaman pour ton message", "Coucou à toutes,Merci Maman pour ton message"),
]

KEPT = [
    "Thankfully it went well",  # "Fully" of Fully_Alive: no capital after the greeting, an ordinary word
    "merciless and fully alive",
    "Helloari",  # a three-letter name with its exact case only
    "HelloAriane",  # "Ari" begins another word
    "HIVAri test",  # shouted: no lower-case letter before the capital
    "Hikinghorse",
    "HelloKitty99 is back",  # a whole user name: replaced below, not split
    "BonjourTout le monde",  # a capital after a greeting that is no name
    "PaqueretteMercibeaucoup",  # "Merci" begins a longer word
]


@pytest.fixture
def scrub():
    return NameScrubber(NAMES, contacts=False, languages=["fr"])


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_a_name_glued_to_a_greeting_goes_and_the_greeting_stays(scrub, text, expected):
    assert scrub.scrub(text) == expected


@pytest.mark.parametrize("text", [t for t in KEPT if "HelloKitty99" not in t])
def test_words_that_only_look_glued_stay(scrub, text):
    assert scrub.scrub(text) == text


def test_a_user_name_that_starts_with_a_greeting_is_replaced_whole(scrub):
    assert scrub.scrub("HelloKitty99 is back") == "M-00000000a7 is back"
    assert scrub.scrub("HiHelloKitty99") == "Hi M-00000000a7"


def test_glued_replacements_are_counted_as_names(scrub):
    scrub.scrub("BonjourPaquerette et merci")
    assert scrub.counts == {"names": 1}


@pytest.mark.parametrize("text", [t for t, _ in GLUED])
def test_the_stored_rows_pass_selects_every_glued_name(text):
    """DuckDB's RE2 pre-filter of ``ingest/rescrub.py`` must select every message the rule would change."""
    assert duckdb.connect().execute("SELECT regexp_matches(?, ?)", [text, CANDIDATE]).fetchone() == (True,)


@pytest.mark.parametrize("text", ["Thankfully it went well", "merciless", "THERE ARE", "Hello world", "Merci Anna"])
def test_the_stored_rows_pass_leaves_ordinary_text(text):
    assert duckdb.connect().execute("SELECT regexp_matches(?, ?)", [text, CANDIDATE]).fetchone() == (False,)
