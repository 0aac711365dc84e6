-- Core tables: the contract between stages (docs/architecture.md).
CREATE TABLE sources (
    source_id    VARCHAR PRIMARY KEY,
    importer     VARCHAR NOT NULL,
    location     VARCHAR NOT NULL,
    imported_at  TIMESTAMP NOT NULL,
    options      JSON,
    pseudonymised BOOLEAN NOT NULL
);

CREATE TABLE members (
    member_id     BIGINT PRIMARY KEY,
    source_id     VARCHAR NOT NULL,
    pseudonym     VARCHAR NOT NULL,
    registered_at TIMESTAMP,
    role          VARCHAR NOT NULL DEFAULT 'member',
    meta          JSON
);

CREATE TABLE threads (
    thread_id   BIGINT PRIMARY KEY,
    source_id   VARCHAR NOT NULL,
    native_id   VARCHAR NOT NULL,
    board       VARCHAR,
    title       VARCHAR,
    started_at  TIMESTAMP,
    starter_id  BIGINT
);

CREATE TABLE messages (
    message_id         BIGINT PRIMARY KEY,
    source_id          VARCHAR NOT NULL,
    native_id          VARCHAR NOT NULL,
    thread_id          BIGINT NOT NULL,
    member_id          BIGINT,
    reply_to_id        BIGINT,
    posted_at          TIMESTAMP,
    position_in_thread INTEGER,
    text               VARCHAR NOT NULL,
    quoted_text        VARCHAR,
    title              VARCHAR,
    lang               VARCHAR,
    record_no          BIGINT,              -- position in the source file, breaks ties in thread order
    content_hash       VARCHAR NOT NULL,    -- detects a re-used id with different content on re-import
    meta               JSON
);

CREATE TABLE rejects (
    source_id  VARCHAR NOT NULL,
    record_no  BIGINT NOT NULL,
    raw        VARCHAR,
    reason     VARCHAR NOT NULL,
    run_id     BIGINT,
    PRIMARY KEY (source_id, record_no)
);

CREATE TABLE consent (
    member_id  BIGINT PRIMARY KEY,
    status     VARCHAR NOT NULL,
    date       DATE,
    scope      VARCHAR NOT NULL
);

CREATE SEQUENCE run_ids START 1;
CREATE TABLE runs (
    run_id       BIGINT PRIMARY KEY DEFAULT nextval('run_ids'),
    stage        VARCHAR NOT NULL,
    component    VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    params       JSON,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,
    summary      JSON
);
