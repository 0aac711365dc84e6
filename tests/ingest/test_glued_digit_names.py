"""Ingest replaces a member's name glued to digits or to the next line's first word, and importing again fixes a
store an earlier version built (privacy/glued.py GluedNames, ingest/rescrub.py).

Expected pseudonyms are the documented HMAC (docs/privacy.md) computed here with ``hmac``; the names are made up.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from chrysalide.ingest import ingest
from chrysalide.store import Store

ROWS = {
    "1": ("Paquerette", "Bonjour à toutes, qui a essayé le yoga ?"),
    "2": ("lulu_19", "Le sujet :viewtopic.php?t=115&start=3840Paquerette, il est bien. Moi depuis 2ans."),
    "3": ("lulu_19", "Je ne l'aurais pas pensé.Paquerettetu es la quatrième personne à me le dire."),
}


def _csv(folder: Path) -> Path:
    path = folder / "forum.csv"
    lines = [f'{i},t1,{author},"{text}"' for i, (author, text) in ROWS.items()]
    path.write_text("message_id,thread_id,author,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _expected(key_file: Path) -> dict[str, str]:
    digest = hmac.new(key_file.read_bytes(), b"forum\x1fname:Paquerette", hashlib.sha256).hexdigest()
    pseudonym = "M-" + digest[:10]
    return {
        "1": ROWS["1"][1],
        "2": f"Le sujet :viewtopic.php?t=115&start=3840 {pseudonym}, il est bien. Moi depuis 2ans.",
        "3": f"Je ne l'aurais pas pensé.{pseudonym} tu es la quatrième personne à me le dire.",
    }


def _texts(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())


def test_a_name_glued_to_digits_or_to_a_word_is_stored_as_its_pseudonym(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        report = ingest(store, _csv(tmp_path), source_name="forum")
        texts = _texts(store)
    assert texts == _expected(tmp_path / "db.key")
    assert report.scrubbed["names"] == 2


def test_importing_again_fixes_a_store_an_earlier_version_built(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, source_name="forum")
        # An earlier version left the glued names in the text.
        for native_id in ("2", "3"):
            store.con.execute("UPDATE messages SET text = ? WHERE native_id = ?", [ROWS[native_id][1], native_id])
        report = ingest(store, path, source_name="forum")
        texts = _texts(store)
    assert texts == _expected(tmp_path / "db.key")
    assert (report.imported, report.rescrubbed) == (0, 2)
