-- A message that names a parent the source lacks (kept in meta.reply_to_native: a Reddit comment whose submission
-- is not in the file) is a reply, even when it comes first in its thread: it opens no thread, and a source whose
-- replies mostly name parents it lacks is not read as a flat forum, where the next message of a thread would
-- count as the answer to the one before (docs/architecture.md, docs/community.md).

-- Thread order (0008), plus `opens_thread`: the thread's first message, unless it is itself a reply (its parent
-- kept, or named but missing from the source). Coding calls it a thread start; a newcomer's first message that
-- opens a thread is a request.
CREATE OR REPLACE VIEW thread_order AS
SELECT message_id, thread_id, member_id, posted_at,
       row_number() OVER w - 1 AS pos,
       lag(message_id) OVER w AS previous_id,
       first_value(member_id) OVER w AS first_member_id,
       (row_number() OVER w = 1 AND reply_to_id IS NULL
        AND json_extract_string(meta, '$.reply_to_native') IS NULL) AS opens_thread
FROM messages
WINDOW w AS (PARTITION BY thread_id ORDER BY posted_at NULLS LAST, record_no NULLS LAST, native_id, message_id);

-- Whether a source records whom each message answers (0012's rule), or whether most of its replies name a parent
-- it lacks: comment exports that give each comment's parent but not the submissions (every comment top-level,
-- its parent missing) are siblings, none the answer to another. Read as a tree, a reply whose parent is missing
-- answers nothing in the store, and its answers are its own children (none when the source keeps no parent).
CREATE OR REPLACE VIEW source_trees AS
SELECT m.source_id,
       (avg(CASE WHEN m.reply_to_id IS NOT NULL OR json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL
                 THEN 1.0 ELSE 0.0 END) >= 0.5
        AND coalesce(bool_or(p.reply_to_id IS NOT NULL
                             OR json_extract_string(p.meta, '$.reply_to_native') IS NOT NULL), false))
       OR avg(CASE WHEN m.reply_to_id IS NULL AND json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL
                   THEN 1.0 ELSE 0.0 END) >= 0.5 AS reply_tree
FROM messages m JOIN thread_order o USING (message_id) LEFT JOIN messages p ON p.message_id = m.reply_to_id
WHERE o.pos > 0
GROUP BY m.source_id;

-- The message each message answers (0008), plus the thread order's `opens_thread` (read by coding's context).
CREATE OR REPLACE VIEW reply_targets AS
WITH r AS (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, o.first_member_id, o.opens_thread,
           m.reply_to_id IS NOT NULL AS explicit,
           CASE WHEN m.reply_to_id IS NOT NULL THEN m.reply_to_id
                WHEN o.pos = 0 OR coalesce(s.reply_tree, false) THEN NULL
                ELSE o.previous_id END AS target_id
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id)
SELECT r.*, t.member_id AS target_member_id,
       (r.target_id IS NOT NULL AND r.member_id IS NOT NULL AND t.member_id IS DISTINCT FROM r.member_id)
           AS reply_to_other
FROM r LEFT JOIN messages t ON t.message_id = r.target_id;

-- Newcomers (0008): `starts_thread` is now `opens_thread`, so a first message that replies to a missing parent
-- is not a request.
CREATE OR REPLACE VIEW newcomers AS
SELECT f.member_id, f.message_id, f.thread_id, f.posted_at, o.opens_thread AS starts_thread
FROM member_firsts f
JOIN thread_order o USING (message_id)
LEFT JOIN members mb ON mb.member_id = f.member_id
WHERE NOT coalesce(mb.registered_at < (SELECT min(posted_at) FROM messages), false);
