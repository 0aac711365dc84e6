"""``ingest --boards``: only the boards chosen are imported; the others are counted as left out, not rejected."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import ingest
from chrysalide.store import Store

HEADER = "message_id,thread_id,author,posted_at,text,board\n"
FORUM = (
    HEADER
    + "1,t1,Alice,2021-03-01 10:00,My thyroid is slow,thyroid\n"
    + "2,t1,Bob,2021-03-01 11:00,Zephyrine told me the same about her levels,thyroid\n"
    + "3,t2,Zephyrine,2021-03-02 09:00,Who won the match?,sports\n"
    + "4,t3,Alice,2021-03-03 09:00,Any good recipes?,cooking\n"
    + "5,t4,Carla,2021-03-04 09:00,Second opinion on my TSH,Thyroid\n"
    + "6,t5,Bob,2021-03-05 09:00,No board at all,\n"
)


def _forum(tmp_path: Path) -> Path:
    path = tmp_path / "forum.csv"
    path.write_text(FORUM, encoding="utf-8")
    return path


def test_only_the_boards_chosen_are_imported_and_the_others_counted(store: Store, tmp_path: Path) -> None:
    report = ingest(store, _forum(tmp_path), boards=["THYROID"])
    # Kept: rows 1, 2 and 5 (board names compared without case); left out: 3 (sports), 4 (cooking), 6 (none).
    assert (report.imported, report.rejected, report.duplicates) == (3, 0, 0)
    assert (report.left_out, report.left_out_boards, report.boards) == (3, 3, ["THYROID"])
    assert store.con.execute("SELECT list(native_id ORDER BY native_id) FROM messages").fetchone()[0] == ["1", "2", "5"]
    assert {r[0] for r in store.con.execute("SELECT board FROM threads").fetchall()} == {"thyroid", "Thyroid"}
    assert store.con.execute("SELECT count(*) FROM members").fetchone()[0] == 3  # Alice, Bob, Carla
    # Zephyrine only wrote in a board left out, and is still a name: scrubbed from the message that names her.
    text = store.con.execute("SELECT text FROM messages WHERE native_id = '2'").fetchone()[0]
    assert "Zephyrine" not in text and text.endswith("told me the same about her levels")
    summary = store.con.execute("SELECT summary FROM runs WHERE stage = 'ingest'").fetchone()[0]
    assert json.loads(summary)["left_out"] == 3


def test_boards_given_with_commas_or_repeated(store: Store, tmp_path: Path) -> None:
    report = ingest(store, _forum(tmp_path), boards=["thyroid,sports", "cooking"])
    assert (report.imported, report.left_out, report.left_out_boards) == (5, 1, 1)


def test_no_message_in_the_boards_chosen_is_an_error_naming_the_boards_there_are(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    with pytest.raises(InputError) as err, Store(db, create=True) as store:
        ingest(store, _forum(tmp_path), boards=["covidlonghaulers"])
    message = str(err.value)
    assert "forum.csv: no message is in the boards given to --boards (covidlonghaulers)" in message
    # Boards are compared without case, so counted so: thyroid 2 + Thyroid 1.
    assert message.endswith("its largest boards: thyroid 3, sports 1, cooking 1, (no board) 1")


def test_a_board_chosen_without_messages_is_a_warning(store: Store, tmp_path: Path) -> None:
    report = ingest(store, _forum(tmp_path), boards=["thyroid", "covidlonghaulers"])
    assert report.imported == 3
    assert "--boards: no message of the input is in board 'covidlonghaulers'" in report.warnings


@pytest.mark.parametrize("boards", [[""], [","], ["thyroid,"]])
def test_an_empty_board_name_is_a_config_error(store: Store, tmp_path: Path, boards: list[str]) -> None:
    with pytest.raises(ConfigError, match="--boards: give one or more board names"):
        ingest(store, _forum(tmp_path), boards=boards)


def test_cli_prints_what_it_left_out(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(_forum(tmp_path)),
         "--db", str(tmp_path / "c.duckdb"), "--boards", "thyroid"],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "left out by choice (--boards)" in done.stdout and "3 messages of 3 other boards" in done.stdout


def test_the_report_says_how_many_boards_the_corpus_spans_and_what_was_left_out(store: Store, tmp_path: Path) -> None:
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections import section_overview, section_summary

    ingest(store, _forum(tmp_path), boards=["thyroid", "sports"])
    ctx = Context(store)
    overview = section_overview(ctx)
    # Kept: 1, 2 (thyroid), 5 (Thyroid, as written) and 3 (sports); left out: 4 (cooking) and 6 (no board).
    assert dict(overview.facts)["boards"] == "3 boards (largest: thyroid 50%, Thyroid 25%, sports 25% of the messages)"
    left_out = ("Imported from the boards chosen (--boards), the others left out by that choice, not rejected: "
                "forum: only thyroid, sports (2 messages of 2 other boards left out)")  # fmt: skip
    assert overview.paragraphs == [f"{left_out}."]
    (corpus,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "corpus"]
    assert corpus[1] == f"4 messages in 3 threads by 4 members, 2021, in {dict(overview.facts)['boards']}. {left_out}"


@pytest.mark.corpora
def test_covidlonghaulers_histories_keep_the_subreddits_chosen(store: Store, corpora: Path) -> None:
    """The 86 members' whole Reddit histories span 3,394 subreddits (PROVENANCE.md): only the two chosen are kept.

    Expected counts from the files in plain Python (``test_reddit_corpora``'s reading of them): the thread files
    are r/covidlonghaulers (their corpus_metadata.json); a history item is kept when its subreddit is one of the
    chosen, whatever its case.
    """
    from test_reddit_corpora import Expected, _db_counts, _histories, _thread_file

    root = corpora / "reddit_covidlonghaulers_userhistories_en"
    expected, known = Expected(), {}
    for thread_file in (root / "output" / "subreddit_posts.json", root / "reddit_sample_data" / "subreddit_posts.json"):
        for post in json.loads(thread_file.read_text(encoding="utf-8")):
            known.update({c["comment_id"]: post["post_id"][3:] for c in post["comments"]})
        _thread_file(expected, thread_file)
    chosen = {"covidlonghaulers", "longcovid"}
    left_out = _histories(expected, root / "reddit_sample_data" / "users", known, lambda sub: sub.casefold() in chosen)
    report = ingest(store, root, format="reddit", source_name="covid", keep_names=True,
                    boards=["covidlonghaulers", "LongCovid"])  # fmt: skip
    assert (report.imported, report.duplicates, report.rejected) == (
        len(expected.messages), expected.duplicates, expected.rejects,
    )  # fmt: skip
    assert (report.left_out, report.left_out_boards) == (sum(left_out.values()), len(left_out))
    assert len(left_out) > 3000 and left_out["fantasyfootball"] > 3000  # the audit's 3,394 subreddits
    assert _db_counts(store, "covid") == expected.counts()
    boards = store.con.execute("SELECT DISTINCT board FROM threads").fetchall()
    assert {b.casefold() for (b,) in boards} == chosen


HISTORIES = (
    HEADER
    + "1,t1,Alice,2021-03-01 10:00,My thyroid is slow,thyroid\n"
    + "2,t1,Bob,2021-03-01 11:00,Mine too,thyroid\n"
    + "3,t2,Carla,2021-03-02 09:00,Second opinion on my TSH,Thyroid\n"
    + "4,t3,Alice,2021-03-03 09:00,Any good recipes?,cooking\n"
    + "5,t4,Bob,2021-03-04 09:00,Queen's gambit again,chess\n"
    + "6,t5,Carla,2021-03-05 09:00,A scarf for winter,knitting\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _spread(tmp_path: Path) -> Path:
    """Members' histories: thyroid (thyroid 2 + Thyroid 1, one board as --boards compares names; Alice, Bob and
    Carla) and each member's own boards, cooking twice (Alice), chess (Bob), knitting (Carla). By hand: thyroid
    holds 3 of 7 messages (43%), in 4 boards, 3 of which (75%) hold one member's messages only."""
    return _write(tmp_path, "site.csv", HISTORIES + "7,t6,Alice,2021-03-06 09:00,Bread again,cooking\n")


