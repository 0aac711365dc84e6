"""Who writes a class: how many members, and the share of its segments that its most prolific member wrote.

A Reinert class gathers segments whose words co-occur; a prolific member's own way of writing (their
greetings, their sign-off, a podcast they name, the same post sent to several subreddits) makes their segments
resemble each other more than anyone else's, so that a class can be one member's voice rather than a theme
of the forum. Alceste and IRaMuTeQ show it through the specificities of a starred member variable
(``*member``, Reinert 1990; Ratinaud 2014); here each class carries its number of writers and the largest
member's share of its segments, and a class of which one member wrote more than ``ONE_VOICE`` is named
as such in the report and the dashboard. On the 86 r/covidlonghaulers user histories (k = 10), three classes cross it (48%,
63% and 99%); the other seven stay under 15% (docs/lexical.md).

Segments whose message has no member (a guest, a deleted account) count in the class's size, not as a
writer.
"""

from __future__ import annotations

from typing import NamedTuple

from chrysalide.store import Store

#: A class more than this share of whose segments one member wrote reads as that member's voice.
ONE_VOICE = 1 / 3

#: Per final class of run ``?``: ``writers`` (members with a segment in it) and ``top_writer_share``.
WRITERS_SQL = """
WITH per AS (
    SELECT k.class, m.member_id, count(*) AS n
    FROM segment_classes k JOIN segments s USING (segment_id) JOIN messages m ON m.message_id = s.message_id
    WHERE k.run_id = ? AND k.class >= 1
    GROUP BY ALL)
SELECT class, count(member_id) AS writers,
       coalesce(max(n) FILTER (WHERE member_id IS NOT NULL), 0) / sum(n) AS top_writer_share
FROM per GROUP BY class ORDER BY class
"""


class Writers(NamedTuple):
    """The members who wrote a class's segments: how many, and the largest one's share of the segments."""

    writers: int
    top_writer_share: float


def class_writers(store: Store, run_id: int) -> dict[int, Writers]:
    """:class:`Writers` of each class of the run's final partition, by class number."""
    return {int(c): Writers(int(n), float(top)) for c, n, top in store.con.execute(WRITERS_SQL, [run_id]).fetchall()}


def one_voice(writers: dict[int, Writers]) -> dict[int, Writers]:
    """The classes of :func:`class_writers` whose largest member wrote more than ``ONE_VOICE`` of the segments."""
    return {c: w for c, w in writers.items() if w.top_writer_share > ONE_VOICE}


#: A stage's specific term more than this share of whose segments one member wrote is that member's word (a
#: sign-off, a signature, a drug only they take), not the stage's. Higher than ``ONE_VOICE``: a stage's terms are
#: also the topics a prolific member writes about, and on the r/covidlonghaulers histories, where two members wrote
#: 22 % of the corpus, one member wrote 30-60 % of the collaborative segments holding "help", "time" or "issue",
#: and 98-99 % of those holding a drug's name only they wrote about or the word of their sign-off.
ONE_WRITER_TERM = 2 / 3

# Per (stage, term) of the candidates registered as ``chrys_stage_terms``: the largest member's share of the run's
# segments of that stage's messages (current code) that hold the term. A segment of no member counts in the total.
_TERM_WRITERS_SQL = """
WITH hits AS (
    SELECT c.primary_code AS stage, t.term, m.member_id
    FROM segment_classes k JOIN segments s USING (segment_id)
    JOIN current_codes c ON c.message_id = s.message_id JOIN messages m ON m.message_id = s.message_id
    JOIN chrys_stage_terms t ON t.stage = c.primary_code AND list_contains(string_split(s.terms, ' '), t.term)
    WHERE k.run_id = ?),
per AS (SELECT stage, term, member_id, count(*) AS n FROM hits GROUP BY ALL)
SELECT stage, term, coalesce(max(n) FILTER (WHERE member_id IS NOT NULL), 0) / sum(n) AS top_writer_share
FROM per GROUP BY stage, term
"""


def term_voices(store: Store, run_id: int, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """For each (stage, term) of ``pairs``, the share of the segments of the stage's messages holding the term (of
    lexical run ``run_id``) that its most prolific member wrote: above :data:`ONE_WRITER_TERM` the term is that
    member's, not the stage's."""
    if not pairs:
        return {}
    import pandas as pd

    store.register("chrys_stage_terms", pd.DataFrame(pairs, columns=["stage", "term"]))
    try:
        rows = store.con.execute(_TERM_WRITERS_SQL, [run_id]).fetchall()
    finally:
        store.con.unregister("chrys_stage_terms")
    return {(str(stage), str(term)): float(share) for stage, term, share in rows}
