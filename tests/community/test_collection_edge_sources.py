"""Where a source or a member's record starts (or a source ends) what was collected changes: a burst that begins or
ends there is at an edge of the collected conversations (r/covidlonghaulers: the members' histories for years, its
scraped threads from Sunday 2026-03-29; the 18-week volume burst ends in their first full week)."""

from pathlib import Path

import pandas as pd
from alerts_table import header_and_row
from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.community import alerts, stored_alerts
from chrysalide.community.alerts import collection_edges, edge_days
from chrysalide.ingest import ingest

START = pd.Timestamp("2021-01-04")  # a Monday: week w runs from START + 7 w days to 6 days later
MAPPING = {"message_id": "id", "thread_id": "thread", "author": "author", "posted_at": "at", "text": "text"}


def _first() -> list[tuple[str, pd.Timestamp]]:
    """The first source: 40 weeks of one post a day Monday to Friday by a1 to a5, but weeks 14 to 19 hold 40 posts
    each, spread over the 7 days (6 a day Monday to Friday, 5 on Saturday and Sunday)."""
    rows = []
    for week in range(40):
        monday = START + pd.Timedelta(weeks=week)
        if 14 <= week <= 19:
            rows += [(f"a{1 + i % 5}", monday + pd.Timedelta(days=i % 7, hours=8 + i // 7)) for i in range(40)]
        else:
            rows += [(f"a{1 + d}", monday + pd.Timedelta(days=d, hours=10)) for d in range(5)]
    return rows


def _csv(path: Path, rows: list[tuple[str, pd.Timestamp]], prefix: str) -> Path:
    frame = pd.DataFrame(
        [{"id": f"{prefix}{i}", "thread": f"{prefix}{i}", "author": author, "at": at.isoformat(),
          "text": f"post {i} about fatigue and brain fog"} for i, (author, at) in enumerate(rows)]
    )  # fmt: skip
    frame.to_csv(path, index=False)
    return path


def _two_sources(store, tmp_path: Path, second_from: pd.Timestamp) -> None:
    """Two imports: the first source, then a second whose members b1 and b2 post once a week from ``second_from``
    until week 39 of the first; each post its own thread."""
    ingest(store, _csv(tmp_path / "first.csv", _first(), "a"), format="csv", mapping=MAPPING)
    days = pd.date_range(second_from, START + pd.Timedelta(weeks=40), freq="7D", inclusive="left")
    later = [(f"b{1 + k % 2}", day + pd.Timedelta(hours=12)) for k, day in enumerate(days)]
    ingest(store, _csv(tmp_path / "second.csv", later, "b"), format="csv", mapping=MAPPING)


def test_a_burst_ending_where_a_second_source_starts_is_flagged(store, tmp_path: Path) -> None:
    """By hand: weekly messages 5 (weeks 0-13), 40 (14-18), 41 (19: the second source's first post, Sunday
    2021-05-23), then 6; Kleinberg's rate is their mean, 431 / 40 = 10.8 a week, the burst rate 21.6: a week of 40
    is far likelier in the burst state (40 ln 2 - 10.8 = 16.9 > 0), one of 5 or 6 far less, and 6 such weeks pay
    for entering it (2 ln 40 = 7.4): one volume burst, 2021-04-12 (week 14) to Sunday 2021-05-23 (week 19). The
    second source starts on its last day: the edge's 7 days, 2021-05-23 to 05-29, share a day with its last week."""
    _two_sources(store, tmp_path, START + pd.Timedelta(weeks=19, days=6))
    assert edge_days(store.con).values.tolist() == [[pd.Timestamp("2021-05-23"), "start"]]
    out = alerts(store)
    volume = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume"]
    assert [(str(a["start_at"]), str(a["end_at"]), a["weeks"], a["collection_edge"]) for a in volume] == [
        ("2021-04-12", "2021-05-23", 6, True)
    ]
    assert out.summary["collection_edge"] == [volume[0]["alert_id"]]


def test_a_second_source_starting_after_the_burst_is_no_edge_of_it(store, tmp_path: Path) -> None:
    """The second source starts on Monday 2021-05-24 instead, the day after the burst's last: its 7 days (05-24 to
    05-30) share none with the burst's first or last week, and the burst is the forum's."""
    _two_sources(store, tmp_path, START + pd.Timedelta(weeks=20))
    assert edge_days(store.con).values.tolist() == [[pd.Timestamp("2021-05-24"), "start"]]
    volume = [a for a in stored_alerts(store, alerts(store).run_id) if a["kind"] == "volume"]
    assert [(str(a["start_at"]), str(a["end_at"]), a["collection_edge"]) for a in volume] == [
        ("2021-04-12", "2021-05-23", False)
    ]


def test_a_source_ending_and_a_record_starting_are_edges(store) -> None:
    """One source from 2021-01-04 to 2021-03-28 (12 weeks, a post each Monday by member 1), another from 2021-01-04
    to 2021-02-07 (member 2, each Tuesday), and member 3, whose record starts on Wednesday 2021-02-17 (a thread file
    beside histories), posting that day. Edges by hand: the second source's end, 2021-02-02 (its last Tuesday), and
    the record's start, 2021-02-17; the sources' common start lies in the series' first week and the first one's
    end in its last: no edge. A burst's week 2021-01-25 to 01-31 shares a day with the end's 7 (01-27 to 02-02);
    one of 2021-02-15 to 02-21 with the start's (02-17 to 02-23); one of 2021-02-08 to 02-14 with neither."""
    first, second = Forum(store, "first"), Forum(store, "second", first_id=1000)
    first.member(1)
    first.member(3, registered_at=None, record_start="2021-02-17")
    second.member(2)
    for week in range(12):
        first.thread(week + 1)
        first.post(1, week + 1, START + pd.Timedelta(weeks=week, hours=9))
    first.thread(100)
    first.post(3, 100, pd.Timestamp("2021-02-17 10:00"))
    for week in range(5):
        second.thread(200 + week)
        second.post(2, 200 + week, START + pd.Timedelta(weeks=week, days=1, hours=9))
    first.save()
    second.save()
    assert edge_days(store.con).values.tolist() == [[pd.Timestamp("2021-02-02"), "end"],
                                                    [pd.Timestamp("2021-02-17"), "start"]]  # fmt: skip
    found = pd.DataFrame({"start_at": pd.to_datetime(["2021-01-25", "2021-01-04", "2021-02-08", "2021-01-04"]).date,
                          "end_at": pd.to_datetime(["2021-01-31", "2021-02-21", "2021-02-14", "2021-01-24"]).date})  # fmt: skip
    assert collection_edges(store.con, found).tolist() == [True, True, False, False]


def test_the_command_line_shows_the_edge(store, tmp_path: Path, wide_console: None) -> None:
    """The alerts table marks ``E`` in its ``flags`` column the row of the burst that ends where the second source
    starts (2021-04-12 to 2021-05-23, above), and a line under the table says what it means."""
    _two_sources(store, tmp_path, START + pd.Timedelta(weeks=19, days=6))
    printed = CliRunner().invoke(app, ["alerts", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    header, row = header_and_row(printed.output, "2021-04-12")
    assert header[6] == "flags" and "E" in row[6] and "L" not in row[6]  # 6 weeks of 40: no change of level
    assert row[:4] == ["volume", "messages", "2021-04-12", "2021-05-23"]
    said = " ".join(printed.output.split("┘")[-1].split())
    assert said.startswith("edge (E): the burst begins or ends at an edge of the collected conversations, a change in what "
                           "was collected rather than in the forum (its first or last week meets the first week of a "
                           "source,")  # fmt: skip


def test_every_burst_of_volume_of_sources_declared_a_selection_is_one_of_what_was_collected(store, tmp_path) -> None:
    """The first source alone has one volume burst, weeks 14 to 19, at no edge; declared a selection of threads
    (--sampled-threads), its weekly volume counts the threads taken: the burst reads as what was collected."""
    ingest(store, _csv(tmp_path / "first.csv", _first(), "a"), format="csv", mapping=MAPPING)
    (undeclared,) = [a for a in stored_alerts(store, alerts(store).run_id) if a["kind"] == "volume"]
    assert not undeclared["collection_edge"]
    from chrysalide.store import Store

    with Store(tmp_path / "declared.duckdb") as declared:
        path = _csv(tmp_path / "again.csv", _first(), "a")
        ingest(declared, path, format="csv", mapping=MAPPING, sampled_threads=True)
        (volume,) = [a for a in stored_alerts(declared, alerts(declared).run_id) if a["kind"] == "volume"]
        assert (volume["start_at"], volume["collection_edge"]) == (undeclared["start_at"], True)
