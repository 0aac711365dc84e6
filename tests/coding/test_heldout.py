"""Held-out messages never reach training: the hashing rule and the shipped training data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from chrysalide.coding.annotated import annotated_frame, import_corpora
from chrysalide.coding.heldout import HeldOut, text_hash
from chrysalide.store import Store


def test_hash_rule() -> None:
    text = "  Hello\n\tWORLD  " + "x" * 3000
    canonical = ("hello world " + "x" * 3000)[: len("hello world ") + 2500 - len("  Hello\n\tWORLD  ")]
    assert text_hash(text) == hashlib.sha256(canonical.strip().encode()).hexdigest()
    assert text_hash("A  b") == text_hash("a b")


def test_drop_by_hash_prefix_and_id(tmp_path: Path) -> None:
    kept, by_hash, by_prefix = "a message that stays in", "Reserved message", "P" * 45 + " and a different ending"
    path = tmp_path / "HELDOUT_IDS.txt"
    path.write_text(
        "# header\n"
        f"forum_x\t-\tReserved message\t{text_hash(by_hash)}\n"
        f"forum_x\t-\t{by_prefix[:60]}\t{'0' * 64}\n"
        f"forum_y\tabc\tnothing alike\t{'1' * 64}\n",
        encoding="utf-8",
    )
    frame = pd.DataFrame({"uid": ["f:1", "f:2", "f:3", "y:abc"], "corpus_folder": ["forum_x", "forum_x", "forum_x",
                          "forum_y"], "text": [kept, by_hash.upper(), by_prefix, "other text"]})  # fmt: skip
    assert HeldOut.read(path).drop(frame)["text"].tolist() == [kept]


@pytest.mark.slow
def test_no_training_text_is_held_out(corpora: Path, tmp_path: Path) -> None:
    """The shipped model's data, built as train_default builds it (here from the four smaller corpora)."""
    heldout = HeldOut.read(corpora / "HELDOUT_IDS.txt")
    folders = [
        "patientinfo_inflammation_en",
        "reddit_breastcancer_en",
        "fivfr_pma_forum_fr",
        "doctissimo_intentions_fr",
    ]
    with Store(tmp_path / "a.duckdb") as store:
        import_corpora(store, corpora, folders)
        frame = annotated_frame(store, corpora.parent / "annotations", corpora / "HELDOUT_IDS.txt")
    assert len(frame) > 900 and set(frame["corpus"]) == set(folders)
    # Every annotation of these corpora finds its message, the HTML ones of patient.info included (coded on
    # the source form, stored cleaned of markup): the unmatched ones are those of the corpora not imported.
    gold = heldout.drop(pd.concat([pd.read_csv(corpora.parent / "annotations" / name, dtype=str)
                                   for name in ("stages_train.csv", "stages_more.csv")], ignore_index=True))  # fmt: skip
    assert frame.attrs["unmatched"] == int((~gold["corpus_folder"].isin(folders)).sum())
    assert not set(frame["text"].map(text_hash)) & heldout.hashes
    assert not heldout.mask(frame.assign(corpus_folder=frame["corpus"])).any()
    # Our own held-back fifth, independently: sha256 of the uid modulo 5.
    assert frame["held_back"].tolist() == [int(hashlib.sha256(u.encode()).hexdigest(), 16) % 5 == 0
                                           for u in frame["uid"]]  # fmt: skip
