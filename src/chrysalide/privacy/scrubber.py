"""The text scrubber of ingest: members' names, their URLs, contact details and @handles out of every text.

What it replaces (docs/privacy.md, "Name scrubbing"):

- every variant of every member's name (:mod:`chrysalide.privacy.names`), by the member's pseudonym: the user
  name as written and the first names taken from it, wherever they stand as a word, glued to punctuation
  included ("karen2727...how", "@karen2727-thanks", "entschuldigen.Jovana"); case-insensitive from four
  characters, exact case for three-character names; multi-part names ("Die-kleine-Runde", "Jean Luc") whole;
- a name that is also a word of the message's language (language of the message by
  :func:`chrysalide.text.language.detect`): a function word only where it stands as a name
  (:mod:`chrysalide.privacy.positions`); a common word there and where it is written with a capital, except
  in German, where every noun has one, and for a first name after a French article or possessive ("ma
  Maman"); these names are reported as ambiguous. A *piece* of a user name (a first name, a word of it, a part
  of a display name) that is a word, an abbreviation or a place name is replaced only where it is written with
  a capital and stands as a name (right after a greeting, before an attribution, as a signature on its own
  line), or after @; a word in capitals is shouted, not a name (:mod:`chrysalide.privacy.ambiguous`); names of several words and re-spaced user names whole
  (:mod:`chrysalide.privacy.respaced`);
- the names of people who are no members where an introduction, a title, a closing formula, a greeting or a
  signature's line announces them ("My name is Sarah", "Dr Dupont", "Bisous,\\nMarie"), by the pseudonym
  ``person`` gives (:mod:`chrysalide.privacy.persons`);
- the surname written after a member's name, with the name ("Jorinde Brandauer": :mod:`chrysalide.privacy.surnames`);
- a member's user name or first name of eight characters or more misspelt or cut short ("Hello MollyVale1952"
  for MollyVane1952), where the word is no word of the language, and where it stands as a name when it is
  made of letters only ("Hi Cumbriala," for Cumbrialass86: :mod:`chrysalide.privacy.nearnames`);
- a member's name glued to the verb of a quote header that an export ran together ("fifou1984a écrit :",
  "karen2727wrote:"), to a greeting or thanks ("BonjourPaqueretteHa"), to digits ("start=3840paquerette") or to
  a lower-case function word ("Fifoupour ta"), or in lower case to a greeting ("bonjourpaquerette"): set apart by
  spaces, then read as any word, :mod:`chrysalide.privacy.glued`;
- the name of an earlier author of the thread that a reply opens with, whatever its case ("Thanks robin,", "Yes
  Rusty,", "Dusty thank you"), given the thread's earlier authors (:mod:`chrysalide.privacy.addressees`); a name
  there that the rules above replace, a first name two members share, takes that author's pseudonym
  (:meth:`NameScrubber._addressed`);
- a user name, first name or display name's part that is no word followed by an "s" in an English or German
  message (a genitive without its apostrophe: "Zelminas Beitrag"), whole (:meth:`NameScrubber._add_genitives`);
- URLs that identify a person or hold a member's name (also glued inside one of their words:
  :mod:`chrysalide.privacy.links`), e-mail addresses and phone numbers, by placeholders
  (:mod:`chrysalide.privacy.contacts`), and the @handles and u/handles of anybody else by ``@[user]``;
- a Reddit profile's own subreddit ("u_name", a board or "r/u_name" in text) by "u_" and the pseudonym
  of the name, or ``u_[user]`` (:meth:`NameScrubber.profiles`, :mod:`chrysalide.privacy.handles`).

Removal markers ("[deleted]", "[removed]") are left as they are. Most messages name nobody: that is found
out with C-level set operations on the message's words before anything is substituted
(:mod:`chrysalide.privacy.occurrences`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable

from chrysalide.privacy.addressees import Addressees
from chrysalide.privacy.ambiguous import AmbiguousNames
from chrysalide.privacy.contacts import scrub_contacts
from chrysalide.privacy.glued import GluedNames, unglue
from chrysalide.privacy.handles import handles, profiles
from chrysalide.privacy.links import LinkNames
from chrysalide.privacy.names import (
    FIRST_NAME,
    FUNCTION_LANGS,
    MIN_CASEFOLD_LEN,
    NAME_PART,
    NAME_WORD,
    QUOTED_NAME,
    USER_NAME,
    Variant,
    function_languages,
    health_word,
    is_name_in_s,
    is_single_token,
)
from chrysalide.privacy.nearnames import NEAR_NAME, NearNames
from chrysalide.privacy.occurrences import LETTERS_ONLY, WORDS, Entry, Message, occurrences, word_set
from chrysalide.privacy.persons import persons
from chrysalide.privacy.positions import ATTRIBUTIONS, GREETINGS, at_name_position, piece_at_name_position
from chrysalide.privacy.pseudonyms import PSEUDONYM_RE
from chrysalide.privacy.respaced import Phrases
from chrysalide.privacy.surnames import surname_end
from chrysalide.text.prose import REMOVAL_MARKER

# The words that may stand right before a name (the last word of a greeting, "and" of a list, a closing
# formula) or right after it (an attribution), and how far from the end a signature may stand.
_CUES_BEFORE = frozenset(w.split()[-1] for w in GREETINGS) | {"and", "et", "und", "y", "e"}
_CUES_AFTER = frozenset(w.split()[0] for w in ATTRIBUTIONS)
_PREVIOUS_WORD = re.compile(r"(\w+)\W*\Z")
_NEXT_WORD = re.compile(r"\W*(\w+)")
_LAST = re.compile(r"\W*\Z")  # nothing but punctuation, spaces or emoji until the end
# A quote header whose export glued the name to the verb: "fifou1984a écrit :", "karen2727wrote:", also
# right after the time of the header it is nested in ("... à 10:55Johanna519a écrit :").
_GLUED_ATTRIBUTION = re.compile(r"(?:(?<![\w:])|(?<=\d\d:\d\d))(\w+?)(a(?=\s+écrit\s*:)|wrote(?=\s*:))", re.I)

#: The letter glued after a name in a genitive without apostrophe ("Zelminas Beitrag"): :meth:`NameScrubber._add_genitives`.
GENITIVE = "s"
GENITIVE_LANGS = ("en", "de")  # languages that write it so
_FORMS = (USER_NAME, FIRST_NAME, NAME_PART, NAME_WORD, QUOTED_NAME, NEAR_NAME)
#: The counter each form's replacements go to.
_COUNTS = {USER_NAME: "names", FIRST_NAME: "first_names", NAME_PART: "first_names", NAME_WORD: "name_words",
           QUOTED_NAME: "name_words", NEAR_NAME: "misspelt_names"}  # fmt: skip
#: Forms that are names only where names stand: looked up among the words at name positions only.
SLOT_FORMS = (NAME_WORD, QUOTED_NAME)


_GLUED_DIGIT = re.compile(r"\d[^\W\d_]")  # a digit and a letter: where a name may be glued to a number


def _rank(variant: Variant) -> tuple[int, bool, bool, str]:
    # Two members sharing a form (two "angela_..." users): a user name wins over a first name, a first name
    # over a name part, then the form that is replaced in more places (written so rather than re-spaced, in
    # capitals: "BPD" written so is no shouting for SundayBPD, it would be for mira_bpd), then the smallest
    # pseudonym, so that neither the order names were given nor the key (which orders pseudonyms) decides what
    # is replaced, only which member's pseudonym replaces it.
    return (_FORMS.index(variant.form), variant.respaced, not variant.text.isupper(), variant.pseudonym)


class NameScrubber:
    """Replaces members' names, their URLs and contact details in text; counts what it replaced.

    ``counts`` (a Counter) grows with every call: ``names`` (whole user names), ``first_names`` (first names
    and parts of display names), ``name_words`` (words of user names and quoted names, where names stand),
    ``persons`` (names of people who are no members, by ``person``: :mod:`chrysalide.privacy.persons`),
    ``misspelt_names`` (user names and first names misspelt or cut short: :mod:`chrysalide.privacy.nearnames`),
    ``urls``, ``emails``, ``phones``, ``handles``. ``ambiguous`` maps (pseudonym, form kind, word class,
    language) to [occurrences replaced as a name, occurrences left as a word].
    """

    def __init__(
        self,
        names: Iterable[Variant | tuple[str, str]],
        *,
        contacts: bool = True,
        languages: Iterable[str] = (),
        person: Callable[[str], str] | None = None,
        addressees: Addressees | None = None,
    ) -> None:
        """``person``: the pseudonym of a name of somebody who is no member (a self-introduction's, a doctor's, a
        sign-off's: :mod:`chrysalide.privacy.persons`); without it, such names stay. ``addressees``: the members'
        names a reply may open with (:mod:`chrysalide.privacy.addressees`), read where :meth:`scrub` is told the
        thread's earlier authors."""
        from chrysalide.privacy.names import variants

        given: list[Variant] = []
        for item in names:
            given.extend(variants(*item) if isinstance(item, tuple) else [item])
        self.contacts = contacts
        self.person = person
        self.addressees = addressees
        self._ambiguous = AmbiguousNames(tuple(lang for lang in languages if lang in FUNCTION_LANGS))
        self.counts: Counter[str] = Counter()
        self._exact: dict[str, Entry] = {}
        self._folded: dict[str, Entry] = {}
        url_names: set[str] = set()
        # Names of several words ("Die-kleine-Runde", "zoe.m", "Claire Dupont", "fat thumbs"): by their words.
        multi: dict[str, Variant] = {}
        self._slots: dict[str, Entry] = {}
        # User names as written, casefolded (Reddit's ignore case): the names of :meth:`profiles`.
        self._user_names: dict[str, str] = {}
        for v in sorted(given, key=_rank):
            if v.form == USER_NAME and not v.respaced:
                self._user_names.setdefault(v.text.casefold(), v.pseudonym)
            if not is_single_token(v.text):
                multi.setdefault(v.text.casefold(), v)
                continue
            if v.form in SLOT_FORMS:
                # "Die" of Die-kleine-Runde is a name in no position; "Graves" of graves_sue is one where names
                # stand ("Best wishes, Graves"), and the disease everywhere else.
                if not function_languages(v.text) or health_word(v.text):
                    self._slots.setdefault(v.text.casefold(), Entry(v.pseudonym, v.form, True, v.text.isupper()))
                continue
            # A quoted name is checked for its position whatever its letters: it may be a source's name.
            alphabetic = v.form == QUOTED_NAME or LETTERS_ONLY.fullmatch(v.text) is not None
            entry = Entry(v.pseudonym, v.form, alphabetic, v.text.isupper())
            if len(v.text) >= MIN_CASEFOLD_LEN:
                self._folded.setdefault(v.text.casefold(), entry)
                if not v.derived and not (entry.alphabetic and function_languages(v.text)):
                    url_names.add(v.text.casefold())
            else:
                self._exact.setdefault(v.text, entry)
        self._add_genitives()
        self._phrases = Phrases(multi, self._ambiguous)
        self._glued = GluedNames(self._folded, self._exact, self._ambiguous.any_word)
        self._links = LinkNames(given, url_names, self._ambiguous.any_word)  # glued forms made at the first link
        self._folded_set = frozenset(self._folded) | self._phrases.triggers
        self._exact_set = frozenset(self._exact)
        self._exact_folded = frozenset(n.casefold() for n in self._exact)
        self._slot_set = frozenset(self._slots)
        self._any_set = self._folded_set | self._slot_set | self._exact_folded
        self._near = NearNames(
            ((v.text.casefold(), self._folded[v.text.casefold()]) for v in sorted(given, key=_rank)
             if v.form in (USER_NAME, FIRST_NAME) and v.text.casefold() in self._folded),
            self._ambiguous.any_word,
        )  # fmt: skip

    def _add_genitives(self) -> None:
        """Each single-word form of four characters or more that is no word, followed by an "s" ("Zelminas Beitrag",
        "zelminas post": a genitive without its apostrophe), as a form of the same member, when the word is no word of
        the source's languages, no form of another member's name and no first name of ``data/names_in_s.txt``
        ("Andreas" stays for a member "Andrea", and goes for a member "Andreas"); a name that is a word ("anyone")
        is one only where names stand, which the genitive is not ("anyones"). The pseudonym takes the whole
        word: nothing is glued to it, as the text layer reads it (:data:`chrysalide.privacy.pseudonyms.PSEUDONYM_RE`);
        "Zelmina's" keeps its "'s" after the pseudonym."""
        any_word = self._ambiguous.any_word
        self._genitives: set[str] = set()
        for folded, entry in list(self._folded.items()):
            genitive = folded + GENITIVE
            if not (
                genitive in self._folded or genitive in self._slots or is_name_in_s(genitive) or any_word(folded)
            ) and not any_word(genitive):
                self._folded[genitive] = entry
                self._genitives.add(genitive)

    def _genitive_language(self, text: str) -> bool:
        """Whether ``text`` is written in a language with a genitive in "s" (English, German), detected in the
        message itself (French writes a plural so, "mes copinettes", in English sources too), else its source's."""
        from chrysalide.text.language import UNDETERMINED, detect

        code = detect(PSEUDONYM_RE.sub(" ", text))
        if code == UNDETERMINED and len(self.languages) == 1:
            code = self.languages[0]
        return code in GENITIVE_LANGS

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the source's messages (a sample's), each one detected per message when empty."""
        return self._ambiguous.languages

    @property
    def ambiguous(self) -> dict[tuple[str, str, str, str], list[int]]:
        """(pseudonym, form kind, word class, language) -> [occurrences replaced as a name, left as a word]."""
        return self._ambiguous.tally

    def __bool__(self) -> bool:
        return bool(self._exact or self._folded or self._phrases or self._slots)

    def names_in(self, url: str) -> bool:
        """Whether a URL holds a member's name (their blog, their page): a whole user name as one of its words,
        or glued inside one (:data:`chrysalide.privacy.links.LINK_NAME_LEN`: "hodzictarik.ml" of
        tarik03300)."""
        return self._links.held_in(url)

    def scrub(self, text: str | None, *, strict: bool = False, earlier: Container[str] = ()) -> str | None:
        """``text`` with names, personal URLs, contact details and handles replaced.

        ``strict``: every form of a name is replaced, even where it could be a word (for raw records, which
        are no prose: a rejected record's author field must lose its name, "bob" as much as "bob1984").
        ``earlier``: the pseudonyms of the members who wrote an earlier message of the message's thread; a name of
        one of them that the message opens with is theirs (:mod:`chrysalide.privacy.addressees`).
        """
        if not text:
            return text
        if self.contacts:
            text = scrub_contacts(text, self.counts, self.names_in if self else None) or ""
        if self:
            named = self._outside_markers(text, strict, earlier)
            if self.contacts and named != text and _GLUED_DIGIT.search(text):
                # A name set apart from the digits it was glued to ("06 12 34 56 78karen2727") leaves a number that
                # the first pass could not see: read the contacts again, so that scrubbing again changes nothing.
                named = scrub_contacts(named, self.counts, self.names_in) or ""
            text = named
        if earlier and self.addressees:  # what the names left; before persons: a member addressed is no person
            text = self.addressees.replace(text, earlier, self.counts)
        if self.person is not None:
            text = self.persons(text)
        if "u_" in text:
            text = self.profiles(text)
        if self.contacts and ("@" in text or "u/" in text):
            text = handles(text, self.counts)
        return text

    def glued_names(self, text: str | None) -> str | None:
        """``text`` scrubbed whole when a form of a member's name is glued in it to digits or to a word
        (:class:`chrysalide.privacy.glued.GluedNames`: "3840paquerette"), else as it is: stored rows that an
        earlier version scrubbed are read so (``ingest/rescrub.py``)."""
        if not text or not self:
            return text
        lang: list[str] = []
        if self._glued.set_apart(text, lambda: self._ambiguous.message_language(text, lang)) == text:
            return text
        return self.scrub(text)

    def profiles(self, text: str) -> str:
        """``text`` with each Reddit profile's own subreddit ("u_name": a board, or "r/u_name" in text) named by
        the pseudonym of a name of the source ("u_M-…": a member's, or that of a profile seen as a board), or by
        ``u_[user]`` for anybody else: "u_" says it is a profile page, the rest would name its user."""
        return profiles(text, self._user_names, self.counts)

    def persons(self, text: str) -> str:
        """``text`` with the names of people who are no members replaced by their pseudonyms (by ``person``; none
        without it): a self-introduction's, a doctor's, a sign-off's, a signature's (:mod:`chrysalide.privacy.persons`)."""
        if self.person is None:
            return text
        lang: list[str] = []  # the message's language, detected once when a name may be a word
        found = persons(
            text,
            lambda word: self._ambiguous.is_word(word, text, lang),
            capital=lambda: self._ambiguous.message_language(text, lang) != "de",
        )
        for _, start, end in reversed(found):
            name = text[start:end]
            text = text[:start] + self.person(name[:1].upper() + name[1:]) + text[end:]
            self.counts["persons"] += 1
        return text

    def _outside_markers(self, text: str, strict: bool, earlier: Container[str] = ()) -> str:
        """``text`` with names replaced everywhere but in removal markers: "[deleted]" stays a marker. ``earlier``
        (:meth:`scrub`) is read at the text's opening only, in the piece before any marker."""
        if "[" not in text:
            return self._names(text, strict, earlier)
        pieces, last = [], 0
        for marker in REMOVAL_MARKER.finditer(text):
            pieces += [self._names(text[last : marker.start()], strict, earlier if last == 0 else ()), marker.group()]
            last = marker.end()
        return "".join([*pieces, self._names(text[last:], strict, earlier if last == 0 else ())])

    def _entry(self, word: str) -> Entry | None:
        """The entry of a single-word form of a name (casefolded from four characters, else with its exact case)."""
        return self._folded.get(word.casefold()) or self._slots.get(word.casefold()) or self._exact.get(word)

    def _glued_attributions(self, text: str) -> str:
        """Known names glued to the verb of a quote header, replaced ("M-… a écrit :", "M-… wrote:")."""

        def replace(match: re.Match[str]) -> str:
            entry = self._entry(match.group(1))
            if entry is None:
                return match.group(0)
            self.counts[_COUNTS[entry.form]] += 1
            glued = match.start() > 0 and text[match.start() - 1].isalnum()
            return (" " if glued else "") + entry.pseudonym + " " + match.group(2)

        return _GLUED_ATTRIBUTION.sub(replace, text)

    def _names(self, text: str, strict: bool = False, earlier: Container[str] = ()) -> str:
        """``text`` with the forms of members' names replaced where they stand as names; the name a reply opens with
        names an earlier author of its thread (``earlier``, :meth:`_addressed`)."""
        folded_text = text.casefold()
        if "écrit" in folded_text or "wrote" in folded_text:
            text = self._glued_attributions(text)
            folded_text = text.casefold()
        unglued = unglue(
            text, lambda word: self._entry(word) is not None, self._ambiguous.any_word
        )  # "BonjourPaquerette"
        if unglued is not text:
            text, folded_text = unglued, unglued.casefold()
        lang: list[str] = []  # the message's language, detected once if a name may be glued to a word
        apart = self._glued.set_apart(text, lambda: self._ambiguous.message_language(text, lang))  # "3840paquerette"
        if apart != text:
            text, folded_text = apart, apart.casefold()
        word_list = WORDS.findall(folded_text)
        words = word_set(folded_text, word_list)
        near = self._near.find(words, self._any_set)  # a name misspelt or cut short
        if self._any_set.isdisjoint(words) and not near:  # most messages name nobody: one C set operation says so
            return text
        hit_folded = bool(near) or not self._folded_set.isdisjoint(words)
        hit_slots = not self._slot_set.isdisjoint(words)
        # Three-letter names count with their exact case: a substring test each, once a casefolded word matches.
        hit_exact = not self._exact_folded.isdisjoint(words) and any(n in text for n in self._exact_set)
        if not (hit_folded or hit_slots or hit_exact):
            return text
        found = False
        if hit_folded and self._phrases:  # names of several words, when every word of one is in the message
            text, found = self._phrases.replace(text, words, self.counts, strict=strict)
        if found:  # the words of the names replaced are gone
            folded_text = text.casefold()
            word_list = WORDS.findall(folded_text)
            words = word_set(folded_text, word_list)
        replaced: dict[tuple[int, int], str] = {}  # span in ``text`` -> pseudonym, applied at the end
        if hit_folded or hit_exact:
            forms = (words & self._folded_set) | near.keys()
            table = {**self._folded, **near} if near else self._folded
            found_words = occurrences(text, folded_text, forms, table, self._exact if hit_exact else None)
            if found_words is None:  # casefolding and the patterns disagree (rare letters): word by word
                message = Message(text, word_list)
                found_words = [(*message.span(i), e) for i, e in message.hits(table, self._exact)]
            self._word_names(text, found_words, strict, replaced)
        if hit_slots:
            found_slots = occurrences(text, folded_text, words & self._slot_set, self._slots, None)
            if found_slots is None:
                message = Message(text, word_list)
                found_slots = [(*message.span(i), e) for i, e in message.hits(self._slots, None)]
            self._slot_names(text, found_slots, strict, replaced)
        if earlier and replaced and self.addressees:
            self._addressed(text, earlier, replaced)
        for (start, end), pseudonym in sorted(replaced.items(), reverse=True):
            end = self._surname_end(text, start, end, lang)
            text = text[:start] + pseudonym + text[end:]
        return text

    def _addressed(self, text: str, earlier: Container[str], replaced: dict[tuple[int, int], str]) -> None:
        """The name a reply opens with, which the rules above replace by the pseudonym of a member who wrote nothing
        earlier in the thread, takes that of the earlier author it names (:meth:`Addressees.find`) instead.

        Why: two members may share a form (a first name, "robin" of ``robin5531`` and ``robin_777``); the rules above
        give it to one of them whatever the thread (:func:`_rank`), the addressee rule to the one who wrote before
        (patient.info: 15 replies open with a first name two members share, one of whom wrote before; the rules above
        named the other one in 9 of them under one key, in 5 under another; 8 December 2026). The addressee rule reads
        ``text`` as it stands once names of several words (``robin.5531``, "Claire Dupont") are replaced, and only
        swaps the pseudonym of a span replaced here: whatever a name spans (a user name whole, a surname after it), it
        is replaced as it would be without this rule, and nothing of it is left in clear. Run before these rules, it
        replaced "robin" of "robin.5531" and left ".5531". A name the rules above leave is the addressee rule's, in
        :meth:`scrub`."""
        found = self.addressees.find(text, earlier) if self.addressees is not None else None
        if found is None:
            return
        start, end, pseudonym = found
        if (start, end) in replaced and replaced[(start, end)] not in earlier:
            replaced[(start, end)] = pseudonym

    def _surname_end(self, text: str, start: int, end: int, lang: list[str]) -> int:
        """Where the surname written after the member's name at ``text[start:end]`` ends (``end`` if none): it goes
        with the name (:mod:`chrysalide.privacy.surnames`). Not after a genitive ("Zelminas Recherchen") nor an
        @handle ("@karen2727 Basentabletten ..."), which a noun or a sentence follows."""
        if (start and text[start - 1] == "@") or text[start:end].casefold() in self._genitives:
            return end
        after = surname_end(text, end, lambda word: self._ambiguous.is_word(word, text, lang))
        if after > end:
            self.counts["surnames"] += 1
        return after

    def _word_names(
        self, text: str, found: list[tuple[int, int, Entry]], strict: bool, replaced: dict[tuple[int, int], str]
    ) -> None:
        """User names, first names and display-name parts, one word each, wherever they stand as names."""
        lang: list[str] = []  # the message's language, detected once when a name is also a word
        for start, end, entry in sorted(found, key=lambda f: (f[0], _FORMS.index(f[2].form))):
            if (start, end) in replaced:
                continue
            if text[start:end].casefold() in self._genitives and not self._genitive_language(text):
                continue
            if entry.form == NEAR_NAME and entry.alphabetic:  # misspelt or cut short, of letters only
                if not at_name_position(text, start, end):  # even under ``strict``: a guess, not a name
                    continue
            elif (
                entry.alphabetic
                and not strict
                and not self._ambiguous.as_name(entry, text[start:end], text, start, end, lang)
            ):
                continue
            replaced[(start, end)] = entry.pseudonym
            self.counts[_COUNTS[entry.form]] += 1

    def _slot_names(
        self, text: str, found: list[tuple[int, int, Entry]], strict: bool, replaced: dict[tuple[int, int], str]
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
                if self._ambiguous.is_word(word, text, lang):
                    if not piece_at_name_position(text, start, end, name_upper=entry.upper):
                        continue
                elif not at_name_position(text, start, end, vocative=False):
                    continue
            replaced[(start, end)] = entry.pseudonym
            self.counts["name_words"] += 1
