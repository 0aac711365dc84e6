-- Bot accounts (0016, 0024) stored, not computed at every reading. Six steps, the report and the dashboard read
-- them, most through the views of newcomers, first answers, arrivals and decentering, several times a query:
-- computed each time, the template rule grouped every member's long texts again (about 0.3 s a reading at the
-- study's size, some 15 s of the pipeline). The rule stays one view, `bot_rule`; the table `bot_accounts` holds
-- its rows and is computed again from it, in the same transaction, whenever what it reads (messages,
-- text_features) has changed: before every step, after the text step (which writes them) and at every import (chrysalide.store.bots.refresh).
-- `stored_states`: per stored result, the fingerprint of what it was computed from (chrysalide.store.state).
ALTER VIEW bot_accounts RENAME TO bot_rule;
CREATE TABLE bot_accounts AS SELECT * FROM bot_rule;
CREATE TABLE stored_states (name VARCHAR PRIMARY KEY, state VARCHAR NOT NULL);
