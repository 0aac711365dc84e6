"""Ingest replaces the names of people who are no members (a self-introduction's, a doctor's, a sign-off's) by the
pseudonym of their ``name:`` key, as a quoted author's, and importing again fixes a store an earlier version built.

Expected pseudonyms are the documented HMAC (docs/privacy.md) computed here with ``hmac``.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from chrysalide.ingest import ingest
from chrysalide.store import Store

ROWS = {
    "1": "Hello all. My name is Sarah and I'm 34, just diagnosed.",
    "2": "Welcome! Dr Dupont in Lyon helped me a lot.\n\nCheers,\nJason",
    "3": "my name is not important, and the Dr appointment is on Monday",
}


def _csv(folder: Path) -> Path:
    path = folder / "forum.csv"
    lines = [f'{i},t1,user_{i}9,"{text}"' for i, text in ROWS.items()]
    path.write_text("message_id,thread_id,author,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pseudonym(key_file: Path, source: str, name: str) -> str:
    key = key_file.read_bytes()
    return "M-" + hmac.new(key, f"{source}\x1fname:{name}".encode(), hashlib.sha256).hexdigest()[:10]


def _texts(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())


def test_person_names_become_pseudonyms_and_words_stay(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        report = ingest(store, _csv(tmp_path), source_name="forum")
        texts = _texts(store)
    sarah, dupont, jason = (_pseudonym(tmp_path / "db.key", "forum", n) for n in ("Sarah", "Dupont", "Jason"))
    assert texts["1"] == f"Hello all. My name is {sarah} and I'm 34, just diagnosed."
    assert texts["2"] == f"Welcome! Dr {dupont} in Lyon helped me a lot.\n\nCheers,\n{jason}"
    assert texts["3"] == ROWS["3"]
    assert report.scrubbed["persons"] == 3


def test_importing_again_fixes_a_store_an_earlier_version_built(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, source_name="forum")
        # An earlier version left the names in the text.
        store.con.execute("UPDATE messages SET text = ? WHERE native_id = '1'", [ROWS["1"]])
        report = ingest(store, path, source_name="forum")
        texts = _texts(store)
    assert (
        texts["1"]
        == f"Hello all. My name is {_pseudonym(tmp_path / 'db.key', 'forum', 'Sarah')} and I'm 34, just diagnosed."
    )
    assert texts["3"] == ROWS["3"]
    assert (report.imported, report.rescrubbed) == (0, 1)


def test_an_import_of_nothing_new_knows_the_languages_of_the_stored_messages(tmp_path: Path) -> None:
    """The stored rows are scrubbed again under the source's languages: German capitals mark no name. Before, an
    import of duplicates only had no language, and took "Prof. Thomas Tölle" for English (ADFD: 3 names)."""
    path = tmp_path / "forum.csv"
    text = "Ich habe heute mit meinem Arzt gesprochen und er hat mir das Medikament erklärt."
    path.write_text("message_id,thread_id,author,text\n1,t1,user_19,Mein Name ist Egal und " + text + "\n")
    with Store(tmp_path / "db.duckdb") as store:
        first = ingest(store, path, source_name="forum")
        again = ingest(store, path, source_name="forum")
    assert first.languages == again.languages == ["de"]
    assert again.rescrubbed == 0
