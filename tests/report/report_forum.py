"""A tiny forum for the report tests: CSV rows, hand-made codes, consent and one alert, hostile strings."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from chrysalide.store import Store, utcnow

HOSTILE_TITLE = "<script>alert('title')</script>"
HOSTILE_BOARD = "<img src=x onerror=alert('board')>"
# Angle brackets that are no HTML tag survive ingest (a tag, even escaped by the export, is markup and goes):
# the report must escape them.
QUOTABLE_TEXT = "Courage <3 à toi, prends soin de toi <svg onload=alert('quote')>"
SECRET_TEXT = "Texte privé d'un membre sans consentement, jamais cité"
AUTHORS = ["Alice Martin", "Bruno", "Chloé", "Denis", "Emma"]
STAGES = ["individual", "community", "collaborative", "societal"]
# The lexical run of the tiny forum: its messages are one template with a number, boilerplate by the lexical
# step's rule (docs/lexical.md), so that rule is off here.
LEXICAL = {"k": 3, "min_docfreq": 2, "boilerplate": 0}


def rows() -> list[dict[str, str]]:
    """Five threads over ten months, each started by one member and answered by the others."""
    rows, n = [], 0
    start = datetime(2017, 1, 2, 9, 0)
    for t in range(5):
        for k in range(6):
            n += 1
            author = AUTHORS[(t + k) % len(AUTHORS)]
            text = f"Message {n} sur la thyroïde, nodule et traitement, merci pour le forum, courage."
            if n == 8:
                text = QUOTABLE_TEXT
            if n == 9:
                text = SECRET_TEXT
            # Markup escaped as forum exports escape what members type: ingest decodes it back.
            rows.append({
                "message_id": str(n), "thread_id": f"t{t}", "author": author,
                "posted_at": (start + timedelta(days=60 * t + k, hours=k)).isoformat(), "text": escape(text, False),
                "reply_to": "", "title": escape(HOSTILE_TITLE, False) if t == 0 and k == 0 else ("Sujet" if k == 0 else ""),
                "board": HOSTILE_BOARD if t < 2 else "Nodules", "author_role": "member", "lang": "fr",
            })  # fmt: skip
    return rows


def code(store: Store) -> None:
    ids = [r[0] for r in store.con.execute("SELECT message_id FROM messages ORDER BY posted_at").fetchall()]
    with store.run("code", "test-codes", {}) as run:
        for i, message_id in enumerate(ids):
            stage = STAGES[min(3, i * 4 // len(ids) + (i % 2))]
            store.con.execute(
                "INSERT INTO codes VALUES (?, ?, ?, [], ?, NULL, NULL, NULL, NULL, NULL, 0.8, 'lexicon', 'test', ?, NULL, NULL, NULL, NULL, NULL)",
                [run.run_id, message_id, stage, stage == "collaborative", utcnow()],
            )


def consent(store: Store) -> tuple[int, int]:
    """Message 8's author may be quoted; message 9's author has no consent row."""
    quotable = store.con.execute("SELECT member_id FROM messages WHERE native_id = '8'").fetchone()[0]
    other = store.con.execute("SELECT member_id FROM messages WHERE native_id = '9'").fetchone()[0]
    assert quotable != other
    store.con.execute("INSERT INTO consent VALUES (?, 'granted', DATE '2018-01-01', 'quote')", [quotable])
    return quotable, other


def alert(store: Store) -> None:
    samples = [r[0] for r in store.con.execute(
        "SELECT message_id FROM messages WHERE native_id IN ('8', '9') ORDER BY native_id").fetchall()]  # fmt: skip
    with store.run("alerts", "test-alerts", {}) as run:
        store.con.execute(
            "INSERT INTO alerts VALUES (?, 1, 'volume', 'messages', 'kleinberg-poisson', DATE '2017-01-02',"
            " DATE '2017-01-02', DATE '2017-01-15', 2, 12, 3.0, 4.0, 5.5, ['thyroïde', '<script>'], ?)",
            [run.run_id, samples],
        )
