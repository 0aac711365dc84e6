-- A digest of each field of a message as read (chrysalide.ingest.changed: 16 bits for each of its thread, author,
-- date, text, quoted text, title and reply target), so that a record imported again with other content is rejected
-- naming the field that differs, and one whose date is only written otherwise for the same instant is skipped as a
-- duplicate. NULL for the messages imported before it was kept.
ALTER TABLE messages ADD COLUMN field_digest VARCHAR;
