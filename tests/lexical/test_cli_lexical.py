"""``chrysalide lexical``: the class table, --json, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.errors import ConfigError, StoreError
from chrysalide.store import Store

runner = CliRunner()
WORDS = ["dose thyroid nodule doctor tsh blood".split(), "thank forum support courage hug welcome".split()]


def make_db(path: Path, *, with_segments: bool = True) -> Path:
    """A store with 40 messages of two vocabularies, two segments each (or no segment at all)."""
    rng = np.random.default_rng(0)
    with Store(path) as store:
        con = store.con
        con.execute("INSERT INTO sources VALUES ('s', 'jsonl', 'x', now()::TIMESTAMP, NULL, false)")
        con.execute("INSERT INTO threads VALUES (1, 's', '1', 'b', 't', NULL, NULL)")
        for i in range(40):
            con.execute(
                "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash)"
                " VALUES (?, 's', ?, 1, 'x', 'fr', 'h')",
                [i, str(i)],
            )
            for seq in range(2 if with_segments else 0):
                words = " ".join(rng.choice(WORDS[i % 2], 4, replace=False))
                con.execute(
                    "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (?, ?, ?, 0, ?, ?)",
                    [2 * i + seq, i, seq, words, words],
                )
    return path


def test_table_and_json(tmp_path: Path) -> None:
    db = make_db(tmp_path / "c.duckdb")
    res = runner.invoke(app, ["lexical", "--db", str(db), "--k", "2", "--min-docfreq", "3"])
    assert res.exit_code == 0, res.output
    assert "lexical run 1 (simple, language fr)" in res.output and "50.0%" in res.output
    assert "skipped variable stage" in res.output
    res = runner.invoke(app, ["lexical", "--db", str(db), "--k", "2", "--min-docfreq", "3", "--lang", "fr", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["run_id"] == 2 and payload["params"]["lang"] == "fr"
    assert [c["size"] for c in payload["classes"]] == [40, 40]
    vocab = {t["term"] for t in payload["classes"][0]["terms"]}
    assert vocab <= set(WORDS[0]) or vocab <= set(WORDS[1])


def test_errors_are_chrysalide_errors(tmp_path: Path) -> None:
    # CliRunner lets the exception through; `run()` (the console entry point) turns it into exit code 2
    missing = runner.invoke(app, ["lexical", "--db", str(tmp_path / "none.duckdb")])
    assert isinstance(missing.exception, StoreError) and "chrysalide ingest" in str(missing.exception)
    empty = make_db(tmp_path / "e.duckdb", with_segments=False)
    res = runner.invoke(app, ["lexical", "--db", str(empty)])
    assert isinstance(res.exception, StoreError) and "chrysalide text" in str(res.exception)
    db = make_db(tmp_path / "c.duckdb")
    res = runner.invoke(app, ["lexical", "--db", str(db)])
    assert res.exit_code == 0, res.output  # each word is in about 27 segments: the defaults work
    res = runner.invoke(app, ["lexical", "--db", str(db), "--min-docfreq", "100"])
    assert isinstance(res.exception, ConfigError) and "--min-docfreq" in str(res.exception)
    res = runner.invoke(app, ["lexical", "--db", str(db), "--switching", "fast"])
    assert isinstance(res.exception, ConfigError) and "--switching" in str(res.exception)


def test_console_entry_point_exits_2_with_one_line(tmp_path: Path) -> None:
    make_db(tmp_path / "e.duckdb", with_segments=False)
    result = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "lexical", "--db", "e.duckdb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and "chrysalide text" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
