"""Surnames written after a member's name: "Jorinde Brandauer" became "M-0123456789 Brandauer".

A member whose user name is their first name ("Jorinde") is replaced wherever that name stands, and the surname
members write after it stayed: in the ADFD export the forum's two founders, members named by their first names,
sign and are cited with their surnames, which stayed beside their pseudonyms. With the forum and the town, a full
name identifies a person. A capitalised word right after a member's name that is no word of the message's language
is read as the member's surname and goes with the name: "Jorinde Brandauer" becomes "M-0123456789", as a person's
name with its surname becomes one pseudonym (:mod:`chrysalide.privacy.persons`: "Dr Tracey Marks"). So does a second
such word ("Wendell Crumb"), and so on, so that scrubbing the result again changes nothing.

The word must be written with a capital, have three letters or more, not be in capitals, a pseudonym, a discourse
word, a form of address or a word of a greeting or a closing formula, and each of its hyphenated parts must be no
function or common word of the message's language nor a place name ("Jorinde Brandauer-Position" keeps its words,
"Thanks Karen Great advice" keeps "Great"). Not after a genitive ("Zelminas Recherchen": German writes nouns with a
capital, and the German dictionary is read in lower case, docs/privacy.md) nor after an @handle, which a sentence
follows. A first name that a member and a public figure share (a therapist members cite by first name and surname)
was already replaced by the member's pseudonym; the surname goes too (docs/privacy.md counts them on the real
corpora).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from chrysalide.privacy.names import MIN_NAME_LEN, discourse_word
from chrysalide.privacy.persons import ADDRESSEES, FORMULA_WORDS
from chrysalide.privacy.positions import shouted
from chrysalide.privacy.pseudonyms import PSEUDONYM_RE

# On the same line, a capitalised word (hyphenated parts too), not glued to a letter, digit or hyphen.
_NEXT_WORD = re.compile(r"[ \t]+([A-ZÀ-ÖØ-Þ][^\W\d_]*(?:-[^\W\d_]+)*)(?![\w-])")


def surname_end(text: str, end: int, is_word: Callable[[str], bool]) -> int:
    """Where the surnames written right after a name that ends at ``end`` end: ``end`` when none; ``is_word``:
    whether a word is a function or common word of the message's language or a place name."""
    while (word := _NEXT_WORD.match(text, end)) is not None and _surname(word.group(1), is_word):
        end = word.end()
    return end


def _surname(word: str, is_word: Callable[[str], bool]) -> bool:
    """Whether ``word``, after a member's name, is a surname (module docstring)."""
    return not (
        len(word) < MIN_NAME_LEN
        or shouted(word)
        or PSEUDONYM_RE.fullmatch(word)
        or discourse_word(word)
        or word.casefold() in ADDRESSEES
        or word.casefold() in FORMULA_WORDS
        or any(is_word(part) for part in word.split("-"))
    )
