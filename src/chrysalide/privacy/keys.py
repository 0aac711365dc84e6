"""The pseudonymisation key of a database: created with the database, checked at every use, never replaced.

The key (32 random bytes) lives in ``NAME.key`` beside ``NAME.duckdb``, readable by its owner only, never
inside the database or an export. Every pseudonym and member id is an HMAC under it, so a lost or swapped
key would silently give every member other pseudonyms: the database stores ``key_check`` (an HMAC of a
constant under the key, which reveals nothing about the key) and a key that does not match it, is too
short, unreadable or missing is refused with one line naming the key file. A key is created only for a
database that holds no data yet, and an import that created one and failed before storing anything removes
it again (:func:`import_key`). An in-memory store gets a key that lives as long as the store.

The names the scrubber needs across imports are sealed with AES-SIV (Rogaway & Shrimpton 2006, RFC 5297)
under a key derived from the key file (HKDF, RFC 5869): deterministic, so that a name is stored once per
source, and authenticated, so that a wrong key cannot unseal garbage.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from chrysalide.errors import StoreError

if TYPE_CHECKING:
    from chrysalide.store import Store

KEY_BYTES = 32
_CHECK_LABEL = b"chrysalide key check v1"
_SEAL_LABEL = b"chrysalide name vault v1"


def key_check(key: bytes) -> str:
    """What the database stores to recognise its key: an HMAC of a constant, useless without the key."""
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def _stored_check(store: Store) -> str | None:
    row = store.con.execute("SELECT value FROM chrysalide_meta WHERE name = 'key_check'").fetchone()
    return str(row[0]) if row else None


def _remember(store: Store, key: bytes) -> None:
    store.con.execute("INSERT OR REPLACE INTO chrysalide_meta VALUES ('key_check', ?)", [key_check(key)])


def store_key(store: Store) -> bytes:
    """The key of ``store``'s database, checked against it; created only for a database without data
    (:meth:`~chrysalide.store.Store.holds_data`)."""
    check = _stored_check(store)
    if store.path == ":memory:":
        key = getattr(store, "_memory_key", None)
        if key is None:
            key = store._memory_key = secrets.token_bytes(KEY_BYTES)
            _remember(store, key)
        return key
    path = store.key_path
    where = f"the pseudonymisation key of {Path(store.path).name}"
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not {where}; move it away and restore the key file")
    if path.exists():
        try:
            key = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read {where}: {exc.strerror or exc}") from exc
        if len(key) < KEY_BYTES:
            raise StoreError(
                f"{path}: {where} is too short ({len(key)} bytes, expected {KEY_BYTES}); restore it from a backup"
            )
        if check is None:
            _remember(store, key)
        elif not hmac.compare_digest(check, key_check(key)):
            raise StoreError(
                f"{path}: this is not {where} (its pseudonyms were made with another key); restore the right key file"
            )
        return key
    if check is not None or store.holds_data():
        raise StoreError(
            f"{path}: {where} is missing; restore it from a backup (a new key would give every member other pseudonyms)"
        )
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create {where}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    store.key_created = True
    _remember(store, key)
    return key


@contextmanager
def import_key(store: Store) -> Iterator[bytes]:
    """The key for an import (:func:`store_key`); a key created for it is removed again, with its check, when
    the import fails before anything was stored under it (:meth:`~chrysalide.store.Store.holds_data`).

    A failed first import then leaves no key that protects nothing (in a ``with Store(...)`` block the store
    also removes the database file it created), and the next import creates one. A key that stored data
    needs, or that existed before, is never removed.
    """
    before = store.key_created
    key = store_key(store)
    created = store.key_created and not before
    try:
        yield key
    except BaseException:
        if created and not store.holds_data():
            store.con.execute("DELETE FROM chrysalide_meta WHERE name = 'key_check'")  # no check left without its key
            store.key_path.unlink(missing_ok=True)
            store.key_created = False
        raise


class Sealer:
    """Seals and unseals short strings (member names) under a key derived from the store's key."""

    def __init__(self, key: bytes) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_SEAL_LABEL).derive(key)
        self._siv = AESSIV(derived)

    def seal(self, text: str, context: str) -> bytes:
        """The same ``text`` in the same ``context`` (a source) always gives the same bytes."""
        return self._siv.encrypt(text.encode("utf-8", "surrogatepass"), [context.encode("utf-8")])

    def unseal(self, sealed: bytes, context: str) -> str:
        try:
            plain = self._siv.decrypt(sealed, [context.encode("utf-8")])
        except InvalidTag:
            raise StoreError("a sealed name does not open with this key: the key file is not the database's") from None
        return plain.decode("utf-8", "surrogatepass")
