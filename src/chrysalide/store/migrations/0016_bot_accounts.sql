-- Bot accounts (AutoModerator and the like) are programs, not members: they are no newcomers, their messages
-- answer no one, and they have no journey (docs/architecture.md, docs/community.md, docs/journeys.md). The
-- coding step still codes their messages; stage mixes leave them out (chrysalide.store.bots).

-- A bot account: a member whose messages are nearly all signed by a bot ("I am a bot", "this action was
-- performed automatically": the text step marks such a message text_features.left_out = 'bot',
-- chrysalide.text.prose): at least 5 messages read by the text step, 90% of them signed. Its unsigned messages
-- (scheduled announcements) are a bot's too. Until the text step has run, no account is known as a bot.
-- `messages`: its messages read by the text step; `signed`: those signed by a bot.
CREATE VIEW bot_accounts AS
SELECT m.member_id, count(*) AS messages, count(*) FILTER (f.left_out = 'bot') AS signed
FROM messages m JOIN text_features f USING (message_id)
WHERE m.member_id IS NOT NULL
GROUP BY m.member_id
HAVING count(*) >= 5 AND count(*) FILTER (f.left_out = 'bot') >= 0.9 * count(*);

-- Newcomers (0015) other than bot accounts.
CREATE OR REPLACE VIEW newcomers AS
SELECT f.member_id, f.message_id, f.thread_id, f.posted_at, o.opens_thread AS starts_thread
FROM member_firsts f
JOIN thread_order o USING (message_id)
LEFT JOIN members mb ON mb.member_id = f.member_id
WHERE NOT coalesce(mb.registered_at < (SELECT min(posted_at) FROM messages), false)
  AND f.member_id NOT IN (SELECT member_id FROM bot_accounts);

-- The first answer to every message (0012), bot accounts' messages left out on both sides: a bot's welcome or
-- removal notice answers no one (AutoModerator comments first on many Reddit posts, within seconds), and a
-- bot's message is not asked. In a flat thread a bot's message no longer breaks a run of one author's messages.
CREATE OR REPLACE VIEW first_answers AS
WITH o AS MATERIALIZED (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, m.reply_to_id,
           coalesce(s.reply_tree, false) AS tree
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id
    WHERE NOT coalesce(o.member_id IN (SELECT member_id FROM bot_accounts), false)),
runs AS (
    SELECT *, sum(CASE WHEN pos = 0 OR member_id IS DISTINCT FROM before THEN 1 ELSE 0 END)
                  OVER (PARTITION BY thread_id ORDER BY pos) AS author_run
    FROM (SELECT *, lag(member_id) OVER (PARTITION BY thread_id ORDER BY pos) AS before FROM o WHERE NOT tree)),
run_starts AS (
    SELECT thread_id, author_run, arg_min(message_id, pos) AS answer_id, min(pos) AS answer_pos,
           arg_min(posted_at, pos) AS answered_at
    FROM runs GROUP BY thread_id, author_run),
flat AS (
    SELECT r.message_id, s.answer_id, s.answer_pos, s.answered_at
    FROM runs r JOIN run_starts s ON s.thread_id = r.thread_id AND s.author_run = r.author_run + 1),
tree AS (
    SELECT a.message_id, arg_min(x.message_id, x.pos) AS answer_id, min(x.pos) AS answer_pos,
           arg_min(x.posted_at, x.pos) AS answered_at
    FROM o x JOIN o a ON a.message_id = x.reply_to_id
    WHERE a.tree AND x.member_id IS DISTINCT FROM a.member_id
    GROUP BY a.message_id)
SELECT * FROM flat UNION ALL SELECT * FROM tree;

-- Decentering (0012), bot accounts left out: a bot never asks nor helps.
CREATE OR REPLACE VIEW decentering AS
WITH coded AS (
    SELECT m.member_id, m.message_id, m.posted_at, c.primary_code, c.decentered,
           row_number() OVER (PARTITION BY m.member_id
                              ORDER BY m.posted_at, m.record_no NULLS LAST, m.native_id, m.message_id) AS k
    FROM messages m JOIN current_codes c USING (message_id)
    WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL
      AND m.member_id NOT IN (SELECT member_id FROM bot_accounts)),
entries AS (
    SELECT member_id, arg_min(primary_code, k) AS first_code,
           min(k) FILTER (WHERE primary_code = 'individual') AS request_k
    FROM coded GROUP BY member_id),
risk AS (
    SELECT member_id, first_code, first_code = 'collaborative' AS arrived_helping,
           CASE WHEN first_code = 'collaborative' THEN NULL WHEN request_k IS NOT NULL THEN 'request'
                ELSE 'first_message' END AS entry,
           CASE WHEN first_code = 'collaborative' THEN NULL ELSE coalesce(request_k, 1) END AS entry_k
    FROM entries),
last AS (
    SELECT member_id, max(posted_at) AS last_at FROM messages
    WHERE member_id IS NOT NULL AND posted_at IS NOT NULL GROUP BY member_id)
SELECT r.member_id, r.first_code, r.arrived_helping, r.entry,
       any_value(c.message_id) FILTER (WHERE c.k = r.entry_k) AS entry_message_id,
       any_value(c.posted_at) FILTER (WHERE c.k = r.entry_k) AS at_risk_since,
       arg_min(c.message_id, c.k) FILTER (WHERE c.decentered AND c.k > r.entry_k) AS decentered_message_id,
       min(c.posted_at) FILTER (WHERE c.decentered AND c.k > r.entry_k) AS decentered_at,
       epoch(min(c.posted_at) FILTER (WHERE c.decentered AND c.k > r.entry_k)
             - any_value(c.posted_at) FILTER (WHERE c.k = r.entry_k)) / 86400.0 AS days_to_decentered,
       coalesce(bool_or(c.decentered AND c.k < r.entry_k), false) AS decentered_before_entry,
       any_value(l.last_at) AS last_at
FROM risk r JOIN coded c USING (member_id) JOIN last l USING (member_id)
GROUP BY r.member_id, r.first_code, r.arrived_helping, r.entry;
