"""Names of people who are no members, found by what stands before them: an introduction, a title, a sign-off, a
greeting.

The scrubber knows the names of the source's members; the name a member gives in the text is another ("My name is
Sarah and I'm 34", "je m'appelle Nathalie", "ich heiße Jana"), and so is a doctor's ("Dr Dupont", "Dr. Patel",
"docteur Martin", "Prof. Müller"). With the forum, the disease and the town, they re-identify a patient. Four
cues announce such a name in French, English and German:

- an *introduction* (:data:`INTRODUCTIONS`): "my name is", "je m'appelle" (also "je m'appel", "je m apelle"),
  "ich heiße", "mein Name ist";
- a *title* (:data:`ABBREVIATED_TITLES`, :data:`TITLES`): "Dr", "Dr.", "Prof.", "Pr", "doctor", "docteur",
  "Doktor", several in a row ("Prof. Dr. med. Müller"), then maybe initials ("Dr. J. Patel", "Dr A Lemaire"), on
  one line;
- a *sign-off*: a closing formula (:data:`chrysalide.privacy.positions.CLOSINGS`, those the scrubber reads
  members' signatures by) opening a line or following a sentence, then one word that ends the message ("Thanks,
  Sarah", "Bisous,\\nMarie", "xx Jen");
- a *greeting*: a greeting or thanks (:data:`chrysalide.privacy.positions.GREETINGS`, those before which the
  scrubber reads members' names) opening a line or following a sentence, then one word and a mark of address, a
  comma, "!", ":" or the line's end ("Bonsoir Hélène,", "Hi Pete!", "Merci Olivier :"): the member answered,
  named by a first name or by a user name the source does not hold (a history of one member's comments names the
  others only so);
- a *signature*: a line that holds only a first name and a surname or initials (a dash may be glued before it, a
  comma may end it: "Johann-K. Brenner,") right after a line that ends with a colon ("f.d.R.:", "für ADFD:"), right
  before a line that opens with a postcode and a town ("10435 Berlin"), or, opened by a glued dash ("-Jane Doe"),
  followed by a blank line or the end: an author signs an article or a letter so.

The word after the cue is a name when it has three letters or more (:data:`chrysalide.privacy.names.MIN_NAME_LEN`),
is not all in capitals, no function word, place name or word of a closing formula or greeting ("Best Wishes"), after
a greeting or a closing formula no form of address that names no one (:data:`ADDRESSEES`: "Bonjour Mesdames",
"Thanks Guys", "Love, Mom"), and is written with a capital, which marks a name except in German, where every noun has one: there it must also be no
common word of the message's language (:meth:`chrysalide.privacy.ambiguous.AmbiguousNames.is_word`), as a
signature's first name must be in every language (a line of its own after a colon may be a heading: "Retrospektive
Studie"). A title spelt
out ("doctor", "docteur") is a noun, which may end a sentence whose full stop is missing: after it, a discourse word
of the text layer (:func:`chrysalide.privacy.names.discourse_word`: "Even", "Anyway", "Alors", "Eigentlich") opens
the next sentence and is no name ("my doctor Even though it...", while "my doctor Smith said" loses the name). After an
introduction, a word in lower case that is no word of the language is a name too ("je m'appelle leïla"). So "my
name is not important", "Dr appointment", "docteur traitant", "je m'appelle pas", "Thanks everyone" keep their
words, while "Bisous, Marie" and "docteur Martin" lose the names, which are French words too ("marier", "martin").
One or two capitalised words or initials right after a name that are no function words are its surname ("Dr Tracey
Marks", "My name is Lily Brook", "Dr Daniel J. Fox"). A pseudonym the scrubber wrote ("Dr M-0123456789") is no name nor surname, also one
whose hex digits are all letters ("Dr M-becddddfdc", which reads as a hyphenated name: one member in 18,000 has
such a pseudonym, and importing a source again gave that member's mentions a person's pseudonym). Precision read on real
corpora: docs/privacy.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from chrysalide.privacy.names import MIN_NAME_LEN, discourse_word, function_languages, is_place
from chrysalide.privacy.positions import CLOSINGS, GREETINGS, SIGNATURE_REACH, alternation, shouted
from chrysalide.privacy.pseudonyms import PSEUDONYM_RE

INTRODUCTION, TITLE, SIGN_OFF, GREETING, SIGNATURE = "introduction", "title", "sign-off", "greeting", "signature"
#: Also as forum members spell them ("Je m’appel Clara", "je m apel ..."): an apostrophe may be a space.
INTRODUCTIONS = (
    "my name is", "my name's", "je m'appelle", "je m'appel", "je m'apelle", "je m'apel", "je m'appelles",
    "mon prénom est", "mon prenom est", "ich heiße", "ich heisse", "mein name ist", "mein vorname ist",
)  # fmt: skip
#: A word every introduction holds: a message without one holds none (a substring test, cheaper than a pattern).
INTRODUCTION_KEYS = ("name", "appel", "apel", "heiße", "heisse", "prénom", "prenom")
#: Titles written before a doctor's or a professor's name, abbreviated (with a capital or none: "TL;DR" is no title;
#: "Pr" is a French professor's) or whole (any case, not followed by a full stop: "my doctor. Probably ...").
ABBREVIATED_TITLES = ("Dr", "dr", "Dre", "dre", "Prof", "prof", "Pr")
TITLES = ("doctor", "docteur", "doktor", "professor", "professeur")
# The words of closing formulas and greetings are no names: "Best Wishes", "Take Care".
FORMULA_WORDS = frozenset(w for formula in (*CLOSINGS, *GREETINGS) for w in formula.split())
#: Words a greeting or a closing formula addresses that name no one (a group, a role, a kinship, an endearment, an
#: adverb of thanks), in English, French and German (where a word must also be no word of the language, and the
#: dictionary lacks some: "Leute"). Lower case. "Bonjour Mesdames", "Thanks Guys", "Merci Beaucoup", "Welcome Back",
#: "Hallo Leute", "Love, Mom" keep their words.
ADDRESSEES = frozenset({
    "guys", "ladies", "folks", "friends", "girls", "gals", "team", "people", "mods", "moderators", "sir", "madam",
    "mom", "mum", "mommy", "mama", "dad", "daddy", "doc", "home", "again", "back", "mate", "mates", "hun", "hon",
    "honey", "darling", "sweetie", "lovely", "lovelies", "warriors", "sisters", "brothers", "buddy", "sweetheart",
    "world", "reddit", "forum", "howdy", "users", "members", "membres", "friend", "god", "lord", "neighbors",
    "neighbours", "spoonies", "moderator", "redditors", "internet", "community", "readers", "everyone", "all",
    "mesdames", "messieurs", "mesdemoiselles", "madame", "monsieur", "beaucoup", "infiniment", "filles", "amies",
    "amis", "copines", "copains", "mamans", "chéries", "cheries", "puces", "maman", "papa", "forumeuses",
    "forumeurs", "doctissimo", "docteur", "doctor", "professeur", "professor", "leute", "mädels", "maedels",
    "zusammen", "allerseits", "miteinander", "ihr", "freunde", "freundin", "doktor",
})  # fmt: skip


# A name: letters, maybe hyphenated ("Marie-Claire"), not glued to a letter, digit or hyphen (a pseudonym "M-...").
_NAME = r"([^\W\d_]+(?:-[^\W\d_]+)*)(?![\w-])"
# The cue words as regex alternations; an apostrophe as forum members write it ("je m apelle", "Je m’appel").
_INTRODUCING = alternation(INTRODUCTIONS, loose_apostrophe=True)
_ABBREVIATED = alternation(ABBREVIATED_TITLES, loose_apostrophe=True)
_TITLED = alternation(TITLES, loose_apostrophe=True)
_CLOSING = alternation(CLOSINGS, loose_apostrophe=True)
# The look-ahead of the first letters lets the engine pass over most positions quickly (a third of the time).
_INTRODUCTION = re.compile(rf"(?=[mjiMJI])(?<!\w)(?i:{_INTRODUCING})\s+{_NAME}")
# Titles in a row on one line ("Prof. Dr. med."), then maybe initials, with or without their full stop ("Dr. J.
# Patel", "Dr A Lemaire"); not "dp/dr" nor "www.dr".
_ONE_TITLE = rf"(?:{_ABBREVIATED})(?:\.[ \t]*|[ \t]+)|(?i:{_TITLED})[ \t]+"
_TITLE = re.compile(
    rf"(?=[dpDP])(?<![\w./])(?:(?:{_ONE_TITLE})(?:med\.[ \t]*)?)+(?:[A-Z](?:\.[ \t]*|[ \t]+)){{0,2}}{_NAME}"
)
# A title spelt out is a noun, which may end a sentence whose full stop is missing: a discourse word after it opens
# the next sentence ("my doctor Even though it...").
_SPELT_TITLE = re.compile(rf"(?<![\w./])(?i:{_TITLED})[ \t]+\Z")
_SIGN_OFF = re.compile(rf"(?:\A|(?<=\n)|[.!?])[\W_]*(?i:{_CLOSING})\b[\W_]*{_NAME}[\W_]*\Z")
# A greeting or thanks opening a line or a sentence, then a word and a mark of address (a comma, "!", ":" or the
# line's end): "Bonsoir Hélène,", "Hi Pete!", "Merci Olivier :". Tried only where a line or a sentence starts with a
# greeting's first letter: one pattern over the whole text cost ingest about 10% more time, these two a third of it.
_GREETING_WORD = alternation(GREETINGS, loose_apostrophe=True)
_GREETED = re.compile(rf"(?m)(?i:{_GREETING_WORD})[ \t]+{_NAME}(?=[ \t]*(?:[,!:]|$))")
_FIRSTS = "".join(sorted({c for greeting in GREETINGS for c in (greeting[0].lower(), greeting[0].upper())}))
_SENTENCE_START = re.compile(rf"[\n.!?][ \t]*(?=[{re.escape(_FIRSTS)}])")


def _greeted(text: str) -> Iterator[re.Match[str]]:
    """The greetings that open a line or a sentence of ``text`` and are followed by a word and a mark of address."""
    first = _GREETED.match(text, len(text) - len(text.lstrip(" \t")))
    if first is not None:
        yield first
    for start in _SENTENCE_START.finditer(text):
        match = _GREETED.match(text, start.end())
        if match is not None:
            yield match


# One or two capitalised words or initials after a first name: its surname ("Tracey Marks", "Daniel J Fox", "Daniel
# J. Fox", "Andreas HEINZ"); a first name that ends in an initial keeps its full stop ("Johann-K. Brenner").
_SURNAME = re.compile(
    r"(?:(?<=[\W\d_][A-ZÀ-ÖØ-Þ])\.)?(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ]\.|[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:-[^\W\d_]+)*(?![\w-]))){1,2}"
)
# A signature's line: maybe a glued dash, a first name (maybe ending in an initial: "Johann-K."), one or two
# surnames or initials with their full stop ("Vit D" is a vitamin), maybe a comma; nothing else. Its neighbours
# decide (:func:`_signatures`).
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:-[^\W\d_]+)*"
_SIGNATURE_LINE = re.compile(
    rf"(?m)^[ \t]*(-?)({_CAPITALISED})\.?(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ]\.|{_CAPITALISED})){{1,2}}[ \t]*,?[ \t]*$"
)
# A line that opens with a postcode (four or five digits) and a town's capital: an address below a signature.
_POSTCODE_LINE = re.compile(r"[ \t]*\d{4,5}[ \t]+[A-ZÀ-ÖØ-Þ]")


def _signatures(text: str) -> Iterator[re.Match[str]]:
    """The signature lines of ``text`` (module docstring): after a line ending with a colon, before a postcode's
    line, or opened by a glued dash and followed by a blank line or the end."""
    for match in _SIGNATURE_LINE.finditer(text):
        # The lines around it, found without copying the text before or after them (a long message may hold many
        # lines of this shape).
        start, end = match.start(), match.end()
        before = text[text.rfind("\n", 0, start - 1) + 1 : start - 1].rstrip() if start > 0 else ""
        next_end = text.find("\n", end + 1)
        after = text[end + 1 : next_end if next_end >= 0 else len(text)]
        if before.endswith(":") or _POSTCODE_LINE.match(after) or (match.group(1) and not after.strip()):
            yield match


#: A superset of the cues, for RE2 (DuckDB's ``regexp_matches``: no look-behind), that picks the stored messages
#: to look at again (``ingest/rescrub.py``).
CANDIDATE = (
    rf"(?i:{_INTRODUCING})\s+\pL"
    rf"|(?:{_ABBREVIATED}|(?i:{_TITLED}))[.\s]+\p{{Lu}}"
    rf"|(?m:(?i:{_CLOSING})[\W_]*\p{{Lu}}[\pL-]*[\W_]*$)"
    rf"|(?m:(?i:{_GREETING_WORD})[ \t]+\p{{Lu}}[\pL-]*[ \t]*(?:[,!:]|$))"
    rf"|(?m:^[ \t]*-?\p{{Lu}}[\pL-]*\.?(?:[ \t]+\p{{Lu}}[\pL.-]*){{1,2}}[ \t]*,?[ \t]*$)"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def candidates(text: str) -> Iterator[tuple[str, int, int]]:
    """(cue, start, end) of each word that stands after a cue of a name in ``text``, whatever the word."""
    lower = text.lower()
    if any(key in lower for key in INTRODUCTION_KEYS):
        for match in _INTRODUCTION.finditer(text):
            yield INTRODUCTION, match.start(1), match.end(1)
    for match in _TITLE.finditer(text):
        yield TITLE, match.start(1), match.end(1)
    sign_off = _SIGN_OFF.search(text, max(0, len(text) - SIGNATURE_REACH))
    if sign_off is not None:
        yield SIGN_OFF, sign_off.start(1), sign_off.end(1)
    for match in _greeted(text):
        yield GREETING, match.start(1), match.end(1)
    if "\n" in text:
        for match in _signatures(text):
            yield SIGNATURE, match.start(2), match.end(2)


def persons(
    text: str, is_word: Callable[[str], bool], *, capital: Callable[[], bool] = lambda: True
) -> list[tuple[str, int, int]]:
    """(cue, start, end) of the names of people in ``text``: the :func:`candidates` that are names (module
    docstring), with their surnames.

    ``is_word``: whether a word is a function or common word of the message's language or a place name;
    ``capital``: whether a capital marks a name in this message (not in German, where every noun has one), asked
    only when a word after a cue must be decided (the message's language may need to be detected).
    """
    found: dict[tuple[int, int], str] = {}
    for cue, start, end in candidates(text):
        word = text[start:end]
        if (
            len(word) < MIN_NAME_LEN
            or not (word[:1].isupper() or cue == INTRODUCTION)
            or shouted(word)
            or PSEUDONYM_RE.fullmatch(word)
            or function_languages(word)
            or (cue == TITLE and discourse_word(word) and _SPELT_TITLE.search(text, max(0, start - 24), start))
            or is_place(word)
            or word.casefold() in FORMULA_WORDS
            or (cue in (GREETING, SIGN_OFF) and word.casefold() in ADDRESSEES)
            or any(s < end and start < e for s, e in found)
        ):
            continue
        # A capital marks a name ("Bisous, Marie", "docteur Martin" though "marie" and "martin" are French words),
        # except in German; a word in lower case only when it is no word ("je m'appelle marie", not "... pas").
        if (cue == SIGNATURE or not (word[:1].isupper() and capital())) and is_word(word):
            continue
        surname = _SURNAME.match(text, end)
        if surname is not None:
            for part in _WORD.finditer(text, end, surname.end()):
                if function_languages(part.group()) or PSEUDONYM_RE.fullmatch(part.group()):
                    break
                end = part.end()
        found[(start, end)] = cue
    return [(cue, start, end) for (start, end), cue in sorted(found.items())]
