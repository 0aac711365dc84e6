"""Names of people who are no members: a self-introduction's, a doctor's, a sign-off's, a greeting's
(privacy/persons.py).

Expected outputs are written by hand: the name after the cue becomes the pseudonym ``person`` gives, and ordinary
words after the same cues stay.
"""

from __future__ import annotations

import duckdb
import pytest

from chrysalide.privacy.persons import CANDIDATE, INTRODUCTION_KEYS, INTRODUCTIONS
from chrysalide.privacy.scrubber import NameScrubber

P = "M-00000000ff"  # the pseudonym of every person in these tests
NAMES = [("karen2727", "M-00000000a1")]


@pytest.fixture
def scrub():
    return NameScrubber(NAMES, person=lambda name: P)


NAMED = [
    # Introductions, in English, French and German; a lower-case name that is no word.
    ("My name is Sarah and I'm 34", f"My name is {P} and I'm 34"),
    ("Hi all, my name's Sam, I'm 41", f"Hi all, my name's {P}, I'm 41"),
    ("My name is Lily Brook (she/her)", f"My name is {P} (she/her)"),
    ("Bonjour, je m'appelle Nathalie, j'ai 20 ans", f"Bonjour, je m'appelle {P}, j'ai 20 ans"),
    ("Bonjour, je m’appelle leïla et j'ai 23 ans", f"Bonjour, je m’appelle {P} et j'ai 23 ans"),
    # ... as forum members spell it (Doctissimo IVG: 19 of its 54 introductions).
    ("Bonjour, Je m’appel Clara, j’ai 19 ans", f"Bonjour, Je m’appel {P}, j’ai 19 ans"),
    ("bonjour je m apel Zoé j ai 25 ans", f"bonjour je m apel {P} j ai 25 ans"),
    ("Salut , je m'apelle Hugo et", f"Salut , je m'apelle {P} et"),
    ("Hallo, ich heiße Jana und bin 30.", f"Hallo, ich heiße {P} und bin 30."),
    ("Mein Name ist Petra.", f"Mein Name ist {P}."),
    # Doctors and professors, their titles in a row, initials, a surname.
    ("I saw Dr Dupont today", f"I saw Dr {P} today"),
    ("Dr. Patel said so", f"Dr. {P} said so"),
    ("chez le docteur Martin hier", f"chez le docteur {P} hier"),
    ("vu par le Pr Durand", f"vu par le Pr {P}"),
    ("Prof. Dr. med. Müller aus Köln", f"Prof. Dr. med. {P} aus Köln"),
    ("written by Dr. Daniel J Fox.", f"written by Dr. {P}."),
    ("bei Dr. J. Schmidt", f"bei Dr. J. {P}"),
    ("Bien cordialement\nDr A Lemaire", f"Bien cordialement\nDr A {P}"),  # an initial without its full stop
    ("Bien cordialement\nDr A.Lemaire", f"Bien cordialement\nDr A.{P}"),
    ("J'ai vu Dr Martin", f"J'ai vu Dr {P}"),
    ("le docteur Lemaire", f"le docteur {P}"),
    ("my doctor Smith said it was fine", f"my doctor {P} said it was fine"),
    # An abbreviated title is followed by a name, also one spelt like a discourse word (a TV doctor's).
    ("I watched Dr. Now again", f"I watched Dr. {P} again"),
    # Sign-offs: a closing formula opening a line or after a sentence, then one word ending the message.
    ("Any views welcome.\n\nThanks, Sarah", f"Any views welcome.\n\nThanks, {P}"),
    ("On verra.\nBisous, Marie", f"On verra.\nBisous, {P}"),
    ("Ok then.\nxx Jen", f"Ok then.\nxx {P}"),
    ("Das hilft.\nLiebe Grüße\nSimone  :)", f"Das hilft.\nLiebe Grüße\n{P}  :)"),
    ("Das hilft.\nLG Petra", f"Das hilft.\nLG {P}"),
    # Greetings: a greeting or thanks opening a line or a sentence, a word, then a mark of address (Doctissimo's
    # annotated posts, which name no author, answer people by their first names; a history names the members it answers).
    ("Bonsoir Hélène, je voulais vous dire", f"Bonsoir {P}, je voulais vous dire"),
    ("Merci Olivier, pour vos conseils", f"Merci {P}, pour vos conseils"),
    ("ta réponse!Bonjour Tournesol,Je suis désolée", f"ta réponse!Bonjour {P},Je suis désolée"),
    ("Hi Rosalind, my goal is to", f"Hi {P}, my goal is to"),
    ("Hey Gus!\nso glad you are here", f"Hey {P}!\nso glad you are here"),
    ("Coucou Zaza !Je comprends", f"Coucou {P} !Je comprends"),
    ("Thanks Bertrand!  \nBefore this", f"Thanks {P}!  \nBefore this"),
    ("Hallo Jana, wie geht's?", f"Hallo {P}, wie geht's?"),
    # Signatures: a first name and a surname alone on a line after a colon's line, above a postcode's line, or opened
    # by a glued dash and followed by a blank line (invented names; an article's author signs so in the ADFD export).
    ("Die Studie zeigt es.\n\nfür das Forum:\nJohann-K. Brenner", f"Die Studie zeigt es.\n\nfür das Forum:\n{P}"),
    ("Ende.\n\nf.d.R.:\nJohann-K. Brenner,\n10435 Berlin", f"Ende.\n\nf.d.R.:\n{P},\n10435 Berlin"),
    ("Ende.\n\nJohann Brenner\n33100 Tampere\nFinnland", f"Ende.\n\n{P}\n33100 Tampere\nFinnland"),
    ("Fin.\n\nSylvie Fontanet\n75011 Paris", f"Fin.\n\n{P}\n75011 Paris"),
    ("Ende.\n\n-Johann-K. Brenner\n\n[1] BMJ 2003", f"Ende.\n\n-{P}\n\n[1] BMJ 2003"),
    ("that's all.\n-Jane Q. Doerling", f"that's all.\n-{P}"),
    # Initials with their full stop belong to the surname after a title too.
    ("written by Dr. Daniel J. Fox.", f"written by Dr. {P}."),
]

