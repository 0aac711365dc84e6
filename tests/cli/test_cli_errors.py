"""User errors end in one line on stderr and exit code 2, never a traceback."""

import subprocess
import sys

import pytest


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [(None, "missing.csv", "no such file"), (b"", "empty.csv", "file is empty"), (b"\x00\x00bin", "x.csv", "binary")],
)
def test_unusable_input_exits_2_without_traceback(tmp_path, content, name, expected):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run("ingest", name, "--db", "t.duckdb", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_bad_map_and_unknown_format(tmp_path):
    (tmp_path / "f.csv").write_text("text\nhello\n")
    bad_map = run("ingest", "f.csv", "--map", "oops", cwd=tmp_path)
    assert bad_map.returncode == 2 and "FIELD=COLUMN" in bad_map.stderr
    twice = run("ingest", "f.csv", "--map", "text=text", "--map", "text=author", cwd=tmp_path)
    assert twice.returncode == 2 and "field 'text' is already read from 'text'" in twice.stderr
    unknown = run("ingest", "f.csv", "--format", "nope", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown format" in unknown.stderr


def test_readable_file_with_bad_records_exits_0_and_prints_counts(tmp_path):
    (tmp_path / "f.csv").write_text("message_id,thread_id,author,text\n1,t,A,hello\n2,t,B,\n")
    result = run("ingest", "f.csv", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"imported": 1' in result.stdout and '"rejected": 1' in result.stdout
