"""Whether a link holds a member's name (their blog, their page): the contact scrubber then replaces it.

A name is found in a link as one of its words, or glued inside one (:data:`LINK_NAME_LEN`: "hodzictarik.ml"
of tarik03300): a whole user name anywhere in the link, separators left out, a first name or a part of a display
name in its host name, none of them a word of a language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from chrysalide.privacy.names import FIRST_NAME, NAME_PART, SEPARATORS, USER_NAME, Variant
from chrysalide.privacy.occurrences import TOKEN

#: A name glued inside a word of a link ("hodzictarik.ml" of tarik03300) is looked for from this many
#: letters: a whole user name anywhere in the link, a first name or a part of a display name in its host name,
#: neither a word of a language. Shorter, ordinary links lose their address to a piece of a name: "lera" is in
#: "histaminintoleranz.html", "evie" (of evie_1990) in "preview.redd.it", Reddit's image host.
LINK_NAME_LEN = 5
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST_NAME = re.compile(r"[^/?#]*")


@dataclass(frozen=True, slots=True)
class _Glued:
    """The names looked for inside the words of a link (:data:`LINK_NAME_LEN`): casefolded, by length."""

    anywhere: dict[int, frozenset[str]]  # whole user names without their separators
    host: dict[int, frozenset[str]]  # first names and parts of display names

    @staticmethod
    def holds(text: str, forms: dict[int, frozenset[str]]) -> bool:
        """Whether ``text`` holds one of ``forms`` as a substring (one set look-up per length and position)."""
        return any(text[i : i + n] in found for n, found in forms.items() for i in range(len(text) - n + 1))


class LinkNames:
    """The names of a source that a link may hold.

    ``words``: the casefolded names looked for as a whole word of a link; ``variants``: every form of every
    name, whose glued forms are made when the first link is met (``is_word`` may read dictionaries).
    """

    def __init__(self, variants: Iterable[Variant], words: Iterable[str], is_word: Callable[[str], bool]) -> None:
        self._variants = tuple(variants)
        self._words = frozenset(words)
        self._is_word = is_word
        self._glued: _Glued | None = None

    def held_in(self, url: str) -> bool:
        """Whether ``url`` holds a member's name: a whole user name as one of its words, or glued inside one."""
        folded = url.casefold()
        if not self._words.isdisjoint(TOKEN.findall(folded)):
            return True
        glued = self._glued_names()
        address = _SCHEME.sub("", folded)
        host = _HOST_NAME.match(address)
        assert host is not None  # the pattern matches the empty string
        return glued.holds(SEPARATORS.sub("", address), glued.anywhere) or glued.holds(host.group(), glued.host)

    def _glued_names(self) -> _Glued:
        """The names :meth:`held_in` looks for inside the words of a link, made once."""
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
                if len(form) >= LINK_NAME_LEN and not form.isdigit() and not self._is_word(form):
                    target.setdefault(len(form), set()).add(form)
            self._glued = _Glued(
                {n: frozenset(f) for n, f in anywhere.items()}, {n: frozenset(f) for n, f in host.items()}
            )
        return self._glued
