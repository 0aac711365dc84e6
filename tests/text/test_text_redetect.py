"""The text step detects again the languages it detected, never one its source gave (migration 0020), and a
message too thin to tell takes its source's dominant language."""

from chrysalide.store import migrate
from chrysalide.text import process

ENGLISH = "Thanks, we are all in this together and I hope you feel better soon."
THIN = "Any updates OP? still feeling tired"  # en 1 (op), nl 1 (op): undetermined alone


def insert(store, rows):
    for message_id, source_id, text, lang in rows:
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash)"
            " VALUES (?, ?, ?, 1, ?, ?, 'hash')",
            [message_id, source_id, str(message_id), text, lang],
        )


def languages(store):
    rows = store.con.execute("SELECT message_id, lang, lang_detected FROM messages ORDER BY 1").fetchall()
    return {message_id: (lang, detected) for message_id, lang, detected in rows}


def terms(store, message_id):
    return store.con.execute("SELECT terms FROM segments WHERE message_id = ?", [message_id]).fetchone()[0]


def test_thin_message_takes_its_source_language(store):
    insert(store, [(1, "forum", ENGLISH, None), (2, "forum", ENGLISH, None), (3, "forum", THIN, None),
                   (4, "other", THIN, None)])  # fmt: skip
    process(store)
    # "other" holds only the thin message: no told language, no context, undetermined
    assert languages(store) == {1: ("en", True), 2: ("en", True), 3: ("en", True), 4: ("und", True)}


def test_refresh_detects_again_what_the_step_detected_and_never_what_the_source_gave(store):
    insert(store, [(1, "forum", ENGLISH, None), (2, "forum", ENGLISH, None), (3, "forum", THIN, "nl"),
                   (4, "forum", THIN, "nl")])  # fmt: skip
    process(store)
    # Given Dutch, the message is read in Dutch, which lists no tool word: "any" is a term
    assert terms(store, 3) == terms(store, 4) == "any update op still feeling tired"
    # Message 3's Dutch now stands for what an older rule of the step detected (migration 0020 marks it so)
    store.con.execute("UPDATE messages SET lang_detected = true WHERE message_id = 3")
    result = process(store, refresh=True)
    assert result.summary["lang_changed"] == 1 and result.summary["lang_filled"] == 0
    assert languages(store) == {1: ("en", True), 2: ("en", True), 3: ("en", True), 4: ("nl", False)}
    # the same run read it in English: "any" is an English tool word
    assert terms(store, 3) == "update op still feeling tired"
    assert terms(store, 4) == "any update op still feeling tired"
    feature = store.con.execute("SELECT lang FROM text_features WHERE message_id = 3").fetchone()
    assert feature == ("en",)


def _older_store(con, filled):
    """``con``: a database with every migration before 0020 applied."""
    for message_id, lang in ((1, "en"), (2, "nl"), (3, None)):
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash)"
            " VALUES (?, 's', ?, 1, 'text', ?, 'h')",
            [message_id, str(message_id), lang],
        )
    for n in filled:  # two text runs, the second a refresh that filled nothing
        con.execute(
            "INSERT INTO runs (stage, component, version, started_at, status, summary)"
            " VALUES ('text', 'c', 'v', now()::TIMESTAMP, 'ok', ?)",
            [f'{{"lang_filled": {n}}}'],
        )
    migrate(con)
    return dict(con.execute("SELECT message_id, lang_detected FROM messages ORDER BY 1").fetchall())


def test_migration_marks_detected_languages_when_the_runs_filled_them_all(older_schema):
    # Two languages stored, and the text runs filled two: the source gave none
    assert _older_store(older_schema(20), [2, 0]) == {1: True, 2: True, 3: False}
    # They filled one: one of the two came from the source, and which one is unknown: both are kept as given
    assert _older_store(older_schema(20), [1, 0]) == {1: False, 2: False, 3: False}
    assert _older_store(older_schema(20), []) == {1: False, 2: False, 3: False}