UNCHANGED = [
    "my name is not important",
    "now my name is being slandered",
    "je m'appelle pas comme ça",
    "je m'appel pas comme ça",
    "Bonjour, je m’appelle marie et j’ai 23 ans",  # lower case and a French word (marier): left
    "Dr appointment tomorrow",
    "Dr. visit went fine",
    "my doctor told me",
    "mon docteur traitant est parti",
    "I talked to my doctor. Probably nothing.",
    # A title spelt out ends a sentence whose full stop is missing: a discourse word opens the next one.
    "I asked my doctor Even though it was late",
    "Has the doctor Even checked your iron?",
    "I called the doctor Anyway, it is fine",
    "j'ai appelé le docteur Alors il m'a dit",
    "mein Doktor Eigentlich wollte ich nicht",
    "TL;DR Try this first",
    "PR Dupont is a firm",  # not a title in capitals
    "Thanks everyone",
    "Thanks again!",
    "Best Wishes!",
    "Take Care",
    "Thanks guys",
    "LG EUCH",  # shouted
    "Dr Jo said",  # names shorter than three letters are never replaced
    # After a greeting: no mark of address, or a form of address that names no one (ADDRESSEES).
    "Bonjour Marie et merci",
    "Bonjour Mesdames,\nje voulais savoir",
    "Hello Friend!\nyou are kind",
    "Hi Community, my partner is",
    "Thanks Guys!",  # also a sign-off's: it ends the message
    "Merci Beaucoup!",
    "Love, Mom",
    "Hi All,\nI have",
    "Welcome Back!",
    # A name-shaped line without a signature's neighbours (a post's title), a vitamin after a colon, words.
    "Kyler Murray\n\nWhat a game last night",
    "Supplements: \nVit D\nCoQ10",
    "Symptoms:\nBrain Fog\nfatigue",
    "Read this:\n- Amy Proal\n- more",  # a list's dash and space: an item, not a signature
    # A signature's first name must be no word in any language: the line opens with a capital whatever it holds.
    "Fin.\n\nClaire Fontanet\n75011 Paris",
]


