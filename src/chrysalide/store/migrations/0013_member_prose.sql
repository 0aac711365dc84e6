-- What the lexical analysis reads of each message (the member's own prose) and what it leaves out
-- (docs/text-layer.md, docs/lexical.md). Rows written before this migration keep NULL in the new columns:
-- `chrysalide text --all` processes them again.

-- Per message: the kinds of text taken out of its segments (comma-separated: removed, bot, bot_command,
-- quote, media; empty when none) and, when nothing of the member's own words is left, the first of them (no
-- segment then). NULL: processed before this migration.
ALTER TABLE text_features ADD COLUMN left_out VARCHAR;
ALTER TABLE text_features ADD COLUMN removed VARCHAR;

-- Per segment: the lemmas of its tool words, space separated (the supplementary forms of its profile).
-- `segments.text` is now the segment as the member wrote it (pseudonymised), not the normalised text.
ALTER TABLE segments ADD COLUMN tool_terms VARCHAR;

-- Why a segment of the analysed language was not classified (NULL when classified or when it simply has
-- no active term): 'boilerplate' (the same words in many messages) or 'outlier' (set aside with a group
-- of segments too small to make a class).
ALTER TABLE segment_classes ADD COLUMN left_out VARCHAR;

-- Characteristic supplementary forms of each class (tool words and the light words of
-- text/data/supplementary_<lang>.txt): the statistics of class_terms, computed on the same classified
-- segments, for forms that did not take part in the classification (IRaMuTeQ's supplementary forms).
CREATE TABLE class_supplementary_terms (
    run_id          BIGINT NOT NULL,
    class           INTEGER NOT NULL,
    term            VARCHAR NOT NULL,
    chi2            DOUBLE NOT NULL,
    p_value         DOUBLE NOT NULL,
    freq_in_class   BIGINT NOT NULL,
    freq_total      BIGINT NOT NULL,
    share_in_class  DOUBLE NOT NULL,
    pct             DOUBLE NOT NULL,
    specificity     DOUBLE NOT NULL,
    PRIMARY KEY (run_id, class, term)
);
