-- What a code read of its message's context besides the text (chrysalide.coding.context.CONTEXT_KEY: its kind and
-- its is_first_post, reply_to_other and own_thread flags), so that a message whose context a later import changes
-- (it brings the member's earlier message, or the thread's opening one) is coded again by the next coding run
-- instead of keeping a code made with the old context. NULL for the codes made before it was kept: those stand.
ALTER TABLE codes ADD COLUMN context VARCHAR;
