-- The state of the stored data a run read (chrysalide.store.state.input_state): a stage whose newest run
-- read the same data with the same parameters is up to date and is not run again.
ALTER TABLE runs ADD COLUMN inputs VARCHAR;
