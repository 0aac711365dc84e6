-- One definition of two ideas that were written out by hand in several views and steps (docs/architecture.md,
-- "Shared definitions"): a member's order of messages, and whether a message names a parent, kept or missing.
-- Views are bound when read, so the views that read the ones redefined here (newcomers, member_arrivals,
-- first_answers, ...) read the new definitions without being redefined themselves. Every view redefined here
-- returns the same rows as before.

-- Whether a message names a parent: one it answers that the source keeps (`reply_to_id`), or one the source lacks
-- (the parent's native id in `meta.reply_to_native`, written by the importer: chrysalide.ingest.finish). Read by
-- `thread_order` (a message that names none may open a thread), `source_trees`, `reply_targets` and
-- `reply_collection`, written out in each before.
CREATE MACRO parent_named(reply_to_id, meta) AS
    reply_to_id IS NOT NULL OR json_extract_string(meta, '$.reply_to_native') IS NOT NULL;

-- Whether a message names a parent the source lacks (0015: a Reddit comment whose submission is not in the file, a
-- history's comment whose parent was never collected).
CREATE MACRO parent_missing(reply_to_id, meta) AS
    reply_to_id IS NULL AND json_extract_string(meta, '$.reply_to_native') IS NOT NULL;

-- A member's order of messages: the order of `thread_order` (by date, undated last, then position in the source
-- file, then the source's own id, then ours), over each member's messages. `member_pos` is 0-based. Guests and
-- deleted accounts (member_id NULL) have none. Read by `member_firsts`, `decentering`, the journeys' frame, the
-- lexical step's `position` and the alerts' samples, which wrote it out by hand with their own tie-breaks before.
CREATE VIEW member_order AS
SELECT message_id, member_id,
       row_number() OVER (PARTITION BY member_id
                          ORDER BY posted_at NULLS LAST, record_no NULLS LAST, native_id, message_id) - 1 AS member_pos
FROM messages
WHERE member_id IS NOT NULL;

-- Thread order (0015), `opens_thread` read from `parent_named`.
CREATE OR REPLACE VIEW thread_order AS
SELECT message_id, thread_id, member_id, posted_at,
       row_number() OVER w - 1 AS pos,
       lag(message_id) OVER w AS previous_id,
       first_value(member_id) OVER w AS first_member_id,
       (row_number() OVER w = 1 AND NOT parent_named(reply_to_id, meta)) AS opens_thread
FROM messages
WINDOW w AS (PARTITION BY thread_id ORDER BY posted_at NULLS LAST, record_no NULLS LAST, native_id, message_id);

-- Each member's first message (0008): the first of `member_order`.
CREATE OR REPLACE VIEW member_firsts AS
SELECT o.member_id, o.message_id, m.thread_id, m.posted_at
FROM member_order o JOIN messages m USING (message_id)
WHERE o.member_pos = 0;

-- Source trees (0021), reading `parent_named` and `parent_missing`. `lost`: among the messages that name a parent,
-- most name one the source lacks.
CREATE OR REPLACE VIEW source_trees AS
WITH roots AS (
    SELECT thread_id, count(*) AS roots FROM messages
    WHERE NOT parent_named(reply_to_id, meta)
    GROUP BY thread_id),
lost AS (
    SELECT source_id, avg(parent_missing(reply_to_id, meta)::INTEGER) >= 0.5 AS lost FROM messages
    WHERE parent_named(reply_to_id, meta)
    GROUP BY source_id),
r AS (
    SELECT m.source_id,
           parent_named(m.reply_to_id, m.meta) AS named,
           parent_missing(m.reply_to_id, m.meta) AS missing,
           parent_named(p.reply_to_id, p.meta) AS nested,
           CASE WHEN p.message_id IS NOT NULL THEN coalesce(t.roots, 0) = 1 END AS to_opening
    FROM messages m JOIN thread_order o USING (message_id)
    LEFT JOIN messages p ON p.message_id = m.reply_to_id LEFT JOIN roots t ON t.thread_id = p.thread_id
    WHERE o.pos > 0),
s AS (
    SELECT source_id, avg(named::INTEGER) >= 0.5 AS named, avg(missing::INTEGER) >= 0.5 AS missing,
           coalesce(bool_or(nested), false) AS nested, coalesce(bool_and(to_opening), false) AS to_openings
    FROM r GROUP BY source_id),
k AS (
    SELECT s.*, named AND NOT nested AND NOT missing AND to_openings AND NOT coalesce(l.lost, false) AS submission_only
    FROM s LEFT JOIN lost l USING (source_id))
SELECT source_id, (named AND nested) OR missing OR submission_only AS reply_tree, submission_only FROM k;

-- Reply targets (0032), `parent_missing` read from the macro.
CREATE OR REPLACE VIEW reply_targets AS
WITH r AS (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, o.first_member_id, o.opens_thread,
           m.reply_to_id IS NOT NULL AND NOT coalesce(s.submission_only, false) AS explicit,
           CASE WHEN m.reply_to_id IS NOT NULL THEN m.reply_to_id
                WHEN o.pos = 0 OR coalesce(s.reply_tree, false) THEN NULL
                ELSE o.previous_id END AS target_id,
           parent_missing(m.reply_to_id, m.meta) AS parent_missing,
           coalesce(s.submission_only, false) AND NOT o.opens_thread AS under_submission
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id)
SELECT r.message_id, r.thread_id, r.member_id, r.posted_at, r.pos, r.first_member_id, r.opens_thread, r.explicit,
       r.target_id, t.member_id AS target_member_id,
       (r.target_id IS NOT NULL AND r.member_id IS NOT NULL AND t.member_id IS DISTINCT FROM r.member_id)
           AS reply_to_other,
       r.parent_missing OR (r.under_submission AND r.member_id IS NOT NULL AND t.member_id = r.member_id)
           AS target_unknown
FROM r LEFT JOIN messages t ON t.message_id = r.target_id;

-- Reply collection (0017), the replies naming a parent the source lacks read from `parent_missing`.
CREATE OR REPLACE VIEW reply_collection AS
WITH replies AS (
    SELECT m.source_id, m.posted_at::DATE AS day,
           count(*) FILTER (r.reply_to_other) AS answers,
           count(*) FILTER (parent_missing(m.reply_to_id, m.meta)) AS parents_missing
    FROM messages m JOIN reply_targets r USING (message_id)
    WHERE m.posted_at IS NOT NULL
    GROUP BY m.source_id, day),
days AS (SELECT DISTINCT source_id, posted_at::DATE AS day FROM messages WHERE posted_at IS NOT NULL)
SELECT d.source_id, d.day, coalesce(sum(r.answers), 0) AS answers,
       coalesce(sum(r.parents_missing), 0) AS parents_missing,
       coalesce(sum(r.parents_missing), 0) <= coalesce(sum(r.answers), 0) AS replies_collected
FROM days d LEFT JOIN replies r ON r.source_id = d.source_id AND r.day BETWEEN d.day AND d.day + 1
GROUP BY d.source_id, d.day;

-- Decentering (0019), its messages ranked in `member_order` (they are all dated: the same order as the date, file
-- order and ids written out there before).
CREATE OR REPLACE VIEW decentering AS
WITH readable AS (
    SELECT m.* FROM messages m
    WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL
      AND m.member_id NOT IN (SELECT member_id FROM bot_accounts)
      AND m.message_id NOT IN (SELECT message_id FROM unreadable_messages)),
coded AS (
    SELECT m.member_id, m.message_id, m.posted_at, c.primary_code, c.decentered,
           row_number() OVER (PARTITION BY m.member_id ORDER BY o.member_pos) AS k
    FROM readable m JOIN current_codes c USING (message_id) JOIN member_order o USING (message_id)),
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
