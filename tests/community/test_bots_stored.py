"""The stored bot accounts (migration 0027) follow their rule, the view ``bot_rule``, whoever changed what it reads.

A bot account (chrysalide.store.bots): at least 5 messages read by the text step, 90% of them signed by a bot
(``text_features.left_out = 'bot'``). Expected values by hand: member 9 posts 5 signed messages, members 1 and 2
post 1 and 2 unsigned ones; only 9 is a bot, with its 5 messages.
"""

from __future__ import annotations

from forum_builder import Forum  # type: ignore[import-not-found]

from chrysalide.community import community
from chrysalide.ingest import ingest
from chrysalide.store import Store, bots, migrate
from chrysalide.store.bots import bot_accounts, bot_counts
from chrysalide.store.guard import expected_tables
from chrysalide.text import process

A, B, BOT = 1, 2, 9


def _forum(store: Store) -> Store:
    f = Forum(store, "flat")
    for member in (A, B, BOT):
        f.member(member)
    for thread in (1, 2, 3, 4, 5):
        f.thread(thread)
    f.post(A, 1, "2021-01-01 10:00", code="individual")
    for thread in (1, 2, 3, 4, 5):
        f.post(BOT, thread, f"2021-01-0{thread} 09:00", code="community", left_out="bot")
    f.post(B, 1, "2021-01-01 12:00", code="collaborative")
    f.post(B, 2, "2021-01-02 10:00", code="collaborative")
    return f.save()


def _rule(store: Store) -> list[tuple[int, int, int, int]]:
    return store.con.execute("SELECT * FROM bot_rule ORDER BY 1").fetchall()


def test_the_table_holds_the_rules_rows(store):
    _forum(store)
    assert store.con.execute("SELECT * FROM bot_accounts ORDER BY 1").fetchall() == [(BOT, 5, 5, 0)]
    assert store.con.execute("SELECT * FROM bot_accounts ORDER BY 1").fetchall() == _rule(store)
    assert bot_counts(store) == {"bot_accounts": 1, "bot_messages": 5}


def test_it_is_computed_again_only_when_what_the_rule_reads_changed(store):
    _forum(store)
    assert bots.refresh(store) is False  # nothing changed since the forum was written
    # Two of the bot's messages lose their text features (as when an import scrubs them again): 3 read, too few.
    store.con.execute(
        "DELETE FROM text_features WHERE message_id IN"
        " (SELECT message_id FROM messages WHERE member_id = ? ORDER BY message_id LIMIT 2)",
        [BOT],
    )
    assert bot_accounts(store) == [BOT]  # stale until it is computed again
    assert bots.refresh(store) is True
    assert bot_accounts(store) == [] == _rule(store)


def test_a_step_reads_the_bots_as_the_data_stands_when_it_runs(store):
    _forum(store)
    assert community(store).summary["newcomers"] == 2  # A and B: the bot is none
    # Written outside any step or import: two of the bot's last messages lose their text features (3 read).
    store.con.execute(
        "DELETE FROM text_features WHERE message_id IN"
        " (SELECT message_id FROM messages WHERE member_id = ? ORDER BY message_id DESC LIMIT 2)",
        [BOT],
    )
    assert community(store).summary["newcomers"] == 3


def test_the_text_step_and_an_import_leave_the_table_current(store, tmp_path):
    lines = [f'{{"id": "b{i}", "thread_id": "t{i}", "author": "helper_bot", "text": "Your post was removed.'
             f' I am a bot, and this action was performed automatically.", "date": "2021-01-0{i + 1}"}}'
             for i in range(5)]  # fmt: skip
    lines.append('{"id": "m1", "thread_id": "t0", "author": "ann", "text": "Thank you all", "date": "2021-01-02"}')
    source = tmp_path / "forum.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(store, source)
    assert bot_accounts(store) == []  # no message read by the text step yet
    process(store)
    (bot,) = bot_accounts(store)
    assert store.con.execute("SELECT * FROM bot_accounts").fetchall() == [(bot, 5, 5, 0)] == _rule(store)


def test_a_store_of_the_schema_before_keeps_its_bots_in_the_table(older_schema):
    con = older_schema(27)
    con.execute("INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, text, content_hash)"
                " SELECT i, 's', i::VARCHAR, i, 7, 'x', 'h' FROM range(5) t(i)")  # fmt: skip
    con.execute("INSERT INTO text_features (message_id, run_id, lang, n_tokens, first_singular, first_plural,"
                " second_informal, second_formal, own_health, left_out)"
                " SELECT i, 1, 'en', 1, 0, 0, 0, 0, false, 'bot' FROM range(5) t(i)")  # fmt: skip
    assert con.execute("SELECT member_id FROM bot_accounts").fetchall() == [(7,)]  # the view of 0024
    assert migrate(con)[0] == "bot_accounts_stored"  # then the migrations after it
    assert con.execute("SELECT * FROM bot_accounts").fetchall() == [(7, 5, 5, 0)]
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"bot_accounts", "bot_rule", "stored_states"} <= expected_tables(frozenset(range(28))) <= names
