"""Where members' names stand in a message: its words, and each name's occurrences as a whole word.

The scrubber (:mod:`chrysalide.privacy.scrubber`) keeps every single-word form of every name in tables of
:class:`Entry`; a message's words are compared with them by C-level set operations first (most messages name
nobody), and only then are the names found looked for in the text, with ``str.find`` (:func:`occurrences`), or
word by word (:class:`Message`) where casefolding changed the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress

TOKEN = re.compile(r"\w+")
# A message's words: a soft hyphen (U+00AD) is inside a word ("Dia\xadgnose" is one word, not "Dia").
WORDS = re.compile(r"\w+(?:\xad\w+)*")
_SPLIT = re.compile(r"(\w+(?:\xad\w+)*)")
_GLUED_BEFORE = re.compile(r"\w\xad?\Z")
_GLUED_AFTER = re.compile(r"\xad?\w")
_W_END, _W = re.compile(r"\w\Z"), re.compile(r"\w")
HAS_DIGIT = re.compile(r"\d")
LETTERS_ONLY = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """A single-word form of a member's name, as the scrubber looks it up: whose it is, and what kind of form."""

    pseudonym: str
    form: str
    alphabetic: bool  # letters only: might be a word of some language
    upper: bool = False  # written in capitals ("ELLE"): so written in text, it is no shouting


class Message:
    """A message split into words once: casefolded words, entries found, and offsets on demand."""

    def __init__(self, text: str, words: list[str]) -> None:
        """``words``: the words of the casefolded text."""
        self.text = text
        self.parts = _SPLIT.split(text)
        self.tokens = self.parts[1::2]
        if len(words) != len(self.tokens):  # casefolding split a word (rare letters such as U+0130): one by one
            words = [t.casefold() for t in self.tokens]
        self.words = words
        self._offsets: list[int] | None = None

    def hits(self, folded: dict[str, Entry], exact: dict[str, Entry] | None) -> list[tuple[int, Entry]]:
        """(word index, entry) where a word is a key of ``folded`` (casefolded) or ``exact``.

        The look-ups are C loops (``map`` over ``dict.get``, ``compress``); Python code runs for the hits only.
        """
        entries = list(map(folded.get, self.words))
        if exact:
            entries = [e or x for e, x in zip(entries, map(exact.get, self.tokens), strict=True)]
        return [(i, entries[i]) for i in compress(range(len(entries)), entries)]  # type: ignore[misc]

    def span(self, i: int) -> tuple[int, int]:
        if self._offsets is None:
            self._offsets = list(accumulate(map(len, self.parts)))  # offsets[2 * i] is where word i starts
        start = self._offsets[2 * i]
        return start, start + len(self.tokens[i])


def word_set(folded_text: str, word_list: list[str]) -> set[str]:
    """The words of a message: its ``word_list`` (a soft hyphen inside a word), and where a soft hyphen joins a
    word with a digit to another, that word too: "Dia" is no word of "Dia\xadgnose", but a user name such as
    "karen2727" is no word of any language and is replaced wherever it stands."""
    words = set(word_list)
    if "\xad" in folded_text:
        words.update(w for w in TOKEN.findall(folded_text) if HAS_DIGIT.search(w))
    return words


def whole_words(text: str, word: str) -> list[int]:
    """Where ``word`` stands in ``text`` as a whole word (no letter, digit or _ glued to it, nor, for a word
    without a digit, a soft hyphen: "Dia" is no word of "Dia\xadgnose"; see :func:`word_set`)."""
    glued_before, glued_after = (_GLUED_BEFORE, _GLUED_AFTER) if HAS_DIGIT.search(word) is None else (_W_END, _W)
    found, start = [], text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[max(0, start - 2) : start]
        after = text[end : end + 2]
        if not (glued_before.search(before) or glued_after.match(after)):
            found.append(start)
        start = text.find(word, start + 1)
    return found


def occurrences(
    text: str, folded_text: str, forms: set[str], table: dict[str, Entry], exact: dict[str, Entry] | None
) -> list[tuple[int, int, Entry]] | None:
    """Where each of ``forms`` (casefolded words known to be in ``text``) stands in it, with its entry in
    ``table``, and the three-letter names of ``exact`` (exact case); found with ``str.find`` (no pattern to
    compile per name). None when casefolding changed the text's length (the ß of "Straße"): the caller reads
    word by word (:class:`Message`).
    """
    if len(folded_text) != len(text):
        return None
    found: list[tuple[int, int, Entry]] = []
    for form in sorted(forms):
        entry = table.get(form)
        if entry is not None:  # else the trigger of a name of several words, not a name itself
            found += [(start, start + len(form), entry) for start in whole_words(folded_text, form)]
    if exact:
        for name in sorted(exact):
            if name in text:
                found += [(start, start + len(name), exact[name]) for start in whole_words(text, name)]
    return found
