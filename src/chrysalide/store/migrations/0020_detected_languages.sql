-- Who set a message's language (docs/text-layer.md, "language"): its source (an importer's `lang` column or
-- IRaMuTeQ's *lang variable: `lang_detected` false), or the text step, which detects the language of a message
-- that has none and writes it into `messages.lang` (`lang_detected` true). The text step detects those again
-- each time it processes the message (`chrysalide text --all`, or new rules), under its rules of the day; a
-- language the source gave is never overwritten.
ALTER TABLE messages ADD COLUMN lang_detected BOOLEAN DEFAULT false;

-- A store whose text step ran before kept no such mark. Each text run counted the languages it filled in
-- (`lang_filled`, once per message: it only filled empty ones), so when those counts add up to every language
-- the store holds, the source gave none and every one was detected. Otherwise languages given and detected are
-- mixed (or none was detected) and cannot be told apart: they are all kept as given.
UPDATE messages SET lang_detected = true
WHERE lang IS NOT NULL
  AND (SELECT coalesce(sum(TRY_CAST(json_extract_string(summary, '$.lang_filled') AS BIGINT)), 0)
       FROM runs WHERE stage = 'text' AND status = 'ok')
      >= (SELECT count(*) FROM messages WHERE lang IS NOT NULL);
