"""Members' names glued to a greeting or thanks by an export that ran lines together ("BonjourPaqueretteHa").

Some exports drop line breaks: "Bonjour Paquerette" then "Ha ha !" on the next line is stored "BonjourPaqueretteHa
ha !" (Fiv.fr), and the name, no word of the message, escapes the scrubber, which looks names up among the words.
Where a greeting, thanks or form of address (:data:`chrysalide.privacy.positions.GREETING_WORDS`) opens a word and
a capital follows its last letter ("BonjourPaquerette", "ThanksKaren2727"), or one with a capital ends a word after a
lower-case letter or a digit ("PaqueretteMerci", "karen2727Thanks"), the letters on the other side, up to the end of
the word or to a capital after a lower-case letter or a digit (:data:`chrysalide.privacy.names.CASE_BOUNDARY`:
"Paquerette" of "PaqueretteHa"), are looked up among the forms of members' names, the longest first. A form found is
set apart by spaces (:func:`unglue`: "Bonjour Paquerette Ha ha !"), and the scrubber's rules then decide for it as
they would had the export kept the line break: a user name that is no word goes wherever it stands, one of three
letters only with its exact case, a name that is a word where it stands as a name (after a greeting that opens a
line or a sentence: "Coucou à toutes,Merci Maman" keeps the word, and the space the export had lost). The space
keeps the greeting a word and the pseudonym a token of its own (the text layer reads "M-…" only where no letter is
glued to it).

A greeting that opens an ordinary word is followed by lower-case letters ("Thankfully", "merciless", "Hiking"), and
a word in capitals is shouted ("HIV"): neither is read, so that a member "Fully_Alive" keeps "Thankfully" whole. A
word that is itself a form of a name ("HelloKitty99") is left whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from chrysalide.privacy.names import CASE_BOUNDARY
from chrysalide.privacy.positions import GREETINGS, alternation

_GREETING = alternation(GREETINGS)
# Read at a capital glued after a lower-case letter or a digit (:data:`CASE_BOUNDARY`): a greeting opening the word
# ends there ("Bonjour|Paquerette"), or one starts there and ends the word or meets another capital
# ("Paquerette|Merci", "karen2727|Thanks").
_OPENING = re.compile(rf"(?<!\w)(?i:{_GREETING})\Z")
_CLOSING = re.compile(rf"(?i:{_GREETING})(?![a-zß-öø-ÿ\d_])")
_LONGEST = max(len(g) for g in GREETINGS) + 8  # how far before a capital a greeting may start (spaces inside)
_WORD_END = re.compile(r"\w*")
_WORD_START = re.compile(r"\w*\Z")
_REACH = 60  # how far before a greeting a name glued to it may start (a longer run of letters is no name)


def _re2(greeting: str, *, capital: bool) -> str:
    """``greeting`` for RE2, any case but its first letter in capitals (``capital``) or its last in lower case."""
    if capital:
        return re.escape(greeting[:1].upper()) + f"(?i:{re.escape(greeting[1:])})"
    return f"(?i:{re.escape(greeting[:-1])}){re.escape(greeting[-1])}"


#: A superset of the glued greetings, for RE2 (DuckDB's ``regexp_matches``: no look-around), that picks the stored
#: messages to scrub again (``ingest/rescrub.py``).
CANDIDATE = (
    rf"(?:^|\W)(?:{'|'.join(_re2(g, capital=False) for g in GREETINGS)})\p{{Lu}}"
    rf"|[\p{{Ll}}\d](?:{'|'.join(_re2(g, capital=True) for g in GREETINGS)})(?:\P{{Ll}}|$)"
).replace(r"\ ", r"\s+")


def unglue(text: str, known: Callable[[str], bool]) -> str:
    """``text`` with each form of a name (``known``) glued to a greeting set apart by spaces (module docstring)."""
    cuts: set[int] = set()
    for boundary in CASE_BOUNDARY.finditer(text):  # none in most messages: the patterns are read at these only
        at = boundary.start()
        opening = _OPENING.search(text, max(0, at - _LONGEST), at)
        if opening is not None:
            word_end = _WORD_END.match(text, at).end()  # type: ignore[union-attr]
            ends = [b.start() for b in CASE_BOUNDARY.finditer(text, at + 1, word_end)] + [word_end]
            end = next((e for e in reversed(ends) if known(text[at:e])), None)
            if end is not None and not known(text[opening.start() : end]):
                cuts.update((at, end))
        closing = _CLOSING.match(text, at)
        if closing is not None:
            word_start = _WORD_START.search(text, max(0, at - _REACH), at).start()  # type: ignore[union-attr]
            if text[word_start - 1 : word_start].isalnum():  # a run of letters longer than any name
                continue
            starts = [word_start] + [b.start() for b in CASE_BOUNDARY.finditer(text, word_start + 1, at)]
            start = next((s for s in starts if known(text[s:at])), None)
            if start is not None and not known(text[start : closing.end()]):
                cuts.update((start, at))
    for cut in sorted(cuts, reverse=True):
        if text[cut - 1 : cut].isalnum() and text[cut : cut + 1].isalnum():
            text = text[:cut] + " " + text[cut:]
    return text
