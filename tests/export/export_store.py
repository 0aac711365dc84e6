"""Builds a small coded store built by inserting rows: two threads, four members, one guest message."""

from __future__ import annotations

from datetime import date, datetime

from chrysalide.privacy.keys import store_key
from chrysalide.store import Store

MEMBERS = [
    (1, "M-aaaa000001", "member"),  # granted / quote
    (2, "M-bbbb000002", "moderator"),  # granted / analyse
    (3, "M-cccc000003", "member"),  # no consent row
    (4, "M-dddd000004", "member"),  # refused -> excluded
]
# (message_id, thread_id, member_id, position, text)
MESSAGES = [
    (101, 10, 1, 0, "Bonjour à tous,\r\nje viens d'être diagnostiquée. Écrivez-moi à anne@example.org 🙂"),
    (102, 10, 2, 1, "Bienvenue ! Tu n'es pas seule.\nOn est là."),
    (103, 10, 3, 2, "Moi aussi j'ai eu un nodule, courage <script>alert(1)</script> & co"),
    (104, 10, 4, 3, "Texte d'un membre qui a refusé."),
    (105, 20, 1, 0, "Merci pour vos réponses *** vraiment\n**** pas une nouvelle ligne IRaMuTeQ"),
    (106, 20, None, 1, "Message d'un invité, appelez le 06 12 34 56 78."),
    (107, 20, 2, 2, "Nous devrions écrire à l'ARS ensemble."),
]
CODES = {
    101: ("individual", [], False, 0.9, "lexicon", "lexicon/1.0"),
    102: ("community", ["collaborative"], True, 0.7, "model", "stage-clf/2"),
    103: ("collaborative", [], True, None, "human", "reviewer-a"),
    104: ("individual", [], False, 0.5, "lexicon", "lexicon/1.0"),
    105: ("community", [], False, 0.6, "lexicon", "lexicon/1.0"),
    107: ("societal", ["community"], True, 0.8, "model", "stage-clf/2"),
}


def fill(store: Store) -> Store:
    store_key(store)  # the key is created with the database, before any member (consent import needs it)
    con = store.con
    con.execute("INSERT INTO sources VALUES ('forum', 'csv', '/tmp/forum.csv', now()::TIMESTAMP, NULL, true)")
    for member_id, pseudonym, role in MEMBERS:
        con.execute(
            "INSERT INTO members VALUES (?, 'forum', ?, ?, ?, NULL)",
            [member_id, pseudonym, datetime(2015, 1, member_id), role],
        )
    con.execute(
        "INSERT INTO threads VALUES (10, 'forum', 't10', 'thyroide', 'Nouvelle ici', ?, 1),"
        " (20, 'forum', 't20', 'vie quotidienne', 'Merci', ?, 1)",
        [datetime(2017, 3, 1), datetime(2018, 5, 2)],
    )
    for message_id, thread_id, member_id, pos, text in MESSAGES:
        posted = datetime(2017 if thread_id == 10 else 2018, 3, 1, 10, pos)
        meta = '{"author_status": "guest"}' if member_id is None else None  # as the import records a guest
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,"
            " position_in_thread, text, quoted_text, title, lang, record_no, content_hash, meta)"
            " VALUES (?, 'forum', ?, ?, ?, NULL, ?, ?, ?, NULL, NULL, 'fr', ?, 'h', ?)",
            [message_id, f"p{message_id}", thread_id, member_id, posted, pos, text, message_id, meta],
        )
    run_of = {
        origin: con.execute(
            "INSERT INTO runs (stage, component, version, started_at, status)"
            " VALUES ('code', ?, '0', now()::TIMESTAMP, 'ok') RETURNING run_id",
            [origin],
        ).fetchone()[0]
        for origin in ("lexicon", "model", "human")
    }
    for message_id, (code, secondary, dec, conf, origin, coder) in CODES.items():
        con.execute(
            "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, confidence,"
            " origin, coder, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_of[origin], message_id, code, secondary, dec, conf, origin, coder, datetime(2024, 1, 2, 3, 4)],
        )
    con.executemany(
        "INSERT INTO consent VALUES (?, ?, ?, ?)",
        [[1, "granted", date(2024, 1, 1), "quote"], [2, "granted", date(2024, 1, 1), "analyse"],
         [4, "refused", date(2024, 1, 1), "quote"]],
    )  # fmt: skip
    return store
