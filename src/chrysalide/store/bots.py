"""Bot accounts: the store view ``bot_accounts`` (migration 0016) is their one definition; these read it.

A bot account is a member whose messages are nearly all signed by a bot (the text step marks a message
``text_features.left_out = 'bot'`` when it carries a bot's signature, :mod:`chrysalide.text.prose`): at least 5
messages read by the text step, 90% of them signed. Its unsigned messages (AutoModerator's scheduled
announcements) are a bot's too. A program that signs nothing but posts one long text again and again is one too
(migration 0024): at least 5 messages read, 90% of them one same text of at least 20 words holding words of its
author (r/mentalhealth's hotlinehelpbot, 11 times the same list of suicide hotlines). Until the text step has
run, no account is known as a bot.

Bots are no members: newcomers, first answers and decentering (store views) leave them out, and so do the
journeys, the reply network and every stage mix. The coding step still codes their messages (a code is kept per
message, and an account is only known as a bot once the text step has read enough of its messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from chrysalide.store.db import Store


class Connected(Protocol):
    """What :func:`bot_counts` reads through: a store, or the dashboard's read-only view of one."""

    @property
    def con(self) -> Any: ...


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
