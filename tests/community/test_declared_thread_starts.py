"""A table without thread ids whose rows are each a thread start, declared at import (``--thread-starts``,
migration 0028): r/breastcancer's CSV of submissions. Without the declaration its first posts neither open a thread
nor ask (requests unknown); with it each row opens its thread, and a first post coded individual is a request.
By hand, four rows: ann on 1 January 2021 (the record's start: first seen in the burn-in), bea on 1 May (coded
individual: a request), cat on 1 June (coded societal: opens a thread without asking), bea again on 1 July."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chrysalide.community import community
from chrysalide.community.responses import source_structure, unthreaded_sources
from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_summary
from chrysalide.store import Store, utcnow

ROWS = ['ann,2021-01-01 10:00,"Hello all, here is the list of resources of the subreddit."',
        'bea,2021-05-01 10:00,"I was just diagnosed, what should I expect from the biopsy?"',
        'cat,2021-06-01 10:00,"Join our walk for breast cancer research this Sunday."',
        'bea,2021-07-01 10:00,"Surgery went well, thank you all."']  # fmt: skip
CODES = {"Hello": "other", "I was": "individual", "Join": "societal", "Surgery": "community"}


def _csv(tmp_path: Path, header: str = "author,posted_at,text", rows: list[str] = ROWS) -> Path:
    path = tmp_path / "bc.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _code(store: Store) -> None:
    """Each message coded as ``CODES`` says, by the start of its text."""
    with store.run("code", "test-codes", {}) as run:
        for message_id, text in store.con.execute("SELECT message_id, text FROM messages").fetchall():
            (stage,) = [s for start, s in CODES.items() if text.startswith(start)]
            store.con.execute(
                "INSERT INTO codes VALUES (?, ?, ?, [], false, NULL, NULL, NULL, NULL, NULL, 0.9, 'model', 'test', ?,"
                " NULL, NULL, NULL, NULL, NULL)",
                [run.run_id, message_id, stage, utcnow()],
            )


def _newcomers(store: Store) -> list[tuple[str, bool | None, bool | None]]:
    return store.con.execute(
        "SELECT m.text[:4], n.starts_thread, n.request FROM newcomers n JOIN messages m USING (message_id) ORDER BY 1"
    ).fetchall()


def test_declared_thread_starts_open_threads_and_ask(store: Store, tmp_path: Path) -> None:
    ingest(store, _csv(tmp_path), thread_starts=True)
    _code(store)
    assert unthreaded_sources(store) == []
    assert source_structure(store) == {
        "bc": {"replies": "none", "day_only": False, "boards_apart": False, "sampled_threads": False}
    }
    assert _newcomers(store) == [("I wa", True, True), ("Join", True, False)]
    summary = community(store).summary
    assert (summary["newcomers"], summary["requests"], summary["threads"]) == (2, 1, 4)
    assert summary["openers_not_requests"] == {"societal": 1}
    assert summary["requests_answered_share"] is None  # the export holds no reply: whether one was answered is unknown
    (corpus,) = [str(r[1]) for r in section_summary(Context(store)).tables[0].rows if r[0] == "corpus"]
    assert corpus.startswith("4 messages in 4 threads")


def test_the_same_table_undeclared_names_no_thread(store: Store, tmp_path: Path) -> None:
    """The control: the same rows without ``--thread-starts`` are a table without thread ids (migration 0025)."""
    ingest(store, _csv(tmp_path))
    _code(store)
    assert unthreaded_sources(store) == ["bc"]
    assert _newcomers(store) == [("I wa", None, None), ("Join", None, None)]
    summary = community(store).summary
    assert (summary["newcomers"], summary["requests"], summary["threads"]) == (2, None, None)


def test_a_csv_that_names_threads_or_parents_is_refused(store: Store, tmp_path: Path) -> None:
    rows = [f"t{i},{row}" for i, row in enumerate(ROWS)]
    with pytest.raises(InputError, match=r"bc\.csv: --thread-starts .* thread_id \(column 'thread_id'\)"):
        ingest(store, _csv(tmp_path, "thread_id,author,posted_at,text", rows), thread_starts=True)
    rows = [f"{row},p0" for row in ROWS]
    with pytest.raises(InputError, match=r"reply_to \(column 'parent'\); import it without --thread-starts"):
        ingest(store, _csv(tmp_path, "author,posted_at,text,parent", rows), mapping={"reply_to": "parent"},
               thread_starts=True)  # fmt: skip
    assert store.con.execute("SELECT count(*) FROM messages").fetchone() == (0,)


def test_a_json_record_that_names_a_thread_or_a_parent_is_rejected(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bc.jsonl"
    path.write_text('{"author": "ann", "text": "a first post"}\n'
                    '{"author": "bea", "text": "a reply", "reply_to": "x1"}\n'
                    '{"author": "cat", "text": "in a thread", "thread_id": 7}\n'
                    '{"author": "dan", "text": "another first post"}\n', encoding="utf-8")  # fmt: skip
    report = ingest(store, path, thread_starts=True)
    assert (report.imported, report.rejected) == (2, 2)
    assert store.con.execute("SELECT record_no, reason FROM rejects ORDER BY 1").fetchall() == [
        (2, "names a parent (reply_to), but --thread-starts declares that every record opens a thread of its own"),
        (3, "names a thread (thread_id), but --thread-starts declares that every record opens a thread of its own"),
    ]
    assert sorted(t for (t,) in store.con.execute("SELECT text FROM messages").fetchall()) == [
        "a first post", "another first post"]  # fmt: skip
    assert ingest(store, path, thread_starts=True).imported == 0  # again: nothing duplicated


def test_a_source_is_added_to_only_as_it_was_declared(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path)
    ingest(store, path, thread_starts=True)
    with pytest.raises(ConfigError, match="source 'bc' was imported with --thread-starts; re-import it the same way"):
        ingest(store, path)
    flat = tmp_path / "flat"
    flat.mkdir()
    other = _csv(flat, rows=[row.replace("2021", "2022") for row in ROWS])  # other posts: the same would be refused
    ingest(store, other, source_name="bc_flat")
    with pytest.raises(ConfigError, match="source 'bc_flat' was imported without --thread-starts"):
        ingest(store, other, source_name="bc_flat", thread_starts=True)
    assert ingest(store, path, thread_starts=True).duplicates == 4
    assert unthreaded_sources(store) == ["bc_flat"]


def test_a_format_other_than_a_table_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text("id,author,body,created_utc,link_id,parent_id,subreddit\n"
                    "c1,ann,hello,1600000000,t3_a,t3_a,breastcancer\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError, match=r"--thread-starts is for tables without thread ids \(csv, jsonl\); "
                                          r".*comments\.csv is read as 'reddit'"):  # fmt: skip
        ingest(store, path, format="reddit", thread_starts=True)


def test_the_command_line_declares_and_prints_the_threads(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(path), "--thread-starts",
         "--db", str(tmp_path / "c.duckdb")],
        capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "200"}, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "new threads" in line]
    assert " ".join(line.strip("│ ").split()) == "new threads │ 4"
    with Store(tmp_path / "c.duckdb") as store:
        assert store.con.execute("SELECT options->>'thread_starts' FROM sources").fetchone() == ("true",)


def test_breastcancer_submissions_declared_thread_starts(store: Store, corpora: Path) -> None:
    """The real CSV of r/breastcancer submissions (its PROVENANCE.md: submissions only, no ids), declared. Expected
    from the raw file in plain Python: 3,456 distinct rows (one row is repeated), hence as many threads; 2,426
    authors besides "[deleted]", 2,403 of them first posting 90 days or more after the file's first post
    (newcomers), each first post opening its thread. Coded here by a rule (individual when the text mentions a
    diagnosis, other otherwise), the requests are the newcomers whose first post mentions one."""
    path = corpora / "reddit_breastcancer_en" / "q4_tw_rd" / "data" / "data_reddit.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = {(r["user_id"], int(r["timestamp"]), r["text"]) for r in csv.DictReader(f)}
    start = min(at for _, at, _ in rows)
    first: dict[str, tuple[int, str]] = {}
    for author, at, text in sorted(rows, key=lambda r: r[1]):
        if author != "[deleted]":
            first.setdefault(author, (at, text))
    newcomers = [text for at, text in first.values() if at >= start + 90 * 86_400]
    ingest(store, path, mapping={"author": "user_id", "posted_at": "timestamp"}, keep_names=True, thread_starts=True)
    with store.run("code", "test-codes", {}) as run:
        store.con.execute(
            "INSERT INTO codes SELECT ?, message_id, CASE WHEN lower(text) LIKE '%diagnos%' THEN 'individual' ELSE"
            " 'other' END, [], false, NULL, NULL, NULL, NULL, NULL, 0.9, 'model', 'test', ?, NULL, NULL, NULL, NULL, NULL"
            " FROM messages",
            [run.run_id, utcnow()],
        )
    assert source_structure(store)["data_reddit"]["replies"] == "none"
    summary = community(store).summary
    assert (summary["threads"], summary["newcomers"]) == (len(rows), len(newcomers)) == (3456, 2403)
    assert store.con.execute("SELECT bool_and(starts_thread) FROM newcomers").fetchone() == (True,)
    assert summary["requests"] == sum("diagnos" in text.lower() for text in newcomers) == 584
