"""The ``export`` and ``consent`` commands: thin calls, user errors as one line and exit code 2."""

from __future__ import annotations

import json

from export_store import fill
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.errors import ConfigError
from chrysalide.store import Store

runner = CliRunner()


def make_db(tmp_path):
    path = tmp_path / "p.duckdb"
    with Store(path) as store:
        fill(store)
    return path


def test_export_commands(tmp_path):
    db = make_db(tmp_path)
    for args in (
        ["refi", "--out", str(tmp_path / "p.qdpx"), "--sources", "member"],
        ["codebook", "--out", str(tmp_path / "c.qdc")],
        ["iramuteq", "--out", str(tmp_path / "c.txt"), "--quotes", "all-pseudonymised"],
        ["parquet", "--out", str(tmp_path / "pq")],
        ["csv", "--out", str(tmp_path / "csv")],
    ):
        result = runner.invoke(app, ["export", *args, "--db", str(db), "--json"])
        assert result.exit_code == 0, result.output
        json.loads(result.output)
    assert (tmp_path / "p.qdpx").exists() and (tmp_path / "pq" / "manifest.json").exists()


def test_consent_import_and_list(tmp_path):
    db = make_db(tmp_path)
    csv_path = tmp_path / "consent.csv"
    csv_path.write_text("member,status,date,scope\nM-cccc000003,granted,2024-05-01,quote\nnobody,granted,,quote\n")
    result = runner.invoke(app, ["consent", "import", str(csv_path), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["unknown_member_lines"] == [3]
    listed = json.loads(runner.invoke(app, ["consent", "list", "--db", str(db), "--json"]).output)
    assert {r["pseudonym"]: r["quotable"] for r in listed}["M-cccc000003"] is True


def test_bad_quotes_mode_is_a_config_error(tmp_path):
    db = make_db(tmp_path)
    result = runner.invoke(
        app, ["export", "refi", "--out", str(tmp_path / "x.qdpx"), "--db", str(db), "--quotes", "all"]
    )
    assert isinstance(result.exception, ConfigError)  # run() prints it as one line, exit code 2
    assert "--quotes must be one of" in str(result.exception)
