-- The text the coders read of a message (chrysalide.coding.context, `context/2`): a thread start whose body was
-- removed or is too short is read as its title (`coded_on_title`, 0019); any other message that opens its thread
-- is read as its title, a blank line, then its body, as the trained coders read it (the annotation files give the
-- title beside the text), unless the body already opens with its title (the Reddit and ConvoKit importers store a
-- submission so); a reply, or a message without a title, is read as stored. One definition for the coding step's
-- context and for the CSV files `chrysalide code apply` and `code train --gold` read (a title column). A change of
-- this rule is a change of what the coders read: it goes with a new `chrysalide.coding.context.VERSION`.
CREATE MACRO coded_text(pos, opens_thread, body, title) AS
    CASE WHEN coded_on_title(pos, body, title) THEN title
         WHEN opens_thread AND NOT starts_with(ltrim(body), trim(title))
         THEN trim(title) || chr(10) || chr(10) || body
         ELSE body END;
