"""Structural context of each stored message, computed in SQL: the coders' ``kind`` and context flags.

The same query feeds training (``train_default`` imports the annotated corpora into a store) and serving, so
the model never sees context at training that it would not see when coding.

- ``kind``: ``thread_start`` for a message that opens its thread (view ``thread_order``, ``opens_thread``: the
  first of its thread and not itself a reply), ``reply`` for a later one or for a message whose parent the
  source names but the store lacks (a Reddit comment whose submission is not in the file), ``unknown`` when
  the source has no thread structure at all (every thread a single message: a flat export such as a CSV
  without thread ids, where "first of its thread" means nothing). A table declared thread starts at import
  (``--thread-starts``, migration 0028) is ``unknown`` too: the coder reads the structure, as it learned (the
  annotated corpora are imported without the declaration), while the community figures read the declaration.
- ``is_first_post``: the member's first message in the store (view ``member_firsts``; their arrival,
  CODEBOOK.md: "typical of a member's first messages").
- ``reply_to_other``: the message answers someone other than its author (view ``reply_targets``).
- ``own_thread``: the message is in a thread the author opened: the author of its opening message (view
  ``thread_order``, ``opens_thread`` at position 0; a thread a guest or a deleted account opened is no member's),
  or, where the store lacks that message (a Reddit comment whose submission is not in the file), the starter
  its source names (``threads.starter_id``). ``threads.starter_id`` alone is the first *member* to post, so a
  member answering a guest's question counted as posting in their own thread.
- ``context``: the four above as one value (:data:`CONTEXT_KEY`), kept with each code.
- ``text``: the author's own words, as the store's macro ``coded_text`` gives them (migration 0030): a thread
  start whose body was removed is coded on its title (CODEBOOK.md, conventions; the macro ``coded_on_title``,
  migration 0019, which also tells which removed bodies keep their code in the journeys:
  :mod:`chrysalide.store.unreadable`). Any other thread start is read as its title, a blank line, then its
  body, as the trained coders read it (the annotation files give the title beside the text) and as the Reddit
  and ConvoKit importers store a submission; a body that already opens with its title is left as it is, so no
  title is read twice (patient.info, phpBB and CSV sources keep the title apart: docs/importers.md). A CSV of
  messages coded or learned without a database (``code apply``, ``code train --gold``) is read by the same
  macro when it has a ``title`` column (:func:`read_as_coded`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chrysalide.store.db import Store

#: What the coders read of each message and its context: part of every coder's recorded name
#: (:mod:`chrysalide.coding.registry`), so that a change of it codes every message again. 2: a thread start is
#: read with its title (December 2026); before it, every importer but Reddit's and ConvoKit's left it out.
VERSION = "context/2"

_FLAGS_SQL = """
SELECT m.message_id, m.native_id AS uid,
    coded_text(r.pos, r.opens_thread, m.text, coalesce(m.title, t.title)) AS text,
    m.lang,
    CASE WHEN NOT s.threaded THEN 'unknown' WHEN r.opens_thread THEN 'thread_start' ELSE 'reply' END AS kind,
    f.message_id IS NOT NULL AS is_first_post,
    coalesce(r.reply_to_other, false) AS reply_to_other,
    coalesce(m.member_id = CASE WHEN o.opens_thread THEN o.member_id ELSE t.starter_id END, false) AS own_thread
FROM messages m
JOIN reply_targets r USING (message_id)
JOIN (SELECT source_id, max(n) > 1 AS threaded
      FROM (SELECT source_id, count(*) AS n FROM messages GROUP BY source_id, thread_id) GROUP BY source_id) s
    ON s.source_id = m.source_id
LEFT JOIN member_firsts f USING (message_id)
LEFT JOIN threads t ON t.thread_id = m.thread_id
LEFT JOIN thread_order o ON o.thread_id = m.thread_id AND o.pos = 0
"""

#: What a code depends on besides the text, as one value stored with each code (``codes.context``, migration
#: 0035): a message whose context a later import changes (it brings the member's earlier message, or its thread's
#: opening one, or threads a flat source) is coded again by the next coding run (:mod:`chrysalide.coding.run`).
CONTEXT_KEY = (
    "kind || ':' || is_first_post::INTEGER::VARCHAR || reply_to_other::INTEGER::VARCHAR || own_thread::INTEGER::VARCHAR"
)

#: One row per stored message: what the coders read of it and of its context, and that context as one value.
CONTEXT_SQL = f"SELECT *, {CONTEXT_KEY} AS context FROM ({_FLAGS_SQL})"


def read_as_coded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (messages of a CSV: ``text`` [, ``kind``, ``title``]) with each text as the coders read it in a store.

    Without a ``title`` column nothing changes. A row that is not a reply (``kind`` missing, ``thread_start`` or
    ``unknown``: a message of a flat export opens its own thread, as in a store) is read with its title by the
    store's macro ``coded_text``, evaluated in a database in memory so that files and stores share one rule; an
    empty title is no title, as the importers store it.
    """
    if "title" not in frame.columns or frame.empty:
        return frame
    kinds = frame["kind"] if "kind" in frame.columns else pd.Series("", index=frame.index)
    rows = pd.DataFrame({
        "i": np.arange(len(frame)),
        "body": frame["text"].fillna("").astype(str).to_numpy(),
        "title": [t if isinstance(t, str) and t else None for t in frame["title"]],  # as the importers store it
        "reply": kinds.fillna("").astype(str).str.startswith("reply").to_numpy(),
    })  # fmt: skip
    with Store(":memory:") as store:
        store.con.register("csv_rows", rows)
        read = store.con.execute(
            "SELECT coded_text(CASE WHEN reply THEN 1 ELSE 0 END, NOT reply, body, title) FROM csv_rows ORDER BY i"
        ).fetchall()
    return frame.assign(text=[text for (text,) in read])
