-- Messages that hold no word of their author are not read as a member's step (docs/journeys.md,
-- docs/architecture.md): a Reddit body removed by moderators or deleted by its author ('[removed]',
-- '[deleted]'), a message that only quotes another, only a picture. The coder codes them 'other' (CODEBOOK.md,
-- "deleted text"), which the stage mix keeps and says; a member's journey and the passage from asker to helper
-- leave them out, as they leave out bot accounts (0016, chrysalide.store.unreadable).

-- Whether coding reads a message on its thread's title instead of its body (CODEBOOK.md, conventions): a thread
-- start (first of its thread) whose body is empty, too short or removed, when the message or its thread has a
-- title. Coding's context (chrysalide.coding.context) and `unreadable_messages` both read this rule.
CREATE MACRO coded_on_title(pos, body, title) AS
    pos = 0 AND title IS NOT NULL AND (length(trim(body)) < 3 OR lower(trim(body)) IN ('[removed]', '[deleted]'));

-- A message the text step left out whole (text_features.left_out: no word of its author is left; `left_out`
-- says why: removed, bot, quote, media, ...; chrysalide.text.prose), unless coding read it on its title (that
-- code is the author's words). Until the text step has run (no text_features row), no message is unreadable.
CREATE VIEW unreadable_messages AS
SELECT m.message_id, m.member_id, f.left_out
FROM messages m
JOIN text_features f USING (message_id)
JOIN thread_order o USING (message_id)
LEFT JOIN threads t ON t.thread_id = m.thread_id
WHERE f.left_out IS NOT NULL AND NOT coalesce(coded_on_title(o.pos, m.text, coalesce(m.title, t.title)), false);

-- Decentering (0016), read from the messages that hold words of their author: the first code, the entry into the
-- time at risk and the decentering are read where the member can be read. A member whose every coded message is
-- unreadable has no row (chrysalide.store.unreadable counts them). `last_at`, where observation ends, is the
-- member's last dated readable message (coded or not): after it, a decentering would not be seen.
CREATE OR REPLACE VIEW decentering AS
WITH readable AS (
    SELECT m.* FROM messages m
    WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL
      AND m.member_id NOT IN (SELECT member_id FROM bot_accounts)
      AND m.message_id NOT IN (SELECT message_id FROM unreadable_messages)),
coded AS (
    SELECT m.member_id, m.message_id, m.posted_at, c.primary_code, c.decentered,
           row_number() OVER (PARTITION BY m.member_id
                              ORDER BY m.posted_at, m.record_no NULLS LAST, m.native_id, m.message_id) AS k
    FROM readable m JOIN current_codes c USING (message_id)),
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
last AS (SELECT member_id, max(posted_at) AS last_at FROM readable GROUP BY member_id)
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
