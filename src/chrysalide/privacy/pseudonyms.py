"""Keyed pseudonyms and member ids: nobody without the key file can link them to a user name.

A member's *key* is ``id:<source user id>`` or, for sources without user ids, ``name:<user name>``. Their
pseudonym (``M-`` + 10 hex digits) and their member id (a 63-bit integer) are both HMAC-SHA256 of the
source and that key under the database's secret key (:mod:`chrysalide.privacy.keys`), with different labels:
the same member gets the same pseudonym and id on every re-import, and someone holding the public list of
user names but not the key file cannot compute either (docs/privacy.md says what such an attacker can do).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

__all__ = ["PSEUDONYM", "PSEUDONYM_PREFIX", "PSEUDONYM_RE", "Pseudonymiser", "as_pseudonym"]

PSEUDONYM_PREFIX = "M-"
_MASK = (1 << 63) - 1
PSEUDONYM_HEX = 10  # hex digits of the HMAC after the prefix
#: A pseudonym, as a pattern (also DuckDB's, which has no look-behind).
PSEUDONYM = rf"{re.escape(PSEUDONYM_PREFIX)}[0-9a-f]{{{PSEUDONYM_HEX}}}"
#: A pseudonym where it stands in text: not inside a word, but punctuation may touch it, a hyphen too, even one
#: that joins it to a word: signatures are written "-M-0123456789" or "M-0123456789-", and the scrubber writes a
#: name of a hyphenated compound as a pseudonym there ("ex-M-0123456789", "M-0123456789-chan"): a rule that left
#: those out made "ex-m-0123456789" a term of the text layer.
PSEUDONYM_RE = re.compile(rf"(?<!\w){PSEUDONYM}(?!\w)")

_ANY_CASE = re.compile(PSEUDONYM, re.IGNORECASE)


def as_pseudonym(value: str) -> str | None:
    """The pseudonym ``value`` spells in any case (``m-67C1AB23DE`` -> ``M-67c1ab23de``), or None if it spells none.

    Pseudonyms are written ``M-`` and lower-case hex digits; a person typing one, or a spreadsheet, may change
    the case, which makes no other pseudonym.
    """
    value = value.strip()
    if _ANY_CASE.fullmatch(value) is None:
        return None
    return PSEUDONYM_PREFIX + value[len(PSEUDONYM_PREFIX) :].lower()


class Pseudonymiser:
    """Turns member keys into pseudonyms and member ids; ``keep_names`` keeps display names as pseudonyms."""

    def __init__(self, key: bytes, *, keep_names: bool = False) -> None:
        self._key = key
        self.keep_names = keep_names

    def pseudonym(self, member_key: str, name: str | None = None) -> str:
        """``member_key`` is ``<source>\\x1f<id:... or name:...>``; ``name`` is kept under ``keep_names``."""
        if self.keep_names and name:
            return name
        digest = hmac.new(self._key, member_key.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]

    def member_ids(self, source_id: str, member_keys: Iterable[str]) -> list[int]:
        """The 63-bit member id of each member key of ``source_id`` (keyed: ``ingest/ids.py`` is not)."""
        prefix = f"{source_id}\x1fmember-id\x1f"
        key, digest, from_bytes, mask = self._key, hmac.digest, int.from_bytes, _MASK
        return [
            from_bytes(digest(key, (prefix + k).encode("utf-8", "surrogatepass"), "sha256")[:8], "big") & mask
            for k in member_keys
        ]

    def member_id(self, source_id: str, member_key: str) -> int:
        return self.member_ids(source_id, [member_key])[0]
