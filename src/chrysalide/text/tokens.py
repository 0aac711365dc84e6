"""Word tokens: one compiled regular expression per language, lower-cased, punctuation dropped.

Rules (chosen for what later stages count, see docs/text-layer.md):

* placeholders ``_url_``, ``_email_``, ``_num_`` are tokens;
* emoji (with skin-tone modifiers, variation selectors and ZWJ sequences) are tokens;
* hyphenated words stay whole (``peut-être``, ``levothyrox-like``, ``well-being``);
* French: elided articles/pronouns are split off with their apostrophe (``j'ai`` -> ``j'`` ``ai``,
  ``l'hôpital`` -> ``l'`` ``hôpital``, ``qu'il`` -> ``qu'`` ``il``, ``jusqu'à`` -> ``jusqu'`` ``à``) but
  lexicalised forms stay whole (``aujourd'hui``, ``quelqu'un``, ``presqu'île``); clitic pronouns after
  a verb are split (``pensez-vous`` -> ``pensez`` ``vous``, ``dis-moi`` -> ``dis`` ``moi``) and the
  euphonic ``-t-`` is dropped (``va-t-il`` -> ``va`` ``il``); ``rendez-vous`` stays whole;
* English and German: contractions stay single tokens (``i'm``, ``don't``, ``we've``, ``geht's``):
  they are tool words, pronoun counts read them directly, and the lemmatiser maps ``doctor's`` to
  ``doctor``.

Tokens never contain whitespace, so pieces between whitespace and punctuation are tokenised
independently (see ``_SEPARATORS``).
"""

from __future__ import annotations

import re
from functools import cache

_L = r"[^\W\d_]"  # a letter
_AN = r"[^\W_]"  # a letter or a digit
_EMOJI_CHAR = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u3030\u303d\u3297\u3299\u00a9\u00ae]"
_EMOJI = rf"{_EMOJI_CHAR}[\ufe0f\U0001f3fb-\U0001f3ff]*(?:\u200d{_EMOJI_CHAR}[\ufe0f\U0001f3fb-\U0001f3ff]*)*"
_PLACEHOLDER = r"_(?:url|email|num)_"

# French clitic pronouns that follow a verb with a hyphen (inversion, imperative).
_FR_CLITICS = r"(?:je|tu|il|elle|on|nous|vous|ils|elles|moi|toi|le|la|les|lui|leur|leurs|y|en|ce|m|t)"
_FR_ELISION = r"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'(?=\w)"
_FR_KEEP = r"(?:rendez-vous|aujourd'hui|quelqu'une?s?|presqu'îles?|prud'hom\w*|entr'\w+)"
# A hyphen part is not glued to the word when it is a clitic (optionally after the euphonic -t-).
_FR_WORD = rf"(?!(?<=-)t-{_FR_CLITICS}\b){_AN}+(?:-(?!(?:t-)?{_FR_CLITICS}\b){_AN}+)*"
_WORD_APOS = rf"{_AN}+(?:['-]{_AN}+)*"

_PATTERNS = {
    "fr": rf"{_PLACEHOLDER}|{_FR_KEEP}\b|{_FR_ELISION}|{_FR_WORD}|{_EMOJI}",
    "default": rf"{_PLACEHOLDER}|{_WORD_APOS}|{_EMOJI}",
}


@cache
def _regex(lang: str) -> re.Pattern[str]:
    return re.compile(_PATTERNS.get(lang, _PATTERNS["default"]))


_APOSTROPHES = ("\u2019", "\u2018", "\u02bc")
# Fast path: tokens never contain whitespace, so each whitespace-separated piece is tokenised on
# its own; a piece that is all letters once edge punctuation is stripped is one token, and only
# the other pieces (apostrophes, hyphens, digits, emoji, inner punctuation) run the regex. Same
# tokens as the regex on the whole text (``tokenize_regex``; the tests compare them), several times
# faster because C string methods replace the regex alternation on most words.
_EDGE_PUNCT = '!"#$%&()*+,./:;<=>?@[\\]^`{|}~\u00ab\u00bb\u00bf\u00a1\u2013\u2014\u2026\u201c\u201d\u201e\u2022\u00b7'


def _apostrophes(text: str) -> str:
    for quote in _APOSTROPHES:
        if quote in text:
            text = text.replace(quote, "'")
    return text


def tokenize(text: str, lang: str) -> list[str]:
    """Lower-cased word, placeholder and emoji tokens of ``text`` (best on ``normalize``'d text).

    ``lang`` selects the rules: ``fr`` gets elision and clitic splitting, every other code the
    generic rules (apostrophes and hyphens inside a word keep it whole).
    """
    if not text:
        return []
    findall = _regex("fr" if lang == "fr" else "default").findall
    out: list[str] = []
    append, extend = out.append, out.extend
    strip = _EDGE_PUNCT
    for piece in _apostrophes(text.lower()).split():
        if piece.isalpha():
            append(piece)
            continue
        core = piece.strip(strip)
        if core.isalpha():
            append(core)
        elif core:
            extend(findall(core))
    return out


def tokenize_regex(text: str, lang: str) -> list[str]:
    """Reference implementation: the regular expression on the whole text (tests compare both)."""
    if not text:
        return []
    return _regex("fr" if lang == "fr" else "default").findall(_apostrophes(text.lower()))
