"""A CSV of messages coded or learned without a database reads a thread start's title as a store does.

The trained coders read each thread start's title beside its text (the annotation files' ``title`` column), and
the coding step reads it so (``coding.context``, ``context/2``). ``code apply`` and ``code train --gold`` read a
``title`` column by the same rule, so that a file and a store give the model the same text.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.coding import CODES, train
from chrysalide.coding.context import read_as_coded
from chrysalide.coding.heldout import text_hash
from chrysalide.coding.training import read_gold

runner = CliRunner()
TITLE = "Petition: write to your MP and sign to keep our treatment reimbursed"
BODY = "Link is in the comments."


def _apply(tmp_path: Path, frame: pd.DataFrame, name: str) -> pd.DataFrame:
    source, out = tmp_path / f"{name}.csv", tmp_path / f"{name}-codes.csv"
    frame.to_csv(source, index=False)
    result = runner.invoke(app, ["code", "apply", "--input", str(source), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["messages"] == len(frame)
    return pd.read_csv(out, keep_default_na=False)


def test_apply_reads_a_thread_starts_title(tmp_path: Path) -> None:
    base = {"uid": ["a", "b"], "lang": ["en", "en"], "kind": ["thread_start", "reply"]}
    titled = _apply(tmp_path, pd.DataFrame({**base, "text": [BODY, BODY], "title": [TITLE, TITLE]}), "titled")
    by_hand = _apply(tmp_path, pd.DataFrame({**base, "text": [f"{TITLE}\n\n{BODY}", BODY]}), "by-hand")
    untitled = _apply(tmp_path, pd.DataFrame({**base, "text": [BODY, BODY]}), "untitled")
    scores = [f"score_{c}" for c in CODES]
    # The thread start is read as its title, a blank line, then its body; a reply's title is not read.
    pd.testing.assert_frame_equal(titled, by_hand)
    assert titled.loc[1, scores].tolist() == untitled.loc[1, scores].tolist()
    assert titled.loc[0, scores].tolist() != untitled.loc[0, scores].tolist()


def test_train_holds_out_a_titled_message_by_its_own_text(tmp_path: Path) -> None:
    reserved = "I was diagnosed last week and I am scared, does anyone know what happens next?"
    rows = [("r", reserved, "Newly diagnosed", "individual")]
    rows += [(f"i{k}", f"I have pain number {k} and need advice", f"Question {k}", "individual") for k in range(4)]
    rows += [(f"c{k}", f"Welcome {k}, try asking your doctor about it", "", "collaborative") for k in range(4)]
    gold = tmp_path / "gold.csv"
    pd.DataFrame(rows, columns=["uid", "text", "title", "primary"]).to_csv(gold, index=False)
    heldout = tmp_path / "HELDOUT_IDS.txt"
    heldout.write_text(f"forum\t-\t \t{text_hash(reserved)}\n", encoding="utf-8")
    # Matched on the file's text before the title joins it: the reserved message is not learned.
    assert train(gold=gold, out=tmp_path / "m.npz", heldout=heldout, settings={"min_df": 1})["n"] == 8
    assert train(gold=gold, out=tmp_path / "m.npz", settings={"min_df": 1})["n"] == 9


@pytest.mark.corpora
def test_annotation_files_are_read_with_their_titles(corpora: Path) -> None:
    path = corpora.parent / "annotations" / "stages_more.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    with path.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    expected = []
    for row in raw:  # the rule written out over the raw file: a title opens a thread start's text, once
        title, text = row["title"].strip(" "), row["text"]  # trimmed of spaces, as SQL's trim does
        starts = row["kind"] == "thread_start" and title
        if starts and (len(text.strip(" ")) < 3 or text.strip(" ").lower() in ("[removed]", "[deleted]")):
            expected.append(row["title"])  # a removed body: coded on its title
        else:
            expected.append(f"{title}\n\n{text}" if starts and not text.lstrip(" ").startswith(title) else text)
    read = read_as_coded(read_gold(path))["text"].tolist()
    assert read == expected
    assert sum(a != row["text"] for a, row in zip(read, raw, strict=True)) >= 900  # most titled starts of the file