SPREAD = ("the largest board, 'thyroid', holds 43% of the source's 7 messages, spread over 4 boards, 75% of which "
          "hold one member's messages only: the source probably holds its members' histories across a whole site, "
          "not one community, and the journeys, decentering and stage mix would mix in what they wrote elsewhere; to "
          "study the board, import the input into a new database with --boards thyroid (naming neighbouring boards "
          "too, separated by commas, to follow members across them)")  # fmt: skip


def test_a_source_whose_largest_board_holds_under_half_of_its_messages_warns(store: Store, tmp_path: Path) -> None:
    report = ingest(store, _spread(tmp_path))
    assert report.warnings == [SPREAD] and report.warning_count == 1
    summary = store.con.execute("SELECT summary FROM runs WHERE stage = 'ingest'").fetchone()[0]
    assert json.loads(summary)["warnings"] == [SPREAD]


def test_no_spread_warning_at_half_in_a_forum_with_the_boards_chosen_or_in_one_board(tmp_path: Path) -> None:
    """By hand: the histories without row 7: thyroid 3 of 6 messages, half; a forum of sub-forums, the forum above
    and one more sports message (Dan): thyroid 3 of 7 (43%), but only cooking (Alice) of its 3 boards holds one
    member's messages; the histories with --boards naming every board (all 7 kept): the choice is made; one board (a) and
    three messages without one: 25%, but no other board to choose. The histories alone warn (the rule is live)."""

    def spread_warnings(path: Path, name: str, **options: Any) -> list[str]:
        with Store(tmp_path / f"{name}.duckdb") as store:
            return [w for w in ingest(store, path, **options).warnings if "largest board" in w]

    one = _write(tmp_path, "one.csv", HEADER + "1,t1,Ann,2021-03-01 10:00,Hello,a\n" + "".join(
        f"{i},t{i},Bea,2021-03-0{i} 10:00,Hi,\n" for i in (2, 3, 4)))  # fmt: skip
    forum = _write(tmp_path, "subforums.csv", FORUM + "7,t6,Dan,2021-03-06 09:00,Great goal yesterday,sports\n")
    assert spread_warnings(_write(tmp_path, "half.csv", HISTORIES), "half") == []
    assert spread_warnings(forum, "forum") == []
    assert spread_warnings(_spread(tmp_path), "chosen", boards=["thyroid,cooking,chess,knitting"]) == []
    assert spread_warnings(one, "one") == []
    assert spread_warnings(_spread(tmp_path), "spread") == [SPREAD]


