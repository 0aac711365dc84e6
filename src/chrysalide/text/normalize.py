"""Text normalisation: one canonical spelling of a message before tokens, language and segments.

Steps, in order: Unicode NFC; typographic apostrophes (’ ‘ ʼ ´ `) to ``'``; the marks ingest wrote in
place of what it took out, URLs, e-mail addresses, references to members and numbers replaced by the
placeholders ``_url_``, ``_email_``, ``_member_`` and ``_num_``; every run of whitespace (newlines
included) collapsed to one space, ends stripped. Case is kept (the tokenizer lower-cases; segments keep
the text as written).

A reference to a member is one ``_member_`` token: a pseudonym (``M-`` and ten hex digits of a keyed hash),
a Reddit mention (``u/name``, ``/u/name``), a Reddit profile (``u_name``, ``r/u_name``) or an ``@name``
mention. It never becomes a term, a feature or a top term, and nothing computed from the text depends on
the key that made the pseudonyms.

The marks of ingest are placeholders too, never words: the scrubber's (``[profile-url]`` and ``[image]``,
``[attachment:`` of BBCode are links, ``[email]`` an e-mail, ``[phone]`` a number, ``[user]`` of
``@[user]`` and ``u/[user]`` a member), else "profile-url" became a lexical class's top term (2,882 chi2 in
r/covidlonghaulers) and "email", "phone", "user", "image" drew their counts from the marks.
``drop_references`` takes out what these rules replace but numbers, for a tool that would count the marks'
words (the IRaMuTeQ export).

Every rule works inside one whitespace-separated word: ``normalize(text)`` is the words of ``text``
normalised one by one and joined by single spaces (``frame.py`` relies on this to show a segment's words
as the member wrote them).

Placeholders keep the information that a link or a figure was there (a dosage, a lab value)
without letting each distinct URL or value become a term of its own. Numbers glued to letters on
their left stay (``T4``, ``B12``, ``covid19``: names, not values); a unit glued on the right is
split off (``75µg`` -> ``_num_ µg``); an English or French ordinal is one number (``5th``, ``2nd``,
``1er``, ``3ème`` -> ``_num_``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from chrysalide.privacy.contacts import EMAIL_MARK, HANDLE_MARK, PHONE_MARK, PROFILE_MARK
from chrysalide.privacy.pseudonyms import PSEUDONYM_PREFIX, PSEUDONYM_RE

URL = "_url_"
EMAIL = "_email_"
MEMBER = "_member_"
NUM = "_num_"
PLACEHOLDERS = frozenset({URL, EMAIL, MEMBER, NUM})

_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "\u00b4", "`")
# Bounded quantifiers and no nested repetition: no catastrophic backtracking on hostile input.
# A "mailto:" target is a link too: Markdown writes an e-mail link "[address](mailto:address)".
# A scheme may be glued to the word before it ("surhttps://..." where a space was lost): "://" makes it a link
# wherever it starts; "www." and "mailto:" start a word ("awww...so" is no link).
_URL_RE = re.compile(r"(?:(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"']{1,2000}", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
# A number not glued to a letter or digit on its left; decimals, digit groups, dates and times are one number.
# The digit comes first so that the regex engine can skip ahead to digits; the lookbehind after it
# checks the character before the number.
# An ordinal suffix ending the word is part of the number ("5th", "2nd", "1er", "3ème"): split off, it would
# become a term of its own ("th" among a class's top terms).
_NUM_RE = re.compile(
    r"\d(?<![^\W_]\d)\d*(?:[.,/:]\d+)*(?:(?:st|nd|rd|th|er|re|e|ème|eme|nde?)(?![^\W_]))?(?=([^\W\d_])?)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:!?)]}"
# Mentions of members, after pseudonyms (so "u/M-0123456789" and "@M-0123456789" are one reference), and
# Reddit profiles ("u_name", "r/u_name", "u_M-0123456789": the underscore hides the pseudonym from its rule).
# Not after a word character, a slash or "@" (e-mail addresses and paths are not mentions).
_REDDIT_USER_RE = re.compile(r"(?<![\w/])(?:/?r/u_|/?u/|u_)[\w-]{1,40}")
_AT_MENTION_RE = re.compile(r"(?<![\w@.])@\w[\w-]{0,39}")
# A placeholder, with the blank before it when there is one, and the hyphens that join it to a word ("ex-M-...",
# "M-...-chan"): a hyphen left alone would make a form "ex-" of its own in a tool that keeps hyphens.
_DROP_RE = re.compile(rf"[ \t]?-?(?:{'|'.join(sorted(PLACEHOLDERS))})-?")


@cache
def _marks() -> tuple[re.Pattern[str], dict[str, str]]:
    """The marks ingest writes in stored text, as a pattern, and the placeholder each one stands as."""
    from chrysalide.ingest.bbcode import ATTACHMENT, IMAGE  # here, not above: the ingest package imports this one

    marks = {PROFILE_MARK: URL, IMAGE: URL, ATTACHMENT: URL, EMAIL_MARK: EMAIL, PHONE_MARK: NUM, HANDLE_MARK: MEMBER}
    return re.compile("|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True))), marks


def _url(match: re.Match[str]) -> str:
    # Sentence punctuation right after a link belongs to the sentence, not to the URL.
    url = match.group(0)
    stripped = url.rstrip(_TRAILING_PUNCT)
    return URL + url[len(stripped) :]


def _num(match: re.Match[str]) -> str:
    return NUM + " " if match.group(1) else NUM


def normalize(text: str) -> str:
    """Return ``text`` in NFC with placeholders for URLs, e-mails, members and numbers, whitespace collapsed."""
    if not text:
        return ""
    return normalize_spaced(" ".join(text.split()))


def normalize_spaced(text: str) -> str:
    """:func:`normalize` of a text whose words are already separated by single spaces, with no space at the ends.

    The rules work inside words and never add a space next to another one, so collapsing the whitespace
    first gives the same result; the text step, which needs the written words anyway, saves a pass.
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for quote in _APOSTROPHES:  # str.replace is much faster than str.translate on non-ASCII text
        if quote in text:
            text = text.replace(quote, "'")
    return _NUM_RE.sub(_num, replace_references(text))


