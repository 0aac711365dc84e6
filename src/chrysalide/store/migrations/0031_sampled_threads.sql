-- A selection of threads (docs/community.md, "Newcomers"): an export of some of a forum's topics (ADFD's, chosen
-- for its knowledge base: 824 posts whose ids span 239 to 112,789) shows each member's first message in the
-- selection, which need not be their first on the forum. The burn-in (0023) sees left truncation in time only:
-- ADFD's record starts with the forum's first posts, so 105 of its 108 members were newcomers and 58% of them
-- "arrived helping", though 45 of its 94 authors with an account had registered more than 90 days before their
-- first post there (phpBB's user ids increase: one registered no later than the first post of anyone with a higher
-- id). Nothing in such files says they are a selection, so it is declared at import: `chrysalide ingest
-- --sampled-threads`, kept in the source's options as `sampled_threads`.

-- The sources declared a selection of threads: one definition, read by `member_arrivals` and by the runs' account
-- of their sources (chrysalide.community.responses.source_structure).
CREATE VIEW sampled_sources AS
SELECT source_id FROM sources WHERE coalesce(json_extract(options, '$.sampled_threads')::BOOLEAN, false);

-- `arrival` 'sampled' (before every other case, a registration date included: the member may have posted in the
-- threads left out of the selection after registering): the member's first message lies in a declared source. They
-- are no newcomer (`newcomers` keeps 'registered' and 'after_burn_in'), and the journeys leave out their arrival.
-- The rest as 0029.
CREATE OR REPLACE VIEW member_arrivals AS
WITH starts AS (SELECT source_id, min(posted_at) AS source_start FROM messages GROUP BY source_id),
firsts AS (
    SELECT f.*, mb.registered_at, m.source_id IN (SELECT source_id FROM sampled_sources) AS sampled,
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
       CASE WHEN sampled THEN 'sampled'
            WHEN registered_at >= record_start THEN 'registered'
            WHEN registered_at < record_start THEN 'registered_before'
            WHEN posted_at >= record_start + to_days(burn_in_days()) THEN 'after_burn_in'
            ELSE 'burn_in' END AS arrival,
       message_id IN (SELECT message_id FROM unreadable_messages) AS unreadable
FROM firsts;
