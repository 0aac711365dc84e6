"""Doctissimo's annotated posts (``doctissimo_intentions_fr``) import with the command docs/importers.md gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import ingest

pytestmark = pytest.mark.corpora
DATA = "doctissimo_intentions_fr/data"


def test_reconstructed_posts_import_as_their_sentences_one_a_line(store, corpora: Path) -> None:
    path = corpora / DATA / "reconstructed_posts_final.json"
    posts = json.loads(path.read_text(encoding="utf-8"))
    want = {str(p["post_id"]): "\n".join(s["text"] for s in p["sentences"]) for p in posts}
    report = ingest(store, path, mapping={"message_id": "post_id", "text": "sentences"}, keep_names=True)
    assert (report.imported, report.rejected) == (len(posts), 0) == (161, 0)
    got = store.con.execute(
        "SELECT native_id, coalesce(s.source_text, m.text) FROM messages m LEFT JOIN message_sources s USING (message_id)"
    ).fetchall()
    assert dict(got) == want


def test_the_raw_text_file_is_refused_naming_its_first_line(store, corpora: Path) -> None:
    path = corpora / DATA / "corpus_brut.txt"
    first = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    with pytest.raises(InputError, match=f"line 1: '{first}' is no header row"):
        ingest(store, path)
