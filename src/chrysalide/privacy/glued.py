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

A greeting glued to lower-case letters ("bonjourpaquerette", "hipaquerette", "Coucoupaquerette") is read too: the
letters after it, up to the end of the word or to a capital, are set apart when they are a form of a name of four
letters or more (six after "hi": "Hitbox" stays for a member "tbox") and the word as a whole is no word of the
source's languages nor a form of a name ("hibiscus", "hiking" stay). Not after "re", a prefix of French and English words that are often misspelt ("remort", "referal":
no dictionary words). The stored rows of an earlier version are not read again for it (:data:`CANDIDATE` picks a
capital after the greeting only): none of seven real corpora holds such a name (docs/privacy.md).

Otherwise, a greeting that opens an ordinary word is followed by lower-case letters ("Thankfully", "merciless",
"Hiking"), and a word in capitals is shouted ("HIV"): neither is read, so that a member "Fully_Alive" keeps
"Thankfully" whole. A word that is itself a form of a name ("HelloKitty99") is left whole.

Exports also glue a name to digits ("...&start=3840<name>," after an address written without ``http://``, "2Marie")
and, where they dropped the line breaks around a name on a line of its own, to the punctuation before it and to the
first word of the next line ("...pensé.<name>tu es la 4eme", "ça !Fifoupour ta prochaine écho !": Fiv.fr).
:class:`GluedNames` sets apart, by a space, a form of a member's name that is a user name, a first name or a display
name's part (no word of a user name: "knee" of ``kneepain`` is a name only where names stand):

- right after digits, up to the end of the word ("3840<name>"), or up to a lower-case word as below ("2Mariebonjour");
- at the start of a word glued to the punctuation before it (".", ",", "!"...: no space, the mark of a lost line
  break) or opening the text (a reply whose quote, which ended so, was moved out of it), up to a function word or a greeting of the message's language in lower case (the text layer's tool words:
  "tu", "pour", "bonjour") that ends the word; of three letters or more, or of two after a whole user name. The word
  as a whole must be no word of the languages nor a form of a name; names are made so ("Jameson" of
  ``James_77`` and "on", "Gabrielle" of "Gabri" and "elle"), and are left whole where a space stands before them.

A name that is a word of the source's languages is set apart only where it has its capital ("2Marie"), and the
scrubber's rules then decide for it as for any word: "2ans" keeps its years for a member "Ans". The hex digits of a
pseudonym are not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from operator import itemgetter

from chrysalide.privacy.names import CASE_BOUNDARY, MIN_CASEFOLD_LEN, MIN_NAME_LEN, USER_NAME
from chrysalide.privacy.occurrences import Entry
from chrysalide.privacy.positions import GREETING_WORDS, GREETINGS, alternation
from chrysalide.privacy.pseudonyms import PSEUDONYM_RE

