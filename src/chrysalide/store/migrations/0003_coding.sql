-- Stage codes (chrysalide.coding). One row per (run, message); human decisions are runs too.
CREATE TABLE codes (
    run_id               BIGINT NOT NULL,
    message_id           BIGINT NOT NULL,
    primary_code         VARCHAR NOT NULL,   -- individual / community / collaborative / societal / other
    secondary_codes      VARCHAR[] NOT NULL,
    decentered           BOOLEAN NOT NULL,
    score_individual     DOUBLE,
    score_community      DOUBLE,
    score_collaborative  DOUBLE,
    score_societal       DOUBLE,
    score_other          DOUBLE,
    confidence           DOUBLE,             -- probability (model) or margin (lexicon) of the primary code
    origin               VARCHAR NOT NULL,   -- lexicon / model / human
    coder                VARCHAR NOT NULL,   -- component name and version, or the reviewer's name
    decided_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, message_id)
);

-- The code a message currently has: the newest human decision, else the newest model code, else the
-- newest lexicon code. Every later stage (journeys, community, report) reads this view.
CREATE VIEW current_codes AS
SELECT * EXCLUDE (rank_) FROM (
    SELECT c.*, row_number() OVER (
        PARTITION BY message_id
        ORDER BY CASE origin WHEN 'human' THEN 0 WHEN 'model' THEN 1 ELSE 2 END, decided_at DESC, run_id DESC
    ) AS rank_
    FROM codes c
) WHERE rank_ = 1;