def test_a_whole_import_warning_is_kept_first_beyond_the_warnings_kept(store: Store, tmp_path: Path) -> None:
    """25 replies to missing parents (25 warnings, 20 kept) before the spread is found: it is kept, and first."""
    rows = "".join(
        f"{i},t{i},Ann,2021-03-01 10:00,Reply {i},{'sports' if i % 2 else 'cooking'}\n" for i in range(1, 26)
    )
    path = tmp_path / "replies.csv"
    path.write_text(HEADER.replace("board\n", "board,reply_to\n") + rows.replace("\n", ",gone\n")
                    + "26,t26,Bea,2021-03-02 10:00,Alone,thyroid,\n27,t27,Bea,2021-03-03 10:00,Again,thyroid,\n",
                    encoding="utf-8")  # fmt: skip
    report = ingest(store, path)
    # sports: the 13 odd rows of 1..25, of 27 messages (48.1%); cooking 12, thyroid 2; each board one member's.
    assert report.warning_count == 26 and len(report.warnings) == 21
    assert report.warnings[0].startswith("the largest board, 'sports', holds 48% of the source's 27 messages, spread "
                                         "over 3 boards, 100% of which hold one member's messages only")  # fmt: skip


def test_cli_prints_a_whole_import_warning_as_it_is(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(_spread(tmp_path)),
         "--db", str(tmp_path / "c.duckdb")],
        capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "400"}, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"warning: {SPREAD}" in " ".join(done.stderr.split())
