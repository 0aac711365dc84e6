"""Word tokens: one compiled regular expression per language, lower-cased, punctuation dropped.

Rules (chosen for what later stages count, see docs/text-layer.md):

* placeholders ``_url_``, ``_email_``, ``_member_``, ``_num_`` are tokens;
* emoji (with skin-tone modifiers, variation selectors and ZWJ sequences) are tokens;
* a smiley shortcode is one token as written (``:hug:``, ``:slightly_smiling_face:``), never the word of
  its name: phpBB keeps its smilies as their code, Reddit and Discourse write emoji so. With the letter
  emoticons (``xD``) they are :func:`is_smiley` tokens, which the lemmas never count as words; the other
  emoticons (``:)``, ``;-)``, ``^^``) are punctuation, and ``:D`` gives a one-letter token;
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
_PLACEHOLDER = r"_(?:url|email|member|num)_"
# A smiley shortcode: a name of letters, digits, _ + - between colons, starting with a letter (``10:30:``
# is a time). Lower-case, as the tokens are.
_SHORTCODE = r":[^\W\d_][\w+-]{1,40}:"
_SHORTCODE_RE = re.compile(_SHORTCODE)
# A smiley as a token: a shortcode, or an emoticon made of letters (xD, XDD) that would otherwise be a word.
_SMILEY_RE = re.compile(rf"{_SHORTCODE}|x+d+")

# French clitic pronouns that follow a verb with a hyphen (inversion, imperative).
_FR_CLITICS = r"(?:je|tu|il|elle|on|nous|vous|ils|elles|moi|toi|le|la|les|lui|leur|leurs|y|en|ce|m|t)"
_FR_ELISION = r"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'(?=\w)"
_FR_KEEP = r"(?:rendez-vous|aujourd'hui|quelqu'une?s?|presqu'îles?|prud'hom\w*|entr'\w+)"
# A hyphen part is not glued to the word when it is a clitic (optionally after the euphonic -t-).
_FR_WORD = rf"(?!(?<=-)t-{_FR_CLITICS}\b){_AN}+(?:-(?!(?:t-)?{_FR_CLITICS}\b){_AN}+)*"
_WORD_APOS = rf"{_AN}+(?:['-]{_AN}+)*"

_PATTERNS = {
    "fr": rf"{_PLACEHOLDER}|{_SHORTCODE}|{_FR_KEEP}\b|{_FR_ELISION}|{_FR_WORD}|{_EMOJI}",
    "default": rf"{_PLACEHOLDER}|{_SHORTCODE}|{_WORD_APOS}|{_EMOJI}",
}


def is_smiley(token: str) -> bool:
    """True for a token that is a smiley written as text (``:hug:``, ``xd``): never a word."""
    return _SMILEY_RE.fullmatch(token) is not None


@cache
def _regex(lang: str) -> re.Pattern[str]:
    return re.compile(_PATTERNS.get(lang, _PATTERNS["default"]))


_APOSTROPHES = ("\u2019", "\u2018", "\u02bc")
# Fast path: tokens never contain whitespace, so each whitespace-separated piece is tokenised on
# its own, once: a per-rules cache maps the piece as written to its tokens joined by spaces, and a
# text's tokens are ``" ".join(map(cache, pieces)).split()``, C loops only. A piece seen for the
# first time is lower-cased; if it is all letters once edge punctuation is stripped it is one
# token, otherwise (apostrophes, hyphens, digits, emoji, inner punctuation) the regex splits it.
# Same tokens as the regex on the whole text (``tokenize_regex``; the tests compare them).
_EDGE_PUNCT = '!"#$%&()*+,./:;<=>?@[\\]^`{|}~\u00ab\u00bb\u00bf\u00a1\u2013\u2014\u2026\u201c\u201d\u201e\u2022\u00b7'
# Bounds on the piece caches, so that hostile input (millions of distinct or huge pieces) cannot
# exhaust memory: longer pieces are not cached, and a full cache is restarted.
_PIECE_MAX_CHARS = 64
_CACHE_MAX = 1_000_000
_PIECES: dict[str, dict[str, str]] = {}


def _apostrophes(text: str) -> str:
    for quote in _APOSTROPHES:
        if quote in text:
            text = text.replace(quote, "'")
    return text


def _piece_tokens(piece: str, rules: str) -> str:
    """Tokens of one whitespace-free piece, joined by single spaces ("" when it has none)."""
    low = _apostrophes(piece.lower())
    if low.isalpha():
        return low
    if ":" in low and _SHORTCODE_RE.search(low):  # its colons belong to a token: not edge punctuation
        return " ".join(_regex(rules).findall(low))
    core = low.strip(_EDGE_PUNCT)
    if core.isalpha():
        return core
    return " ".join(_regex(rules).findall(core)) if core else ""


def piece_cache(rules: str) -> dict[str, str]:
    """The cache ``piece -> tokens joined by spaces`` of one rule set (``fr`` or ``default``)."""
    cache = _PIECES.get(rules)
    if cache is None or len(cache) > _CACHE_MAX:
        cache = _PIECES[rules] = {}
    return cache


def tokenize(text: str, lang: str) -> list[str]:
    """Lower-cased word, placeholder, emoji and smiley tokens of ``text`` (best on ``normalize``'d text).

    ``lang`` selects the rules: ``fr`` gets elision and clitic splitting, every other code the
    generic rules (apostrophes and hyphens inside a word keep it whole).
    """
    if not text:
        return []
    rules = "fr" if lang == "fr" else "default"
    cache = piece_cache(rules)
    pieces = text.split()
    try:
        return " ".join(map(cache.__getitem__, pieces)).split()
    except KeyError:  # some piece not seen yet: tokenise and cache it, then join as above
        parts = []
        for piece in pieces:
            tokens = cache.get(piece)
            if tokens is None:
                tokens = _piece_tokens(piece, rules)
                if len(piece) <= _PIECE_MAX_CHARS:
                    cache[piece] = tokens
            parts.append(tokens)
        return " ".join(parts).split()


def tokenize_regex(text: str, lang: str) -> list[str]:
    """Reference implementation: the regular expression on the whole text (tests compare both)."""
    if not text:
        return []
    return _regex("fr" if lang == "fr" else "default").findall(_apostrophes(text.lower()))
