-- Newcomers (0025), read the same way with less work: whether a first message lies in a table without thread ids
-- is read from its thread's source (the threads of the first messages only), not from a pass over every message
-- joined back by message id. Same rows, same columns.
CREATE OR REPLACE VIEW newcomers AS
SELECT a.member_id, a.message_id, a.thread_id, a.posted_at,
       CASE WHEN NOT u.unthreaded THEN o.opens_thread END AS starts_thread,
       c.primary_code AS first_code,
       CASE WHEN NOT u.unthreaded THEN o.opens_thread AND c.primary_code = 'individual' END AS request,
       a.unreadable AS first_unreadable
FROM member_arrivals a
JOIN thread_order o USING (message_id)
JOIN (SELECT thread_id, source_id IN (SELECT source_id FROM unthreaded_sources) AS unthreaded FROM threads) u
    ON u.thread_id = a.thread_id
LEFT JOIN current_codes c USING (message_id)
WHERE a.arrival IN ('registered', 'after_burn_in');
