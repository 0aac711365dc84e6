"""Messages without a word of their author: the store view ``unreadable_messages`` (migration 0019) is their one
definition; these read it.

A message is unreadable when the text step left it out whole (``text_features.left_out``: a body removed by
moderators or deleted by its author, ``[removed]``, ``[deleted]``; only a quote, a picture or a bot's template,
:mod:`chrysalide.text.prose`), unless coding read it on its thread's title (a thread start whose body was removed
but which has a title keeps that code: store macro ``coded_on_title``, :mod:`chrysalide.coding.context`). Until the
text step has run (no ``text_features`` row), no message is unreadable.

The coder codes such a message 'other' and the stage mix keeps it, saying how many there are
(:func:`chrysalide.coding.shares.removed_bodies`). A member's journey and the passage from asker to helper (view
``decentering``, the journeys frame) leave them out, as they leave out bot accounts (:mod:`chrysalide.store.bots`):
not as content (a removed post is no 'other' step, nor a first message that never asks for help) nor as activity
(a member's first and last message, recency and active periods are those that can be read: after the last one, a
decentering would not be seen; moderators remove spam, which would otherwise count as a member's activity). A member
whose every message is unreadable has no journey and is counted apart (:func:`unreadable_counts`).
"""

from __future__ import annotations

from chrysalide.store.bots import Connected, not_bot

#: What such messages hold, in words for the report and the dashboard (:data:`chrysalide.text.prose.REASONS`).
NO_WORD_OF_THEIRS = (
    "bodies removed by moderators or deleted by their author ('[removed]', '[deleted]'), or only a quote, a picture "
    "or a bot command"
)


def readable(message: str = "m.message_id") -> str:
    """SQL condition: the message in column ``message`` holds words of its author (it is not unreadable)."""
    return f"{message} NOT IN (SELECT message_id FROM unreadable_messages)"


def unreadable_counts(store: Connected) -> dict[str, int]:
    """What the journeys leave out: ``messages_unreadable``, the dated unreadable messages of members (bot accounts
    apart), and ``members_unreadable``, the members with dated messages, every one of them unreadable (they have no
    journey and are not among the decentering's ``members_coded``)."""
    row = store.con.execute(
        f"""
        SELECT count(*) FILTER (unreadable = n), coalesce(sum(unreadable), 0)
        FROM (SELECT m.member_id, count(*) AS n, count(u.message_id) AS unreadable
              FROM messages m LEFT JOIN unreadable_messages u USING (message_id)
              WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL AND {not_bot()}
              GROUP BY m.member_id)
        """
    ).fetchone()
    return {"members_unreadable": int(row[0]) if row else 0, "messages_unreadable": int(row[1]) if row else 0}
