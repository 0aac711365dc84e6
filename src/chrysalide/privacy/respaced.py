"""Names of several words: "Die-kleine-Runde", "zoe.m", "Claire Dupont", a quoted "Die Zeit", and user names
re-spaced ("fat thumbs" for ``fat_thumbs``), each replaced whole by its member's pseudonym.

A name is looked for only in a message that holds all its words (one set test), and found by the rarest of
them (:func:`trigger`). A re-spaced user name that is an ordinary phrase ("my swollen ankle" for a member
swollen_ankle, "Yes. All the time." for all_the_time) is a name only written as one ("Swollen Ankle") or in a
name position; a quoted name only in a position.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from chrysalide.privacy.ambiguous import TEXT_LANGS, AmbiguousNames
from chrysalide.privacy.names import QUOTED_NAME, USER_NAME, Variant, function_languages
from chrysalide.privacy.occurrences import HAS_DIGIT, TOKEN, Entry
from chrysalide.privacy.positions import at_name_position, written_as_name
from chrysalide.privacy.pseudonyms import PSEUDONYM_RE


def trigger(tokens: list[str]) -> str:
    """The word of a name of several words that the message must hold before the name is looked for: one
    with a digit (the rarest: "chat717" of nathalie.chat717), else the longest that is no function word."""
    with_digits = [t for t in tokens if HAS_DIGIT.search(t)]
    if with_digits:
        return max(with_digits, key=len)
    return max([t for t in tokens if not function_languages(t)] or tokens, key=len)


class Phrases:
    """The names of several words of a source, by casefolded name (the first variant of each wins)."""

    def __init__(self, names: dict[str, Variant], ambiguous: AmbiguousNames) -> None:
        self._ambiguous = ambiguous
        # trigger -> (name, pseudonym, mode, its words)
        self._names: dict[str, list[tuple[str, str, str, frozenset[str]]]] = {}
        self._patterns: dict[str, re.Pattern[str]] = {}  # compiled on first use: a forum has thousands of names
        for folded, v in sorted(names.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            tokens = TOKEN.findall(folded)
            if not tokens:
                continue
            mode = "position" if v.form == QUOTED_NAME else "respaced" if v.respaced else "always"
            # Found by its longest word that is no function word, then kept when all its words are in the message.
            self._names.setdefault(trigger(tokens), []).append((v.text, v.pseudonym, mode, frozenset(tokens)))
        #: The words that call for a look at the names of several words.
        self.triggers = frozenset(self._names)

    def __bool__(self) -> bool:
        return bool(self._names)

    def replace(self, text: str, words: set[str], counts: Counter[str], *, strict: bool = False) -> tuple[str, bool]:
        """``text`` (whose casefolded words are ``words``) with the names of several words it holds replaced,
        and whether it held one; replacements counted in ``counts`` (``strict``: every one, wherever it stands)."""
        found = [m[:3] for t in sorted(words & self.triggers) for m in self._names[t] if m[3] <= words]
        found.sort(key=lambda m: (-len(m[0]), m[0]))  # the longest first: "Jean Luc Martin" before "Jean Luc"
        for name, pseudonym, mode in found:
            text = self._pattern(name).sub(self._phrase(pseudonym, "always" if strict else mode, counts), text)
        return text, bool(found)

    def _pattern(self, name: str) -> re.Pattern[str]:
        """``name`` as a whole word, case-insensitive, compiled once: a forum has thousands."""
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.I)
        return pattern

    def _phrase(self, pseudonym: str, mode: str, counts: Counter[str]) -> Callable[[re.Match[str]], str]:
        """The replacement of a name of several words (``mode``: always, respaced, position).

        A user name re-spaced that is an ordinary phrase ("my swollen ankle" for a member swollen_ankle, "Yes. All
        the time." for all_the_time) is a name only written as one ("Swollen Ankle") or in a name position (not
        a last sentence of its own); a quoted name only in a position.
        """

        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            if mode == "position" and not at_name_position(match.string, *match.span()):
                self._ambiguous.count(Entry(pseudonym, QUOTED_NAME, True), "maybe a source", "any", False)
                return found
            if (
                mode == "respaced"
                and not written_as_name(found)
                and not at_name_position(match.string, *match.span(), vocative=False, sentence_signature=False)
            ):
                from chrysalide.text.language import UNDETERMINED, detect

                lang = detect(PSEUDONYM_RE.sub(" ", match.string))
                words = [w for w in TOKEN.findall(found) if len(w) >= 3]
                # A message of undetermined language: a word of any of TEXT_LANGS, as for one word (is_word).
                # Replacing a name changes the detected language ("swollen ankle@elle" is French until "elle" is a
                # pseudonym): without this, scrubbing the result again replaced the phrase kept the first time.
                langs = TEXT_LANGS if lang == UNDETERMINED else (lang,)
                if words and all(any(self._ambiguous.classes.is_word(w, c) for c in langs) for w in words):
                    self._ambiguous.count(Entry(pseudonym, USER_NAME, True), "common phrase", lang, False)
                    return found
            counts["names"] += 1
            return pseudonym

        return replace
