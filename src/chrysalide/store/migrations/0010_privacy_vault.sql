-- What marks a database as Chrysalide's, what the name scrubber needs to remember, and the source form of the
-- messages whose text was cleaned (docs/privacy.md, docs/importers.md).

-- Written once: `application` tells a Chrysalide database from another application's DuckDB file (which is
-- refused before anything is written); `key_check` (an HMAC of a constant under the pseudonymisation key, set
-- by chrysalide.privacy.keys) tells the right key file from a wrong one without revealing the key.
CREATE TABLE chrysalide_meta (
    name   VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
INSERT INTO chrysalide_meta VALUES ('application', 'chrysalide');

-- Every name seen in a source (members, named guests, quoted authors, authors of rejected records), sealed
-- with a key derived from the key file (AES-SIV: deterministic, so a name is stored once per source). The
-- scrubber of a later import unseals them, so that it replaces the names of earlier imports too. Never
-- exported; without the key file it is unreadable.
CREATE TABLE name_vault (
    source_id  VARCHAR NOT NULL,
    sealed     BLOB NOT NULL,
    pseudonym  VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,   -- member, guest, quoted, other
    PRIMARY KEY (source_id, sealed)
);

-- The text of a message as the source wrote it (HTML, character references, leftover BBCode), names scrubbed
-- like `messages.text`: a row only for the messages whose text cleaning changed (ingest/markup.py).
CREATE TABLE message_sources (
    message_id   BIGINT PRIMARY KEY,
    source_text  VARCHAR NOT NULL
);
