"""A message's source form (its text before markup was cleaned, ``message_sources.source_text``) scrubbed as its text.

The name rules read a name's position: a greeting opens the message, a signature ends it, a line holds a sign-off
(:mod:`chrysalide.privacy.ambiguous`, :mod:`chrysalide.privacy.persons`). Markup moves those positions: in
patient.info's HTML a greeting stands after ``<p>``, so "Hi Jorinde," lost its name in the cleaned text and kept it
in the source form (12 of the 241 source forms of its store, 7 December 2026). The source form is therefore
scrubbed by the scrubber, then of every span the scrubber replaced in the cleaned text, wherever that span stands as
whole words in the source form (:func:`follow`): what was taken out of the text is taken out of its source, and a
word that was a name in one place of the text is replaced in every place of the source (over-scrubbing a copy kept
for audit costs nothing a reader needs).
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from chrysalide.privacy.pseudonyms import PSEUDONYM

# Words, pseudonyms and markers each as one token, the text between them as others: a replacement is then a run of
# whole tokens ("Jorinde Brenner" -> "M-0123456789").
_TOKENS = re.compile(rf"({PSEUDONYM}|@?\[[a-z]+\]|\w+)")
_WORD = re.compile(r"\w")


def replacements(before: str, after: str) -> list[tuple[str, str]]:
    """The spans of ``before`` that scrubbing replaced, each with what stands for it in ``after``, as (old, new),
    longest first; only spans that hold a word."""
    a, b = _TOKENS.split(before), _TOKENS.split(after)
    found = set()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        # The separators on either side are kept where they were: only the words' run is replaced.
        start = _WORD.search(old)
        if start is None:
            continue
        end = len(old) - _WORD.search(old[::-1]).start()  # type: ignore[union-attr]  # a word is in it
        head, tail = old[: start.start()], old[end:]
        new = new.removeprefix(head) if new.startswith(head) else new.strip()
        new = new.removesuffix(tail) if tail and new.endswith(tail) else new
        found.add((old[start.start() : end], new))
    return sorted(found, key=lambda pair: (-len(pair[0]), pair))


def follow(source: str, before: str, after: str) -> str:
    """``source`` with each span scrubbing replaced in ``before`` (giving ``after``: :func:`replacements`) replaced
    the same way wherever it stands as whole words, as written or HTML-escaped ("O&#39;Brien")."""
    for old, new in replacements(before, after):
        for form in {old, html.escape(old, quote=True), old.replace("'", "&#39;")}:
            source = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)").sub(new.replace("\\", "\\\\"), source)
    return source
