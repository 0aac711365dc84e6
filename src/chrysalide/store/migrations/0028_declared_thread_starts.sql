-- A table without thread ids whose rows are each a thread start (an export of posts without their replies, as
-- the r/breastcancer CSV of submissions) is declared so at import: `chrysalide ingest --thread-starts`, kept in
-- the source's options as `thread_starts`. Nothing in such a file says it, so until now the source was read as
-- any table without thread ids (0025): its messages neither opened threads nor asked (r/breastcancer: requests
-- unknown, where 1,620 first posts open a thread coded individual). A declared source is no longer among
-- `unthreaded_sources`: each of its messages opens its thread, as in a forum that names its threads but whose
-- export holds only their first posts (Doctissimo's). The coders' context reads the structure, not the
-- declaration: a source whose threads all hold one message is `kind = unknown` there either way (chrysalide.coding.context).
CREATE OR REPLACE VIEW unthreaded_sources AS
SELECT m.source_id
FROM messages m JOIN sources src USING (source_id) JOIN threads th USING (thread_id)
WHERE src.importer IN ('csv', 'jsonl')
  AND NOT coalesce(json_extract(src.options, '$.thread_starts')::BOOLEAN, false)
GROUP BY m.source_id
HAVING count(*) = count(DISTINCT m.thread_id) AND bool_and(th.native_id = m.native_id);
