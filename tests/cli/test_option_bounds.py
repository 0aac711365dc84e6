"""Out-of-range option values are usage errors (exit 2, naming the option and its bound), never an internal error,
a traceback or a runaway run: they are refused while the arguments are parsed, before any database is opened."""

import re

import pytest
from test_cli_errors import run
from typer.testing import CliRunner

from chrysalide.cli.demo import MAX_MESSAGES, _size
from chrysalide.cli.main import app

HUGE = "99999999999999999999"  # past 64 bits


def invoke(*args: str):
    result = CliRunner().invoke(app, list(args))
    # The error is drawn in a box that wraps at the terminal's width: read it as one line of words.
    return result, " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


@pytest.mark.parametrize(
    ("args", "option", "bound"),
    [
        (["serve", "--port", "99999"], "--port", "65535"),
        (["serve", "--port", "-1"], "--port", "1"),
        (["serve", "--port", "0"], "--port", "1"),  # 0 would announce http://host:0/, not the port chosen
        (["alerts", "--s", "1e308"], "--s", "1000000"),
        (["alerts", "--s", "1.0"], "--s", "1.01"),
        (["alerts", "--s", "inf"], "--s", "1000000"),
        (["alerts", "--s", "nan"], "--s", "1000000"),
        (["alerts", "--gamma", "inf"], "--gamma", "1000000"),  # accepted, and numpy overflowed
        (["alerts", "--gamma", "1e308"], "--gamma", "1000000"),  # gamma ln(weeks) overflowed
        (["alerts", "--gamma", "nan"], "--gamma", "1000000"),
        (["survival", "--penalizer", "inf"], "--penalizer", "1000000"),  # the Cox fit stopped on NaN
        (["survival", "--penalizer", "1e308"], "--penalizer", "1000000"),  # lifelines' gradient overflowed
        (["survival", "--penalizer", "nan"], "--penalizer", "1000000"),
        (["journeys", "--seed", "-5"], "--seed", "0"),
        (["journeys", "--seed", "4294967296"], "--seed", "4294967295"),
        (["community", "--seed", "-1"], "--seed", "0"),
        (["lexical", "--seed", "-1"], "--seed", "0"),
        (["review", "--seed", "-1"], "--seed", "0"),
        (["demo", "--out", "d", "--size", "20", "--seed", "-1"], "--seed", "0"),
        (["demo", "--out", "d", "--seed", HUGE], "--seed", "4294967295"),
        (["text", "--workers", "99999999999"], "--workers", "1024"),
        (["text", "--workers", "0"], "--workers", "1"),
        (["code", "--workers", "99999999999"], "--workers", "1024"),
        (["ingest", "x.csv", "--workers", "99999999999"], "--workers", "1024"),
        (["ingest", "x.csv", "--workers", "0"], "--workers", "1"),
        (["pipeline", "--workers", "99999999999"], "--workers", "1024"),
        (["pipeline", "--workers", "-3"], "--workers", "1"),
        (["text", "--batch-size", HUGE], "--batch-size", "1000000"),
        (["review", "--n", HUGE], "--n", "1000000"),
        (["review", "--n", "-1"], "--n", "0"),
        (["review", "--audit", HUGE], "--audit", "1000000"),
        (["review", "--audit", "-1"], "--audit", "0"),
        (["journeys", "--permutations", "99999999999"], "--permutations", "100000"),
        (["journeys", "--permutations", "-1"], "--permutations", "0"),
        (["lexical", "--double", "--max-k", "11"], "--max-k", "10"),  # max-k 12 ran past two minutes
        (["lexical", "--double", "--max-k", "1"], "--max-k", "2"),
        (["lexical", "--min-segment-size", "-5"], "--min-segment-size", "0"),
        (["lexical", "--min-segment-size1", "-5"], "--min-segment-size1", "0"),
        (["lexical", "--min-segment-size2", "-5"], "--min-segment-size2", "0"),
        (["rejects", "--limit", "9" * 42], "--limit", "100000000"),
    ],
)
def test_out_of_range_value_is_a_usage_error(tmp_path, monkeypatch, args, option, bound):
    monkeypatch.chdir(tmp_path)  # had the value passed, nothing would be written outside
    result, text = invoke(*args, *([] if args[0] == "demo" else ["--db", "none.duckdb"]))
    assert result.exit_code == 2, text
    assert f"Invalid value for '{option}'" in text and re.search(rf"\b{re.escape(bound)}\b", text), text
    assert "internal error" not in text and "Traceback" not in text
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("size", ["abc", "-5", "1e3", "0", "6,000", "²", HUGE, "10000000000", str(MAX_MESSAGES + 1)])
def test_demo_size_lists_what_it_accepts(tmp_path, size):
    result, text = invoke("demo", "--out", str(tmp_path / "d"), "--size", size)
    assert result.exit_code == 2, text
    assert "Invalid value for '--size'" in text and "internal error" not in text
    assert "demo (6,000 messages)" in text and "study (485,000 messages)" in text and "from 1 to 5,000,000" in text
    assert not (tmp_path / "d").exists()


def test_demo_size_takes_presets_and_numbers_in_range():
    assert _size("demo") == "demo" and _size(" Study ") == "study"
    assert _size("1") == "1" and _size("800") == "800" and _size(str(MAX_MESSAGES)) == str(MAX_MESSAGES)


@pytest.mark.parametrize(
    "args",
    [
        ["journeys", "--seed", "4294967295", "--permutations", "100000"],
        ["alerts", "--s", "1000000", "--gamma", "1000000"],
        ["survival", "--penalizer", "1000000"],
        ["review", "--n", "0", "--audit", "1000000"],
        ["lexical", "--min-segment-size", "0", "--double", "--max-k", "10"],
        ["lexical", "--double", "--max-k", "2"],
        ["text", "--workers", "1024", "--batch-size", "1000000"],
    ],
)
def test_values_at_the_bounds_are_accepted(tmp_path, args):
    result, text = invoke(*args, "--db", str(tmp_path / "none.duckdb"))
    assert "Invalid value" not in text
    assert "no such database" in str(result.exception)  # parsed: the command ran, and found no database


@pytest.mark.parametrize(
    ("args", "option"),
    [(["serve", "--port", "99999"], "--port"), (["demo", "--out", "d", "--size", "abc"], "--size")],
)
def test_entry_point_exits_2_without_traceback(tmp_path, args, option):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert option in result.stderr and "Traceback" not in result.stderr and "internal error" not in result.stderr
