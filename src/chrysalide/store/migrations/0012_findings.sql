-- The study's findings measured as it means them (docs/journeys.md, docs/community.md): the first answer to any
-- message, decentering as the passage from asker to helper, newcomer response per newcomer, raw stage counts.

-- Whether a source records whom each message answers: most of its replies carry a parent (kept or recorded as
-- missing), AND some kept parent itself answers another message (a reply to a reply). A source whose replies
-- all name a thread's first message records no more than a flat thread does: Reddit comment exports that give
-- only the submission (r/BPD's CSVs, whose comments the importer attaches to their submission) would otherwise
-- make every comment a child of the submission, so that no comment could ever be answered. Replaces 0008's
-- view (the first condition alone).
CREATE OR REPLACE VIEW source_trees AS
SELECT m.source_id,
       avg(CASE WHEN m.reply_to_id IS NOT NULL OR json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL
                THEN 1.0 ELSE 0.0 END) >= 0.5
       AND coalesce(bool_or(p.reply_to_id IS NOT NULL
                            OR json_extract_string(p.meta, '$.reply_to_native') IS NOT NULL), false) AS reply_tree
FROM messages m JOIN thread_order o USING (message_id) LEFT JOIN messages p ON p.message_id = m.reply_to_id
WHERE o.pos > 0
GROUP BY m.source_id;

-- The first answer to every message: where the source has a reply tree, its first child (in thread order)
-- written by someone else; otherwise the first later message of the thread written by someone else (a guest
-- or a deleted account is someone else when the asker is a member). Replaces 0008's view, which covered only
-- thread starts and newcomers' first messages: survival needs the answer to a member's first request too.
-- In a flat thread the first later message by someone else starts the next run of consecutive messages by one
-- author (guests and deleted accounts, without member_id, form runs of their own), so one pass of window
-- functions finds it, with no join of each message to the rest of its thread. In a tree source a message's
-- children are the messages whose reply_to_id names it (what reply_targets calls their target there); `o` is
-- materialised once for both halves (half the time of reading reply_targets again at the study's size).
-- One row per answered message; `answered_at` is NULL when the answer is undated.
CREATE OR REPLACE VIEW first_answers AS
WITH o AS MATERIALIZED (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, m.reply_to_id,
           coalesce(s.reply_tree, false) AS tree
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id),
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

-- Decentering, the passage from asker to helper (Fayn et al. 2021), one row per member with a dated coded
-- message. Only dated coded messages count, in the member's order (date, file order, ids); their first one is
-- the member's "first message" here.
-- - `arrived_helping`: the first message is `collaborative` (it already helps others): never at risk, reported
--   apart;
-- - otherwise the member is at risk from `at_risk_since`: their first request (`individual`: seeking help for
--   themselves; `entry` = 'request'), or, for a member who never asks, their first message (`entry` =
--   'first_message', e.g. only `community` or `other` messages);
-- - `decentered_at`: their first decentered message (codebook flag: collaborative without a first-person
--   reference to their own health) after that; decentered messages before a late first request are not the
--   passage (`decentered_before_entry` says so);
-- - `last_at`: the member's last dated message, coded or not (where observation ends).
CREATE VIEW decentering AS
WITH coded AS (
    SELECT m.member_id, m.message_id, m.posted_at, c.primary_code, c.decentered,
           row_number() OVER (PARTITION BY m.member_id
                              ORDER BY m.posted_at, m.record_no NULLS LAST, m.native_id, m.message_id) AS k
    FROM messages m JOIN current_codes c USING (message_id)
    WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL),
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

-- Journeys: `first_decentered_at` / `days_to_decentered` now follow the view `decentering` (the delay counts
-- from `at_risk_since`, not from the first post); members who arrived helping have neither.
ALTER TABLE journeys ADD COLUMN arrived_helping BOOLEAN;   -- NULL: no dated coded message
ALTER TABLE journeys ADD COLUMN at_risk_since TIMESTAMP;   -- first request, or first message (view decentering)

-- Per period, per newcomer: thread-level figures are named thread_*; newcomers' figures are per newcomer, on the
-- reply tree (view first_answers). (The raw stage counts n_<stage> are 0009's.)
ALTER TABLE community_metrics RENAME COLUMN first_reply_median_hours TO thread_first_reply_median_hours;
ALTER TABLE community_metrics RENAME COLUMN first_reply_p90_hours TO thread_first_reply_p90_hours;
ALTER TABLE community_metrics RENAME COLUMN answered_within_3h_share TO thread_answered_within_3h_share;
ALTER TABLE community_metrics ADD COLUMN newcomers_answered_within_3h INTEGER;
ALTER TABLE community_metrics ADD COLUMN newcomer_first_reply_median_hours DOUBLE;
ALTER TABLE community_metrics ADD COLUMN newcomer_first_reply_p90_hours DOUBLE;
ALTER TABLE community_metrics ADD COLUMN newcomer_answered_within_3h_share DOUBLE;
ALTER TABLE community_metrics ADD COLUMN requests INTEGER;              -- newcomers whose first message opens a thread
ALTER TABLE community_metrics ADD COLUMN requests_answered INTEGER;
ALTER TABLE community_metrics ADD COLUMN requests_answered_within_3h INTEGER;
ALTER TABLE community_metrics ADD COLUMN request_first_reply_median_hours DOUBLE;

-- One row per newcomer of a community run: their first message and its first answer (what the report draws).
CREATE TABLE newcomer_responses (
    run_id             BIGINT NOT NULL,
    member_id          BIGINT NOT NULL,
    message_id         BIGINT NOT NULL,     -- the newcomer's first message
    first_post_at      TIMESTAMP,
    starts_thread      BOOLEAN NOT NULL,    -- it opens a thread: a request (Fayn et al. 2021)
    replies_recorded   BOOLEAN NOT NULL,    -- its source records replies (some thread has a second message)
    answered           BOOLEAN NOT NULL,    -- it got a first answer (view first_answers)
    answer_id          BIGINT,
    first_reply_hours  DOUBLE,              -- NULL when unanswered or undated
    within_3h          BOOLEAN,             -- answered within 3 hours; NULL when the source dates by day only
    PRIMARY KEY (run_id, member_id)
);
