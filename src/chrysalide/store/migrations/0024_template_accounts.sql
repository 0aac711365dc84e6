-- Bot accounts (0016) that sign nothing: a program that posts one long text again and again. r/mentalhealth's
-- hotlinehelpbot comments the same 40-word list of suicide hotlines under 11 threads and nothing else, without
-- "I am a bot": it was a member, "arrived helping" (every comment coded collaborative), and ranked 9th of the
-- panel the study would invite. A member is now a bot account also when, of at least 5 messages read by the text
-- step, 90% are one same text of at least 20 words holding words of its author (`text_features.left_out` NULL):
-- a template. Short replies ("Thank you", "Same here") are how people talk, and are no template; a member
-- who asks the same long question again now and then still writes other messages (patient.info: one member
-- posted one request 7 times of 8 messages, 88%; r/BPD: one member's 15 comments are 12 times a privacy tool's
-- overwrite, 80%: both stay members). `template`: the messages of its most repeated such text.
CREATE OR REPLACE VIEW bot_accounts AS
WITH read AS (
    SELECT m.member_id, m.text, f.left_out, f.n_tokens
    FROM messages m JOIN text_features f USING (message_id)
    WHERE m.member_id IS NOT NULL),
templates AS (
    SELECT member_id, max(n) AS template
    FROM (SELECT member_id, text, count(*) AS n FROM read
          WHERE left_out IS NULL AND n_tokens >= 20 GROUP BY member_id, text)
    GROUP BY member_id)
SELECT r.member_id, count(*) AS messages, count(*) FILTER (r.left_out = 'bot') AS signed,
       coalesce(any_value(t.template), 0) AS template
FROM read r LEFT JOIN templates t USING (member_id)
GROUP BY r.member_id
HAVING count(*) >= 5
   AND (count(*) FILTER (r.left_out = 'bot') >= 0.9 * count(*) OR coalesce(any_value(t.template), 0) >= 0.9 * count(*));
