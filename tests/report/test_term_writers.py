"""A stage's specific term that one member wrote most of is theirs, not the stage's: left out of the reference
words and counted, not named (it can point to its writer).

Regression: on the r/covidlonghaulers histories the community stage's reference words held one member's sign-off
(99 % of its 443 segments by one member), a word that a search could lead back to their account.
"""

from __future__ import annotations

from forum_builder import Forum

from chrysalide.lexical.writers import ONE_WRITER_TERM, term_voices
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_reference_words
from chrysalide.store import Store


def _segments(store: Store) -> int:
    """By hand, a lexical run's segments of community messages, and its specificities by stage (both terms listed);
    returns the run's id. Segments: 'zorbleck' in 4 segments, 3 by member 1 (75 %); 'thank' in
    4, 1 each by members 1-3 and one by a guest (25 %); a collaborative segment of member 1 holds 'zorbleck' too."""
    f = Forum(store)
    for member in (1, 2, 3):
        f.member(member)
    f.thread(1)
    texts = [(1, "zorbleck thank", "community"), (1, "zorbleck", "community"), (1, "zorbleck", "community"),
             (2, "zorbleck thank", "community"), (3, "thank", "community"), (None, "thank", "community"),
             (1, "zorbleck", "collaborative")]  # fmt: skip
    ids = [f.post(m, 1, f"2021-01-0{i + 1} 10:00", t, code=c) for i, (m, t, c) in enumerate(texts)]
    f.save()
    with store.run("lexical", "test-lexical", {}) as run:
        for i, (message_id, (_, terms, _)) in enumerate(zip(ids, texts, strict=True)):
            store.con.execute(
                "INSERT INTO segments VALUES (?, ?, 0, 1, ?, ?, NULL)", [100 + i, message_id, terms, terms]
            )
            store.con.execute("INSERT INTO segment_classes VALUES (?, ?, 1, true, NULL)", [run.run_id, 100 + i])
        for term, specificity in (("zorbleck", 3.0), ("thank", 2.0)):
            store.con.execute("INSERT INTO lexical_specificities VALUES (?, 'stage', 'community', ?, 1, 0.01, 4, 5,"
                              " 0.6, ?)", [run.run_id, term, specificity])  # fmt: skip
    return run.run_id


def test_the_share_of_a_stages_segments_holding_a_term_by_its_most_prolific_member(store: Store) -> None:
    run_id = _segments(store)
    voices = term_voices(store, run_id, [("community", "zorbleck"), ("community", "thank"), ("collaborative", "thank")])
    assert voices == {("community", "zorbleck"): 0.75, ("community", "thank"): 0.25}
    assert voices[("community", "zorbleck")] > ONE_WRITER_TERM > voices[("community", "thank")]
    assert term_voices(store, run_id, []) == {}
    assert term_voices(store, run_id + 1, [("community", "thank")]) == {}  # another run's segments


def test_the_reference_words_leave_out_a_members_own_term_without_naming_it(store: Store) -> None:
    _segments(store)
    section = section_reference_words(Context(store, quotes="all-pseudonymised"))
    (row,) = [r for r in section.tables[0].rows if r[0] == "community"]
    assert row[2] == "thank"
    (said,) = [p for p in section.paragraphs if "left out" in p]
    assert said.startswith("1 term specific enough to be listed is left out: one member wrote more than 67%")
    assert "(community 1)" in said and "zorbleck" not in said
