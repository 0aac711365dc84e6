-- Shared definitions: thread order, reply target, reply to another member, newcomer and first answer are
-- defined here once, as views every step reads (coding, journeys, community, network, report, dashboard,
-- exports). docs/architecture.md explains each one.

-- Thread order: by date (undated last), then position in the source file, then the source's own id, then our
-- id (the last two only break ties between records of different files). `pos` is 0-based; `previous_id` is
-- the message just before in the thread; `first_member_id` the author of the thread's first message.
CREATE VIEW thread_order AS
SELECT message_id, thread_id, member_id, posted_at,
       row_number() OVER w - 1 AS pos,
       lag(message_id) OVER w AS previous_id,
       first_value(member_id) OVER w AS first_member_id
FROM messages
WINDOW w AS (PARTITION BY thread_id ORDER BY posted_at NULLS LAST, record_no NULLS LAST, native_id, message_id);

-- Whether a source records whom each message answers (a reply tree: Reddit dumps and histories, patient.info,
-- ConvoKit, a table with a reply_to column): most of its replies carry a parent, kept (reply_to_id) or
-- recorded as missing (meta.reply_to_native). Flat forums record a parent only for the posts that quote
-- another (phpBB), exports without parents none (Reddit comment CSVs that give only the submission).
CREATE VIEW source_trees AS
SELECT m.source_id,
       avg(CASE WHEN m.reply_to_id IS NOT NULL OR json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL
                THEN 1.0 ELSE 0.0 END) >= 0.5 AS reply_tree
FROM messages m JOIN thread_order o USING (message_id)
WHERE o.pos > 0
GROUP BY m.source_id;

-- The message each message answers: its parent where the source says (reply_to_id); otherwise, in a flat
-- source, the previous message of the thread; a thread's first message answers nothing, and neither does a
-- reply whose parent the tree source lost. `reply_to_other`: the author is a member and the target was written
-- by someone else (another member, a guest or a deleted account: anyone but the author).
CREATE VIEW reply_targets AS
WITH r AS (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, o.first_member_id,
           m.reply_to_id IS NOT NULL AS explicit,
           CASE WHEN m.reply_to_id IS NOT NULL THEN m.reply_to_id
                WHEN o.pos = 0 OR coalesce(s.reply_tree, false) THEN NULL
                ELSE o.previous_id END AS target_id
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id)
SELECT r.*, t.member_id AS target_member_id,
       (r.target_id IS NOT NULL AND r.member_id IS NOT NULL AND t.member_id IS DISTINCT FROM r.member_id)
           AS reply_to_other
FROM r LEFT JOIN messages t ON t.message_id = r.target_id;

-- Each member's first message: by date (undated last), then file order.
CREATE VIEW member_firsts AS
SELECT member_id, message_id, thread_id, posted_at FROM (
    SELECT member_id, message_id, thread_id, posted_at,
           row_number() OVER (PARTITION BY member_id
                              ORDER BY posted_at NULLS LAST, record_no NULLS LAST, native_id, message_id) AS k
    FROM messages WHERE member_id IS NOT NULL)
WHERE k = 1;

-- A newcomer is a member whose first message is in the corpus: every member who posts, except those whose
-- known registration date is before the corpus' first message (already there when it starts).
-- `starts_thread`: their first message opens a thread (the study's "requests").
CREATE VIEW newcomers AS
SELECT f.member_id, f.message_id, f.thread_id, f.posted_at, o.pos = 0 AS starts_thread
FROM member_firsts f
JOIN thread_order o USING (message_id)
LEFT JOIN members mb ON mb.member_id = f.member_id
WHERE NOT coalesce(mb.registered_at < (SELECT min(posted_at) FROM messages), false);

-- The first answer to each thread's first message and to each newcomer's first message: where the source has a
-- reply tree, its first child written by someone else; otherwise the first later message of the thread written
-- by someone else (guests and deleted accounts count as someone else when the asker is a member). One row per
-- asked message that got an answer; `answered_at` is NULL when the answer is undated.
CREATE VIEW first_answers AS
WITH asked AS (
    SELECT q.message_id, q.thread_id, q.member_id, q.posted_at, q.pos, coalesce(s.reply_tree, false) AS tree
    FROM thread_order q JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id
    WHERE q.pos = 0 OR q.message_id IN (SELECT message_id FROM newcomers)),
candidates AS (
    SELECT a.message_id, x.message_id AS answer_id, x.posted_at, x.pos
    FROM asked a JOIN reply_targets x ON a.tree AND x.target_id = a.message_id
    WHERE x.member_id IS DISTINCT FROM a.member_id
    UNION ALL
    SELECT a.message_id, x.message_id AS answer_id, x.posted_at, x.pos
    FROM asked a JOIN thread_order x ON NOT a.tree AND x.thread_id = a.thread_id AND x.pos > a.pos
    WHERE x.member_id IS DISTINCT FROM a.member_id)
SELECT message_id, arg_min(answer_id, pos) AS answer_id, min(pos) AS answer_pos,
       arg_min(posted_at, pos) AS answered_at
FROM candidates GROUP BY message_id;
