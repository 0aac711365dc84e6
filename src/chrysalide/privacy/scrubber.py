"""The text scrubber of ingest: members' names, their URLs, contact details and @handles out of every text.

What it replaces (docs/privacy.md, "Name scrubbing"):

- every variant of every member's name (:mod:`chrysalide.privacy.names`), by the member's pseudonym: the user
  name as written and the first names taken from it, wherever they stand as a word, glued to punctuation
  included ("karen1515...how", "@karen1515-thanks", "entschuldigen.Padma"); case-insensitive from four
  characters, exact case for three-character names; multi-part names ("Das-kleine-Runde", "Jean Luc") whole;
- a name that is also a word of the message's language (language of the message by
  :func:`chrysalide.text.language.detect`): a function word only where it stands as a name
  (:mod:`chrysalide.privacy.positions`); a common word there and where it is written with a capital, except
  in German, where every noun has one; these names are reported as ambiguous;
- URLs that identify a person or hold a member's name, e-mail addresses and phone numbers, by placeholders
  (:mod:`chrysalide.privacy.contacts`), and the @handles and u/handles of anybody else by ``@[user]``.

Most messages name nobody: that is found out with C-level set operations on the message's words before
anything is substituted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress

from chrysalide.privacy.contacts import scrub_contacts
from chrysalide.privacy.names import (
    FIRST_NAME,
    LEAD_WORD,
    MIN_CASEFOLD_LEN,
    NAME_PART,
    QUOTED_NAME,
    USER_NAME,
    Variant,
    WordClasses,
    function_languages,
    is_single_token,
)
from chrysalide.privacy.positions import at_name_position

HANDLE_MARK = "[user]"
#: Languages whose dictionaries tell a first name from a word when a message's language is undetermined.
TEXT_LANGS = ("fr", "en", "de")
_TOKEN = re.compile(r"\w+")
_SPLIT = re.compile(r"(\w+)")
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
# @name or u/name not already replaced (a pseudonym) nor part of an e-mail address or a URL path.
# Nothing but spaces and opening marks between a sentence end (or the text's start) and a point.
_SENTENCE_START = re.compile(r"(?:\A|[.!?:\n])[\s\"'«(\[*_-]*\Z")
_HANDLE = re.compile(r"(?<![\w@/.])(@|/?\bu/)(?!M-[0-9a-f]{10}\b)([^\W\d_][\w.\-]*\w|[^\W\d_])")


@dataclass(frozen=True, slots=True)
class _Entry:
    pseudonym: str
    form: str
    alphabetic: bool  # letters only: might be a word of some language


_FORMS = (USER_NAME, FIRST_NAME, NAME_PART, LEAD_WORD, QUOTED_NAME)


def _rank(variant: Variant) -> tuple[int, str]:
    # Two members sharing a form (two "angela_..." users): a user name wins over a first name, a first name
    # over a name part, then the smallest pseudonym, so that the order names were given does not matter.
    return (_FORMS.index(variant.form), variant.pseudonym)


class NameScrubber:
    """Replaces members' names, their URLs and contact details in text; counts what it replaced.

    ``counts`` (a Counter) grows with every call: ``names`` (whole names), ``first_names`` (parts of names),
    ``urls``, ``emails``, ``phones``, ``handles``. ``ambiguous`` maps (pseudonym, form kind, word class,
    language) to [occurrences replaced as a name, occurrences left as a word].
    """

    def __init__(self, names: Iterable[Variant | tuple[str, str]], *, contacts: bool = True) -> None:
        from chrysalide.privacy.names import variants

        given: list[Variant] = []
        for item in names:
            given.extend(variants(*item) if isinstance(item, tuple) else [item])
        self.contacts = contacts
        self.counts: Counter[str] = Counter()
        self.ambiguous: dict[tuple[str, str, str, str], list[int]] = {}
        self._classes = WordClasses()
        self._exact: dict[str, _Entry] = {}
        self._folded: dict[str, _Entry] = {}
        # trigger token -> (pattern, pseudonym, whether the form is a user name re-spaced: "fat fingers")
        self._multi: dict[str, list[tuple[re.Pattern[str], str, bool]]] = {}
        self._url_names: set[str] = set()
        multi: dict[str, Variant] = {}
        for v in sorted(given, key=_rank):
            if not is_single_token(v.text):
                multi.setdefault(v.text.casefold(), v)
                continue
            # A quoted name is checked for its position whatever its letters: it may be a source's name.
            alphabetic = v.form == QUOTED_NAME or _LETTERS_ONLY.fullmatch(v.text) is not None
            entry = _Entry(v.pseudonym, v.form, alphabetic)
            if len(v.text) >= MIN_CASEFOLD_LEN:
                self._folded.setdefault(v.text.casefold(), entry)
                if not v.derived and not (entry.alphabetic and function_languages(v.text)):
                    self._url_names.add(v.text.casefold())
            else:
                self._exact.setdefault(v.text, entry)
        for folded, v in sorted(multi.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            tokens = _TOKEN.findall(folded)
            if not tokens:
                continue
            pattern = re.compile(r"(?<!\w)" + re.escape(v.text) + r"(?!\w)", re.I)
            mode = "position" if v.form == QUOTED_NAME else "respaced" if v.respaced else "always"
            self._multi.setdefault(max(tokens, key=len), []).append((pattern, v.pseudonym, mode))
        self._folded_set = frozenset(self._folded) | frozenset(self._multi)
        self._exact_set = frozenset(self._exact)

    def __bool__(self) -> bool:
        return bool(self._exact or self._folded or self._multi)

    def names_in(self, url: str) -> bool:
        """Whether a URL holds a member's whole name (their blog, their page)."""
        return not self._url_names.isdisjoint(_TOKEN.findall(url.casefold()))

    def scrub(self, text: str | None, *, strict: bool = False) -> str | None:
        """``text`` with names, personal URLs, contact details and handles replaced.

        ``strict``: every form of a name is replaced, even where it could be a word (for raw records, which
        are no prose: a rejected record's author field must lose its name, "bob" as much as "bob1984").
        """
        if not text:
            return text
        if self.contacts:
            text = scrub_contacts(text, self.counts, self.names_in if self._url_names else None) or ""
        if self:
            text = self._names(text, strict)
        if self.contacts and ("@" in text or "u/" in text):
            for _ in range(3):  # a replacement can expose another handle ("@u/u/x"): until nothing is left
                text, n = _HANDLE.subn(lambda m: m.group(1) + HANDLE_MARK, text)
                self.counts["handles"] += n
                if not n:
                    break
        return text

    def _names(self, text: str, strict: bool = False) -> str:
        folded_text = text.casefold()
        words = set(_TOKEN.findall(folded_text))
        hit_folded = not self._folded_set.isdisjoint(words)
        if not hit_folded and (not self._exact_set or self._exact_set.isdisjoint(_TOKEN.findall(text))):
            return text
        if hit_folded and self._multi:
            for trigger in sorted(words.intersection(self._multi)):
                for pattern, pseudonym, mode in self._multi[trigger]:
                    text = pattern.sub(self._phrase(pseudonym, "always" if strict else mode), text)
            folded_text = text.casefold()
        parts = _SPLIT.split(text)
        tokens = parts[1::2]
        folded = _TOKEN.findall(folded_text)
        if len(folded) != len(tokens):  # casefolding split a word (rare letters such as U+0130): one by one
            folded = [t.casefold() for t in tokens]
        # Entries by word in C loops (map over dict.get, compress): Python code runs for the hits only.
        entries = list(map(self._folded.get, folded))
        if self._exact:
            entries = [e or x for e, x in zip(entries, map(self._exact.get, tokens), strict=True)]
        lang: list[str] = []  # the message's language, detected once when a name is also a word
        replaced: list[tuple[int, str]] = []  # applied after the loop: offsets below are those of ``text``
        for i in compress(range(len(entries)), entries):
            entry, word = entries[i], tokens[i]
            if entry is None:
                continue
            if entry.alphabetic and not strict:
                start = sum(map(len, parts[: 2 * i + 1]))
                if not self._as_name(entry, word, text, start, start + len(word), lang):
                    continue
            replaced.append((2 * i + 1, entry.pseudonym))
            self.counts["names" if entry.form == USER_NAME else "first_names"] += 1
        for index, pseudonym in replaced:
            parts[index] = pseudonym
        return "".join(parts)

    def _phrase(self, pseudonym: str, mode: str) -> Callable[[re.Match[str]], str]:
        """The replacement of a name of several words (``mode``: always, respaced, position).

        A user name re-spaced that is an ordinary phrase in lower case ("my swollen knee" for a member
        swollen_knee) is a name only with a capital or in a name position; a quoted name only in a position.
        """

        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            if mode == "position" and not at_name_position(match.string, *match.span()):
                self._tally(_Entry(pseudonym, QUOTED_NAME, True), "maybe a source", "any", False)
                return found
            if mode == "respaced" and not found[:1].isupper() and not at_name_position(match.string, *match.span()):
                from chrysalide.text.language import detect

                lang = detect(match.string)
                words = [w for w in _TOKEN.findall(found) if len(w) >= 3]
                if words and all(self._classes.is_word(w, lang) for w in words):
                    self._tally(_Entry(pseudonym, USER_NAME, True), "common phrase", lang, False)
                    return found
            self.counts["names"] += 1
            return pseudonym

        return replace

    def _as_name(self, entry: _Entry, word: str, text: str, start: int, end: int, lang: list[str]) -> bool:
        """Whether a form that may be a word of the message's language is used as a name here.

        | form          | not a word          | common word                          | function word |
        | user name     | everywhere          | with a capital, or as a name         | as a name     |
        | first name    | everywhere          | with a capital mid-sentence, or ...  | as a name     |
        | name part     | with a capital      | as a name                            | as a name     |
        | lead word     | as a name           | as a name                            | as a name     |
        | quoted name   | as a name           | as a name                            | as a name     |

        "As a name": in a name position (:func:`at_name_position`). A capital counts except in German,
        where every noun has one. Function words include months, days and the text layer's health words.
        """
        from chrysalide.text.language import UNDETERMINED, detect

        form = entry.form
        if form == NAME_PART and not word[:1].isupper():
            return False
        if form == LEAD_WORD:
            return at_name_position(text, start, end, vocative=False)
        if form == QUOTED_NAME:
            as_name = at_name_position(text, start, end, vocative=False)
            self._tally(entry, "maybe a source", "any", as_name)
            return as_name
        if not lang:
            lang.append(detect(text))
        code = lang[0]
        if code == UNDETERMINED:
            # No language to tell: a function word of any language is one; a name part is checked against
            # the dictionaries of the text layer's languages; anything else is taken as a name.
            languages = function_languages(word)
            if languages:
                kind, code = "function word", "/".join(sorted(languages))
            elif form == NAME_PART and any(self._classes.is_common_word(word, c) for c in TEXT_LANGS):
                kind = "common word"
            else:
                return True
        elif self._classes.is_function_word(word, code):
            kind = "function word"
        elif self._classes.is_common_word(word, code):
            kind = "common word"
            capital = form != NAME_PART and code != "de" and word[:1].isupper()
            if capital and form == FIRST_NAME and _SENTENCE_START.search(text, 0, start):
                capital = False  # "Fat is..." for a member fat_fingers: a capital at a sentence start says nothing
            if capital:
                self._tally(entry, kind, code, True)
                return True
        else:
            return True
        as_name = at_name_position(text, start, end)
        self._tally(entry, kind, code, as_name)
        return as_name

    def _tally(self, entry: _Entry, kind: str, lang: str, replaced: bool) -> None:
        key = (entry.pseudonym, entry.form, kind, lang)
        self.ambiguous.setdefault(key, [0, 0])[0 if replaced else 1] += 1
