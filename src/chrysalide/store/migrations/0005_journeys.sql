-- Member journeys (chrysalide.journeys). Every row carries the run that wrote it; runs are kept
-- (history), readers take the newest successful run of the stage (docs/journeys.md).
CREATE TABLE journeys (
    run_id                  BIGINT NOT NULL,
    member_id               BIGINT NOT NULL,
    role                    VARCHAR,          -- members.role: member / moderator / admin
    first_post_at           TIMESTAMP NOT NULL,
    last_post_at            TIMESTAMP NOT NULL,
    first_reply_to_other_at TIMESTAMP,        -- milestones: NULL when never reached
    first_community_at      TIMESTAMP,
    first_collaborative_at  TIMESTAMP,
    first_decentered_at     TIMESTAMP,
    first_societal_at       TIMESTAMP,
    core_entry_at           TIMESTAMP,
    days_to_reply_to_other  DOUBLE,           -- delays in days from first_post_at
    days_to_community       DOUBLE,
    days_to_collaborative   DOUBLE,
    days_to_decentered      DOUBLE,
    days_to_societal        DOUBLE,
    days_to_core            DOUBLE,
    PRIMARY KEY (run_id, member_id)
);

CREATE TABLE member_metrics (
    run_id            BIGINT NOT NULL,
    member_id         BIGINT NOT NULL,
    n_messages        INTEGER NOT NULL,
    n_coded           INTEGER NOT NULL,
    active_days       INTEGER NOT NULL,
    words             BIGINT NOT NULL,
    n_threads         INTEGER NOT NULL,
    we_messages       INTEGER NOT NULL,   -- messages with at least one first-person pronoun
    we_ratio_mean     DOUBLE,
    we_slope          DOUBLE,             -- OLS slope of the we-ratio per message (I -> we trend)
    we_slope_p        DOUBLE,             -- two-sided permutation p-value
    tu_messages       INTEGER NOT NULL,   -- French messages with a second-person pronoun
    tu_share_early    DOUBLE,
    tu_share_late     DOUBLE,
    tu_shift          DOUBLE,             -- late minus early share of informal "tu"
    recency_days      DOUBLE NOT NULL,
    active_periods    INTEGER NOT NULL,
    longest_run       INTEGER NOT NULL,
    r_score           INTEGER NOT NULL,
    f_score           INTEGER NOT NULL,
    v_score           INTEGER NOT NULL,
    segment           VARCHAR NOT NULL,
    PRIMARY KEY (run_id, member_id)
);

-- The member's coded messages collapsed into runs of one stage (run-length encoding).
CREATE TABLE journey_stages (
    run_id      BIGINT NOT NULL,
    member_id   BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    stage       VARCHAR NOT NULL,
    n_messages  INTEGER NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    ended_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, member_id, seq)
);

-- Transitions between the stage codes of consecutive coded messages of one member, summed over members.
CREATE TABLE journey_transitions (
    run_id      BIGINT NOT NULL,
    from_stage  VARCHAR NOT NULL,
    to_stage    VARCHAR NOT NULL,
    n           BIGINT NOT NULL,
    share       DOUBLE NOT NULL,              -- n / all transitions leaving from_stage
    PRIMARY KEY (run_id, from_stage, to_stage)
);

-- Kaplan-Meier estimate of the time from first post to first decentered message.
CREATE TABLE survival_curve (
    run_id     BIGINT NOT NULL,
    days       DOUBLE NOT NULL,
    survival   DOUBLE NOT NULL,
    ci_lower   DOUBLE,
    ci_upper   DOUBLE,
    at_risk    INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    PRIMARY KEY (run_id, days)
);

-- Cox proportional-hazards model of the same time on covariates known at entry.
CREATE TABLE survival_cox (
    run_id        BIGINT NOT NULL,
    covariate     VARCHAR NOT NULL,
    coef          DOUBLE,
    hazard_ratio  DOUBLE,
    ci_lower      DOUBLE,
    ci_upper      DOUBLE,
    p             DOUBLE,
    PRIMARY KEY (run_id, covariate)
);
