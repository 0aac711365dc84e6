"""The automatic codes against the reviewers' decisions, apart for the random audit and the least certain codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from coding_fixtures import regression_store  # type: ignore[import-not-found]
from sklearn.metrics import cohen_kappa_score

from chrysalide.coding import code, train
from chrysalide.coding.audit import describe, review_agreement
from chrysalide.coding.codebook import CODES
from chrysalide.coding.review import decide, review
from chrysalide.coding.training import review_decisions
from chrysalide.errors import InputError
from chrysalide.store import Store

Seen = dict[int, tuple[str, str, str, bool]]  # message id: (part of the queue, code shown, code chosen, flagged)


def _reviewer(seen: Seen):  # noqa: ANN202 - a test's answer function
    """Keeps two codes in three (by message id) and moves the others to the next stage; records what it saw."""

    def answer(item: dict) -> str:
        shown = item["primary_code"]
        chosen = shown if item["message_id"] % 3 else CODES[(CODES.index(shown) + 1) % len(CODES)]
        seen[int(item["message_id"])] = (item["reason"], shown, chosen, bool(item["needs_review"]))
        return "a" if chosen == shown else str(CODES.index(chosen) + 1)

    return answer


def draw_order(store: Store, seed: int) -> list[int]:
    """The audit's draw order, as the review queue defines it."""
    sql = "SELECT message_id FROM messages ORDER BY hash(message_id + ?), message_id"
    return [r[0] for r in store.con.execute(sql, [seed]).fetchall()]


def reached(store: Store, seed: int, audited: set[int]) -> set[int]:
    """Every message up to the last audited one in the draw order."""
    order = draw_order(store, seed)
    return set(order[: max(order.index(m) for m in audited) + 1])


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Store, Seen]:
    """The least certain codes reviewed first, then a random audit in a second session (as a team would)."""
    store = regression_store(tmp_path / "forum")
    code(store, "lexicon", review_below=0.6)
    seen: Seen = {}
    review(store, _reviewer(seen), reviewer="ana", n=30, audit=0)
    review(store, _reviewer(seen), reviewer="ana", n=0, audit=40, seed=3)
    return store, seen


def test_each_part_of_the_queue_is_measured_apart(reviewed) -> None:
    store, seen = reviewed
    found = review_agreement(store.con, n_boot=200)
    audited = {m for m, (part, *_) in seen.items() if part == "audit"}
    assert len(audited) == 40 and len(seen) == 70
    # The audit's sample: every decided message its draw reached, the least certain ones decided before included
    # (the draw skipped them, but leaving them out would leave out the hardest codes).
    sample = {m: seen[m] for m in reached(store, 3, audited) if m in seen}
    assert 40 < len(sample) < 70  # some least certain codes were reached, not all
    uncertain = {m: v for m, v in seen.items() if v[0] == "uncertain"}
    for name, part in (("audit", sample), ("uncertain", uncertain)):
        assert (found[name].n, found[name].agreed) == (len(part), sum(s == c for _, s, c, _ in part.values()))
    audit = found["audit"]
    expected = cohen_kappa_score([c for _, _, c, _ in sample.values()], [s for _, s, _, _ in sample.values()])
    assert audit.kappa is not None and audit.kappa[0] == pytest.approx(expected, abs=5e-4)
    assert audit.kappa[1] <= audit.kappa[0] <= audit.kappa[2]
    confident = [(s, c) for _, s, c, flagged in sample.values() if not flagged]
    assert 0 < len(confident) < len(sample)  # the threshold flagged some of the sample's codes, not all
    assert (audit.confident_n, audit.confident_agreed) == (len(confident), sum(s == c for s, c in confident))
    line = describe(audit)
    assert line.startswith(f"random audit: {len(sample)} code(s) reviewed, ") and "kappa" in line
    assert "not awaiting review" in line
    assert set(found) == {"audit", "uncertain"}


def test_the_decisions_measure_the_newest_automatic_codes(reviewed) -> None:
    store, seen = reviewed
    code(store, "model")  # coding again with another coder: the decisions now measure the model
    model = dict(store.con.execute("SELECT message_id, primary_code FROM codes WHERE origin = 'model'").fetchall())
    human = dict(store.con.execute("SELECT message_id, primary_code FROM codes WHERE origin = 'human'").fetchall())
    found = review_agreement(store.con, n_boot=50)
    sample = reached(store, 3, {m for m, v in seen.items() if v[0] == "audit"}) & set(human)
    assert found["audit"].agreed == sum(model[m] == human[m] for m in sample)
    uncertain = [m for m, v in seen.items() if v[0] == "uncertain"]
    assert found["uncertain"].agreed == sum(model[m] == human[m] for m in uncertain)


def test_decisions_without_their_part_of_the_queue_and_copies(tmp_path: Path) -> None:
    store = regression_store(tmp_path / "forum")
    code(store, "lexicon")
    order = draw_order(store, 0)
    # In the draw order: a copy decided with an audited message (reached by the draw), the audited message, then a
    # decision a script made without saying where its message came from (beyond the draw).
    copy, audited, script = order[0], order[1], order[5]
    decide(store, audited, "other", reviewer="bo", sample="audit")
    decide(store, copy, "other", reviewer="bo", sample="copy")
    decide(store, script, "other", reviewer="bo")
    found = review_agreement(store.con, n_boot=10)
    assert set(found) == {"unrecorded", "audit"} and found["audit"].n == 2 and found["unrecorded"].n == 1
    assert "kappa from 20 decisions" in describe(found["audit"])
    with pytest.raises(InputError, match="unknown review sample 'random'"):
        decide(store, script, "other", reviewer="bo", sample="random")


def test_no_decision_no_agreement(tmp_path: Path) -> None:
    store = regression_store(tmp_path / "forum")
    code(store, "lexicon")
    assert review_agreement(store.con) == {}


def test_a_model_learns_from_the_audits_decisions_only_on_request(reviewed, tmp_path: Path) -> None:
    """A model trained on the least certain codes coded the rest of a forum worse (docs/coding.md): ``audit_only``
    keeps the audit's sample, the decided messages its draw reached."""
    store, seen = reviewed
    sample = reached(store, 3, {m for m, v in seen.items() if v[0] == "audit"}) & set(seen)
    assert set(review_decisions(store, audit_only=True)["message_id"]) == sample
    assert len(review_decisions(store)) == len(seen) == 70
    result = train(store=store, out=tmp_path / "m.npz", audit_only=True, settings={"min_df": 1})
    assert result["n"] == len(sample) and result["audit"]["n"] == len(sample)


def test_audit_only_needs_the_review_decisions(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chrysalide.cli.main import app

    gold = tmp_path / "gold.csv"
    gold.write_text("text,primary\nmerci à toutes,community\nsignez la pétition,societal\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["code", "train", "--out", str(tmp_path / "m.npz"), "--gold", str(gold),
                                      "--audit-only"])  # fmt: skip
    assert isinstance(result.exception, InputError)  # the command line's entry point prints it and exits 2
    assert "--audit-only chooses among the review decisions: give --from-review too" in str(result.exception)
