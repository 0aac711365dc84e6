-- The number of replies a source declares for a thread start (docs/community.md, docs/importers.md): Reddit gives
-- each post its number of comments (`num_comments`), kept at import in messages.meta.replies_at_source. Members'
-- histories hold their posts without the comments that answered them, so the replies are missing while the count
-- says whether there were any: where the corpus lacks some of the comments the source counts, the post was
-- answered by comments that were not collected; where it holds them all, whether it was answered is read from
-- them. The count is the archive's when it took the post (the author's own comments, bots' and removed ones
-- included; a post taken within hours of being posted can declare 0 and have comments later).

-- Per message whose source declares a count: `declared`, the replies its source counts in its thread; `stored`,
-- the other messages of its thread in the store (anyone's); `missing`, those the source counts and the store
-- lacks (0 when the store holds as many or more: a count taken before later comments).
CREATE VIEW declared_replies AS
WITH d AS (
    SELECT message_id, thread_id, TRY_CAST(json_extract_string(meta, '$.replies_at_source') AS BIGINT) AS declared
    FROM messages
    WHERE json_extract_string(meta, '$.replies_at_source') IS NOT NULL)
SELECT d.message_id, d.declared, count(o.message_id) AS stored,
       greatest(d.declared - count(o.message_id), 0) AS missing
FROM d LEFT JOIN messages o ON o.thread_id = d.thread_id AND o.message_id <> d.message_id
WHERE d.declared IS NOT NULL
GROUP BY d.message_id, d.declared;

-- A newcomer's first message judged by that count rather than by a stored answer (posted outside the period its
-- replies were collected, or answered by replies the store lacks): counted in the answered shares, in no delay.
-- NULL in runs made before this migration.
ALTER TABLE newcomer_responses ADD COLUMN by_reply_count BOOLEAN;
