"""What a researcher reads in an 80-column terminal: percentages, delays and counts, whole pseudonyms, grouped rejects."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chrysalide.units import counted, label, percent, summary_value

RAW_FLOAT = re.compile(r"\d\.\d{5,}")  # 0.4725836948...: a number nobody can read


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80", "LINES": "50"}
    return subprocess.run([sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, env=env)  # fmt: skip


def test_summary_values_read_as_a_reader_expects():
    assert summary_value("answered_within_3h_share", 0.4725836948) == "47%"
    assert summary_value("threads_unanswered_share", 0.0738) == "7.4%"
    assert summary_value("first_reply_median_hours", 11.916666666666666) == "11.9 h"
    assert summary_value("median_days_to_decentered", 0.008333333333333333) == "12 min"
    assert summary_value("median_days_to_community", 2.8243055555555556) == "3 days"
    # A setting in whole days reads as set: the burn-in of 90 days read "3.0 months"; a measured delay of 90 days
    # still reads in months.
    assert summary_value("burn_in_days", 90) == "90 days" and summary_value("median_days_to_core", 90.0) == "3.0 months"
    assert summary_value("coded", {"lexicon": 51523, "model": 120}) == "lexicon 51,523, model 120"
    assert summary_value("messages", 51523) == "51,523"
    assert label("answered_within_3h_share") == "answered within 3h (share)"
    assert label("median_days_to_decentered") == "median delay to decentered"
    assert percent(None) == "-" and percent(1.0) == "100%" and percent(0.0) == "0%"
    # One is no plural: the key findings read "1 threads" on a one-thread forum.
    assert (counted(1, "thread"), counted(0, "member"), counted(2000, "message")) == (
        "1 thread",
        "0 members",
        "2,000 messages",
    )
    # Neither none nor all reads as either: 1 of 3,456 removed posts, 3,455 of 3,456 messages.
    assert (percent(1 / 3456), percent(3455 / 3456), percent(0.0005), percent(0.995)) == (
        "<0.1%",
        ">99%",
        "0.1%",
        ">99%",
    )


TOPICS = [
    ["la", "thyroide", "le", "nodule", "la", "biopsie", "et", "la", "fatigue"],
    ["le", "traitement", "la", "dose", "le", "médecin", "et", "une", "prise", "de", "sang"],
    ["le", "sommeil", "le", "travail", "la", "famille", "et", "le", "moral"],
]


def forum_csv(path: Path) -> Path:
    """Twelve threads of six messages by five members, two rows with empty text and one with a bad date. The CSV
    gives no registration dates, so a newcomer is a member first seen at least 90 days after its first message (the
    burn-in, docs/community.md): eleonore first writes in thread 11, 102 days in; the four others from the start."""
    lines = ["message_id,thread_id,author,posted_at,text"]
    start = datetime(2019, 1, 7, 9)
    authors = ["annabelle_k", "bertrand", "camille", "dominique", "eleonore"]
    for t in range(12):
        for k in range(6):
            when = (start + timedelta(days=9 * t + k, hours=k)).isoformat()
            words = TOPICS[t % 3][k:] + TOPICS[t % 3][:k]  # never five identical messages: no boilerplate
            text = f"Message {t}-{k} sur {' '.join(words)}; merci et courage a tous"
            author = authors[(t + k) % (5 if t >= 11 else 4)]
            lines.append(f'{t}-{k},t{t},{author},{when},"{text}"')
    lines += ["e1,t0,bertrand,2019-01-08,", "e2,t1,camille,2019-01-09,", "d1,t2,camille,someday,Bonjour"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("cli")
    forum_csv(folder / "forum.csv")
    result = run("ingest", "forum.csv", "--db", "p.duckdb", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder, result


def test_ingest_groups_rejects_and_warnings_by_kind(project):
    _, result = project
    assert re.search(r"2 record\(s\) rejected", result.stderr)
    assert re.search(r"^\s+2\s+empty text$", result.stderr, re.M)
    assert re.search(r"^\s+1\s+unreadable timestamp '…', kept with no date$", result.stderr, re.M)
    assert "chrysalide rejects --db p.duckdb --source forum" in result.stderr


def test_rejects_command_lists_kinds_and_records(project):
    folder, _ = project
    result = run("rejects", "--db", "p.duckdb", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert re.search(r"│\s+2 │ empty text", result.stdout)
    records = run("rejects", "--db", "p.duckdb", "--json", cwd=folder).stdout
    assert '"kind": "empty text"' in records and '"records": 2' in records and '"raw"' not in records


def test_pipeline_and_summaries_print_percentages_delays_and_whole_pseudonyms(project):
    folder, _ = project
    result = run("pipeline", "--db", "p.duckdb", "--k", "3", cwd=folder)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in ("text", "code", "journeys", "survival", "community", "alerts", "lexical"):
        assert re.search(rf"^{step}\s+\d+\.\d s ", out, re.M), step
    assert re.search(r"newcomers answered \(share\) \d+(\.\d)?%", out)
    assert "{'" not in out and not RAW_FLOAT.search(out)
    community = run("community", "--db", "p.duckdb", cwd=folder).stdout
    assert not RAW_FLOAT.search(community) and "{'" not in community
    panel = run("panel", "--db", "p.duckdb", cwd=folder).stdout
    pseudonyms = re.findall(r"M-[0-9a-f]{10}", panel)
    assert len(pseudonyms) == 5 and "…" not in "".join(line[:40] for line in panel.splitlines())
    assert max(len(line) for line in panel.splitlines()) <= 80


def test_pipeline_prints_the_coding_step_warnings_on_stderr(tmp_path):
    # Regression: `chrysalide code` warned that the model never learned German, `chrysalide pipeline` did not.
    german = "Ich nehme seit drei Jahren Paroxetin und habe starke Absetzsymptome. Hat jemand Erfahrung damit?"
    rows = "".join(f"{i},t{i},member{i},2017-08-0{i},{german} ({i})\n" for i in range(1, 4))
    (tmp_path / "f.csv").write_text("message_id,thread_id,author,posted_at,text\n" + rows, encoding="utf-8")
    assert run("ingest", "f.csv", cwd=tmp_path).returncode == 0
    done = run("pipeline", "--step", "text", "--step", "code", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "needs review 3" in done.stdout
    warning = "warning: 3 message(s) in language 'de', which the model learned from fewer than 50 coded messages"
    assert warning in done.stderr
