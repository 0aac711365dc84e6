"""Stable internal ids derived from (source, kind, native id): re-imports are idempotent."""

from __future__ import annotations

import hashlib

_MASK = (1 << 63) - 1


def stable_id(source_id: str, kind: str, native: str) -> int:
    """A positive 63-bit integer from a keyed-free BLAKE2b of the identity triple.

    Collisions need about 3 billion ids of one kind to become likely (birthday bound on 63 bits).
    """
    digest = hashlib.blake2b(f"{source_id}\x1f{kind}\x1f{native}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _MASK


def content_hash(*parts: object) -> str:
    """A short fingerprint of a record's content, to tell a true duplicate from a re-used id."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
