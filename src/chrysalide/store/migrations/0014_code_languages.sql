-- The language each automatic code was read in (the coder's `lang`: the message's, or detected on its own
-- words when the source gives none) and whether the coder learned from at least 50 coded messages of it
-- (`lang_learned`, docs/coding.md): a code of a language the model did not learn awaits review whatever its
-- confidence, and the report says how many, by language. Human decisions and codes written before this
-- migration have neither (NULL).
ALTER TABLE codes ADD COLUMN coded_lang VARCHAR;
ALTER TABLE codes ADD COLUMN lang_learned BOOLEAN;
-- The view is re-created so that it lists the new columns (a view's star is expanded when it is created).
CREATE OR REPLACE VIEW current_codes AS
SELECT * EXCLUDE (rank_) FROM (
    SELECT c.*, row_number() OVER (
        PARTITION BY message_id
        ORDER BY CASE origin WHEN 'human' THEN 0 WHEN 'model' THEN 1 ELSE 2 END, decided_at DESC, run_id DESC
    ) AS rank_
    FROM codes c
) WHERE rank_ = 1;
