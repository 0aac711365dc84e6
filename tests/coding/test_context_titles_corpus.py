"""The coders read a thread start with its title on a real forum whose importer keeps the title apart.

patient.info's scrape gives each thread a ``title`` beside its opening ``post``; the store keeps the post as the
message's text and the title apart (docs/importers.md). The expected titles are read here from the JSON itself.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from chrysalide.coding.context import CONTEXT_SQL
from chrysalide.ingest import ingest
from chrysalide.store import Store

pytestmark = pytest.mark.corpora
REAL = "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_patientinfo_thread_starts_are_read_with_their_titles(store: Store, corpora: Path) -> None:
    threads = [t for group in json.loads((corpora / REAL).read_text(encoding="utf-8")).values() for t in group]
    ingest(store, corpora / REAL)
    rows = store.con.execute(
        f"WITH c AS ({CONTEXT_SQL}) SELECT c.kind, c.text, m.text FROM c JOIN messages m USING (message_id)"
    ).fetchall()
    starts = [(coded, body) for kind, coded, body in rows if kind == "thread_start"]
    assert len(starts) == len(threads)
    # Each thread start: its thread's title, a blank line, then the stored post.
    assert Counter(_words(coded.split("\n\n", 1)[0]) for coded, _ in starts) == Counter(
        _words(t["title"]) for t in threads
    )
    # A post that already opens with its title (1 of 122 here) is read as it is: no title twice.
    for coded, body in starts:
        title = coded.split("\n\n", 1)[0]
        assert coded == f"{title}\n\n{body}" or (coded == body and _words(body).startswith(_words(title)))
    assert sum(coded == body for coded, body in starts) < len(starts) / 10
    # Replies are read as stored.
    assert all(coded == body for kind, coded, body in rows if kind != "thread_start")
