-- Per period of a community run, how many of the newcomers, requests and threads counted could be seen answered or
-- not, and within 3 hours or not: the counts each answered count is out of, as the summary's `*_known` keys are for
-- its shares (chrysalide.community.responses.outcomes). A newcomer whose first message lies in a source of comments
-- without parents, whose answers are not recorded, is a newcomer of its period but no newcomer answered or
-- unanswered: r/BPD's 2023 held 1,043 newcomers, 421 of whom could be seen answered or not, 334 answered. NULL in
-- runs made before this migration.
ALTER TABLE community_metrics ADD COLUMN newcomers_answered_known INTEGER;
ALTER TABLE community_metrics ADD COLUMN newcomers_within_3h_known INTEGER;
ALTER TABLE community_metrics ADD COLUMN requests_answered_known INTEGER;
ALTER TABLE community_metrics ADD COLUMN requests_within_3h_known INTEGER;
ALTER TABLE community_metrics ADD COLUMN threads_answered_known INTEGER;

-- A newcomer whose answers are not recorded (`replies_recorded` false) was neither answered nor unanswered for the
-- record: `answered` is NULL there (it was false, which made the mean of `answered` over every newcomer 33% on r/BPD
-- where 78% of those who could be seen were answered). Rows of earlier runs keep false.
ALTER TABLE newcomer_responses ALTER COLUMN answered DROP NOT NULL;
