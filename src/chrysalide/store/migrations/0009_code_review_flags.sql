-- Flags of each stage code (chrysalide.coding): whether it awaits human review (its confidence, the calibrated
-- probability of the primary code, is below the run's review threshold), and whether the codebook has markers
-- for the message's language. Codes written before this migration have neither flag (NULL).
ALTER TABLE codes ADD COLUMN needs_review BOOLEAN;
ALTER TABLE codes ADD COLUMN lang_supported BOOLEAN;
-- The view is re-created so that it lists the new columns (a view's star is expanded when it is created).
CREATE OR REPLACE VIEW current_codes AS
SELECT * EXCLUDE (rank_) FROM (
    SELECT c.*, row_number() OVER (
        PARTITION BY message_id
        ORDER BY CASE origin WHEN 'human' THEN 0 WHEN 'model' THEN 1 ELSE 2 END, decided_at DESC, run_id DESC
    ) AS rank_
    FROM codes c
) WHERE rank_ = 1;
-- The community stage mix per period is the corrected estimate (share_<stage>); the raw counts of primary
-- codes are kept beside it.
ALTER TABLE community_metrics ADD COLUMN n_individual BIGINT;
ALTER TABLE community_metrics ADD COLUMN n_community BIGINT;
ALTER TABLE community_metrics ADD COLUMN n_collaborative BIGINT;
ALTER TABLE community_metrics ADD COLUMN n_societal BIGINT;
ALTER TABLE community_metrics ADD COLUMN n_other BIGINT;
