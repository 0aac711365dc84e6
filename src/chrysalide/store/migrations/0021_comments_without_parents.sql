-- Comments without parents (docs/community.md, docs/architecture.md): a Reddit export that gives each comment
-- only the submission it is under (r/BPD's CSVs: no comment id, no parent id; the importer attaches each comment
-- to its submission) is not a flat forum. Reddit comments form a tree under the submission: in the
-- r/covidlonghaulers thread file, which keeps every parent, 46% of the 3,415 comments answer the submission and
-- 17% of those that follow another comment answer that comment. Read flat (0012), the next comment by someone
-- else was taken for the answer to the one before (r/BPD: 88% of newcomers' comments "answered", 4 of 15 pairs
-- read a real answer). In such a source the submission is answered by any later message of its thread by someone
-- else (every comment is under it), and a comment's answer cannot be seen.

-- Whether a source records whom each message answers (0015), and `submission_only`: most of its replies name a
-- parent, the source keeps some of them, every parent kept is the only message of its thread that names no parent
-- (the submission: the thread's one root, whichever its place, as a comment can be dated before its submission),
-- and the parents are not mostly missing (0015's comments without their submissions), neither among the replies
-- after a thread's first message nor among all its messages that name one (a history whose comments, each the
-- first of its thread, name parents it lacks holds real parent ids: an export that attaches each comment to its
-- submission holds the submissions and names no other parent). Such a source is read as a tree (`reply_tree`): a
-- thread start's answers are its children, which are all the comments of its thread, and a comment has none
-- recorded (chrysalide.community.responses leaves its answer out as not recorded). A Reddit dump whose every
-- comment happens to be top-level is read the same way. A phpBB forum, most of whose posts quote none (so a thread
-- holds many messages that name no parent), keeps 0015's flat reading.
CREATE OR REPLACE VIEW source_trees AS
WITH roots AS (
    SELECT thread_id, count(*) AS roots FROM messages
    WHERE reply_to_id IS NULL AND json_extract_string(meta, '$.reply_to_native') IS NULL
    GROUP BY thread_id),
lost AS (
    SELECT source_id, avg((reply_to_id IS NULL)::INTEGER) >= 0.5 AS lost FROM messages
    WHERE reply_to_id IS NOT NULL OR json_extract_string(meta, '$.reply_to_native') IS NOT NULL
    GROUP BY source_id),
r AS (
    SELECT m.source_id,
           m.reply_to_id IS NOT NULL OR json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL AS named,
           m.reply_to_id IS NULL AND json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL AS missing,
           p.reply_to_id IS NOT NULL OR json_extract_string(p.meta, '$.reply_to_native') IS NOT NULL AS nested,
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

-- The message each message answers (0015). `explicit` (weight 1 in the reply network) is now false for the
-- comments of a source of comments without parents: their parent, the submission, is the importer's inference,
-- not the source's word (an edge to the submission's author, weighted as the inferred edges of flat forums).
CREATE OR REPLACE VIEW reply_targets AS
WITH r AS (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, o.first_member_id, o.opens_thread,
           m.reply_to_id IS NOT NULL AND NOT coalesce(s.submission_only, false) AS explicit,
           CASE WHEN m.reply_to_id IS NOT NULL THEN m.reply_to_id
                WHEN o.pos = 0 OR coalesce(s.reply_tree, false) THEN NULL
                ELSE o.previous_id END AS target_id
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id)
SELECT r.*, t.member_id AS target_member_id,
       (r.target_id IS NOT NULL AND r.member_id IS NOT NULL AND t.member_id IS DISTINCT FROM r.member_id)
           AS reply_to_other
FROM r LEFT JOIN messages t ON t.message_id = r.target_id;
