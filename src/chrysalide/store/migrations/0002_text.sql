-- Text layer (chrysalide.text): per-message features and ~40-word segments for Reinert.
CREATE TABLE text_features (
    message_id       BIGINT PRIMARY KEY,
    run_id           BIGINT NOT NULL,
    lang             VARCHAR NOT NULL,      -- detected: fr / en / de / ... / und
    n_tokens         INTEGER NOT NULL,      -- word tokens of the author's own text
    first_singular   INTEGER NOT NULL,      -- I, me, my, mine / je, j', me, m', moi, mon, ma, mes
    first_plural     INTEGER NOT NULL,      -- we, us, our, ours / nous, notre, nos, on
    second_informal  INTEGER NOT NULL,      -- FR tu, te, t', toi, ton, ta, tes (EN: 0)
    second_formal    INTEGER NOT NULL,      -- FR vous, votre, vos; EN you, your, yours
    own_health       BOOLEAN NOT NULL       -- the author refers to their own health
);

CREATE TABLE segments (
    segment_id  BIGINT PRIMARY KEY,        -- 63-bit hash of (message_id, seq): chrysalide.text.stage.segment_ids
    message_id  BIGINT NOT NULL,
    seq         INTEGER NOT NULL,           -- 0-based position in the message
    run_id      BIGINT NOT NULL,
    text        VARCHAR NOT NULL,           -- the segment as written (normalised)
    terms       VARCHAR NOT NULL            -- active (full-word) lemmas, space separated, lower case
);
