"""The automatic codes against the reviewers' decisions, apart for the random audit and the least certain codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from coding_fixtures import regression_store  # type: ignore[import-not-found]
from sklearn.metrics import cohen_kappa_score

from chrysalide.coding import code
from chrysalide.coding.audit import MIN_KAPPA, describe, review_agreement
from chrysalide.coding.codebook import CODES
from chrysalide.coding.review import decide, review
from chrysalide.errors import InputError
from chrysalide.store import Store


def _reviewer(seen: dict[str, list[tuple[str, str, bool]]]):  # noqa: ANN202 - a test's answer function
    """Keeps two codes in three (by message id) and moves the others to the next stage; records what it saw."""

    def answer(item: dict) -> str:
        shown = item["primary_code"]
        chosen = shown if item["message_id"] % 3 else CODES[(CODES.index(shown) + 1) % len(CODES)]
        seen.setdefault(item["reason"], []).append((shown, chosen, bool(item["needs_review"])))
        return "a" if chosen == shown else str(CODES.index(chosen) + 1)

    return answer


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Store, dict[str, list[tuple[str, str, bool]]]]:
    store = regression_store(tmp_path / "forum")
    code(store, "lexicon", review_below=0.6)
    seen: dict[str, list[tuple[str, str, bool]]] = {}
    review(store, _reviewer(seen), reviewer="ana", n=8, audit=40, seed=3)
    return store, seen


def test_each_part_of_the_queue_is_measured_apart(reviewed) -> None:
    store, seen = reviewed
    found = review_agreement(store.con, n_boot=200)
    assert set(found) == {"audit", "uncertain"} and len(seen["uncertain"]) == 8 and len(seen["audit"]) == 40
    for sample, pairs in seen.items():
        assert (found[sample].n, found[sample].agreed) == (len(pairs), sum(s == c for s, c, _ in pairs))
    audit, uncertain = found["audit"], found["uncertain"]
    expected = cohen_kappa_score([c for _, c, _ in seen["audit"]], [s for s, _, _ in seen["audit"]])
    assert audit.kappa is not None and audit.kappa[0] == pytest.approx(expected, abs=5e-4)
    assert audit.kappa[1] <= audit.kappa[0] <= audit.kappa[2]
    assert uncertain.kappa is None and uncertain.n < MIN_KAPPA  # too few to give a kappa
    confident = [(s, c) for s, c, flagged in seen["audit"] if not flagged]
    assert 0 < len(confident) < 40  # the threshold flagged some of the audit's codes, not all
    assert (audit.confident_n, audit.confident_agreed) == (len(confident), sum(s == c for s, c in confident))
    line = describe(audit)
    assert line.startswith("random audit: 40 code(s) reviewed, ") and "kappa" in line and "not awaiting review" in line


def test_the_decisions_measure_the_newest_automatic_codes(reviewed) -> None:
    store, seen = reviewed
    code(store, "model")  # coding again with another coder: the decisions now measure the model
    model = dict(store.con.execute("SELECT message_id, primary_code FROM codes WHERE origin = 'model'").fetchall())
    human = dict(store.con.execute("SELECT message_id, primary_code FROM codes WHERE origin = 'human'").fetchall())
    samples = dict(store.con.execute(
        "SELECT c.message_id, json_extract_string(r.params, '$.sample') FROM codes c JOIN runs r USING (run_id) "
        "WHERE c.origin = 'human'").fetchall())  # fmt: skip
    found = review_agreement(store.con, n_boot=50)
    for sample in ("audit", "uncertain"):
        ids = [m for m, s in samples.items() if s == sample]
        assert found[sample].agreed == sum(model[m] == human[m] for m in ids)


def test_decisions_without_their_part_of_the_queue_and_copies(tmp_path: Path) -> None:
    store = regression_store(tmp_path / "forum")
    code(store, "lexicon")
    first, second, third = (
        r[0] for r in store.con.execute("SELECT message_id FROM messages ORDER BY 1 LIMIT 3").fetchall()
    )
    decide(store, first, "other", reviewer="bo")  # a script that does not say where the message came from
    decide(store, second, "other", reviewer="bo", sample="audit")
    decide(store, third, "other", reviewer="bo", sample="copy")  # decided along with the one above: not drawn
    found = review_agreement(store.con, n_boot=10)
    assert set(found) == {"unrecorded", "audit"} and found["audit"].n == 1 and found["unrecorded"].n == 1
    assert "kappa from 20 decisions" in describe(found["audit"])
    with pytest.raises(InputError, match="unknown review sample 'random'"):
        decide(store, first, "other", reviewer="bo", sample="random")


def test_no_decision_no_agreement(tmp_path: Path) -> None:
    store = regression_store(tmp_path / "forum")
    code(store, "lexicon")
    assert review_agreement(store.con) == {}
