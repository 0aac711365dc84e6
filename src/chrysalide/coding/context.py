"""Structural context of each stored message, computed in SQL: the coders' ``kind`` and context flags.

- ``kind``: ``thread_start`` for the first message of its thread (posted_at, then file order), else ``reply``.
- ``is_first_post``: the member's first message in the store (their arrival, CODEBOOK.md: "typical of a
  member's first messages").
- ``reply_to_other``: a reply whose target (the replied message's author, else the thread starter) is
  another member.
- ``own_thread``: the message is in a thread the author started.
- ``text``: the author's own words; a thread start whose body was removed is coded on its title
  (CODEBOOK.md, conventions).
"""

from __future__ import annotations

CONTEXT_SQL = """
SELECT o.message_id, o.native_id AS uid,
    CASE WHEN o.pos = 0 AND (length(trim(o.text)) < 3 OR lower(trim(o.text)) IN ('[removed]', '[deleted]'))
         THEN coalesce(o.title, t.title, o.text) ELSE o.text END AS text,
    o.lang,
    CASE WHEN o.pos = 0 THEN 'thread_start' ELSE 'reply' END AS kind,
    (o.member_id IS NOT NULL AND o.member_pos = 0) AS is_first_post,
    (o.pos > 0 AND o.member_id IS NOT NULL
        AND coalesce(r.member_id, t.starter_id, o.first_member) IS DISTINCT FROM o.member_id) AS reply_to_other,
    (o.member_id IS NOT NULL AND coalesce(t.starter_id, o.first_member) = o.member_id) AS own_thread
FROM (
    SELECT m.*,
        row_number() OVER (PARTITION BY m.thread_id
            ORDER BY m.posted_at NULLS LAST, m.record_no NULLS LAST, m.message_id) - 1 AS pos,
        row_number() OVER (PARTITION BY m.member_id
            ORDER BY m.posted_at NULLS LAST, m.record_no NULLS LAST, m.message_id) - 1 AS member_pos,
        first_value(m.member_id) OVER (PARTITION BY m.thread_id
            ORDER BY m.posted_at NULLS LAST, m.record_no NULLS LAST, m.message_id) AS first_member
    FROM messages m
) o
LEFT JOIN threads t ON t.thread_id = o.thread_id
LEFT JOIN messages r ON r.message_id = o.reply_to_id
"""