_GREETING = alternation(GREETINGS)
_PREFIXES = frozenset({"re"})  # greetings that open ordinary words: not read before lower-case letters
# Read at a capital glued after a lower-case letter or a digit (:data:`CASE_BOUNDARY`): a greeting opening the word
# ends there ("Bonjour|Paquerette"), or one starts there and ends the word or meets another capital
# ("Paquerette|Merci", "karen2727|Thanks").
_OPENING = re.compile(rf"(?<!\w)(?i:{_GREETING})\Z")
_CLOSING = re.compile(rf"(?i:{_GREETING})(?![a-zß-öø-ÿ\d_])")
_LONGEST = max(len(g) for g in GREETINGS) + 8  # how far before a capital a greeting may start (spaces inside)
_WORD_END = re.compile(r"\w*")
_WORD_START = re.compile(r"\w*\Z")
# A greeting glued to lower-case letters ("bonjourpaquerette", "hipaquerette"), but "re" (module docstring).
_LOWER_GREETING = alternation(tuple(g for g in GREETINGS if g not in _PREFIXES))
# Both read in lower-case text: a pattern of lower-case words is searched there ten times faster than with re.I.
# The look-ahead on the greetings' first letters lets the search skip most word starts at C speed (-25% time).
_LOWER_FIRST = "".join(sorted({g[0] for g in GREETINGS}))
_LOWER_CANDIDATE = re.compile(rf"\b(?=[{_LOWER_FIRST}])(?:{_LOWER_GREETING})[a-zß-öø-ÿ]{{{MIN_CASEFOLD_LEN}}}")
_LOWER_OPENING = re.compile(rf"(?<!\w)(?:{_LOWER_GREETING})(?=[a-zß-öø-ÿ]{{{MIN_CASEFOLD_LEN}}})")
_LOWER_OPENING_ANY_CASE = re.compile(_LOWER_OPENING.pattern, re.I)
# After a greeting of two letters ("hi"), a name of six letters or more: "hi" opens many words, and the shorter the
# rest, the likelier the whole is a word the dictionary lacks (a video game's name in r/covidlonghaulers' histories).
_AFTER_SHORT_GREETING = 6
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


def unglue(text: str, known: Callable[[str], bool], word: Callable[[str], bool]) -> str:
    """``text`` with each form of a name (``known``) glued to a greeting set apart by spaces (module docstring);
    ``word``: whether a word is one of the source's languages ("hibiscus" stays whole)."""
    cuts = _after_lower_case(text, known, word)
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


def _after_lower_case(text: str, known: Callable[[str], bool], word: Callable[[str], bool]) -> set[int]:
    """Where a form of a name (``known``) glued after a greeting and in lower case starts and ends ("bonjour|paquerette|",
    "hi|paquerette|Ha"), when the word as a whole is no word (``word``) nor name."""
    cuts: set[int] = set()
    lower = text.lower()
    if _LOWER_CANDIDATE.search(lower) is None:  # most messages
        return cuts
    same = len(lower) == len(text)  # lower-casing kept the positions (not "İ")
    for greeting in _LOWER_OPENING.finditer(lower) if same else _LOWER_OPENING_ANY_CASE.finditer(text):
        at = greeting.end()
        word_end = _WORD_END.match(text, at).end()  # type: ignore[union-attr]
        ends = [b.start() for b in CASE_BOUNDARY.finditer(text, at + 1, word_end)] + [word_end]
        least = MIN_CASEFOLD_LEN if at - greeting.start() > 2 else _AFTER_SHORT_GREETING
        end = next((e for e in reversed(ends) if e - at >= least and known(text[at:e])), None)
        if end is not None and not known(text[greeting.start() : end]) and not word(text[greeting.start() : end]):
            cuts.update((at, end))
    return cuts


#: A superset of the names glued to digits, after a punctuation mark or opening the text, for RE2, that picks the stored messages
#: whose words :class:`GluedNames` reads (``ingest/rescrub.py``).
GLUED_CANDIDATE = r"\d\p{L}{3}|(?:^|[.,;:!?)…])\p{L}{6}"

# Letters glued after digits, to the end of the word ("3840|paquerette", "2|karen2727").
_AFTER_DIGITS = re.compile(r"\d([^\W\d_]\w{2,})")
# A word glued to a punctuation mark that a line break followed ("pensé.|Paquerettetu"), or opening the text (a reply
# whose quote, which ended so, was moved to ``quoted_text``), long enough to hold a name and a word.
_AFTER_MARK = re.compile(r"(?:\A|[.,;:!?)…])(\w{6,})")
_HEAD = itemgetter(slice(0, MIN_CASEFOLD_LEN))  # the first letters of a word, by which names are pre-selected
_MIN_REST = 3  # letters of a word glued after a name; two after a whole user name


