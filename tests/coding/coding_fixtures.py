"""A tiny forum for the coding tests: three threads, three members, six messages (French)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from chrysalide.ingest import ingest
from chrysalide.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "coding"


def regression_store(folder: Path) -> Store:
    """A store in ``folder`` holding the 215 messages of the regression forum, under its pinned key."""
    folder.mkdir()
    shutil.copyfile(DATA / "regression.key", folder / "s.key")
    store = Store(folder / "s.duckdb")
    ingest(store, DATA / "regression_forum.jsonl")
    return store


T0 = datetime(2021, 1, 1)
# (message_id, thread, member, reply_to, minutes, text): thread 1 started by member 1, thread 2 by member 2.
ROWS = [
    (1, 1, 1, None, 0, "Bonjour, on m'a diagnostiqué un nodule. Quelqu'un peut m'aider ? J'ai peur."),
    (2, 1, 2, 1, 5, "Ne t'inquiète pas, tu devrais demander une échographie. Courage, prends soin de toi !"),
    (3, 1, 1, 2, 9, "Merci beaucoup à toutes, je me sens moins seule grâce à ce forum !"),
    (4, 2, 2, None, 20, "Signez la pétition contre la nouvelle formule, le laboratoire et l'ANSM nous ignorent."),
    (5, 2, 1, 4, 30, "Merci pour l'info, pétition signée !"),
    (6, 3, 3, None, 40, "[removed]"),
]


def fill(store: Store) -> None:
    con = store.con
    con.execute("INSERT INTO sources VALUES ('s', 'test', 'mem', ?, NULL, false)", [T0])
    for member in (1, 2, 3):
        con.execute("INSERT INTO members (member_id, source_id, pseudonym) VALUES (?, 's', ?)", [member, f"p{member}"])
    for thread, starter, title in ((1, 1, "Nodule"), (2, 2, "Levothyrox"), (3, 3, "Pétition pour le remboursement")):
        con.execute("INSERT INTO threads (thread_id, source_id, native_id, title, starter_id) VALUES (?, 's', ?, ?, ?)",
                    [thread, f"t{thread}", title, starter])  # fmt: skip
    for mid, thread, member, reply, minutes, text in ROWS:
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,"
            " text, lang, content_hash) VALUES (?, 's', ?, ?, ?, ?, ?, ?, 'fr', 'h')",
            [mid, f"n{mid}", thread, member, reply, T0 + timedelta(minutes=minutes), text],
        )
