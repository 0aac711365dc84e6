"""Text normalisation: one canonical spelling of a message before tokens, language and segments.

Steps, in order: Unicode NFC; typographic apostrophes (’ ‘ ʼ ´ `) to ``'``; URLs, e-mail addresses,
members' pseudonyms and numbers replaced by the placeholders ``_url_``, ``_email_``, ``_member_`` and
``_num_``; every run of whitespace (newlines included) collapsed to one space, ends stripped. Case is kept
(the tokenizer lower-cases; segments keep the text as written).

A pseudonym (``M-`` and ten hex digits of a keyed hash) is one ``_member_`` token: it never becomes a term,
a feature or a top term, and nothing computed from the text depends on the key that made it.

Placeholders keep the information that a link or a figure was there (a dosage, a lab value)
without letting each distinct URL or value become a term of its own. Numbers glued to letters on
their left stay (``T4``, ``B12``, ``covid19``: names, not values); a unit glued on the right is
split off (``75µg`` -> ``_num_ µg``).
"""

from __future__ import annotations

import re
import unicodedata

from chrysalide.privacy.pseudonyms import PSEUDONYM_PREFIX, PSEUDONYM_RE

URL = "_url_"
EMAIL = "_email_"
MEMBER = "_member_"
NUM = "_num_"
PLACEHOLDERS = frozenset({URL, EMAIL, MEMBER, NUM})

_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "\u00b4", "`")
# Bounded quantifiers and no nested repetition: no catastrophic backtracking on hostile input.
_URL_RE = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']{1,2000}", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
# A number not glued to a letter or digit on its left; decimals, digit groups, dates and times are one number.
# The digit comes first so that the regex engine can skip ahead to digits; the lookbehind after it
# checks the character before the number.
_NUM_RE = re.compile(r"\d(?<![^\W_]\d)\d*(?:[.,/:]\d+)*(?=([^\W\d_])?)")
_TRAILING_PUNCT = ".,;:!?)]}"


def _url(match: re.Match[str]) -> str:
    # Sentence punctuation right after a link belongs to the sentence, not to the URL.
    url = match.group(0)
    stripped = url.rstrip(_TRAILING_PUNCT)
    return URL + url[len(stripped) :]


def _num(match: re.Match[str]) -> str:
    return NUM + " " if match.group(1) else NUM


def normalize(text: str) -> str:
    """Return ``text`` in NFC with placeholders for URLs, e-mails and numbers, whitespace collapsed."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for quote in _APOSTROPHES:  # str.replace is much faster than str.translate on non-ASCII text
        if quote in text:
            text = text.replace(quote, "'")
    if "://" in text or "www." in text or "WWW." in text:
        text = _URL_RE.sub(_url, text)
    if "@" in text:
        text = _EMAIL_RE.sub(EMAIL, text)
    if PSEUDONYM_PREFIX in text:
        text = PSEUDONYM_RE.sub(MEMBER, text)
    text = _NUM_RE.sub(_num, text)
    return " ".join(text.split())