@cache
def _rest_words(lang: str) -> frozenset[str]:
    """The lower-case words that may be glued after a name in ``lang``: its tool words and one-word greetings."""
    from chrysalide.text.lemmas import tool_words

    words = tool_words(lang) | {w for w in GREETING_WORDS.get(lang, ()) if " " not in w}
    return frozenset(w for w in words if len(w) >= 2 and w.isalpha())


class GluedNames:
    """Sets apart the forms of members' names glued to digits or to a lower-case word (module docstring).

    ``folded``: the scrubber's single-word forms of four characters or more, casefolded; ``exact``: the shorter
    ones, with their exact case (user names, first names, parts of display names: no word of a user name);
    ``any_word``: whether a form is a word of the source's languages.
    """

    def __init__(
        self, folded: Mapping[str, Entry], exact: Mapping[str, Entry], any_word: Callable[[str], bool]
    ) -> None:
        self._folded, self._exact, self._any_word = folded, exact, any_word
        self._heads = frozenset(_HEAD(f) for f in folded)

    def _entry(self, piece: str) -> Entry | None:
        if len(piece) >= MIN_CASEFOLD_LEN:
            return self._folded.get(piece.casefold())
        return self._exact.get(piece) if len(piece) >= MIN_NAME_LEN else None

    def _name(self, piece: str) -> Entry | None:
        """The entry of ``piece`` when it is a form of a name and no word (a name with a digit is none), or a word
        with its capital ("Marie", not "ans" nor "ANS")."""
        entry = self._entry(piece)
        if entry is None or (piece.isalpha() and self._any_word(piece) and not piece.istitle()):
            return None
        return entry

    def _split(self, word: str, shortest: int, rests: Callable[[], frozenset[str]]) -> int | None:
        """Where a name of ``shortest`` characters or more ends in ``word`` when a lower-case word of ``rests`` ends
        the word ("Fifou|pour"), the longest name first; None when there is none or the word is a word or a
        name as a whole."""
        for cut in range(len(word) - 2, shortest - 1, -1):
            rest = word[cut:]
            if not (rest.isalpha() and rest.islower()):
                continue
            entry = self._name(word[:cut])
            if entry is None or (len(rest) < _MIN_REST and entry.form != USER_NAME) or rest not in rests():
                continue
            if self._any_word(word) or self._entry(word) is not None:
                return None
            return cut
        return None

    def set_apart(self, text: str, language: Callable[[], str]) -> str:
        """``text`` with each form of a name glued to digits or to a lower-case word set apart by a space.

        ``language``: the message's language, asked for only when a name is glued to a lower-case word.
        """
        found: list[frozenset[str]] = []

        def rests() -> frozenset[str]:
            if not found:
                found.append(_rest_words(language()))
            return found[0]

        cuts: set[int] = set()
        for glued in _AFTER_DIGITS.finditer(text):  # "3840paquerette": in few messages
            start, piece = glued.start(1), glued.group(1)
            if self._name(piece) is not None:
                if not self._in_pseudonym(text, start):
                    cuts.add(start)
                continue
            cut = self._split(piece, MIN_NAME_LEN, rests)  # "2Mariebonjour"
            if cut is not None and not self._in_pseudonym(text, start):
                cuts.update((start, start + cut))
        for glued in _AFTER_MARK.finditer(text):  # "pensé.Paquerettetu"
            word, start = glued.group(1), glued.start(1)
            if _HEAD(word.casefold()) in self._heads:
                cut = self._split(word, MIN_CASEFOLD_LEN, rests)
                if cut is not None and not self._in_pseudonym(text, start):
                    cuts.add(start + cut)
        for cut in sorted(cuts, reverse=True):
            text = text[:cut] + " " + text[cut:]
        return text

    @staticmethod
    def _in_pseudonym(text: str, at: int) -> bool:
        """Whether ``at`` falls inside a pseudonym's hex digits ("M-0123abcdef"), which hold no name."""
        return any(m.start() < at < m.end() for m in PSEUDONYM_RE.finditer(text, max(0, at - 12), at + 12))
