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

# The windows sort the narrow columns they need, joined back to the messages afterwards, rather than whole rows
# with their text (5 million messages: 7.6 -> 5.9 s; DuckDB still needs about 3 GB for this query there).
CONTEXT_SQL = """
SELECT m.message_id, m.native_id AS uid,
    CASE WHEN o.pos = 0 AND (length(trim(m.text)) < 3 OR lower(trim(m.text)) IN ('[removed]', '[deleted]'))
         THEN coalesce(m.title, t.title, m.text) ELSE m.text END AS text,
    m.lang,
    CASE WHEN o.pos = 0 THEN 'thread_start' ELSE 'reply' END AS kind,
    (m.member_id IS NOT NULL AND o.member_pos = 0) AS is_first_post,
    (o.pos > 0 AND m.member_id IS NOT NULL
        AND coalesce(r.member_id, t.starter_id, o.first_member) IS DISTINCT FROM m.member_id) AS reply_to_other,
    (m.member_id IS NOT NULL AND coalesce(t.starter_id, o.first_member) = m.member_id) AS own_thread
FROM messages m
JOIN (
    SELECT message_id,
        row_number() OVER (PARTITION BY thread_id
            ORDER BY posted_at NULLS LAST, record_no NULLS LAST, message_id) - 1 AS pos,
        row_number() OVER (PARTITION BY member_id
            ORDER BY posted_at NULLS LAST, record_no NULLS LAST, message_id) - 1 AS member_pos,
        first_value(member_id) OVER (PARTITION BY thread_id
            ORDER BY posted_at NULLS LAST, record_no NULLS LAST, message_id) AS first_member
    FROM messages
) o USING (message_id)
LEFT JOIN threads t ON t.thread_id = m.thread_id
LEFT JOIN messages r ON r.message_id = m.reply_to_id
"""
