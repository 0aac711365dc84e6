"""What a member's name may look like in text, and whether it is also a word of the text's language.

A member is named in others' messages by their user name as written ("karen2727", "Die-kleine-Runde"), by
the same with spaces ("Fat Thumbs" for ``fat_thumbs``, "Mimi Peach" for ``MimiPeach``), by the first
name it starts with (``angela_70513`` signs "Angela", ``sophie_T`` "Sophie", ``tessB47`` is "Tess") and by
its capitalised parts ("Pamela" for ``Pamela_Rose``, "Dupont" for "Claire Dupont"). :func:`variants` gives
these *forms*: ``user name`` (whole, with or without its separators), ``first name`` (the run of letters a
user name starts with, when nothing after it is a word: digits, an initial), ``user name word`` (each word
of a user name of several words: "thyro" and "sylvie" of ``thyro_sylvie``, often words of the forum's
topic or of Reddit's generated names rather than first names) and ``name part`` (a capitalised word of
four letters or more of a display name such as "Claire Dupont"). An export that names authors by their profile's
address (Doctissimo's SPARQL export: ``<http://club.doctissimo.fr/zaza7104/>``) gives the forms of the user name
the address ends with: members sign with it ("Zaza7104"), never with the address.

A name can also be a word: "Elle" is the French pronoun, "Nous" would wreck the I-to-we measure, "Hope"
is an English verb, "June" a month, "Levo" a drug, "idk" an abbreviation. :class:`WordClasses` tells, for
one language, whether a form is a *function word* (the text layer's tool-word lists for fr, en and de, the
language identifier's stop-words for es, it, nl, the names of months and days, the abbreviations of chat
talk, and the text layer's health words: a member "basedow_75" must not erase a disease) or a *common word*
(its lower-case form is in simplemma's dictionary of the language, read in simplemma's low-memory mode and
only for forms met in text: Barbaresi 2023). A *place name* ("Berlin" of ``Berlin-1988``, ``data/places.txt``)
is a function word when it is a piece of a user name rather than the whole of it. The scrubber
(:mod:`chrysalide.privacy.scrubber`) then replaces such a form only where it stands as a name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Whole names shorter than this are ignored (ordinary words in every language); names shorter than
# MIN_CASEFOLD_LEN match with their exact case; name parts need MIN_PART_LEN letters, first names 3.
MIN_NAME_LEN = 3
MIN_PART_LEN = 4
MIN_CASEFOLD_LEN = 4
USER_NAME, FIRST_NAME, NAME_WORD, NAME_PART = "user name", "first name", "user name word", "name part"
#: A quote attribution that is no member's: a person absent from the import, or a source ("Die Zeit").
QUOTED_NAME = "quoted name"
#: Languages whose dictionaries decide what a common word is: the text layer's (simplemma's codes). In a
#: message of another language, only function words are spared.
DICTIONARY_LANGS = ("fr", "en", "de")
#: Languages whose function words are known (the language identifier's stop-words).
FUNCTION_LANGS = ("fr", "en", "de", "es", "it", "nl")
#: Months and days: capitalised in English, they would pass for names ("since June" for a member June47).
CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday janvier février mars avril mai juin juillet août septembre
    octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche januar februar märz juni
    juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag""".split()
)
#: Abbreviations of chat and forum talk (English, French, German), three letters or more: words, not names
#: ("Idk why" for a member idk2095, "lol" of _Big_Trey_Lol, "mdr", "bzw").
CHAT_WORDS = frozenset(
    """idk tbh imo imho btw thx tho smh ngl irl fyi afaik iirc lmk brb nvm ikr lol lmao lmfao rofl wtf omg
    pls plz xoxo xxx asap tldr mdr ptdr svp stp bcp jsp tkt dsl mtn pcq usw bzw evtl ggf vllt mfg glg hdl
    hdgdl""".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")
#: Where a lower-case letter or a digit meets an upper-case letter inside a word (camelCase: "MimiPeach",
#: "Vik52Merci"). The capital is looked for first: the engine then skips the lower-case text quickly (twice as fast
#: over a corpus as the look-behind first), and every message is scanned (:mod:`chrysalide.privacy.glued`).
CASE_BOUNDARY = re.compile(r"(?=[A-ZÀ-ÖØ-Þ])(?<=[a-zß-öø-ÿ\d])")
#: What separates the words of a user name ("fat_thumbs", "zoe.m", "Die-kleine-Runde").
SEPARATORS = re.compile(r"[\s_.\-]+")
_TOKEN = re.compile(r"\w+")
_WORDLIKE = re.compile(r"[^\W\d_]{3,}")
_DIGIT = re.compile(r"\d")
# A profile's address as an author (optionally in <>, as RDF writes an IRI): its last path segment is the user name.
_PROFILE_URL = re.compile(r"<?https?://[^\s/<>]+/(?:[^\s<>?#]*/)?([^\s/<>?#.=&]{3,40})/?>?")


@dataclass(frozen=True, slots=True)
class Variant:
    """One way a member's name may appear in text: ``form`` is USER_NAME, FIRST_NAME, NAME_WORD, NAME_PART
    or QUOTED_NAME."""

    text: str
    pseudonym: str
    form: str = USER_NAME
    respaced: bool = False  # a user name with its separators as spaces ("fat thumbs" for fat_thumbs)

    @property
    def derived(self) -> bool:
        return self.form != USER_NAME


def _pieces(name: str) -> list[str]:
    """The runs of letters of ``name``, camelCase runs split ("MimiPeach" -> "Mimi", "Peach")."""
    return [p for run in _LETTERS.findall(name) for p in CASE_BOUNDARY.split(run) if p]


def variants(name: str | None, pseudonym: str) -> list[Variant]:
    """The forms of ``name`` (see the module docstring); nothing for names too short or all digits."""
    name = (name or "").strip()
    profile = _PROFILE_URL.fullmatch(name)
    if profile:
        name = profile.group(1)
    if len(name) < MIN_NAME_LEN or name.isdigit() or name == pseudonym:
        return []
    found = [Variant(name, pseudonym)]
    seen = {name.casefold()}
    spaced = " ".join(SEPARATORS.sub(" ", name).split())
    # With spaces for separators ("Fat Fingers" for fat_thumbs), for a name of two or three words; not for
    # generated names with digits ("Dry-Drawing-4821") nor camelCase ones ("AllMyCatsArePixels"), which
    # nobody writes with spaces.
    words = _WORDLIKE.findall(spaced)
    if 1 < len(words) <= 3 and not _DIGIT.search(name) and spaced.casefold() not in seen:
        found.append(Variant(spaced, pseudonym, respaced=True))
        seen.add(spaced.casefold())
    if " " in name:  # a display name ("Claire Dupont"): its capitalised words are parts of a real name
        for part in _LETTERS.findall(name):
            if len(part) >= MIN_PART_LEN and part[:1].isupper() and part.casefold() not in seen:
                found.append(Variant(part, pseudonym, NAME_PART))
                seen.add(part.casefold())
        return found
    lead = _LETTERS.match(name)
    if lead and not _WORDLIKE.search(name[lead.end() :]):
        # The run of letters a user name starts with, when nothing after it is a word, is the first name
        # members sign with ("angela_70513" signs "Angela", "FleurFanny6" "Fleurfanny", "sophie_T" "Sophie").
        first = lead.group()
        if len(first) >= MIN_NAME_LEN and first.casefold() not in seen:
            found.append(Variant(first.capitalize() if len(first) < MIN_CASEFOLD_LEN else first, pseudonym, FIRST_NAME))
            seen.add(first.casefold())
    # Every word of a user name of several words ("thyro" and "sylvie" of thyro_sylvie, "Mimi" and "Peach" of
    # MimiPeach, "Tess" of tessB47): a name only where names stand ("Merci Sylvie", "LG Runde").
    pieces = _pieces(name)
    if len(pieces) > 1:
        for piece in pieces:
            if len(piece) >= MIN_NAME_LEN and piece.casefold() not in seen:
                found.append(Variant(piece, pseudonym, NAME_WORD))
                seen.add(piece.casefold())
    return found


def is_single_token(text: str) -> bool:
    """Whether ``text`` is one run of word characters (looked up per word rather than by a pattern)."""
    return _TOKEN.fullmatch(text) is not None


@cache
def health_word(word: str) -> bool:
    """Whether ``word`` (any case) is one of the text layer's health words ("graves", "basedow") in a language."""
    from chrysalide.text.lemmas import TOOL_WORD_LANGS
    from chrysalide.text.person import is_health_word

    folded = word.casefold()
    return any(is_health_word(folded, lang) for lang in TOOL_WORD_LANGS)


@cache
def discourse_word(word: str) -> bool:
    """Whether ``word`` (any case) is one of the text layer's supplementary words in a language: discourse adverbs,
    support verbs, vague nouns, answers and greetings ("even", "anyway", "alors", "eigentlich"), which open
    sentences rather than name anybody (``chrysalide/text/data/supplementary_*.txt``)."""
    from chrysalide.text.lemmas import TOOL_WORD_LANGS, supplementary_words

    folded = word.casefold()
    return any(folded in supplementary_words(lang) for lang in TOOL_WORD_LANGS)


@cache
def function_languages(word: str) -> frozenset[str]:
    """Languages in which ``word`` (any case) is a function word."""
    from chrysalide.text.language import scores
    from chrysalide.text.lemmas import TOOL_WORD_LANGS, tool_words

    folded = word.casefold()
    if folded in CALENDAR_WORDS or folded in CHAT_WORDS or health_word(folded):
        return frozenset(FUNCTION_LANGS)
    found = {lang for lang in TOOL_WORD_LANGS if folded in tool_words(lang)}
    found.update(lang for lang, score in scores(folded).items() if score >= 1.0)
    return frozenset(found)


@cache
def _word_list(file: str) -> frozenset[str]:
    """The words of a list in ``privacy/data`` (lines starting with "#" are comments)."""
    lines = resources.files("chrysalide.privacy").joinpath("data", file).read_text(encoding="utf-8")
    return frozenset(w for line in lines.splitlines() if not line.startswith("#") for w in line.split())


def is_place(word: str) -> bool:
    """Whether ``word`` (any case) is a place name that is no first name (``data/places.txt``)."""
    return word.casefold() in _word_list("places.txt")


def is_name_in_s(word: str) -> bool:
    """Whether ``word`` (any case) is a first name that ends in "s" after another ("Andreas": ``data/names_in_s.txt``)."""
    return word.casefold() in _word_list("names_in_s.txt")


class WordClasses:
    """Whether a form is a function or a common word of a language; dictionaries are read when first needed."""

    def __init__(self) -> None:
        self._common: dict[tuple[str, str], bool] = {}

    def is_function_word(self, word: str, lang: str) -> bool:
        return lang in function_languages(word)

    def is_common_word(self, word: str, lang: str) -> bool:
        """The lower-case form of ``word`` is in the dictionary of ``lang`` (simplemma, low-memory mode), or, in
        German, ``word`` is an inflected form of a noun (:func:`german_inflected_noun`)."""
        key = (word.casefold(), lang)
        found = self._common.get(key)
        if found is None:
            found = lang in DICTIONARY_LANGS and key[0] in _dictionary(lang)
            found = self._common[key] = found or (lang == "de" and german_inflected_noun(word))
        return found

    def is_word(self, word: str, lang: str) -> bool:
        return self.is_function_word(word, lang) or self.is_common_word(word, lang)


@cache
def german_inflected_noun(word: str) -> bool:
    """Whether ``word``, written with its capital, is an inflected form of a German noun: a form that simplemma's German
    dictionary (whose nouns are written with their capital) leads to another capitalised lemma, not by a genitive's
    "s" ("Neulinge" of "Neuling", "Mitglieder" of "Mitglied", "Moderatoren" of "Moderator", "Foren" of "Forum"; not
    "Sabines" of "Sabine", "Beitrags" of "Beitrag"). A compound written with hyphens is read by its last part, which
    makes its grammar ("ADFD-Neulinge", "Foren-Mitglieder").

    Why: the dictionary is read in lower case, which finds no German noun, so that a group a greeting addresses
    ("Liebe Leidensgenossen", "Hallo Moderatoren") was taken for a person's name. A noun's own form cannot be told
    from a name this way: the dictionary holds first names and surnames with their capital too, as it holds nouns
    ("Renate", "Jürgen", "Krämer" as "Video", "Studie"); their inflected forms name nobody (docs/privacy.md).
    """
    last = word.rsplit("-", 1)[-1]
    noun = last[:1].upper() + last[1:].lower()
    lemma = _dictionary("de").get(noun)
    return isinstance(lemma, str) and lemma != noun and lemma[:1].isupper() and noun not in (lemma + "s", lemma + "es")


@cache
def _dictionary(lang: str) -> Mapping[str, str]:
    """simplemma's dictionary of ``lang`` in its low-memory form (about 20-40 MB, loaded in 0.2-0.7 s)."""
    from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY

    return LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary(lang)
