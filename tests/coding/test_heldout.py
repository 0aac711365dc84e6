"""Held-out messages never reach training: the hashing rule and the shipped training data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from chrysalide.coding.annotated import PROJECT_CODES, annotated_frame, import_corpora, read_project_codes
from chrysalide.coding.heldout import HeldOut, text_hash
from chrysalide.errors import InputError
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
    assert HeldOut.nothing().drop(frame)["text"].tolist() == frame["text"].tolist()


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
        frame = annotated_frame(store, corpora.parent / "annotations", corpora / "HELDOUT_IDS.txt", PROJECT_CODES)
    assert len(frame) > 900 and set(frame["corpus"]) == set(folders)
    ours = pd.read_csv(PROJECT_CODES, dtype=str)
    assert (frame["coders"] == "project").sum() == ours["corpus_folder"].isin(folders).sum()
    assert not frame.loc[frame["coders"] == "project", "held_back"].any()  # ours are never measured on
    # Every annotation of these corpora finds its message, the HTML ones of patient.info included (coded on
    # the source form, stored cleaned of markup): the unmatched ones are those of the corpora not imported.
    gold = heldout.drop(pd.concat([pd.read_csv(corpora.parent / "annotations" / name, dtype=str)
                                   for name in ("stages_train.csv", "stages_more.csv")], ignore_index=True))  # fmt: skip
    assert frame.attrs["unmatched"] == int((~gold["corpus_folder"].isin(folders)).sum()) + int(
        (~ours["corpus_folder"].isin(folders)).sum()
    )
    assert not set(frame["text"].map(text_hash)) & heldout.hashes
    assert not heldout.mask(frame.assign(corpus_folder=frame["corpus"])).any()
    # Our own held-back fifth, of the trained coders' messages only.
    fifth = [int(hashlib.sha256(u.encode()).hexdigest(), 16) % 5 == 0 for u in frame["uid"]]
    assert frame["held_back"].tolist() == [
        f != PROJECT_CODES.name and h for f, h in zip(frame["file"], fifth, strict=True)
    ]


def test_project_codes_carry_no_text_and_no_reserved_id() -> None:
    """Our own codes ship as ids and codes only; none is a message of HELDOUT_IDS.txt (read here directly)."""
    ours = pd.read_csv(PROJECT_CODES, dtype=str, keep_default_na=False)
    assert list(ours.columns) == ["uid", "corpus_folder", "lang", "primary", "secondary", "decentered", "batch"]
    assert len(ours) > 2000 and ours["uid"].is_unique
    assert set(ours["primary"]) == {"individual", "community", "collaborative", "societal", "other"}
    assert ((ours["decentered"] == "0") | (ours["primary"] == "collaborative")).all()
    heldout = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "HELDOUT_IDS.txt"
    if heldout.exists():
        reserved = {(f[0], f[1]) for f in (line.split("\t") for line in heldout.read_text("utf-8").splitlines())
                    if len(f) == 4}  # fmt: skip
        assert not {(c, u.split(":", 1)[1]) for c, u in zip(ours["corpus_folder"], ours["uid"], strict=True)} & reserved


def test_project_codes_errors_name_file_and_record(tmp_path: Path) -> None:
    path = tmp_path / "ours.csv"
    path.write_text("uid,corpus_folder,primary\nf:1,forum,individual\nf:2,forum,helping\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ours.csv: record 2: unknown code 'helping'"):
        read_project_codes(path)
    path.write_text("uid,primary\nf:1,individual\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ours.csv: missing column 'corpus_folder'"):
        read_project_codes(path)
