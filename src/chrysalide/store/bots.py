"""Bot accounts: the store view ``bot_rule`` (migrations 0016, 0024) is their one definition, and the table
``bot_accounts`` its rows as of the last change to what it reads (migration 0027: :func:`refresh`); these read it.

A bot account is a member whose messages are nearly all signed by a bot (the text step marks a message
``text_features.left_out = 'bot'`` when it carries a bot's signature, :mod:`chrysalide.text.prose`): at least 5
messages read by the text step, 90% of them signed. Its unsigned messages (AutoModerator's scheduled
announcements) are a bot's too. A program that signs nothing but posts one long text again and again is one too
(migration 0024): at least 5 messages read, 90% of them one same text of at least 20 words holding words of its
author (r/mentalhealth's hotlinehelpbot, 11 times the same list of suicide hotlines). Until the text step has
run, no account is known as a bot.

The rule groups every member's long texts: computed at each reading, as the views of newcomers, first answers,
arrivals and decentering and every stage mix read it, it cost about 0.3 s a reading at the study's size. The
table is computed again whenever messages or their text features have changed since (their fingerprint,
:func:`chrysalide.store.state.input_state`, kept in ``stored_states``): before every step
(:func:`chrysalide.store.step.run_step`: whoever wrote the data), at the end of the text step, which writes text
features, and at every import, each time inside the transaction that writes.

Bots are no members: newcomers, first answers and decentering (store views) leave them out, and so do the
journeys, the reply network and every stage mix. The coding step still codes their messages (a code is kept per
message, and an account is only known as a bot once the text step has read enough of its messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from chrysalide.store.state import input_state

if TYPE_CHECKING:
    from chrysalide.store.db import Store


class Connected(Protocol):
    """What :func:`bot_counts` reads through: a store, or the dashboard's read-only view of one."""

    @property
    def con(self) -> Any: ...


#: What the rule ``bot_rule`` reads: the stored ``bot_accounts`` are computed again when these change.
READS = ("messages", "text_features")


def refresh(store: Store) -> bool:
    """Compute the table ``bot_accounts`` again from its rule when what the rule reads has changed since it last
    was (module docstring); return whether it was. Runs in the caller's transaction."""
    state = input_state(store, READS)
    row = store.con.execute("SELECT state FROM stored_states WHERE name = 'bot_accounts'").fetchone()
    if row is not None and row[0] == state:
        return False
    store.con.execute("DELETE FROM bot_accounts")
    store.con.execute("INSERT INTO bot_accounts SELECT * FROM bot_rule")
    store.con.execute("INSERT OR REPLACE INTO stored_states VALUES ('bot_accounts', ?)", [state])
    return True


def not_bot(member: str = "m.member_id") -> str:
    """SQL condition: the author in column ``member`` is not a bot account (guests and deleted accounts are not)."""
    return f"NOT coalesce({member} IN (SELECT member_id FROM bot_accounts), false)"


def bot_accounts(store: Store) -> list[int]:
    """The member ids of the bot accounts, in order."""
    return [int(m) for (m,) in store.con.execute("SELECT member_id FROM bot_accounts ORDER BY 1").fetchall()]


def bot_counts(store: Connected) -> dict[str, int]:
    """How many bot accounts there are and how many messages they wrote (``bot_accounts``, ``bot_messages``): what a
    step's summary, the report and the dashboard say they left out."""
    row = store.con.execute(
        "SELECT count(DISTINCT member_id), count(*) FROM messages WHERE member_id IN (SELECT member_id FROM bot_accounts)"
    ).fetchone()
    return {"bot_accounts": int(row[0]) if row else 0, "bot_messages": int(row[1]) if row else 0}
