"""Ingest replaces a member's name glued to a greeting by an export that ran lines together, and importing again
fixes a store an earlier version built (privacy/glued.py, ingest/rescrub.py).

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
    "2": ("lulu_19", "BonjourPaqueretteHa ha ! Moi aussi."),
    "3": ("lulu_19", "Thankfully it went well, HelloWorld"),
}


def _csv(folder: Path) -> Path:
    path = folder / "forum.csv"
    lines = [f'{i},t1,{author},"{text}"' for i, (author, text) in ROWS.items()]
    path.write_text("message_id,thread_id,author,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pseudonym(key_file: Path, name: str) -> str:
    digest = hmac.new(key_file.read_bytes(), f"forum\x1fname:{name}".encode(), hashlib.sha256).hexdigest()
    return "M-" + digest[:10]


def _texts(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())


def test_a_name_glued_to_a_greeting_is_stored_as_its_pseudonym(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        report = ingest(store, _csv(tmp_path), source_name="forum")
        texts = _texts(store)
    assert texts["2"] == f"Bonjour {_pseudonym(tmp_path / 'db.key', 'Paquerette')} Ha ha ! Moi aussi."
    assert texts["3"] == ROWS["3"][1]
    assert report.scrubbed["names"] == 1


def test_importing_again_fixes_a_store_an_earlier_version_built(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, source_name="forum")
        # An earlier version left the glued name in the text.
        store.con.execute("UPDATE messages SET text = ? WHERE native_id = '2'", [ROWS["2"][1]])
        report = ingest(store, path, source_name="forum")
        texts = _texts(store)
    assert texts["2"] == f"Bonjour {_pseudonym(tmp_path / 'db.key', 'Paquerette')} Ha ha ! Moi aussi."
    assert texts["3"] == ROWS["3"][1]
    assert (report.imported, report.rescrubbed) == (0, 1)
