"""The text scrubber of ingest: members' names, their URLs, contact details and @handles out of every text.

What it replaces (docs/privacy.md, "Name scrubbing"):

- every variant of every member's name (:mod:`chrysalide.privacy.names`), by the member's pseudonym: the user
  name as written and the first names taken from it, wherever they stand as a word, glued to punctuation
  included ("karen1515...how", "@karen1515-thanks", "entschuldigen.Padma"); case-insensitive from four
  characters, exact case for three-character names; multi-part names ("Das-kleine-Runde", "Jean Luc") whole;
- a name that is also a word of the message's language (language of the message by
  :func:`chrysalide.text.language.detect`): a function word only where it stands as a name
  (:mod:`chrysalide.privacy.positions`); a common word there and where it is written with a capital, except
  in German, where every noun has one; these names are reported as ambiguous. A *piece* of a user name (a
  first name, a word of it, a part of a display name) that is a word, an abbreviation or a place name is
  replaced only where it is written with a capital and stands as a name (after a greeting, before an
  attribution, as a signature on its own line), or after @; a word in capitals is shouted, not a name;
- a member's name glued to the verb of a quote header that an export ran together ("floflo2810a écrit :",
  "karen1515wrote:");
- URLs that identify a person or hold a member's name (also glued inside one of their words:
  :data:`LINK_NAME_LEN`), e-mail addresses and phone numbers, by placeholders
  (:mod:`chrysalide.privacy.contacts`), and the @handles and u/handles of anybody else by ``@[user]``;
- a Reddit profile's own subreddit ("u_name", a board or "r/u_name" in text) by "u_" and the pseudonym
  of the name, or ``u_[user]`` (:meth:`NameScrubber.profiles`).

Removal markers ("[deleted]", "[removed]") are left as they are. Most messages name nobody: that is found
out with C-level set operations on the message's words before anything is substituted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate, compress

from chrysalide.privacy.contacts import HANDLE_MARK, scrub_contacts
from chrysalide.privacy.names import (
    FIRST_NAME,
    FUNCTION_LANGS,
    MIN_CASEFOLD_LEN,
    NAME_PART,
    NAME_WORD,
    QUOTED_NAME,
    SEPARATORS,
    USER_NAME,
    Variant,
    WordClasses,
    function_languages,
    health_word,
    is_place,
    is_single_token,
)
from chrysalide.privacy.positions import (
    ATTRIBUTIONS,
    GREETINGS,
    at_name_position,
    at_sentence_start,
    capitalised,
    in_capital_run,
    piece_at_name_position,
    written_as_name,
)
from chrysalide.privacy.pseudonyms import PSEUDONYM, PSEUDONYM_RE
from chrysalide.text.prose import REMOVAL_MARKER

#: Languages whose dictionaries tell a first name from a word when a message's language is undetermined.
TEXT_LANGS = ("fr", "en", "de")
_TOKEN = re.compile(r"\w+")
# A message's words: a soft hyphen (U+00AD) is inside a word ("Dia\xadgnose" is one word, not "Dia").
_WORDS = re.compile(r"\w+(?:\xad\w+)*")
_SPLIT = re.compile(r"(\w+(?:\xad\w+)*)")
_GLUED_BEFORE = re.compile(r"\w\xad?\Z")
_GLUED_AFTER = re.compile(r"\xad?\w")
_W_END, _W = re.compile(r"\w\Z"), re.compile(r"\w")
_HAS_DIGIT = re.compile(r"\d")
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
# The words that may stand right before a name (the last word of a greeting, "and" of a list, a closing
# formula) or right after it (an attribution), and how far from the end a signature may stand.
_CUES_BEFORE = frozenset(w.split()[-1] for w in GREETINGS) | {"and", "et", "und", "y", "e"}
_CUES_AFTER = frozenset(w.split()[0] for w in ATTRIBUTIONS)
_PREVIOUS_WORD = re.compile(r"(\w+)\W*\Z")
_NEXT_WORD = re.compile(r"\W*(\w+)")
_LAST = re.compile(r"\W*\Z")  # nothing but punctuation, spaces or emoji until the end
# @name or u/name not already replaced (a pseudonym) nor part of an e-mail address or a URL path.
_HANDLE = re.compile(rf"(?<![\w@/.])(@|/?\bu/)(?!{PSEUDONYM}\b)([^\W\d_][\w.\-]*\w|[^\W\d_])")
# A Reddit profile's own subreddit, "u_<user name>" (a board, "r/u_name" in text), names its user: not a
# pseudonym already, nor "u_[user]".
_PROFILE = re.compile(rf"(?<![\w-])u_(?!{PSEUDONYM}(?![\w-]))([A-Za-z0-9_-]{{3,40}})(?![\w-])")
#: A name glued inside a word of a link ("malicbegovicnedim.ml" of nedim02200) is looked for from this many
#: letters: a whole user name anywhere in the link, a first name or a part of a display name in its host name,
#: neither a word of a language. Shorter, ordinary links lose their address to a piece of a name: "tami" is in
#: "histaminintoleranz.html", "evie" (of evie_1990) in "preview.redd.it", Reddit's image host.
LINK_NAME_LEN = 5
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST_NAME = re.compile(r"[^/?#]*")
# A quote header whose export glued the name to the verb: "floflo2810a écrit :", "karen1515wrote:", also
# right after the time of the header it is nested in ("... à 10:55Joanna744a écrit :").
_GLUED_ATTRIBUTION = re.compile(r"(?:(?<![\w:])|(?<=\d\d:\d\d))(\w+?)(a(?=\s+écrit\s*:)|wrote(?=\s*:))", re.I)


@dataclass(frozen=True, slots=True)
class _Entry:
    pseudonym: str
    form: str
    alphabetic: bool  # letters only: might be a word of some language
    upper: bool = False  # written in capitals ("ELLE"): so written in text, it is no shouting


_FORMS = (USER_NAME, FIRST_NAME, NAME_PART, NAME_WORD, QUOTED_NAME)
#: The counter each form's replacements go to.
_COUNTS = {USER_NAME: "names", FIRST_NAME: "first_names", NAME_PART: "first_names", NAME_WORD: "name_words",
           QUOTED_NAME: "name_words"}  # fmt: skip
#: Forms that are names only where names stand: looked up among the words at name positions only.
SLOT_FORMS = (NAME_WORD, QUOTED_NAME)


def _rank(variant: Variant) -> tuple[int, str]:
    # Two members sharing a form (two "angela_..." users): a user name wins over a first name, a first name
    # over a name part, then the smallest pseudonym, so that the order names were given does not matter.
    return (_FORMS.index(variant.form), variant.pseudonym)


class _Message:
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

    def hits(self, folded: dict[str, _Entry], exact: dict[str, _Entry] | None) -> list[tuple[int, _Entry]]:
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


def _stands_as_name(entry: _Entry, text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands where a name stands: a whole user name in a name position, a piece of
    one (a first name, a part) under the stricter cues of :func:`piece_at_name_position`."""
    if entry.form == USER_NAME:
        return at_name_position(text, start, end)
    return piece_at_name_position(text, start, end, name_upper=entry.upper)


