"""A message's source form (its text before markup was cleaned) loses every name its text lost.

Regression: in patient.info's HTML a greeting stands after ``<p>``, so the name rules, which read a name's position,
replaced "Hi <name>," in the cleaned text and not in the stored source form (12 of the 241 source forms of its
store). All names below are invented.
"""

from __future__ import annotations

import json
from pathlib import Path

from chrysalide.ingest import ingest
from chrysalide.privacy.sources import follow, replacements
from chrysalide.store import Store

BOARD = "https://patient.info/forums/discuss/browse/scleritis-and-episcleritis-2084/"


def test_replacements_are_the_runs_of_words_scrubbing_replaced():
    before = "Hi Jorinde, pacing helped. Thanks, Jorinde Brenner. Mail jo@example.org"
    after = "Hi M-0123456789, pacing helped. Thanks, M-0123456789. Mail [email]"
    assert replacements(before, after) == [
        ("Jorinde Brenner", "M-0123456789"), ("jo@example.org", "[email]"), ("Jorinde", "M-0123456789"),
    ]  # fmt: skip
    assert replacements(before, before) == []


def test_follow_replaces_them_in_the_source_form_as_written_or_escaped():
    before, after = "Hi O'Hara, see you", "Hi M-0123456789, see you"
    assert follow("<p>Hi O&#39;Hara,</p><p>see you</p>", before, after) == "<p>Hi M-0123456789,</p><p>see you</p>"
    # whole words only: a longer word holding the name stays
    assert follow("<b>Hara</b> Harald", "Hara", "M-0123456789") == "<b>M-0123456789</b> Harald"


def _forum(tmp_path: Path) -> Path:
    thread = {
        "title": "Red eye again", "user": "Jorinde", "date posted": "2020-02-22T02:55+00:00",
        "post": "<p>Third episode this year, any advice?</p>", "url": "https://patient.info/forums/discuss/red-eye-200",
        "replies": [
            {"user": "piano dreamer", "date posted": "2020-02-22T04:00+00:00",
             "post": "<p>Hi Annegret, Mine lasted six months. Ask about drops.</p>", "replies": [
                 {"user": "Jorinde", "date posted": "2020-02-22T05:00+00:00",
                  "post": "<p>Hi piano dreamer,</p><p></p><p>Thank you, it helps.</p>"}]},
        ],
    }  # fmt: skip
    path = tmp_path / "forum.json"
    path.write_text(json.dumps({BOARD: [thread]}), encoding="utf-8")
    return path


def test_an_imported_source_form_keeps_no_name_its_text_lost(store: Store, tmp_path: Path) -> None:
    ingest(store, _forum(tmp_path), format="patientinfo")
    rows = store.con.execute(
        "SELECT m.text, s.source_text FROM messages m JOIN message_sources s USING (message_id)"
    ).fetchall()
    assert len(rows) == 3
    for text, source in rows:
        for name in ("Jorinde", "piano dreamer", "Annegret"):
            assert name not in text
            assert name.casefold() not in source.casefold(), source
