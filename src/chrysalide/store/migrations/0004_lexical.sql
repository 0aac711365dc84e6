-- Lexical analysis (chrysalide.lexical.stage): Reinert classes and what researchers read from them.
-- Every row carries the run that wrote it; runs are kept (history), readers take the newest successful
-- run of the stage "lexical" (docs/lexical.md). Classes are numbered 1..k as rainette and IRaMuTeQ
-- print them; -1 = unclassified.

-- Every class of every level of the dendrogram (simple), or of every crossed partition (double).
CREATE TABLE lexical_classes (
    run_id     BIGINT NOT NULL,
    k          INTEGER NOT NULL,      -- number of classes of the level
    class      INTEGER NOT NULL,      -- 1..k, left to right (low side of the first CA axis first)
    size       BIGINT NOT NULL,       -- segments in the class at this level
    share      DOUBLE NOT NULL,       -- size / classified segments at this level
    parent     INTEGER,               -- class of level k - 1 that contains it (simple); NULL at k = 1 and for double
    node       INTEGER,               -- dendrogram node (simple): same node = same class across levels
    chi2       DOUBLE,                -- simple: chi-square of the split of this node (NULL for a leaf of the tree);
                                      -- double: association chi-square of the crossed class
    crossed    VARCHAR,               -- double: crossed class "k1.c1xk2.c2" (levels/classes of the two runs, 0-based)
    PRIMARY KEY (run_id, k, class)
);

-- Characteristic terms (variant A: segment presence, IRaMuTeQ's profiles); all with |chi2| >= 3.84
-- plus the 15 strongest positive ones per class.
CREATE TABLE class_terms (
    run_id          BIGINT NOT NULL,
    class           INTEGER NOT NULL,
    term            VARCHAR NOT NULL,
    chi2            DOUBLE NOT NULL,   -- signed: negative = under-represented (anti-profile)
    p_value         DOUBLE NOT NULL,   -- chi-square, 1 df
    freq_in_class   BIGINT NOT NULL,   -- class segments containing the term
    freq_total      BIGINT NOT NULL,   -- classified segments containing the term
    share_in_class  DOUBLE NOT NULL,   -- freq_in_class / class size (rainette docprop)
    pct             DOUBLE NOT NULL,   -- freq_in_class / freq_total (IRaMuTeQ "%")
    specificity     DOUBLE NOT NULL,   -- Lafon hypergeometric, signed -log10 p
    chi2_tokens     DOUBLE,            -- variant B: token-count keyness (rainette_stats), signed
    PRIMARY KEY (run_id, class, term)
);

CREATE TABLE segment_classes (
    run_id      BIGINT NOT NULL,
    segment_id  BIGINT NOT NULL,
    class       INTEGER NOT NULL,      -- final partition; -1 = unclassified
    sampled     BOOLEAN NOT NULL,      -- classified by the Reinert algorithm (FALSE: nearest profile, --sample)
    PRIMARY KEY (run_id, segment_id)
);

CREATE TABLE typical_segments (
    run_id      BIGINT NOT NULL,
    class       INTEGER NOT NULL,
    rank        INTEGER NOT NULL,      -- 1 = most typical
    segment_id  BIGINT NOT NULL,
    score       DOUBLE NOT NULL,       -- sum of the positive class chi-squares of its terms (IRaMuTeQ)
    PRIMARY KEY (run_id, class, rank)
);

-- Correspondence analysis of the class x term table (the familiar CA map).
CREATE TABLE ca_coordinates (
    run_id        BIGINT NOT NULL,
    kind          VARCHAR NOT NULL,    -- 'class' / 'term' / 'axis' (label = axis number, axis1 = eigenvalue,
                                       --  axis2 = share of inertia)
    label         VARCHAR NOT NULL,
    axis1         DOUBLE,
    axis2         DOUBLE,
    axis3         DOUBLE,
    mass          DOUBLE,
    contribution  DOUBLE,              -- share of the inertia of the plane of axes 1-2 due to the point
    PRIMARY KEY (run_id, kind, label)
);

-- Specificities of terms by a variable of the message or member (every segment, classified or not).
CREATE TABLE lexical_specificities (
    run_id       BIGINT NOT NULL,
    variable     VARCHAR NOT NULL,     -- stage / year / month / board / position / role / member_group
    value        VARCHAR NOT NULL,
    term         VARCHAR NOT NULL,
    chi2         DOUBLE NOT NULL,      -- signed
    p_value      DOUBLE NOT NULL,
    freq         BIGINT NOT NULL,      -- segments of this value containing the term
    total        BIGINT NOT NULL,      -- segments with a value of the variable containing the term
    share        DOUBLE NOT NULL,      -- freq / segments of this value
    specificity  DOUBLE NOT NULL,      -- Lafon, signed -log10 p
    PRIMARY KEY (run_id, variable, value, term)
);

-- Class x variable cross tables over classified segments with a value.
CREATE TABLE class_crosstab (
    run_id    BIGINT NOT NULL,
    variable  VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    class     INTEGER NOT NULL,
    n         BIGINT NOT NULL,
    chi2      DOUBLE NOT NULL,         -- signed 2 x 2 chi-square of the cell (class vs rest, value vs rest)
    PRIMARY KEY (run_id, variable, value, class)
);