def _word_set(folded_text: str, word_list: list[str]) -> set[str]:
    """The words of a message: its ``word_list`` (a soft hyphen inside a word), and where a soft hyphen joins a
    word with a digit to another, that word too: "Dia" is no word of "Dia\xadgnose", but a user name such as
    "karen1515" is no word of any language and is replaced wherever it stands."""
    words = set(word_list)
    if "\xad" in folded_text:
        words.update(w for w in _TOKEN.findall(folded_text) if _HAS_DIGIT.search(w))
    return words


def _whole_words(text: str, word: str) -> list[int]:
    """Where ``word`` stands in ``text`` as a whole word (no letter, digit or _ glued to it, nor, for a word
    without a digit, a soft hyphen: "Dia" is no word of "Dia\xadgnose"; see :func:`_word_set`)."""
    glued_before, glued_after = (_GLUED_BEFORE, _GLUED_AFTER) if _HAS_DIGIT.search(word) is None else (_W_END, _W)
    found, start = [], text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[max(0, start - 2) : start]
        after = text[end : end + 2]
        if not (glued_before.search(before) or glued_after.match(after)):
            found.append(start)
        start = text.find(word, start + 1)
    return found


def _trigger(tokens: list[str]) -> str:
    """The word of a name of several words that the message must hold before the name is looked for: one
    with a digit (the rarest: "chat717" of nathalie.chat717), else the longest that is no function word."""
    with_digits = [t for t in tokens if _HAS_DIGIT.search(t)]
    if with_digits:
        return max(with_digits, key=len)
    return max([t for t in tokens if not function_languages(t)] or tokens, key=len)