@pytest.mark.parametrize(("text", "expected"), NAMED)
def test_names_after_a_cue_are_replaced(scrub, text, expected):
    assert scrub.scrub(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_words_after_a_cue_stay(scrub, text):
    assert scrub.scrub(text) == text


def test_a_member_keeps_their_pseudonym_and_a_pseudonym_is_no_name(scrub):
    assert scrub.scrub("My name is karen2727") == "My name is M-00000000a1"
    assert scrub.scrub(f"Thanks a lot.\nCheers, {P}") == f"Thanks a lot.\nCheers, {P}"
    assert scrub.counts == {"names": 1}


# One pseudonym in 18,000 has hex digits that are all letters (6/16 to the tenth power): it reads as a hyphenated name.
LETTERS = "M-becddddfdc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I saw Dr Paquerette today", f"I saw Dr {LETTERS} today"),
        ("Hi Paquerette, thanks", f"Hi {LETTERS}, thanks"),
        ("Thanks a lot.\nCheers, Paquerette", f"Thanks a lot.\nCheers, {LETTERS}"),
        ("My name is Paquerette", f"My name is {LETTERS}"),
        # A member's pseudonym after a person's first name is no surname of theirs.
        ("I saw Dr Marie Paquerette today", f"I saw Dr {P} {LETTERS} today"),
    ],
)
def test_a_pseudonym_of_letters_is_no_name_and_scrubbing_again_changes_nothing(text, expected):
    """Each import scrubs the stored rows again (``ingest/rescrub.py``): a member's pseudonym of letters after a cue
    must not be taken for a person's name and replaced by another pseudonym."""
    scrub = NameScrubber([("Paquerette", LETTERS)], person=lambda name: P)
    assert scrub.scrub(text) == expected
    assert scrub.scrub(expected) == expected


def test_counts_and_without_a_pseudonymiser_nothing_changes(scrub):
    scrub.scrub("My name is Sarah.\nThanks, Dr Dupont")
    assert scrub.counts == {"persons": 2}
    assert NameScrubber(NAMES).scrub("My name is Sarah") == "My name is Sarah"


def test_a_greeting_s_word_in_german_must_be_no_word():
    german = NameScrubber([], languages=["de"], person=lambda name: P)
    assert german.scrub("Hallo Leute, wo gibt's gutes Essen?") == "Hallo Leute, wo gibt's gutes Essen?"
    assert german.scrub("Hallo Jana, wo gibt's gutes Essen?") == f"Hallo {P}, wo gibt's gutes Essen?"


def test_a_capital_marks_a_name_except_in_german():
    """In German every noun has a capital: a German message (of the source, or detected when the source's languages
    are not known, as when an import brings nothing new) needs a word that is no word of the language."""
    german = NameScrubber([], languages=["de"], person=lambda name: P)
    assert german.scrub("Mein Name ist Egal.") == "Mein Name ist Egal."  # "egal", a word
    assert german.scrub("Ich heiße Jana.") == f"Ich heiße {P}."
    unknown = NameScrubber([], person=lambda name: P)
    assert unknown.scrub("Mein Name ist Egal.") == "Mein Name ist Egal."
    assert unknown.scrub("Hi all, my name is Hope.") == f"Hi all, my name is {P}."  # "hope", a word


@pytest.mark.parametrize("text", [t for t, _ in NAMED])
def test_the_stored_rows_pass_selects_every_named_message(text):
    """DuckDB's RE2 pre-filter of ``ingest/rescrub.py`` must select every message the rule would change."""
    assert duckdb.connect().execute("SELECT regexp_matches(?, ?)", [text, CANDIDATE]).fetchone() == (True,)


def test_every_introduction_holds_a_key():
    """The substring test that skips messages without an introduction must not skip one."""
    assert all(any(key in intro for key in INTRODUCTION_KEYS) for intro in INTRODUCTIONS)
