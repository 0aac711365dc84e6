-- The period over which a source's replies were collected (docs/community.md, docs/architecture.md). A source can
-- hold whole conversations over some days and only some members' own messages over others: Reddit user histories
-- beside one week of scraped threads hold, for years, the members' comments without the messages they answer and
-- their posts without the comments that answered them. A message posted then looks unanswered because the replies
-- were never collected. The evidence is the replies themselves: where the conversation was collected, a reply's
-- parent is stored; where only one author's messages were, most replies name a parent the source lacks (the rule
-- of 0015's `source_trees`, per day).

-- Per source and day (UTC) on which it has a message: `answers`, the replies to another member's stored message
-- (view `reply_targets`, `reply_to_other`), and `parents_missing`, the replies naming a parent the source lacks,
-- each over that day and the next (a message's answers come after it: most within hours, some the next day).
-- `replies_collected`: they are not mostly replies to missing parents. A day without replies on it or the next
-- is not evidence of anything: it counts as collected (a quiet forum's unanswered requests are unanswered).
CREATE VIEW reply_collection AS
WITH replies AS (
    SELECT m.source_id, m.posted_at::DATE AS day,
           count(*) FILTER (r.reply_to_other) AS answers,
           count(*) FILTER (m.reply_to_id IS NULL
                            AND json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL) AS parents_missing
    FROM messages m JOIN reply_targets r USING (message_id)
    WHERE m.posted_at IS NOT NULL
    GROUP BY m.source_id, day),
days AS (SELECT DISTINCT source_id, posted_at::DATE AS day FROM messages WHERE posted_at IS NOT NULL)
SELECT d.source_id, d.day, coalesce(sum(r.answers), 0) AS answers,
       coalesce(sum(r.parents_missing), 0) AS parents_missing,
       coalesce(sum(r.parents_missing), 0) <= coalesce(sum(r.answers), 0) AS replies_collected
FROM days d LEFT JOIN replies r ON r.source_id = d.source_id AND r.day BETWEEN d.day AND d.day + 1
GROUP BY d.source_id, d.day;

-- A newcomer's first message posted outside that period counts as one whose replies were not recorded
-- (`replies_recorded` false, left out of every share), and says why: `replies_collected` false. NULL in runs
-- made before this migration.
ALTER TABLE newcomer_responses ADD COLUMN replies_collected BOOLEAN;
