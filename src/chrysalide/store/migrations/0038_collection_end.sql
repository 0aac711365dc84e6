-- End of collection (chrysalide.community.responses.ANSWERS_RECORDED): a newcomer's first message (or a thread start),
-- answered or not, posted less than its source's follow-up window before its source's last dated message, may have
-- been answered after the collection ended: `answered` is NULL there (not judged), and `near_end` says why. On
-- patient.info, 9 of the 10 newcomers of 2020 were read as unanswered, posted 6 to 82 days before the scrape, where 5%
-- of the first answers to its thread starts came more than 480 days after them. NULL in runs made before.
ALTER TABLE newcomer_responses ADD COLUMN near_end BOOLEAN;

-- Per period of a community run, the threads started that were answered within 3 hours and how many could be seen
-- answered within 3 hours or not (the count it is out of), as for newcomers and requests (0036). NULL in runs made
-- before this migration.
ALTER TABLE community_metrics ADD COLUMN threads_answered_within_3h INTEGER;
ALTER TABLE community_metrics ADD COLUMN threads_within_3h_known INTEGER;
