"""A small coded store with hostile content, shared by the dashboard's API and browser tests."""

from __future__ import annotations

from datetime import datetime
from html import escape

import pytest

from chrysalide.ingest import ingest
from chrysalide.store import Store

HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">Bonjour <b>à tous</b>'


def build_store(path) -> Store:
    """Ingest a tiny forum, give every member quoting consent, and code its messages by hand."""
    csv_path = path.parent / "forum.csv"
    csv_path.write_text(
        "message_id,thread_id,author,posted_at,text,reply_to,title\n"
        # Escaped as forum exports escape what members type: ingest decodes it, so the store holds the markup.
        f'1,t1,Alice,2017-08-01 10:00,"{escape(HOSTILE, False).replace(chr(34), chr(34) * 2)}",,'
        f'"{escape("<i>Nodule</i> & TSH", False)}"\n'
        "2,t1,Bob,2017-08-01 12:30,Courage ! Tu devrais voir un endocrinologue.,1,\n"
        "3,t1,Alice,2017-08-02 09:00,Merci Bob merci à tous,2,\n",
        encoding="utf-8",
    )
    store = Store(path)
    ingest(store, csv_path)
    store.con.execute("INSERT INTO consent SELECT member_id, 'granted', DATE '2024-01-01', 'quote' FROM members")
    with store.run("coding", "hand/1") as run:
        codes = {"1": ("individual", 0.4), "2": ("collaborative", 0.9), "3": ("community", 0.55)}
        for native, (code, confidence) in codes.items():
            store.con.execute(
                "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, confidence, origin, coder, decided_at)"
                " SELECT ?, message_id, ?, [], ?, ?, 'model', 'hand/1', ? FROM messages WHERE native_id = ?",
                [run.run_id, code, code == "collaborative", confidence, datetime(2024, 1, 1), native],
            )
    return store


@pytest.fixture
def web_db(tmp_path):
    path = tmp_path / "web.duckdb"
    build_store(path).close()
    return path
