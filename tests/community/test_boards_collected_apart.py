"""Boards collected apart (migration 0029): a Reddit export of several subreddits is a scrape of each over its own
window, so a member's record starts with the first message of the board of their first message, not the source's.

By hand, a folder of two subreddits' post CSV exports: r/slow from 2020-01-01 (ann that day, bob on 2020-06-01,
152 days later: a newcomer), r/fast from 2020-05-25 (cat that day, dan on 2020-06-02: 8 days into r/fast's record,
153 after the source's first message: first seen in the burn-in). Newcomers: bob; read from the source's first
message (the source's options without the trait, as imported before 0029), bob, cat (145 days) and dan."""

from __future__ import annotations

import collections
import csv
from datetime import UTC, datetime
from pathlib import Path

from chrysalide.community import community
from chrysalide.community.responses import source_structure
from chrysalide.ingest import ingest
from chrysalide.journeys.decentering import arrival_unseen_text
from chrysalide.report.html.sections.community import burn_in_left_out
from chrysalide.store import Store

HEADER = "Title,Post Date,Post Text,Author,ID\n"
POSTS = {
    "slow": [("2020-01-01", "ann", "s1"), ("2020-06-01", "bob", "s2")],
    "fast": [("2020-05-25", "cat", "f1"), ("2020-06-02", "dan", "f2")],
}
PATIENTPUNK = Path(__file__).resolve().parents[1] / "data" / "reddit" / "patientpunk"


def _export(tmp_path: Path) -> Path:
    folder = tmp_path / "export" / "posts"
    folder.mkdir(parents=True)
    for board, posts in POSTS.items():
        lines = [f"A question,{datetime.fromisoformat(d).replace(tzinfo=UTC).timestamp()},I need advice please,{a},{i}\n"
                 for d, a, i in posts]  # fmt: skip
        (folder / f"{board}.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    return folder.parent


def _arrivals(store: Store) -> dict[str, tuple[str, str]]:
    rows = store.con.execute(
        "SELECT pseudonym, arrival, strftime(record_start, '%Y-%m-%d') FROM member_arrivals JOIN members"
        " USING (member_id)"
    ).fetchall()
    return {name: (arrival, start) for name, arrival, start in rows}


def test_a_member_record_starts_with_the_board_of_their_first_message(store: Store, tmp_path: Path) -> None:
    ingest(store, _export(tmp_path), format="reddit", keep_names=True)
    assert store.con.execute("SELECT options->>'boards_collected_apart' FROM sources").fetchone() == ("true",)
    assert _arrivals(store) == {
        "ann": ("burn_in", "2020-01-01"), "bob": ("after_burn_in", "2020-01-01"),
        "cat": ("burn_in", "2020-05-25"), "dan": ("burn_in", "2020-05-25"),
    }  # fmt: skip


def test_the_report_says_where_records_start(store: Store, tmp_path: Path) -> None:
    ingest(store, _export(tmp_path), format="reddit", keep_names=True)
    assert source_structure(store)["export"]["boards_apart"] is True
    said = burn_in_left_out(community(store).summary)
    assert said.endswith(
        "In source 'export', whose boards were collected apart (each scraped over its own window), a member's record "
        "starts with the first message of the board of their first message: a board collected over a few weeks shows "
        "no newcomer."
    )
    assert said.startswith("3 members first seen less than 90 days")  # ann, cat, dan


def test_importing_again_teaches_a_source_imported_before(store: Store, tmp_path: Path) -> None:
    """A source imported before 0029 has no trait: its records start with its first message; importing the same
    files again stores nothing new but the trait."""
    path = _export(tmp_path)
    ingest(store, path, format="reddit", keep_names=True)
    store.con.execute("UPDATE sources SET options = '{}'")
    assert {n for n, (arrival, _) in _arrivals(store).items() if arrival == "after_burn_in"} == {"bob", "cat", "dan"}
    assert community(store).summary["newcomers"] == 3
    report = ingest(store, path, format="reddit", keep_names=True)
    assert (report.imported, report.duplicates) == (0, 4)
    assert {n for n, (arrival, _) in _arrivals(store).items() if arrival == "after_burn_in"} == {"bob"}
    again = community(store)  # the trait is an input of the step: its run is not reused
    assert (again.up_to_date, again.summary["newcomers"]) == (False, 1)


def test_user_histories_are_no_boards_collected_apart(store: Store) -> None:
    """PatientPunk's histories hold each member's whole Reddit record across subreddits (0023 reads it so)."""
    ingest(store, PATIENTPUNK, format="reddit", keep_names=True)
    assert store.con.execute("SELECT options->>'boards_collected_apart' FROM sources").fetchone() == ("false",)
    assert not any(traits["boards_apart"] for traits in source_structure(store).values())


def test_bpd_newcomers_are_read_per_subreddit(store: Store, corpora: Path) -> None:
    """r/BPD and neighbours (8 subreddits, each scraped over its own window: r/BPD 9 days, r/BPDsupport 4 years).
    From the raw CSVs in plain Python: a post's subreddit is its file's (a crosspost or a shared link in
    r/BPDrecovery's file names r/BorderlinePDisorder in its URL, but was posted in r/BPDrecovery), a comment's its
    submission's; a subreddit's record starts with its first post or comment; authors (deleted accounts
    apart; AutoModerator is a member until the text step finds it a bot) are newcomers when their first message
    comes 90 days or more after the start of its subreddit's record: 2,105 of 15,813 (r/BPDsupport 1,170,
    r/BPDrecovery 905, r/QuietBPD 30), where the source's first message (December 2019, r/QuietBPD) made 15,811 of
    them newcomers."""
    base = corpora / "reddit_bpd_communities_en" / "mitch_work" / "data"
    board_of: dict[str, str] = {}
    rows: list[tuple[float, str, str]] = []
    for path in sorted((base / "posts").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                board_of.setdefault(row["ID"].strip(), path.stem)
                rows.append((float(row["Post Date"]), row["Author"], row["ID"].strip()))
    for path in sorted((base / "comments").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows += [(float(r["Post Date"]), r["Author"], r["ID"].strip()) for r in csv.DictReader(f)]
    start: dict[str, float] = {}
    first: dict[str, tuple[float, str]] = {}
    for at, author, thread in rows:
        board = board_of[thread]
        start[board] = min(start.get(board, at), at)
        if author and author != "[deleted]" and (author not in first or at < first[author][0]):
            first[author] = (at, board)
    expected = collections.Counter(board for at, board in first.values() if at >= start[board] + 90 * 86_400)
    assert (len(first), sum(expected.values())) == (15_813, 2_105)

    ingest(store, base, format="reddit", keep_names=True)
    found = store.con.execute(
        "SELECT t.board, count(*) FROM member_arrivals a JOIN threads t USING (thread_id)"
        " WHERE a.arrival = 'after_burn_in' GROUP BY 1"
    ).fetchall()
    assert dict(found) == dict(expected)
    assert store.con.execute("SELECT count(*) FROM member_arrivals").fetchone() == (len(first),)


def test_the_journeys_say_where_records_start() -> None:
    summary = {"members_arrival_unseen": 3, "burn_in_days": 90, "sources": {"export": {"boards_apart": True}}}
    said = arrival_unseen_text(summary)
    assert (
        "(first seen less than 90 days after the start of their record, or registered before it; in source 'export', "
        "whose boards were collected apart (each scraped over its own window), a member's record starts with the first "
        "message of the board of their first message): their first recorded message" in said
    )
    assert "collected apart" not in arrival_unseen_text({**summary, "sources": {"export": {"boards_apart": False}}})
