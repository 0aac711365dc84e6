"""The coding commands through typer's CliRunner (and one real process for the error path)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coding_fixtures import fill  # type: ignore[import-not-found]
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.coding import CODES
from chrysalide.coding.partition import worker_coder
from chrysalide.errors import ConfigError, InputError
from chrysalide.store import Store

MESSAGES = Path(__file__).resolve().parents[1] / "data" / "coding" / "messages.csv"
runner = CliRunner()


@pytest.mark.parametrize("coder", ["lexicon", "model"])
def test_apply_csv(tmp_path: Path, coder: str) -> None:
    source = tmp_path / "in.csv"
    frame = pd.read_csv(MESSAGES)
    frame["kind"] = "reply"
    frame[["uid", "text", "lang", "kind"]].to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["code", "apply", "--input", str(source), "--out", str(out), "--coder", coder])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == ["uid", "primary", "secondary", "decentered", *[f"score_{c}" for c in CODES],
                                   "confidence", "needs_review", "lang_supported"]  # fmt: skip
    assert table["uid"].tolist() == frame["uid"].tolist()
    right = table["primary"] == frame["code"]
    assert right.all() if coder == "lexicon" else right.mean() >= 0.8
    assert set(table["decentered"]) <= {0, 1}
    # Flagged by the coder's own codebook: the shipped model embeds the one it was trained with (en, fr).
    languages = set(worker_coder(coder)[0].languages())
    assert table["lang_supported"].tolist() == [int(lang in languages) for lang in frame["lang"]]
    scores = table[[f"score_{c}" for c in CODES]].to_numpy()
    # The confidence is the score of the primary code (for the model not always the highest: docs/coding.md).
    of_primary = [row[f"score_{code}"] for code, (_, row) in zip(table["primary"], table.iterrows(), strict=True)]
    assert np.allclose(table["confidence"], of_primary, atol=1e-4)
    result = runner.invoke(app, ["code", "apply", "--input", str(source), "--out", str(out), "--coder", coder,
                                 "--review-below", "1", "--json"])  # fmt: skip
    summary = json.loads(result.output)
    assert summary["needs_review"] == len(frame)  # every confidence is below 1
    expected = {c: round(float(scores[:, i].mean() / scores.mean(axis=0).sum()), 4) for i, c in enumerate(CODES)}
    assert summary["estimated_shares"] == pytest.approx(expected, abs=2e-4)


def test_apply_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,hello\n", encoding="utf-8")
    result = runner.invoke(app, ["code", "apply", "--input", str(bad), "--out", str(tmp_path / "o.csv")])
    assert isinstance(result.exception, InputError) and "bad.csv: missing column 'uid'" in str(result.exception)
    missing = runner.invoke(app, ["code", "apply", "--input", str(tmp_path / "no.csv"), "--out", "o.csv"])
    assert "no.csv: no such file" in str(missing.exception)


def test_apply_error_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01uid,text")
    proc = subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", "code", "apply",
                           "--input", "bin.csv", "--out", "o.csv"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert proc.returncode == 2 and "bin.csv: binary file" in proc.stderr and "Traceback" not in proc.stderr


def test_evaluate_and_agreement(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold.csv", tmp_path / "pred.csv"
    pd.DataFrame({"uid": list("abcd"), "primary": ["individual", "individual", "community", "community"]}).to_csv(
        gold, index=False)  # fmt: skip
    pd.DataFrame({"uid": list("abcd"), "primary": ["individual", "community", "community", "community"]}).to_csv(
        pred, index=False)  # fmt: skip
    result = runner.invoke(app, ["code", "evaluate", "--gold", str(gold), "--pred", str(pred), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kappa"] == pytest.approx(0.5) and report["per_class"]["community"]["precision"] == pytest.approx(
        2 / 3
    )
    text = runner.invoke(app, ["code", "evaluate", "--gold", str(gold), "--pred", str(pred)]).stdout
    assert "macro-F1" in text and "confusion" in text
    agree = json.loads(runner.invoke(app, ["code", "agreement", str(gold), str(pred), "--json"]).stdout)
    assert agree["n"] == 4 and agree["cohen_kappa"] == pytest.approx(0.5)
    # alpha by hand: o_ii = 2, o_ic = o_ci = 1, o_cc = 4 -> (7*6 - (3*2 + 5*4)) / (8*7 - 26) = 16/30
    assert agree["krippendorff_alpha"] == pytest.approx(16 / 30)


def test_evaluate_prints_calibration_when_predictions_carry_confidence(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold.csv", tmp_path / "pred.csv"
    pd.DataFrame({"uid": list("abcd"), "primary": ["individual", "individual", "community", "community"]}).to_csv(
        gold, index=False)  # fmt: skip
    pd.DataFrame({"uid": list("abcd"), "primary": ["individual", "community", "community", "community"],
                  "confidence": [0.95, 0.65, 0.65, 0.25]}).to_csv(pred, index=False)  # fmt: skip
    report = json.loads(
        runner.invoke(app, ["code", "evaluate", "--gold", str(gold), "--pred", str(pred), "--json"]).stdout
    )
    # Bins: (0.2, 0.3] d right at .25; (0.6, 0.7] b wrong and c right at .65; (0.9, 1] a right at .95.
    # ECE = 1/4 * |1 - .25| + 2/4 * |.5 - .65| + 1/4 * |1 - .95| = 0.1875 + 0.075 + 0.0125
    assert report["ece"] == pytest.approx(0.275)
    # The 50 % most confident: a (0.95) and b (0.65, first of the tie): one right, one wrong -> kappa 0.
    assert report["kappa_at_coverage"]["0.5"] == {"kappa": pytest.approx(0.0), "n": 2}
    text = runner.invoke(app, ["code", "evaluate", "--gold", str(gold), "--pred", str(pred)]).stdout
    assert "expected calibration error 0.275" in text and "kappa of the most confident codes" in text
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"uid": ["a"], "primary": ["individual"], "confidence": ["high"]}).to_csv(bad, index=False)
    result = runner.invoke(app, ["code", "evaluate", "--gold", str(gold), "--pred", str(bad)])
    assert "record 1: confidence must be a number between 0 and 1" in str(result.exception)


def test_codebook_copy_and_db_commands(tmp_path: Path) -> None:
    out = tmp_path / "cb.yaml"
    assert runner.invoke(app, ["code", "codebook", "--out", str(out)]).exit_code == 0 and out.is_file()
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        fill(store)
    result = runner.invoke(app, ["code", "--db", str(db), "--coder", "lexicon", "--codebook", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["summary"]["coded"] == 6
    review = runner.invoke(app, ["review", "--db", str(db), "--reviewer", "cy", "--n", "3", "--audit", "0",
                                 "--json"], input="1\n5\nz\ns\n")  # fmt: skip
    assert review.exit_code == 0, review.output
    counts = json.loads(review.stdout)
    assert counts["accepted"] + counts["changed"] == 2 and counts["skipped"] == 1
    assert counts["agreement"]["uncertain"]["n"] == 2 and counts["agreement"]["uncertain"]["kappa"] is None
    with Store(db, read_only=True) as store:
        humans = store.con.execute("SELECT count(*) FROM codes WHERE origin = 'human' AND coder = 'cy'").fetchone()
    assert humans == (2,)
    # Without --json: the counts, then the automatic codes against every decision of the database.
    audit = runner.invoke(app, ["review", "--db", str(db), "--reviewer", "cy", "--n", "0", "--audit", "2"],
                          input="a\na\n")  # fmt: skip
    assert audit.exit_code == 0, audit.output
    lines = audit.stdout.splitlines()
    assert lines[0] == "accepted 2, changed 0, skipped 0"
    # The audit's sample: the two audited, and the decided messages its draw reached (tests/coding/test_audit.py).
    assert re.match(r"  random audit: [234] code\(s\) reviewed, \d+% kept \(kappa from 20 decisions\)", lines[2])
    assert lines[3].startswith(f"  least certain codes: 2 code(s) reviewed, {counts['accepted'] / 2:.0%} kept")
    # Training on the decisions says what the new model has to beat: the automatic codes against the audit.
    trained = runner.invoke(app, ["code", "train", "--out", str(tmp_path / "m.npz"), "--from-review", "--db", str(db)])
    assert trained.exit_code == 0, trained.output
    lines = trained.stdout.splitlines()
    assert lines[0] == f"trained on 4 messages -> {tmp_path / 'm.npz'}"
    assert lines[1] == "out of fold on its training messages: not measured (a stage has fewer messages than folds)"
    assert lines[2].startswith("the automatic codes of the database against the reviewers' random audit: ")


def test_code_executor_options(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        fill(store)
    result = runner.invoke(app, ["code", "--db", str(db), "--coder", "lexicon", "--workers", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["summary"]["coded"] == 6
    bad = runner.invoke(app, ["code", "--db", str(db), "--coder", "lexicon", "--executor", "spark"])
    assert isinstance(bad.exception, ConfigError) and "unknown executor" in str(bad.exception)  # main() -> exit 2
    bad = runner.invoke(app, ["code", "--db", str(db), "--scheduler", "tcp://127.0.0.1:8786"])
    assert isinstance(bad.exception, ConfigError) and "needs --executor dask" in str(bad.exception)


def test_read_table_tells_a_semicolon_separated_csv(tmp_path) -> None:
    """``chrysalide code apply`` on a ``;``-separated CSV said "missing column 'uid'"."""
    from chrysalide.coding.tables import read_table

    path = tmp_path / "m.csv"
    path.write_text("\ufeffuid;text\n1;bonjour, ça va\n2;merci\n", encoding="utf-8")
    frame = read_table(path, ("uid", "text"), "uid,text")
    assert frame.to_dict("list") == {"uid": ["1", "2"], "text": ["bonjour, ça va", "merci"]}
