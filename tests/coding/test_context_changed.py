"""A message whose context a later import changes is coded again (``coding.run.forget_changed_context``).

A forum delivered in two parts: the second brings a member's earlier message, so their message of the first part
is no longer their first (``is_first_post``), which the coder reads. Its code must be made again, as a store that
imported both parts at once codes it; the other codes stand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chrysalide.coding import code
from chrysalide.ingest.loader import ingest
from chrysalide.store import Store

HEADER = "message_id,thread_id,author,posted_at,text\n"
FIRST = (
    "m1,t1,Alice Zorn,2021-03-04 10:00,My dose was changed and I feel awful. What should I ask my doctor?\n"
    "m2,t1,Bob Quill,2021-03-04 11:00,I had the same. Ask for a blood test after six weeks.\n"
)
# Bob's earlier thread, delivered later: his reply m2 is no longer his first message.
LATER = "m0,t0,Bob Quill,2021-02-01 09:00,Hello everyone. I was just diagnosed and I am scared.\n"


def _codes(store: Store) -> dict[str, tuple[int, str | None]]:
    """native id -> (run, context) of the lexicon's codes."""
    rows = store.con.execute(
        "SELECT m.native_id, c.run_id, c.context FROM codes c JOIN messages m USING (message_id)"
        " WHERE c.origin = 'lexicon' ORDER BY m.native_id"
    ).fetchall()
    return {native: (run, context) for native, run, context in rows}


def test_a_message_no_longer_first_is_coded_again(store: Store, tmp_path: Path) -> None:
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    first.write_text(HEADER + FIRST, encoding="utf-8")
    later.write_text(HEADER + LATER, encoding="utf-8")
    ingest(store, first, source_name="forum")
    [run1] = code(store, "lexicon")
    # kind, then first post, reply to another, own thread: Bob's reply is his first, to Alice, in her thread.
    assert _codes(store) == {"m1": (run1.run_id, "thread_start:101"), "m2": (run1.run_id, "reply:110")}
    ingest(store, later, source_name="forum")
    [run2] = code(store, "lexicon")
    assert run2.summary["coded_again"] == 1
    assert run2.summary["coded"] == 2  # m0, new, and m2 again
    assert _codes(store) == {
        "m0": (run2.run_id, "thread_start:101"),
        "m1": (run1.run_id, "thread_start:101"),
        "m2": (run2.run_id, "reply:010"),
    }
    [run3] = code(store, "lexicon")
    assert run3.up_to_date


def test_codes_without_a_context_stand(store: Store, tmp_path: Path) -> None:
    """Codes made before the context was kept (NULL) are not coded again: nobody knows what they read."""
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    first.write_text(HEADER + FIRST, encoding="utf-8")
    later.write_text(HEADER + LATER, encoding="utf-8")
    ingest(store, first, source_name="forum")
    code(store, "lexicon")
    store.con.execute("UPDATE codes SET context = NULL")
    ingest(store, later, source_name="forum")
    [again] = code(store, "lexicon")
    assert (again.summary["coded_again"], again.summary["coded"]) == (0, 1)


PATIENT_INFO = "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json"


@pytest.mark.corpora
def test_patient_info_in_two_deliveries_codes_as_at_once(corpora: Path, tmp_path: Path) -> None:
    """patient.info's threads delivered in two parts (those started before 2017, then the others) and coded after each
    part: every message ends with the code of a store that imported them at once."""
    forums = json.loads((corpora / PATIENT_INFO).read_text(encoding="utf-8"))
    parts: list[dict[str, list[dict]]] = [{}, {}]
    for group, threads in forums.items():
        for thread in threads:
            part = parts[thread["date posted"] >= "2017"]
            part.setdefault(group, []).append(thread)
    files = []
    for i, part in enumerate(parts):
        files.append(tmp_path / f"part{i}.json")
        files[-1].write_text(json.dumps(part), encoding="utf-8")
    whole = ("SELECT m.native_id, c.primary_code, c.confidence, c.needs_review, c.context"
             " FROM current_codes c JOIN messages m USING (message_id) ORDER BY m.native_id")  # fmt: skip
    with Store(tmp_path / "once.duckdb") as once:
        ingest(once, corpora / PATIENT_INFO, source_name="forum")
        code(once)
        expected = once.con.execute(whole).fetchall()
    with Store(tmp_path / "twice.duckdb") as twice:
        (tmp_path / "twice.key").write_bytes((tmp_path / "once.key").read_bytes())  # the same pseudonyms
        for path in files:
            ingest(twice, path, source_name="forum", format="patientinfo")
            [result] = code(twice)
        assert result.summary["coded_again"] > 0  # members of the second part who had posted in the first
        got = twice.con.execute(whole).fetchall()
    # The same codes and context; confidences equal but for the last digits of sums made in other batches.
    assert [(r[0], r[1], r[3], r[4]) for r in got] == [(r[0], r[1], r[3], r[4]) for r in expected]
    assert [r[2] for r in got] == pytest.approx([r[2] for r in expected], abs=1e-5)
