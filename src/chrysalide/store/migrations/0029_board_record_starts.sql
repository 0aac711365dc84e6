-- Boards collected apart (docs/community.md, "Newcomers"): a Reddit export of several subreddits is a scrape of
-- each, over its own window. r/BPD's files hold r/BPD's last 9 days, r/BPDrecovery's last 14 months and
-- r/BPDsupport's last 4 years; a few old posts of r/QuietBPD put the source's first message in December 2019. Read
-- from the source's first message, the record could hold the earlier messages of every member first seen in
-- 2024, and 15,811 of its 15,813 authors were newcomers, though most subreddits' records start days before the
-- member's first message. Where the importer knows the boards were collected apart (the source's options hold
-- `boards_collected_apart`: a Reddit import without user histories, chrysalide.ingest.formats.reddit), the
-- record that could hold a member's earlier messages starts with the first stored message of the board of their
-- first message (a source without boards, or a message without one: the source's first message). A member's own
-- record start (`members.meta.record_start`, 0023) still comes first.

-- The first stored message of each board of the sources whose boards were collected apart: one definition, read by
-- `member_arrivals` and by the runs' account of their sources (chrysalide.community.responses.source_structure).
CREATE VIEW board_starts AS
SELECT m.source_id, t.board, min(m.posted_at) AS board_start
FROM messages m JOIN sources s USING (source_id) JOIN threads t USING (thread_id)
WHERE t.board IS NOT NULL AND coalesce(json_extract(s.options, '$.boards_collected_apart')::BOOLEAN, false)
GROUP BY m.source_id, t.board;

CREATE OR REPLACE VIEW member_arrivals AS
WITH starts AS (SELECT source_id, min(posted_at) AS source_start FROM messages GROUP BY source_id),
firsts AS (
    SELECT f.*, mb.registered_at,
           coalesce(TRY_CAST(json_extract_string(mb.meta, '$.record_start') AS TIMESTAMP), b.board_start,
                    s.source_start) AS record_start
    FROM member_firsts f
    JOIN messages m USING (message_id)
    LEFT JOIN members mb ON mb.member_id = f.member_id
    LEFT JOIN starts s ON s.source_id = m.source_id
    LEFT JOIN threads t ON t.thread_id = f.thread_id
    LEFT JOIN board_starts b ON b.source_id = m.source_id AND b.board = t.board
    WHERE f.member_id NOT IN (SELECT member_id FROM bot_accounts))
SELECT member_id, message_id, thread_id, posted_at, record_start,
       CASE WHEN registered_at >= record_start THEN 'registered'
            WHEN registered_at < record_start THEN 'registered_before'
            WHEN posted_at >= record_start + to_days(burn_in_days()) THEN 'after_burn_in'
            ELSE 'burn_in' END AS arrival,
       message_id IN (SELECT message_id FROM unreadable_messages) AS unreadable
FROM firsts;
