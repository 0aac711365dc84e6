-- Whom a thread author's comments answer, in a source of comments without parents (0021: an export that gives each
-- comment only the submission it is under, as r/BPD's CSVs). The importer attaches every comment to its submission,
-- so a thread author's comment in their own thread reads as an answer to themselves: not a reply to another
-- member. It is not known: on Reddit such a comment mostly answers a comment of someone else (the helpers who
-- replied) or adds to the post. In r/BPD's store, 7,420 comments are their thread author's; 1,421 of the 2,333
-- members who wrote them wrote no other reply, and so read as members who never replied to anyone.

-- `target_unknown`: whom the message answers is unknown, another member or its author. Either it names a parent
-- the source lacks (0015: a history's comment whose parent was never collected; the journeys' frame read this
-- alone before), or it is a thread author's comment in their own thread in a source of comments without parents.
-- `reply_to_other` stays false for both (no edge of the reply network is invented); the journeys give the
-- milestones read from whom members answer no delay after such a message (chrysalide.journeys.members).
-- The rest as 0021.
CREATE OR REPLACE VIEW reply_targets AS
WITH r AS (
    SELECT o.message_id, o.thread_id, o.member_id, o.posted_at, o.pos, o.first_member_id, o.opens_thread,
           m.reply_to_id IS NOT NULL AND NOT coalesce(s.submission_only, false) AS explicit,
           CASE WHEN m.reply_to_id IS NOT NULL THEN m.reply_to_id
                WHEN o.pos = 0 OR coalesce(s.reply_tree, false) THEN NULL
                ELSE o.previous_id END AS target_id,
           m.reply_to_id IS NULL AND json_extract_string(m.meta, '$.reply_to_native') IS NOT NULL AS parent_missing,
           coalesce(s.submission_only, false) AND NOT o.opens_thread AS under_submission
    FROM thread_order o JOIN messages m USING (message_id) LEFT JOIN source_trees s ON s.source_id = m.source_id)
SELECT r.message_id, r.thread_id, r.member_id, r.posted_at, r.pos, r.first_member_id, r.opens_thread, r.explicit,
       r.target_id, t.member_id AS target_member_id,
       (r.target_id IS NOT NULL AND r.member_id IS NOT NULL AND t.member_id IS DISTINCT FROM r.member_id)
           AS reply_to_other,
       r.parent_missing OR (r.under_submission AND r.member_id IS NOT NULL AND t.member_id = r.member_id)
           AS target_unknown
FROM r LEFT JOIN messages t ON t.message_id = r.target_id;
