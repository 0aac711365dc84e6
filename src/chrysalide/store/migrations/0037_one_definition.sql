-- One definition of an idea that was written out by hand in several views and steps (docs/architecture.md,
-- "Shared definitions"): a member's order of messages. Views are bound when read, so the views that read the ones
-- redefined here (newcomers, member_arrivals, ...) read the new definitions without being redefined themselves.
-- Every view redefined here returns the same rows as before.

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

-- Each member's first message (0008): the first of `member_order`.
CREATE OR REPLACE VIEW member_firsts AS
SELECT o.member_id, o.message_id, m.thread_id, m.posted_at
FROM member_order o JOIN messages m USING (message_id)
WHERE o.member_pos = 0;

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
