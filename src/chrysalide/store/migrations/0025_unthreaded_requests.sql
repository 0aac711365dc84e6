-- A table without thread ids (a CSV or JSON Lines export that names no thread: the IVF forum's Fiv.fr export) is
-- stored one message a thread, each thread's id the message's. Its messages may answer one another without the
-- export saying which, so none of them is known to open a thread or to reply (the coders' context reads them as
-- 'unknown', chrysalide.coding.context). Until now the newcomers view read each such first message as opening a
-- thread, and the community figures counted it a request when coded individual (Fiv.fr: 41 "requests", none
-- of which can be seen to open anything). One definition of such a source, read by the community figures, the
-- report's overview and per-period tables and the dashboard (chrysalide.community.responses.unthreaded_sources):
-- every message of a CSV or JSON Lines source is the only one of its thread and that thread's native id is its own.
CREATE OR REPLACE VIEW unthreaded_sources AS
SELECT m.source_id
FROM messages m JOIN sources src USING (source_id) JOIN threads th USING (thread_id)
WHERE src.importer IN ('csv', 'jsonl')
GROUP BY m.source_id
HAVING count(*) = count(DISTINCT m.thread_id) AND bool_and(th.native_id = m.native_id);

-- Newcomers (0023): a first message of such a source neither opens a thread nor is known not to: `starts_thread`
-- and `request` are NULL (unknown), counted apart and said ("the export names no thread, so requests cannot be
-- told"). The other sources of a store keep theirs.
CREATE OR REPLACE VIEW newcomers AS
SELECT a.member_id, a.message_id, a.thread_id, a.posted_at,
       CASE WHEN NOT u.unthreaded THEN o.opens_thread END AS starts_thread,
       c.primary_code AS first_code,
       CASE WHEN NOT u.unthreaded THEN o.opens_thread AND c.primary_code = 'individual' END AS request,
       a.unreadable AS first_unreadable
FROM member_arrivals a
JOIN thread_order o USING (message_id)
JOIN (SELECT message_id, source_id IN (SELECT source_id FROM unthreaded_sources) AS unthreaded FROM messages) u
    USING (message_id)
LEFT JOIN current_codes c USING (message_id)
WHERE a.arrival IN ('registered', 'after_burn_in');

-- Per newcomer of a community run: whether their first message opens a thread, NULL where the source names none.
ALTER TABLE newcomer_responses ALTER COLUMN starts_thread DROP NOT NULL;
