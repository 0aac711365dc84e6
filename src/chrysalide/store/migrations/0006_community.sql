-- Community dynamics (chrysalide.community). Rows carry their run; runs are kept (history).
CREATE TABLE community_metrics (
    run_id                  BIGINT NOT NULL,
    period                  DATE NOT NULL,       -- first day of the week / month / year
    messages                BIGINT NOT NULL,
    active_members          INTEGER NOT NULL,
    new_members             INTEGER NOT NULL,
    newcomers_answered      INTEGER NOT NULL,    -- new members whose first message got a reply
    threads_started         INTEGER NOT NULL,
    threads_unanswered      INTEGER NOT NULL,
    first_reply_median_hours DOUBLE,
    first_reply_p90_hours   DOUBLE,
    answered_within_3h_share DOUBLE,
    coded                   BIGINT NOT NULL,
    share_individual        DOUBLE,
    share_community         DOUBLE,
    share_collaborative     DOUBLE,
    share_societal          DOUBLE,
    share_other             DOUBLE,
    PRIMARY KEY (run_id, period)
);

-- The reply network: one row per member in it.
CREATE TABLE member_network (
    run_id        BIGINT NOT NULL,
    member_id     BIGINT NOT NULL,
    in_degree     INTEGER NOT NULL,      -- distinct members who answered this member
    out_degree    INTEGER NOT NULL,      -- distinct members this member answered
    strength      DOUBLE NOT NULL,       -- sum of edge weights, both directions
    betweenness   DOUBLE NOT NULL,
    core_number   INTEGER NOT NULL,
    is_core       BOOLEAN NOT NULL,      -- in the main (highest) k-core
    PRIMARY KEY (run_id, member_id)
);

-- Bursts found by the crisis alert detector.
CREATE TABLE alerts (
    run_id         BIGINT NOT NULL,
    alert_id       INTEGER NOT NULL,
    kind           VARCHAR NOT NULL,     -- volume / term / stage
    target         VARCHAR NOT NULL,     -- 'messages', the watch term, or the stage code
    method         VARCHAR NOT NULL,
    start_at       DATE NOT NULL,        -- first day of the first burst week
    peak_at        DATE NOT NULL,
    end_at         DATE NOT NULL,        -- last day of the last burst week
    weeks          INTEGER NOT NULL,
    observed       BIGINT NOT NULL,      -- matching messages during the burst
    expected       DOUBLE NOT NULL,      -- at the baseline rate
    magnitude      DOUBLE NOT NULL,      -- observed / expected
    weight         DOUBLE NOT NULL,      -- Kleinberg's burst weight (cost saved by the burst state)
    top_terms      VARCHAR[] NOT NULL,
    sample_message_ids BIGINT[] NOT NULL,
    PRIMARY KEY (run_id, alert_id)
);
