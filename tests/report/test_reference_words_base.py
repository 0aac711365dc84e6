"""The reference words by stage say how many messages and segments of each stage their terms rest on, and call a
stage's terms anecdotal below 10 messages or 30 segments.

Regression: patient.info's societal words came from 5 messages (18 segments) with nothing shown beside them.
Built by hand: 12 individual messages of 3 segments (36), 12 community messages of 2 (24: too few segments), 2
societal messages of 3 (6: too few of both), 1 other message (not a study stage), and one lexical run over them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum  # noqa: E402

from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections.lexical import section_reference_words  # noqa: E402
from chrysalide.store import Store  # noqa: E402

MESSAGES = {"individual": (12, 3), "community": (12, 2), "societal": (2, 3), "other": (1, 4)}  # messages, segments


def test_each_stage_says_what_its_terms_rest_on_and_few_are_anecdotal(store: Store) -> None:
    f = Forum(store)
    f.member(1), f.thread(1)
    segments = []
    for stage, (messages, each) in MESSAGES.items():
        for _ in range(messages):
            message_id = f.post(1, 1, "2021-01-01 10:00", code=stage)
            segments += [(message_id, seq) for seq in range(each)]
    f.save()
    with store.run("lexical", "test-lexical", {}) as run:
        for i, (message_id, seq) in enumerate(segments, 1):
            store.con.execute(
                "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms)"
                " VALUES (?, ?, ?, 1, 'a word', 'word')",
                [i, message_id, seq],
            )
            store.con.execute("INSERT INTO segment_classes VALUES (?, ?, 1, true, NULL)", [run.run_id, i])
        for stage in MESSAGES:
            store.con.execute(
                "INSERT INTO lexical_specificities VALUES (?, 'stage', ?, 'word', 1.0, 0.5, 1, 1, 1.0, 2.0)",
                [run.run_id, stage],
            )
    section = section_reference_words(Context(store))
    rows = {row[0]: row[1] for row in section.tables[0].rows}
    assert rows == {"individual": "12 / 36", "community": "12 / 24", "collaborative": "0 / 0", "societal": "2 / 6"}
    assert section.paragraphs == [
        "Anecdotal terms: community rests on 12 messages (24 segments); societal on 2 messages (6 segments). Below "
        "10 messages or 30 segments, a stage's specific terms are the topics of a few messages, not the stage's words."
    ]
