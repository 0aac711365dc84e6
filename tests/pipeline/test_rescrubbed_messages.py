"""A message whose text a later import scrubs again is processed again by the text step and by the coders.

Regression: a name first seen in a later import was replaced in an earlier member's message (``rescrubbed``);
the text step derived that message again, but its codes stayed those drawn from the text as it was. Expected
values come from the hand-made Reddit files below and the documented pseudonym (an HMAC, docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path

from chrysalide.coding import code
from chrysalide.coding.review import decide
from chrysalide.ingest import ingest
from chrysalide.pipeline import pipeline
from chrysalide.store import Store
from chrysalide.text import process

FIRST = [
    {"id": "p1", "title": "Brain fog again", "selftext": "I have had brain fog for months and my doctor says rest.",
     "author": "alice_wonder"},
    {"id": "c1", "body": "We should all ask carol_smith9 about her pacing plan, she helped our group a lot.",
     "link_id": "t3_p1", "parent_id": "t3_p1", "author": "bob_77"},
    {"id": "c2", "body": "Thank you, I feel less alone with this.", "link_id": "t3_p1", "parent_id": "t1_c1",
     "author": "alice_wonder"},
]  # fmt: skip
# carol_smith9 writes for the first time: her name, in c1 since the first import, is now a member's.
LATER = [{"id": "p2", "title": "Pacing", "selftext": "Happy to share my plan here.", "author": "carol_smith9"}]


def _dump(path: Path, posts: list[dict[str, str]], start: int) -> Path:
    lines = [
        json.dumps({**p, "subreddit": "covidlonghaulers", "created_utc": start + 100 * i}) for i, p in enumerate(posts)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pseudonym(key_file: Path, name: str) -> str:
    digest = hmac.new(key_file.read_bytes(), f"rd\x1fname:{name}".encode(), hashlib.sha256).hexdigest()
    return "M-" + digest[:10]


Derived = dict[str, tuple[int, str, int]]


def _derived(store: Store) -> Derived:
    """Per message: the text step's run, its segments' text, and the run of its machine code."""
    rows = store.con.execute(
        "SELECT m.native_id, f.run_id, string_agg(s.text, ' ' ORDER BY s.seq), any_value(c.run_id)"
        " FROM messages m JOIN text_features f USING (message_id) LEFT JOIN segments s USING (message_id)"
        " LEFT JOIN codes c ON c.message_id = m.message_id AND c.origin <> 'human' GROUP BY 1, 2"
    ).fetchall()
    return {native: (text_run, text, code_run) for native, text_run, text, code_run in rows}


def _import_twice(folder: Path, store: Store, analyse: Callable[[Store], object]) -> tuple[Derived, Derived]:
    ingest(store, _dump(folder / "first.ndjson", FIRST, 1_600_000_000), format="reddit", source_name="rd")
    analyse(store)
    before = _derived(store)
    report = ingest(store, _dump(folder / "later.ndjson", LATER, 1_600_100_000), format="reddit", source_name="rd")
    assert report.rescrubbed == 1
    analyse(store)
    return before, _derived(store)


def _check(key_file: Path, before: Derived, after: Derived) -> None:
    carol = _pseudonym(key_file, "carol_smith9")
    assert "carol_smith9" in before["t1_c1"][1]
    assert after["t1_c1"][1] == f"We should all ask {carol} about her pacing plan, she helped our group a lot."
    # The changed message was derived and coded again, by the second runs; the others were not redone.
    assert after["t1_c1"][0] > before["t1_c1"][0] and after["t1_c1"][2] > before["t1_c1"][2]
    assert after["t1_c1"][0] == after["t3_p2"][0] and after["t1_c1"][2] == after["t3_p2"][2]
    for native in ("t3_p1", "t1_c2"):
        assert after[native] == before[native]


def test_the_text_step_and_a_coder_process_a_rescrubbed_message_again(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        before, after = _import_twice(tmp_path, store, lambda s: (process(s), code(s, "lexicon")))
    _check(tmp_path / "db.key", before, after)


def test_the_pipeline_processes_a_rescrubbed_message_again_and_keeps_a_reviewer_code(tmp_path: Path) -> None:
    def analyse(store: Store) -> None:
        pipeline(store, steps=["text", "code"])
        if not store.con.execute("SELECT count(*) FROM codes WHERE origin = 'human'").fetchone()[0]:
            (message_id,) = store.con.execute("SELECT message_id FROM messages WHERE native_id = 't1_c1'").fetchone()
            decide(store, message_id, "collaborative", reviewer="ann")

    with Store(tmp_path / "db.duckdb") as store:
        before, after = _import_twice(tmp_path, store, analyse)
        current = store.con.execute(
            "SELECT c.origin, c.coder, c.primary_code FROM current_codes c JOIN messages m USING (message_id)"
            " WHERE m.native_id = 't1_c1'"
        ).fetchone()
    _check(tmp_path / "db.key", before, after)
    assert current == ("human", "ann", "collaborative")  # the scrub replaced a name: the reviewer's reading stands
