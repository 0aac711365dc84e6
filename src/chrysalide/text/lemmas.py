"""Lemmas (simplemma 2.0) and Alceste's split between full words and tool words.

Lemmatisation is dictionary look-up (simplemma, Barbaresi 2023, "Simplemma: a simple multilingual
lemmatizer for Python", Zenodo, doi:10.5281/zenodo.4673264). Because vocabularies are Zipfian a few
thousand distinct tokens make most of any corpus, so each language keeps a cache ``token -> lemma``
and simplemma runs once per distinct token. Lemmas are lower-cased (German nouns included) so that
terms compare across sentence positions.

Full words ("formes actives", Reinert 1983; IRaMuTeQ's active forms) are nouns, verbs, adjectives
and adverbs; the closed classes (determiners, pronouns, prepositions, conjunctions, auxiliaries,
negation particles, interjections, numerals, placeholders) are tool words. Closed classes are
finite, so a hand-written list per language (``data/tool_words_<lang>.txt``) decides exactly and in
one set look-up; docs/text-layer.md gives the measurements behind choosing this over a tagger.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from itertools import compress

import simplemma

from chrysalide.text.normalize import PLACEHOLDERS
from chrysalide.text.tokens import is_smiley

# Languages with a tool-word list; elsewhere every token with a letter counts as a full word.
TOOL_WORD_LANGS = ("fr", "en", "de")
# A cap on each cache so that hostile input (millions of distinct junk tokens) cannot exhaust memory.
_CACHE_MAX = 2_000_000
_CACHES: dict[str, dict[str, str]] = {}


def _data_lines(name: str) -> list[str]:
    path = resources.files("chrysalide.text").joinpath("data", name)
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


@cache
def tool_words(lang: str) -> frozenset[str]:
    """The tool words (forms and lemmas) of ``lang``; empty for a language without a list."""
    return frozenset(word for line in _data_lines(f"tool_words_{lang}.txt") for word in line.split())


@cache
def supplementary_words(lang: str) -> frozenset[str]:
    """Full words of ``lang`` that the lexical analysis treats as supplementary (``data/supplementary_<lang>.txt``).

    Nouns, verbs, adjectives and adverbs that carry little meaning of their own in forum talk (``get``,
    ``really``, ``thing``; ``faire``, ``vraiment``, ``chose``), IRaMuTeQ's ``*_sup`` categories: they stay in
    ``segments.terms`` (they are full words) and the lexical step reports them with the tool words.
    """
    return frozenset(word for line in _data_lines(f"supplementary_{lang}.txt") for word in line.split())


@cache
def _overrides(lang: str) -> dict[str, str]:
    pairs = (line.split() for line in _data_lines(f"lemma_overrides_{lang}.txt"))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


@cache
def _supported(lang: str) -> bool:
    try:
        simplemma.lemmatize("a", lang=lang)
    except (ValueError, KeyError, TypeError):
        return False
    return True


def _cache(lang: str) -> dict[str, str]:
    cache = _CACHES.get(lang)
    if cache is None or len(cache) > _CACHE_MAX:
        cache = _CACHES[lang] = dict(_overrides(lang))
    return cache


def _lemma(token: str, lang: str) -> str:
    if token in PLACEHOLDERS or not token[0].isalnum() or not _supported(lang) or is_smiley(token):
        return token  # emoji, smileys, placeholders, unknown languages: the token is its own lemma
    if lang == "en" and token.endswith("'s") and token not in tool_words("en"):
        token = token[:-2]  # possessive: the doctor's -> doctor
    lemma = simplemma.lemmatize(token, lang=lang)
    if lang == "de" and lemma == token:
        # German nouns are capitalised in the dictionary: "schmerzen" is only found as "Schmerzen".
        lemma = simplemma.lemmatize(token.capitalize(), lang=lang)
    return lemma.lower()


def lemmatize(tokens: list[str], lang: str) -> list[str]:
    """Lower-cased lemma of each token (same length and order as ``tokens``)."""
    cache = _cache(lang)
    try:  # map over the bound __getitem__ runs in C: the fast path when every token was seen before
        return list(map(cache.__getitem__, tokens))
    except KeyError:
        for token in tokens:
            if token not in cache:
                cache[token] = _lemma(token, lang)
        return [cache[token] for token in tokens]


def is_full_word(lemma: str, lang: str) -> bool:
    """True for a noun, verb, adjective or adverb (an active form), False for a tool word.

    Placeholders, emoji, smileys (:func:`~chrysalide.text.tokens.is_smiley`), numbers and one-letter tokens
    are never full words.
    """
    if len(lemma) < 2 or lemma in PLACEHOLDERS or not any(ch.isalpha() for ch in lemma) or is_smiley(lemma):
        return False
    return lemma not in tool_words(lang)


_FULL: dict[str, dict[str, bool]] = {}


def tool_lemmas(lemmas: list[str], lang: str) -> list[str]:
    """The lemmas that are listed tool words of ``lang``, in order: the supplementary forms of Reinert's analysis.

    IRaMuTeQ keeps tool words as supplementary forms: they do not shape the classes but are reported in the
    class profiles. Placeholders, emoji and numbers are neither active nor supplementary.
    """
    tools = tool_words(lang)
    return [lemma for lemma in lemmas if lemma in tools]


def full_words(lemmas: list[str], lang: str) -> list[str]:
    """The lemmas that are full words, in order (the terms a segment contributes to Reinert)."""
    flags = _FULL.get(lang)
    if flags is None or len(flags) > _CACHE_MAX:
        flags = _FULL[lang] = {}
    try:
        return list(compress(lemmas, map(flags.__getitem__, lemmas)))
    except KeyError:  # first sight of some lemma: decide it once, then the fast path again
        for lemma in lemmas:
            if lemma not in flags:
                flags[lemma] = is_full_word(lemma, lang)
        return list(compress(lemmas, map(flags.__getitem__, lemmas)))
