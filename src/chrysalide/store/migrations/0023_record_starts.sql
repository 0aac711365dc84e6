-- Left truncation (docs/community.md, "Newcomers"): a record that starts after its community did (one scraped week
-- of a subreddit, a CSV of one year of a forum) holds members whose first stored message is not their first. A
-- member is a newcomer only when the record shows them arriving: a registration date on or after the start of the
-- record that could hold their earlier messages, or, without one, a first message at least `burn_in_days()` after
-- it: a look-back (washout) period, as the new-user designs of pharmacoepidemiology read a left-truncated record
-- (Ray 2003, Am J Epidemiol 158:915) before counting anyone as new. 90 days: on the full-history forums ADFD and patient.info,
-- 9% and 16% of a member's consecutive messages lie more than 90 days apart (18% and 27% more than 30 days, 12%
-- and 20% more than 60), the chance that an old member first seen after the burn-in is still taken for a newcomer.

-- `members.meta.record_start` (chrysalide.ingest.records.RECORD_START): when the record that could hold a member's
-- earlier messages starts, where the importer knows it is later than their source's first message (a Reddit thread
-- file's members without a posting history: their record is the scraped threads,
-- chrysalide.ingest.formats.reddit_histories). Absent: their source's first message.

CREATE MACRO burn_in_days() AS 90;

-- Every member's first message (bot accounts left out) with the start of their record and how they entered it:
-- `arrival` 'registered' (registered on or after the record's start), 'after_burn_in' (no such registration date,
-- first message at least burn_in_days() after the record's start), 'registered_before' (registered before it:
-- already there), 'burn_in' (first message dated less than burn_in_days() after the record's start, or undated:
-- the record cannot tell whether they were new). `unreadable`: their first message holds no word of theirs (view
-- `unreadable_messages`: a removed or deleted body), so whether it asks cannot be read.
CREATE VIEW member_arrivals AS
WITH starts AS (SELECT source_id, min(posted_at) AS source_start FROM messages GROUP BY source_id),
firsts AS (
    SELECT f.*, mb.registered_at,
           coalesce(TRY_CAST(json_extract_string(mb.meta, '$.record_start') AS TIMESTAMP), s.source_start)
               AS record_start
    FROM member_firsts f
    JOIN messages m USING (message_id)
    LEFT JOIN members mb ON mb.member_id = f.member_id
    LEFT JOIN starts s ON s.source_id = m.source_id
    WHERE f.member_id NOT IN (SELECT member_id FROM bot_accounts))
SELECT member_id, message_id, thread_id, posted_at, record_start,
       CASE WHEN registered_at >= record_start THEN 'registered'
            WHEN registered_at < record_start THEN 'registered_before'
            WHEN posted_at >= record_start + to_days(burn_in_days()) THEN 'after_burn_in'
            ELSE 'burn_in' END AS arrival,
       message_id IN (SELECT message_id FROM unreadable_messages) AS unreadable
FROM firsts;

-- Newcomers (0022): members whose arrival the record shows (`member_arrivals`), with `first_unreadable`: their first
-- message holds no word of theirs (not read as a request, nor as an opener that does not ask: counted apart).
CREATE OR REPLACE VIEW newcomers AS
SELECT a.member_id, a.message_id, a.thread_id, a.posted_at, o.opens_thread AS starts_thread,
       c.primary_code AS first_code, o.opens_thread AND c.primary_code = 'individual' AS request,
       a.unreadable AS first_unreadable
FROM member_arrivals a
JOIN thread_order o USING (message_id)
LEFT JOIN current_codes c USING (message_id)
WHERE a.arrival IN ('registered', 'after_burn_in');

-- Per newcomer of a community run: whether their first message is unreadable. NULL in runs made before.
ALTER TABLE newcomer_responses ADD COLUMN first_unreadable BOOLEAN;
