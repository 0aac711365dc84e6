"""Keyed pseudonyms for members, and scrubbing of members' names from message text.

A pseudonym is an HMAC-SHA256 of the member's key (source user id, else name) under a secret key
kept in a file beside the database (never inside it, never in an export): the same member gets the
same pseudonym on every re-import, and nobody without the key file can test a guessed name.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import string
from collections.abc import Iterable
from pathlib import Path

PSEUDONYM_PREFIX = "M-"
PSEUDONYM_HEX = 10  # hex digits of the HMAC after the prefix
#: A pseudonym where it stands in text (the text layer turns it into one placeholder token).
PSEUDONYM_RE = re.compile(rf"(?<![\w-]){re.escape(PSEUDONYM_PREFIX)}[0-9a-f]{{{PSEUDONYM_HEX}}}(?![\w-])")
KEY_BYTES = 32
# Names shorter than this are replaced only with an exact-case, whole-word match, and names of one
# or two characters never (they are ordinary words in every language).
MIN_CASEFOLD_LEN = 4
MIN_NAME_LEN = 3


def load_key(path: Path) -> bytes:
    """Read the key file, creating it (mode 600) on first use."""
    if path.exists():
        key = path.read_bytes()
        if len(key) < 16:
            raise ValueError(f"{path}: pseudonymisation key is too short; restore it from backup")
        return key
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


class Pseudonymiser:
    """Turns member keys into stable pseudonyms; ``keep_names`` keeps display names instead."""

    def __init__(self, key: bytes, *, keep_names: bool = False) -> None:
        self._key = key
        self.keep_names = keep_names

    def pseudonym(self, member_key: str, name: str | None = None) -> str:
        if self.keep_names and name:
            return name
        digest = hmac.new(self._key, member_key.encode("utf-8"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]


_WORD = re.compile(r"@?[\w][\w.\-]*[\w]|@?\w")
_BARE = re.compile(r"[\w][\w.\-]*[\w]|\w")
# The same words, kept with the text between them: split() yields [between, word, between, word, ..., between].
# An "@" before a name stays in the text between, so "@name" becomes "@pseudonym" as with _WORD.
_SPLIT = re.compile(r"([\w][\w.\-]*[\w]|\w)")
# Up to this many exact-case names, substring tests are cheaper than tokenising a message.
MAX_SUBSTRING_TESTS = 32
# ASCII characters that a case-insensitive pattern matches only with themselves (no other code point
# lower-cases to them): a text can hold a name written with one only if it holds that very character.
CASELESS = frozenset(string.punctuation + " ")
COMMON = frozenset(" '.,-!?")  # in most messages: a poor hint


class NameScrubber:
    """Replaces members' names inside text with their pseudonyms.

    Single-word names are looked up per word (fast on millions of messages); names with spaces or
    punctuation use one alternation. Case-insensitive for names of four characters or more.
    """

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        multi: dict[str, str] = {}
        for name, pseudonym in names:
            name = name.strip()
            if len(name) < MIN_NAME_LEN or name == pseudonym or name.isdigit():
                continue
            if _WORD.fullmatch(name):
                if len(name) >= MIN_CASEFOLD_LEN:
                    self._folded[name.casefold()] = pseudonym
                else:
                    self._exact[name] = pseudonym
            else:
                multi[name.casefold()] = pseudonym
                # "Courage Zoé !" must not leak "Zoé Martin": each capitalised part of four letters or more
                # is replaced where it is written with its capital (so "claire" the adjective survives
                # a member called "Claire Dupont").
                for part in re.findall(r"\w+", name):
                    if len(part) >= MIN_CASEFOLD_LEN and part[0].isupper() and not part.isdigit():
                        self._exact.setdefault(part, pseudonym)
        self._multi = multi
        # One character each multi-word name needs (not the space when it can): most messages contain none,
        # and a substring test is far cheaper than the alternation. None when some name has no such character.
        hints = [sorted(set(n) & CASELESS, key=lambda c: (c in COMMON, c)) for n in multi]
        self._multi_hint = frozenset(h[0] for h in hints) if all(hints) else None
        # Sets, so that isdisjoint() iterates over the (small) set of a message's words.
        self._exact_set = frozenset(self._exact)
        self._folded_set = frozenset(self._folded)
        self._multi_re = (
            re.compile(
                r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(multi, key=len, reverse=True)) + r")(?!\w)",
                re.I,
            )
            if multi
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._exact or self._folded or self._multi)

    def scrub(self, text: str | None) -> str | None:
        if not text or not self:
            return text
        hint = self._multi_hint
        if self._multi_re is not None and (hint is None or any(c in text for c in hint)):
            text = self._multi_re.sub(lambda m: self._multi[m.group(0).casefold()], text)
        # Most messages name nobody: find that out with C-level set operations before substituting. A word equal
        # to a short exact-case name contains it, so a few substring tests usually spare the exact-case tokens.
        if self._folded_set.isdisjoint(_BARE.findall(text.casefold())) and (
            not self._exact_set
            or (len(self._exact_set) <= MAX_SUBSTRING_TESTS and not any(n in text for n in self._exact_set))
            or self._exact_set.isdisjoint(_BARE.findall(text))
        ):
            return text
        parts = _SPLIT.split(text)
        exact, by_fold = self._exact, self._folded
        parts[1::2] = [exact.get(w) or by_fold.get(w.casefold()) or w for w in parts[1::2]]
        return "".join(parts)