def replace_references(text: str) -> str:
    """``text`` with ingest's marks, URLs, e-mail addresses and references to members replaced by placeholders.

    The rules of :func:`normalize` for what is no word of the writer's; numbers, case and whitespace stay as
    written (a ``[phone]`` mark becomes ``_num_``, the only number this makes).
    """
    if "[" in text:
        marks, placeholder = _marks()
        text = marks.sub(lambda m: placeholder[m.group()], text)
    if "://" in text or "ww." in text or "WW." in text or "ailto:" in text or "AILTO:" in text:  # www., Www., mailto:
        text = _URL_RE.sub(_url, text)
    if "@" in text:
        text = _EMAIL_RE.sub(EMAIL, text)
    if PSEUDONYM_PREFIX in text:
        text = PSEUDONYM_RE.sub(MEMBER, text)
    if "u/" in text or "u_" in text:
        text = _REDDIT_USER_RE.sub(MEMBER, text)
    if "@" in text:
        text = _AT_MENTION_RE.sub(MEMBER, text)
    return text


def drop_references(text: str) -> str:
    """``text`` without what :func:`replace_references` replaces: for a tool that counts every word it is given.

    IRaMuTeQ would count "profile" and "url" of ``[profile-url]``, "https" and the words of a link, a pseudonym's
    hex digits; a placeholder would still be a word there (an underscore keeps a form whole). Dropped, they are
    what this package's terms leave out. A reference glued between two words leaves a space, else it takes the
    space before it along; a hyphen joining it to a word goes with it ("ex-M-0123456789" -> "ex"). Dropping one
    may uncover another ("[image]M-0123456789"): repeated until none is left.
    """
    while True:
        marked = replace_references(text)
        if "_" not in marked:  # every placeholder holds one: nothing was replaced
            return text
        dropped = _DROP_RE.sub(_drop, marked)
        if dropped == text:
            return text
        text = dropped  # shorter than before: each placeholder dropped is longer than the space it may leave


def _drop(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    return " " if 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum() else ""
