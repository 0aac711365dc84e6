"""Stable internal ids derived from (source, kind, native id): re-imports are idempotent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

_MASK = (1 << 63) - 1


def stable_id(source_id: str, kind: str, native: str) -> int:
    """A positive 63-bit integer from a keyed-free BLAKE2b of the identity triple.

    Collisions need about 3 billion ids of one kind to become likely (birthday bound on 63 bits).
    """
    digest = hashlib.blake2b(f"{source_id}\x1f{kind}\x1f{native}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _MASK


def stable_ids(source_id: str, kind: str, natives: Iterable[str]) -> list[int]:
    """:func:`stable_id` of many native ids of one kind (one Python frame instead of one per id)."""
    prefix = f"{source_id}\x1f{kind}\x1f"
    blake2b, from_bytes, mask = hashlib.blake2b, int.from_bytes, _MASK
    return [from_bytes(blake2b((prefix + n).encode(), digest_size=8).digest(), "big") & mask for n in natives]


def content_hash(*parts: object) -> str:
    """A short fingerprint of a record's content, to tell a true duplicate from a re-used id."""
    joined = "\x1f".join(["" if p is None else p if type(p) is str else str(p) for p in parts])
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
