"""The pseudonymisation key: created with a new database only, refused when missing, short, wrong or unreadable."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil

import pytest

from chrysalide.errors import InputError, StoreError
from chrysalide.ingest import ingest
from chrysalide.privacy import Pseudonymiser, import_consent
from chrysalide.privacy.keys import KEY_BYTES, Sealer, store_key
from chrysalide.store import Store

FORUM = "message_id,thread_id,author,text\n1,t,alice_1,hello Bob\n2,t,bob,thanks alice_1\n"


def _forum(tmp_path):
    path = tmp_path / "forum.csv"
    path.write_text(FORUM, encoding="utf-8")
    return path


def _imported(tmp_path):
    db = tmp_path / "db.duckdb"
    with Store(db) as store:
        ingest(store, _forum(tmp_path))
    return db


def test_key_is_created_with_a_new_database_private_and_stable(tmp_path):
    db = _imported(tmp_path)
    key_file = db.with_suffix(".key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_bytes()
    assert len(key) == KEY_BYTES
    with Store(db) as store:
        assert store_key(store) == key
        # The database keeps a check of the key, never the key.
        stored = store.con.execute("SELECT value FROM chrysalide_meta WHERE name = 'key_check'").fetchone()[0]
        assert stored == hmac.new(key, b"chrysalide key check v1", hashlib.sha256).hexdigest()[:32]
        assert key.hex() not in str(store.con.execute("SELECT * FROM chrysalide_meta").fetchall())


def test_pseudonyms_and_member_ids_are_keyed(tmp_path):
    db = _imported(tmp_path)
    key = db.with_suffix(".key").read_bytes()
    with Store(db, read_only=True) as store:
        rows = dict(store.con.execute("SELECT pseudonym, member_id FROM members").fetchall())
    # Computed here from the definition: HMAC-SHA256 of source and member key, with distinct labels.
    pseudonym = "M-" + hmac.new(key, b"forum\x1fname:bob", hashlib.sha256).hexdigest()[:10]
    member_id = int.from_bytes(hmac.digest(key, b"forum\x1fmember-id\x1fname:bob", "sha256")[:8], "big") & (2**63 - 1)
    assert rows[pseudonym] == member_id
    other = Pseudonymiser(b"x" * KEY_BYTES)
    assert other.pseudonym("forum\x1fname:bob") != pseudonym
    assert other.member_id("forum", "name:bob") != member_id


@pytest.mark.parametrize("damage", ["missing", "short", "wrong", "folder", "unreadable"])
def test_a_damaged_key_is_refused_by_ingest_and_consent(tmp_path, damage):
    db = _imported(tmp_path)
    key_file = db.with_suffix(".key")
    if damage == "missing":
        key_file.unlink()
    elif damage == "short":
        key_file.write_bytes(b"short")
    elif damage == "wrong":
        key_file.write_bytes(os.urandom(KEY_BYTES))
    elif damage == "folder":
        key_file.unlink()
        key_file.mkdir()
    else:
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        key_file.chmod(0)
    expected = {"missing": "is missing", "short": "too short", "wrong": "not the pseudonymisation key",
                "folder": "is a folder", "unreadable": "cannot read"}[damage]  # fmt: skip
    consent = tmp_path / "consent.csv"
    consent.write_text("member,status,date,scope\nbob,granted,,quote\n", encoding="utf-8")
    with Store(db) as store:
        before = store.con.execute("SELECT count(*) FROM messages").fetchone()[0]
        with pytest.raises(StoreError, match=expected) as found:
            ingest(store, _forum(tmp_path), source_name="again")
        assert str(key_file) in str(found.value) and "\n" not in str(found.value)
        with pytest.raises(StoreError, match=expected):
            import_consent(store, consent)
        assert store.con.execute("SELECT count(*) FROM messages").fetchone()[0] == before
        assert store.count("consent") == 0
    if damage in ("missing", "folder"):
        assert not key_file.is_file()  # never silently replaced


def test_a_key_file_kept_from_elsewhere_is_adopted_by_a_new_database(tmp_path):
    db = _imported(tmp_path)
    twin = tmp_path / "twin.duckdb"
    shutil.copy(db.with_suffix(".key"), twin.with_suffix(".key"))
    with Store(twin) as store:
        ingest(store, _forum(tmp_path), source_name="forum")
        same = store.con.execute("SELECT pseudonym FROM members ORDER BY 1").fetchall()
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT pseudonym FROM members ORDER BY 1").fetchall() == same


def test_in_memory_store_has_a_key_of_its_own_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store(":memory:") as a, Store(":memory:") as b:
        assert store_key(a) == store_key(a) != store_key(b)
    assert list(tmp_path.iterdir()) == []


def test_sealed_names_open_only_with_their_key_and_source():
    sealer = Sealer(b"k" * KEY_BYTES)
    sealed = sealer.seal("karen2727", "forum")
    assert sealed == sealer.seal("karen2727", "forum")  # deterministic: stored once per source
    assert b"karen" not in sealed
    assert sealer.unseal(sealed, "forum") == "karen2727"
    with pytest.raises(StoreError):
        Sealer(b"j" * KEY_BYTES).unseal(sealed, "forum")
    with pytest.raises(StoreError):
        sealer.unseal(sealed, "another source")


def _key_check(store: Store) -> list[tuple[str]]:
    return store.con.execute("SELECT value FROM chrysalide_meta WHERE name = 'key_check'").fetchall()


def test_a_failed_first_import_removes_the_key_it_created_and_the_next_import_works(tmp_path):
    """A store opened outside a ``with`` block (a notebook): the import that created the key fails before
    storing anything, so neither the key file nor its check stays behind to protect nothing."""
    db = tmp_path / "new.duckdb"
    store = Store(db)
    with pytest.raises(InputError, match="missing required text"):
        ingest(store, _forum(tmp_path), mapping={"text": "body"})
    assert not db.with_suffix(".key").exists() and _key_check(store) == []
    assert ingest(store, _forum(tmp_path)).imported == 2  # the same store, then a fresh one, import again
    store.close()
    key = db.with_suffix(".key").read_bytes()
    with Store(db) as again:
        assert store_key(again) == key and again.count("messages") == 2


def test_regression_a_failed_second_import_keeps_the_new_database_and_its_key(tmp_path):
    """The store removed every file it had created when its block failed, even after a first import had landed:
    the database and the only key its pseudonyms open with were deleted."""
    db = tmp_path / "new.duckdb"
    with pytest.raises(InputError), Store(db) as store:
        ingest(store, _forum(tmp_path))
        ingest(store, _forum(tmp_path), mapping={"text": "body"}, source_name="other")
    key = db.with_suffix(".key").read_bytes()
    with Store(db) as store:
        assert store_key(store) == key and store.count("messages") == 2


@pytest.mark.parametrize("kept_from", ["an import", "elsewhere"])
def test_a_failed_import_leaves_an_existing_key_untouched(tmp_path, kept_from):
    """A key that existed before the import (its database's, or one copied beside a new database) stays."""
    db = _imported(tmp_path)
    if kept_from == "elsewhere":
        db = tmp_path / "twin.duckdb"
        shutil.copy(tmp_path / "db.key", db.with_suffix(".key"))
    key = db.with_suffix(".key").read_bytes()
    with pytest.raises(InputError), Store(db) as store:
        ingest(store, _forum(tmp_path), mapping={"text": "body"}, source_name="other")
    assert db.with_suffix(".key").read_bytes() == key
    if kept_from == "an import":
        with Store(db) as store:
            assert store_key(store) == key and store.count("messages") == 2
    else:
        assert not db.exists()  # the database the failed block created, with nothing in it
