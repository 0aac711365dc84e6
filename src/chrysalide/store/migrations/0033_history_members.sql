-- Members whose own history the source holds (chrysalide.ingest.records.HISTORY, `members.meta.history`): a Reddit
-- user-history file holds one member's messages collected as theirs, beside the conversations collected. Such
-- members were chosen for the record (PatientPunk's r/covidlonghaulers histories: the 86 authors of the week of
-- threads it scraped, still posting years after their first message), so the newcomers, members at risk and stage
-- mix that they make up describe them, not the community at large (survivorship). One definition, read by the
-- journeys' and the community's summaries (chrysalide.journeys.histories).
CREATE VIEW history_members AS
SELECT member_id FROM members WHERE coalesce(TRY_CAST(json_extract(meta, '$.history') AS BOOLEAN), false);
