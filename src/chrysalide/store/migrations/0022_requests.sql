-- A newcomer's request is a first message that asks (docs/community.md): one that opens a thread and whose current
-- primary code (view `current_codes`) is `individual`, the codebook's stage of the author's own problem, story and
-- worries, asking help for themselves (CODEBOOK.md). The study's "requests for information ... usually answered in
-- less than 3 hours" are questions about the members' health (Fayn et al. 2021). Counted on every thread-opening
-- first message (0008 to 0016), ADFD's nine "requests" were mostly moderators' articles, news links and a book
-- announcement, and r/BPD's held memes.

-- Newcomers (0016) with `first_code`, the current primary code of their first message (NULL while it is not
-- coded), and `request`: it opens a thread and is coded individual; NULL for a thread-opening first message not
-- coded yet (whether it asks cannot be told), false for any other.
CREATE OR REPLACE VIEW newcomers AS
SELECT f.member_id, f.message_id, f.thread_id, f.posted_at, o.opens_thread AS starts_thread,
       c.primary_code AS first_code, o.opens_thread AND c.primary_code = 'individual' AS request
FROM member_firsts f
JOIN thread_order o USING (message_id)
LEFT JOIN current_codes c USING (message_id)
LEFT JOIN members mb ON mb.member_id = f.member_id
WHERE NOT coalesce(mb.registered_at < (SELECT min(posted_at) FROM messages), false)
  AND f.member_id NOT IN (SELECT member_id FROM bot_accounts);

-- Per newcomer of a community run: the code and the request as the run read them. NULL in runs made before this
-- migration (their `starts_thread` was the request).
ALTER TABLE newcomer_responses ADD COLUMN first_code VARCHAR;
ALTER TABLE newcomer_responses ADD COLUMN request BOOLEAN;
