"""The demo end to end on a small generated forum: every step runs, stores its run, and the outputs open."""

from __future__ import annotations

import json
import zipfile

import pytest
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.demo.run import run_demo
from chrysalide.pipeline import STEPS
from chrysalide.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return run_demo(folder, size=1500, seed=3)


def test_every_step_ran_and_recorded_its_run(demo):
    names = [s.name for s in demo.steps]
    assert sorted(names) == sorted(STEPS)
    # each step after those it reads: text and code first, lexical after journeys, the report last
    assert names[:2] == ["text", "code"] and names.index("lexical") > names.index("journeys") and names[-1] == "report"
    assert demo.ingest.imported == 1500 and demo.ingest.rejected == 0
    with Store(demo.database) as store:
        stages = {r[0] for r in store.con.execute("SELECT DISTINCT stage FROM runs WHERE status = 'ok'").fetchall()}
        assert {"ingest", "text", "coding", "lexical", "journeys", "survival", "community", "alerts"} <= stages
        for table in ("text_features", "segments", "codes", "journeys", "member_metrics", "community_metrics"):
            assert store.count(table) > 0, table
        assert store.count("consent") > 0
        # One coder by default: the model (it reads the lexicon's marker scores as features).
        assert store.con.execute("SELECT DISTINCT origin FROM codes").fetchall() == [("model",)]
        coding = store.con.execute("SELECT component FROM runs WHERE stage = 'coding' ORDER BY run_id").fetchall()
        assert [c[0].split(":")[0] for c in coding] == ["model"]
    step = next(s for s in demo.steps if s.name == "code")
    assert step.result.summary["coded"] == 1500


def test_report_is_written_self_contained_and_without_names(demo):
    html = demo.report.read_text(encoding="utf-8")
    assert "<svg" in html and "<script src=" not in html
    authors = {json.loads(line)["author"] for line in demo.corpus.open(encoding="utf-8")}
    leaked = [a for a in authors if a and len(a) >= 5 and a in html]
    assert leaked == []


def test_rerun_imports_nothing_twice(demo):
    again = run_demo(demo.folder, size=1500, seed=3)
    assert again.ingest.imported == 0 and again.ingest.duplicates == 1500


def test_cli_commands_answer_json_on_the_demo(demo):
    runner = CliRunner()
    db = str(demo.database)
    for args in (
        ["community", "--json"],
        ["journeys", "--json"],
        ["panel", "--top", "5", "--json"],
        ["alerts", "--json"],
        ["lexical", "--json", "--k", "4"],
    ):
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code == 0, (args, result.output[-2000:])
        payload = json.loads(result.stdout)
        assert payload, args
    community = json.loads(runner.invoke(app, ["community", "--json", "--db", db]).stdout)
    for key in (
        "newcomers",
        "newcomers_answered_share",
        "newcomer_first_reply_median_hours",
        "newcomer_first_reply_p90_hours",
        "newcomer_answered_within_3h_share",
        "requests",
        "requests_answered_share",
        "request_answered_within_3h_share",
        "threads_unanswered_share",
        "thread_first_reply_median_hours",
    ):
        assert key in community["summary"], key
    journeys = json.loads(runner.invoke(app, ["journeys", "--json", "--db", db]).stdout)
    first = journeys["members"][0]
    assert {"member_id", "first_post_at", "n_messages"} <= set(first) and "summary" in journeys


def test_refi_export_of_the_demo_validates(demo, tmp_path):
    out = tmp_path / "demo.qdpx"
    result = CliRunner().invoke(app, ["export", "refi", "--out", str(out), "--db", str(demo.database)])
    assert result.exit_code == 0, result.output[-2000:]
    with zipfile.ZipFile(out) as zf:
        assert "project.qde" in zf.namelist()
