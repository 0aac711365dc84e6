-- What the lexical analysis reads of each message (the member's own prose) and what it leaves out
-- (docs/text-layer.md, docs/lexical.md). Rows written before this migration keep NULL in the new columns:
-- `chrysalide text --refresh` processes them again.

-- Per message: the kinds of text taken out of its segments (comma-separated: removed, bot, bot_command,
-- quote, media; empty when none) and, when nothing of the member's own words is left, the first of them (no
-- segment then). NULL: processed before this migration.
ALTER TABLE text_features ADD COLUMN left_out VARCHAR;
ALTER TABLE text_features ADD COLUMN removed VARCHAR;

-- Per segment: the lemmas of its tool words, space separated (the supplementary forms of its profile).
-- `segments.text` is now the segment as the member wrote it (pseudonymised), not the normalised text.
ALTER TABLE segments ADD COLUMN tool_terms VARCHAR;