def profile_user(board: str | None) -> str | None:
    """The user name of a board that is a Reddit profile's own subreddit ("u_name" -> "name"), else None."""
    found = _PROFILE.fullmatch(board) if board and board.startswith("u_") else None
    return found.group(1) if found else None


@dataclass(frozen=True, slots=True)
class _Glued:
    """The names looked for inside the words of a link (:data:`LINK_NAME_LEN`): casefolded, by length."""

    anywhere: dict[int, frozenset[str]]  # whole user names without their separators
    host: dict[int, frozenset[str]]  # first names and parts of display names

    @staticmethod
    def holds(text: str, forms: dict[int, frozenset[str]]) -> bool:
        """Whether ``text`` holds one of ``forms`` as a substring (one set look-up per length and position)."""
        return any(text[i : i + n] in found for n, found in forms.items() for i in range(len(text) - n + 1))


class NameScrubber:
    """Replaces members' names, their URLs and contact details in text; counts what it replaced.

    ``counts`` (a Counter) grows with every call: ``names`` (whole user names), ``first_names`` (first names
    and parts of display names), ``name_words`` (words of user names and quoted names, where names stand),
    ``urls``, ``emails``, ``phones``, ``handles``. ``ambiguous`` maps (pseudonym, form kind, word class,
    language) to [occurrences replaced as a name, occurrences left as a word].
    """

    def __init__(
        self, names: Iterable[Variant | tuple[str, str]], *, contacts: bool = True, languages: Iterable[str] = ()
    ) -> None:
        from chrysalide.privacy.names import variants

        given: list[Variant] = []
        for item in names:
            given.extend(variants(*item) if isinstance(item, tuple) else [item])
        self._variants = tuple(given)
        self._glued: _Glued | None = None  # made when the first link is met
        self.contacts = contacts
        #: The languages of the source's messages (a sample's), each one detected per message when empty.
        self.languages = tuple(lang for lang in languages if lang in FUNCTION_LANGS)
        self.counts: Counter[str] = Counter()
        self.ambiguous: dict[tuple[str, str, str, str], list[int]] = {}
        self._classes = WordClasses()
        self._exact: dict[str, _Entry] = {}
        self._folded: dict[str, _Entry] = {}
        # Names of several words ("Das-kleine-Runde", "zoe.m", "Claire Dupont", "fat fingers"): by their words.
        # trigger -> (name, pseudonym, mode, its words)
        self._multi: dict[str, list[tuple[str, str, str, frozenset[str]]]] = {}
        self._patterns: dict[str, re.Pattern[str]] = {}  # compiled on first use: a forum has thousands of names
        self._url_names: set[str] = set()
        multi: dict[str, Variant] = {}
        self._slots: dict[str, _Entry] = {}
        # User names as written, casefolded (Reddit's ignore case): the names of :meth:`profiles`.
        self._user_names: dict[str, str] = {}
        for v in sorted(given, key=_rank):
            if v.form == USER_NAME and not v.respaced:
                self._user_names.setdefault(v.text.casefold(), v.pseudonym)
            if not is_single_token(v.text):
                multi.setdefault(v.text.casefold(), v)
                continue
            if v.form in SLOT_FORMS:
                # "Das" of Das-kleine-Runde is a name in no position; "Graves" of graves_sue is one where names
                # stand ("Best wishes, Graves"), and the disease everywhere else.
                if not function_languages(v.text) or health_word(v.text):
                    self._slots.setdefault(v.text.casefold(), _Entry(v.pseudonym, v.form, True, v.text.isupper()))
                continue
            # A quoted name is checked for its position whatever its letters: it may be a source's name.
            alphabetic = v.form == QUOTED_NAME or _LETTERS_ONLY.fullmatch(v.text) is not None
            entry = _Entry(v.pseudonym, v.form, alphabetic, v.text.isupper())
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
            mode = "position" if v.form == QUOTED_NAME else "respaced" if v.respaced else "always"
            # Found by its longest word that is no function word, then kept when all its words are in the message.
            self._multi.setdefault(_trigger(tokens), []).append((v.text, v.pseudonym, mode, frozenset(tokens)))
        self._multi_set = frozenset(self._multi)
        self._folded_set = frozenset(self._folded) | self._multi_set
        self._exact_set = frozenset(self._exact)
        self._exact_folded = frozenset(n.casefold() for n in self._exact)
        self._slot_set = frozenset(self._slots)
        self._any_set = self._folded_set | self._slot_set | self._exact_folded

    def __bool__(self) -> bool:
        return bool(self._exact or self._folded or self._multi or self._slots)

    def names_in(self, url: str) -> bool:
        """Whether a URL holds a member's name (their blog, their page): a whole user name as one of its words,
        or glued inside one (:data:`LINK_NAME_LEN`: "malicbegovicnedim.ml" of nedim02200)."""
        folded = url.casefold()
        if not self._url_names.isdisjoint(_TOKEN.findall(folded)):
            return True
        glued = self._glued_names()
        address = _SCHEME.sub("", folded)
        host = _HOST_NAME.match(address)
        assert host is not None  # the pattern matches the empty string
        return glued.holds(SEPARATORS.sub("", address), glued.anywhere) or glued.holds(host.group(), glued.host)

    def _glued_names(self) -> _Glued:
        """The names :meth:`names_in` looks for inside the words of a link, made once."""
        if self._glued is None:
            anywhere: dict[int, set[str]] = {}
            host: dict[int, set[str]] = {}
            for v in self._variants:
                if v.form == USER_NAME and not v.respaced:
                    form, target = SEPARATORS.sub("", v.text.casefold()), anywhere
                elif v.form in (FIRST_NAME, NAME_PART):
                    form, target = v.text.casefold(), host
                else:
                    continue
                if len(form) >= LINK_NAME_LEN and not form.isdigit() and not self._any_word(form):
                    target.setdefault(len(form), set()).add(form)
            self._glued = _Glued(
                {n: frozenset(f) for n, f in anywhere.items()}, {n: frozenset(f) for n, f in host.items()}
            )
        return self._glued

    def _any_word(self, form: str) -> bool:
        """Whether ``form``, made of letters only, is a function word, a place name or a common word of the
        source's languages (of TEXT_LANGS when they are unknown: each dictionary takes a fraction of a second
        to load)."""
        if _LETTERS_ONLY.fullmatch(form) is None:
            return False
        langs = self.languages or TEXT_LANGS
        return (
            bool(function_languages(form))
            or is_place(form)
            or any(self._classes.is_common_word(form, lang) for lang in langs)
        )

    def scrub(self, text: str | None, *, strict: bool = False) -> str | None:
        """``text`` with names, personal URLs, contact details and handles replaced.

        ``strict``: every form of a name is replaced, even where it could be a word (for raw records, which
        are no prose: a rejected record's author field must lose its name, "bob" as much as "bob1984").
        """
        if not text:
            return text
        if self.contacts:
            text = scrub_contacts(text, self.counts, self.names_in if self else None) or ""
        if self:
            text = self._outside_markers(text, strict)
        if "u_" in text:
            text = self.profiles(text)
        if self.contacts and ("@" in text or "u/" in text):
            for _ in range(3):  # a replacement can expose another handle ("@u/u/x"): until nothing is left
                text, n = _HANDLE.subn(lambda m: m.group(1) + HANDLE_MARK, text)
                self.counts["handles"] += n
                if not n:
                    break
        return text

    def profiles(self, text: str) -> str:
        """``text`` with each Reddit profile's own subreddit ("u_name": a board, or "r/u_name" in text) named by
        the pseudonym of a name of the source ("u_M-…": a member's, or that of a profile seen as a board), or by
        ``u_[user]`` for anybody else: "u_" says it is a profile page, the rest would name its user."""

        def replace(match: re.Match[str]) -> str:
            pseudonym = self._user_names.get(match.group(1).casefold())
            self.counts["names" if pseudonym else "handles"] += 1
            return "u_" + (pseudonym or HANDLE_MARK)

        return _PROFILE.sub(replace, text)

    def _outside_markers(self, text: str, strict: bool) -> str:
        """``text`` with names replaced everywhere but in removal markers: "[deleted]" stays a marker."""
        if "[" not in text:
            return self._names(text, strict)
        pieces, last = [], 0
        for marker in REMOVAL_MARKER.finditer(text):
            pieces += [self._names(text[last : marker.start()], strict), marker.group()]
            last = marker.end()
        return "".join([*pieces, self._names(text[last:], strict)])

    def _glued_attributions(self, text: str) -> str:
        """Known names glued to the verb of a quote header, replaced ("M-… a écrit :", "M-… wrote:")."""

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            entry = self._folded.get(name.casefold()) or self._slots.get(name.casefold()) or self._exact.get(name)
            if entry is None:
                return match.group(0)
            self.counts[_COUNTS[entry.form]] += 1
            glued = match.start() > 0 and text[match.start() - 1].isalnum()
            return (" " if glued else "") + entry.pseudonym + " " + match.group(2)

        return _GLUED_ATTRIBUTION.sub(replace, text)

    def _names(self, text: str, strict: bool = False) -> str:
        folded_text = text.casefold()
        if "écrit" in folded_text or "wrote" in folded_text:
            text = self._glued_attributions(text)
            folded_text = text.casefold()
        word_list = _WORDS.findall(folded_text)
        words = _word_set(folded_text, word_list)
        if self._any_set.isdisjoint(words):  # most messages name nobody: one C set operation says so
            return text
        hit_folded = not self._folded_set.isdisjoint(words)
        hit_slots = not self._slot_set.isdisjoint(words)
        # Three-letter names count with their exact case only, but a casefolded word must match first.
        # Three-letter names count with their exact case: a substring test each, once a casefolded word matches.
        hit_exact = not self._exact_folded.isdisjoint(words) and any(n in text for n in self._exact_set)
        if not (hit_folded or hit_slots or hit_exact):
            return text
        found: list[tuple[str, str, str]] = []
        if hit_folded and self._multi:  # names of several words, when every word of one is in the message
            found = [m[:3] for t in sorted(words & self._multi_set) for m in self._multi[t] if m[3] <= words]
            found.sort(key=lambda m: (-len(m[0]), m[0]))  # the longest first: "Jean Luc Martin" before "Jean Luc"
        for name, pseudonym, mode in found:
            text = self._pattern(name).sub(self._phrase(pseudonym, "always" if strict else mode), text)
        if found:  # the words of the names replaced are gone
            folded_text = text.casefold()
            word_list = _WORDS.findall(folded_text)
            words = _word_set(folded_text, word_list)
        replaced: dict[tuple[int, int], str] = {}  # span in ``text`` -> pseudonym, applied at the end
        if hit_folded or hit_exact:
            forms = words & self._folded_set
            found_words = self._occurrences(text, folded_text, forms, self._folded, hit_exact)
            if found_words is None:  # casefolding and the patterns disagree (rare letters): word by word
                message = _Message(text, word_list)
                found_words = [(*message.span(i), e) for i, e in message.hits(self._folded, self._exact)]
            self._word_names(text, found_words, strict, replaced)
        if hit_slots:
            found_slots = self._occurrences(text, folded_text, words & self._slot_set, self._slots, False)
            if found_slots is None:
                message = _Message(text, word_list)
                found_slots = [(*message.span(i), e) for i, e in message.hits(self._slots, None)]
            self._slot_names(text, found_slots, strict, replaced)
        for (start, end), pseudonym in sorted(replaced.items(), reverse=True):
            text = text[:start] + pseudonym + text[end:]
        return text

    def _occurrences(
        self, text: str, folded_text: str, forms: set[str], table: dict[str, _Entry], exact: bool
    ) -> list[tuple[int, int, _Entry]] | None:
        """Where each of ``forms`` (casefolded words known to be in ``text``) stands in it, with its entry, and
        the three-letter names of exact case when ``exact``; found with ``str.find`` (no pattern to compile per
        name). None when casefolding changed the text's length (the ß of "Straße"): the caller reads word by word.
        """
        if len(folded_text) != len(text):
            return None
        found: list[tuple[int, int, _Entry]] = []
        for form in sorted(forms):
            entry = table.get(form)
            if entry is not None:  # else the trigger of a name of several words, not a name itself
                found += [(start, start + len(form), entry) for start in _whole_words(folded_text, form)]
        if exact:
            for name in sorted(self._exact_set):
                if name in text:
                    found += [(start, start + len(name), self._exact[name]) for start in _whole_words(text, name)]
        return found

    def _word_names(
        self, text: str, found: list[tuple[int, int, _Entry]], strict: bool, replaced: dict[tuple[int, int], str]
    ) -> None:
        """User names, first names and display-name parts, one word each, wherever they stand as names."""
        lang: list[str] = []  # the message's language, detected once when a name is also a word
        for start, end, entry in sorted(found, key=lambda f: (f[0], _FORMS.index(f[2].form))):
            if (start, end) in replaced:
                continue
            if entry.alphabetic and not strict and not self._as_name(entry, text[start:end], text, start, end, lang):
                continue
            replaced[(start, end)] = entry.pseudonym
            self.counts[_COUNTS[entry.form]] += 1

    def _slot_names(
        self, text: str, found: list[tuple[int, int, _Entry]], strict: bool, replaced: dict[tuple[int, int], str]
    ) -> None:
        """Words of user names and quoted names, where names stand (everywhere under ``strict``).

        Such words are often common ones ("lonely" of lonely_unicorn): a word is checked for its position
        only when the word before it could open a name position (a greeting, "and"), an @ or u/ precedes it,
        the word after it could be an attribution, or it is the message's last word (a signature). One that is
        a word of the message's language must also stand as a piece (:func:`piece_at_name_position`: not
        "Thanks mom", "Nice", "Lol").
        """
        lang: list[str] = []
        for start, end, entry in sorted(found, key=lambda f: f[0]):
            if (start, end) in replaced:
                continue
            if not strict:
                word = text[start:end]
                before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
                after = _NEXT_WORD.match(text, end)
                cued = (
                    (before is not None and before.group(1).casefold() in _CUES_BEFORE)
                    or (after is not None and after.group(1).casefold() in _CUES_AFTER)
                    or text[max(0, start - 1) : start] in ("@", "/")
                    or _LAST.match(text, end) is not None
                )
                # A lower-case piece glued by a dot to a word ends an address or a file name ("hello.com").
                if not cued or (
                    word.islower() and text[max(0, start - 2) : start - 1].isalnum() and text[start - 1] == "."
                ):
                    continue
                if self._is_word(word, text, lang):
                    if not piece_at_name_position(text, start, end, name_upper=entry.upper):
                        continue
                elif not at_name_position(text, start, end, vocative=False):
                    continue
            replaced[(start, end)] = entry.pseudonym
            self.counts["name_words"] += 1

    def _is_word(self, word: str, text: str, lang: list[str]) -> bool:
        """Whether ``word`` is a function or common word of the message's language (of any of TEXT_LANGS when
        its language is unknown) or a place name."""
        from chrysalide.text.language import UNDETERMINED

        if function_languages(word) or is_place(word):
            return True
        code = self._language(word, text, lang)
        if code == UNDETERMINED:
            return any(self._classes.is_common_word(word, c) for c in TEXT_LANGS)
        return self._classes.is_common_word(word, code)

    def _pattern(self, name: str, *, exact: bool = False) -> re.Pattern[str]:
        """``name`` as a whole word (case-insensitive unless ``exact``), compiled once: a forum has thousands."""
        key = ("=" if exact else "~") + name
        pattern = self._patterns.get(key)
        if pattern is None:
            flags = 0 if exact else re.I
            pattern = self._patterns[key] = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", flags)
        return pattern

    def _phrase(self, pseudonym: str, mode: str) -> Callable[[re.Match[str]], str]:
        """The replacement of a name of several words (``mode``: always, respaced, position).

        A user name re-spaced that is an ordinary phrase ("my swollen knee" for a member swollen_knee, "Yes. All
        the time." for all-the-time) is a name only written as one ("Swollen Knee") or in a name position (not
        a last sentence of its own); a quoted name only in a position.
        """

        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            if mode == "position" and not at_name_position(match.string, *match.span()):
                self._tally(_Entry(pseudonym, QUOTED_NAME, True), "maybe a source", "any", False)
                return found
            if (
                mode == "respaced"
                and not written_as_name(found)
                and not at_name_position(match.string, *match.span(), vocative=False, sentence_signature=False)
            ):
                from chrysalide.text.language import UNDETERMINED, detect

                lang = detect(PSEUDONYM_RE.sub(" ", match.string))
                words = [w for w in _TOKEN.findall(found) if len(w) >= 3]
                # A message of undetermined language: a word of any of TEXT_LANGS, as for one word (_is_word).
                # Replacing a name changes the detected language ("swollen knee@elle" is French until "elle" is a
                # pseudonym): without this, scrubbing the result again replaced the phrase kept the first time.
                langs = TEXT_LANGS if lang == UNDETERMINED else (lang,)
                if words and all(any(self._classes.is_word(w, c) for c in langs) for w in words):
                    self._tally(_Entry(pseudonym, USER_NAME, True), "common phrase", lang, False)
                    return found
            self.counts["names"] += 1
            return pseudonym

        return replace

    def _as_name(self, entry: _Entry, word: str, text: str, start: int, end: int, lang: list[str]) -> bool:
        """Whether a form that may be a word of the message's language is used as a name here.

        | form          | not a word          | common word                                 | function word |
        | user name     | everywhere          | with a capital, or as a name                | as a name     |
        | first name    | everywhere          | with a capital mid-sentence, or as a piece  | as a piece    |
        | name part     | with a capital      | as a piece                                  | as a piece    |

        The words of user names and quoted names are looked for only where names stand (``_slot_names``).

        "As a name": in a name position (:func:`at_name_position`); "as a piece": :func:`piece_at_name_position`. A
        capital counts except in a German source, where every noun has one, and except in a word in capitals
        ("HATE", "PEACE": shouted) or, for a first name, in a run of capitalised words ("Reddit Help Page").
        Function words include months, days, abbreviations ("idk") and the text layer's health words, and for
        a piece, place names. The dictionaries are read only for a form that neither a capital nor a position
        decides, and only such forms and function words are counted as ambiguous.
        """
        from chrysalide.text.language import UNDETERMINED

        form = entry.form
        if form == NAME_PART and not word[:1].isupper():
            return False
        # The cheap tests first, the dictionaries (and the message's language) only when they must decide.
        functional, kind = function_languages(word), "function word"
        if not functional and form != USER_NAME and is_place(word):
            functional, kind = frozenset(FUNCTION_LANGS), "place name"
        if functional:
            code = self._language(word, text, lang, functional=True)
            if code == UNDETERMINED or code in functional:
                as_name = _stands_as_name(entry, text, start, end)
                self._tally(entry, kind, code if code in functional else "/".join(sorted(functional)), as_name)
                return as_name
        # A user name keeps its capital in capitals too: only the pieces of one can be shouted words.
        capital = (
            word[:1].isupper() if form == USER_NAME else capitalised(word, name_upper=entry.upper)
        ) and "de" not in self.languages
        if capital and not (
            form == FIRST_NAME and (at_sentence_start(text, start) or in_capital_run(text, start, end))
        ):
            return True  # a capital away from a sentence start marks a name, whatever the word is
        if _stands_as_name(entry, text, start, end):
            return True
        code = self._language(word, text, lang)
        if code == UNDETERMINED:
            common = form == NAME_PART and any(self._classes.is_common_word(word, c) for c in TEXT_LANGS)
        else:
            common = self._classes.is_common_word(word, code)
        if common:
            self._tally(entry, "common word", code, False)
        return not common

    def _language(self, word: str, text: str, lang: list[str], *, functional: bool = False) -> str:
        """The language whose words decide for ``word`` in this message (``functional``: as a function word).

        A source in one language (``languages``, from a sample of its messages) needs no detection; a source
        in several has its message detected only when the word's class differs between them.
        """
        from chrysalide.text.language import UNDETERMINED, detect

        if len(self.languages) == 1:
            return self.languages[0]
        if self.languages:
            if functional:
                classes = {self._classes.is_function_word(word, c) for c in self.languages}
            else:
                classes = {self._classes.is_common_word(word, c) for c in self.languages}
            if len(classes) == 1:
                return self.languages[0]
        if not lang:
            lang.append(detect(PSEUDONYM_RE.sub(" ", text)) if text else UNDETERMINED)  # pseudonyms' hex is no word
        return lang[0]

    def _tally(self, entry: _Entry, kind: str, lang: str, replaced: bool) -> None:
        key = (entry.pseudonym, entry.form, kind, lang)
        self.ambiguous.setdefault(key, [0, 0])[0 if replaced else 1] += 1
