"""A table without thread ids (Fiv.fr's CSV: author, date, text) stores each message as its own thread. Its
messages may answer one another, but the export does not say which: the report must not call them thread starts
nor say that the corpus holds no reply. A table of thread starts that names its threads (Doctissimo's first
posts, with their thread addresses) holds no reply, and the report says so. By hand: three messages each time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from chrysalide.community import community
from chrysalide.community.responses import source_structure
from chrysalide.community.step import periods as community_periods
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys, survival
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_overview, section_summary
from chrysalide.report.html.sections.journeys import UNSEEN_HELP, UNSEEN_IF_STARTS
from chrysalide.report.periods import PERIOD_COLUMNS, period_cells, seen, threads_apart
from chrysalide.store import Store
from chrysalide.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_fixtures import BASE  # noqa: E402

ROWS = ['ann,2021-01-01 10:00,"Bonjour, je commence un protocole, des conseils ?"',
        "bea,2021-01-01 11:00,\"Ann, courage, bois beaucoup d'eau !\"",
        'cat,2021-01-02 09:00,"Merci Bea pour ton message."']  # fmt: skip


def _finding(store: Store, topic: str) -> str:
    (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == topic]
    return str(row[1])


def _run(store: Store, path: Path, header: str, rows: list[str]) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    ingest(store, path)
    store.con.execute("UPDATE messages SET lang = 'fr'")
    community(store)
    journeys(store, permutations=0)
    survival(store)


def test_a_table_without_thread_ids_names_no_thread(store: Store, tmp_path: Path) -> None:
    _run(store, tmp_path / "fiv.csv", "author,posted_at,text", ROWS)
    assert source_structure(store) == {
        "fiv": {"replies": "unthreaded", "day_only": False, "boards_apart": False, "sampled_threads": False}
    }
    assert _finding(store, "corpus") == "3 messages (the export names no thread) by 3 members, 2021"
    decentering = _finding(store, "decentering")
    assert UNSEEN_HELP not in decentering and "holds no reply" not in decentering
    assert decentering.endswith(f"Source 'fiv': its export names no thread: each of its messages is stored as its own "
                                f"thread, so whether one answers another cannot be told. {UNSEEN_IF_STARTS}")  # fmt: skip
    assert "source 'fiv': its export names no thread: each of its messages is stored as its own thread, so whether " \
        "one answers another cannot be told" in _finding(store, "response to newcomers")  # fmt: skip


def test_thread_starts_that_name_their_threads_hold_no_reply(store: Store, tmp_path: Path) -> None:
    rows = [f"p{i},https://forum.example/sujet_{i}.htm,{row}" for i, row in enumerate(ROWS)]
    _run(store, tmp_path / "ivg.csv", "message_id,thread_id,author,posted_at,text", rows)
    assert source_structure(store)["ivg"]["replies"] == "none"
    assert _finding(store, "corpus").startswith("3 messages in 3 threads")
    assert f"The corpus holds no reply (source 'ivg': no thread has a second message). {UNSEEN_HELP}" in _finding(
        store, "decentering"
    )


def _threads_fact(store: Store) -> str:
    (value,) = [v for k, v in section_overview(Context(store)).facts if k == "threads"]
    return value


def _dashboard(store: Store) -> tuple[dict, str]:
    """The dashboard's overview of ``store`` (closed first: the dashboard opens the file itself), JSON and page."""
    store.close()
    client = TestClient(create_app(store.path), base_url=BASE)
    return client.get("/.json").json(), client.get("/").text


def test_the_overview_counts_no_thread_for_a_table_without_thread_ids(store: Store, tmp_path: Path) -> None:
    """Regression: Fiv.fr's overview read "145 threads", one per message, in the report and the dashboard."""
    _run(store, tmp_path / "fiv.csv", "author,posted_at,text", ROWS)
    assert _threads_fact(store) == "- (the export names no thread)"
    data, page = _dashboard(store)
    assert (data["messages"], data["threads"], data["threads_apart"]) == (3, None, "the export names no thread")
    assert '<b>-</b> threads <small id="threads-apart">(the export names no thread)</small>' in page


def test_beside_a_forum_the_table_without_thread_ids_is_not_counted_as_threads(store: Store, tmp_path: Path) -> None:
    """Three messages of 'fiv' (no thread ids) beside three thread starts of 'ivg', each naming its thread: 3
    threads, and fiv's 3 messages apart, in the overview, the key findings and the dashboard alike."""
    (tmp_path / "fiv.csv").write_text("\n".join(["author,posted_at,text", *ROWS]) + "\n", encoding="utf-8")
    ingest(store, tmp_path / "fiv.csv")
    rows = [f"p{i},https://forum.example/sujet_{i}.htm,{row}" for i, row in enumerate(ROWS)]
    _run(store, tmp_path / "ivg.csv", "message_id,thread_id,author,posted_at,text", rows)
    apart = "source 'fiv' names no thread: its 3 messages are not counted as threads"
    assert _threads_fact(store) == f"3 ({apart})"
    assert _finding(store, "corpus").startswith(f"6 messages in 3 threads ({apart})")
    data, page = _dashboard(store)
    assert (data["messages"], data["threads"], data["threads_apart"]) == (6, 3, apart)
    escaped = apart.replace("'", "&#39;")  # as the dashboard's templates escape it
    assert f'<b><a href="/threads">3</a></b> threads <small id="threads-apart">({escaped})</small>' in page


def _client(store: Store) -> TestClient:
    """The dashboard of ``store`` (closed first: the dashboard opens the file itself)."""
    store.close()
    return TestClient(create_app(store.path), base_url=BASE)


def _mixed(store: Store, tmp_path: Path) -> None:
    """'fiv' (no thread ids, board 'psy') beside 'ivg' (three thread starts naming their threads, board 'ivg'), all
    posted in January 2021."""
    (tmp_path / "fiv.csv").write_text("\n".join(["author,posted_at,text,board", *(f"{r},psy" for r in ROWS)]) + "\n",
                                      encoding="utf-8")  # fmt: skip
    ingest(store, tmp_path / "fiv.csv")
    rows = [f"p{i},https://forum.example/sujet_{i}.htm,{row},ivg" for i, row in enumerate(ROWS)]
    _run(store, tmp_path / "ivg.csv", "message_id,thread_id,author,posted_at,text,board", rows)


def test_threads_started_count_only_the_threads_the_sources_name(store: Store, tmp_path: Path) -> None:
    """Regression: every message of a table without thread ids counted as a thread started. By hand: January 2021
    holds ivg's 3 thread starts, and fiv's 3 messages are not threads; the boards: ivg 3 threads of 3 messages, psy
    3 messages and no thread ("-")."""
    _mixed(store, tmp_path)
    summary = store.run_summary(store.latest("community"))
    assert summary["threads"] == 3
    rows = seen(community_periods(store, store.latest("community")).to_dict("records"), summary)
    assert [(str(r["period"])[:7], r["messages"], r["threads_started"]) for r in rows] == [("2021-01", 6, 3)]
    apart = "source 'fiv' names no thread: its 3 messages are not counted as threads"
    assert threads_apart(store, summary) == apart
    (boards,) = [t for t in section_overview(Context(store)).tables if t.columns == ["board", "threads", "messages"]]
    assert boards.rows == [["ivg", 3, 3], ["psy", "-", 3]]
    assert boards.caption == f"Boards (sub-forums), busiest first; threads: {apart}"
    client = _client(store)
    page = client.get("/community").text
    escaped = apart.replace("'", "&#39;")
    assert f'<p class="note" id="threads-started-apart">Threads started: {escaped}.</p>' in page
    assert client.get("/community.json").json()["threads_apart"] == apart
    threads = client.get("/threads.json").json()
    assert (threads["total"], threads["named"], threads["threads_apart"]) == (3, 3, apart)
    assert {t["board"] for t in threads["threads"]} == {"ivg"}
    assert [(b["board"], b["threads"]) for b in threads["boards"]] == [("ivg", 3)]
    assert (
        f'<h1>Threads <small>3</small> <small id="threads-apart">({escaped})</small></h1>'
        in client.get("/threads").text
    )


def test_a_table_without_thread_ids_starts_no_thread(store: Store, tmp_path: Path) -> None:
    """Fiv.fr alone: its threads and threads started are unknown ("-", the export names no thread), not 0, nor one per
    message; the dashboard's threads page lists none."""
    _run(store, tmp_path / "fiv.csv", "author,posted_at,text", ROWS)
    summary = store.run_summary(store.latest("community"))
    assert summary["threads"] is None
    rows = seen(community_periods(store, store.latest("community")).to_dict("records"), summary)
    assert [r["threads_started"] for r in rows] == [None]
    threads_column = [c.key for c in PERIOD_COLUMNS].index("threads_started")
    assert period_cells(rows[0])[threads_column] == "-"
    client = _client(store)
    page = client.get("/community").text
    assert '<p class="note" id="threads-started-apart">Threads started: the export names no thread.</p>' in page
    assert '<tr><th>threads</th><td class="num">- <small>(the export names no thread)</small></td></tr>' in page
    threads = client.get("/threads.json").json()
    assert (threads["total"], threads["named"], threads["threads"]) == (0, None, [])
    assert '<h1>Threads <small>-</small> <small id="threads-apart">(the export names no thread)</small></h1>' in (
        client.get("/threads").text
    )


def test_the_import_says_a_table_without_thread_ids_names_no_thread(tmp_path: Path) -> None:
    """Regression: `chrysalide ingest` printed Fiv.fr's 145 messages as 145 new threads. Beside it, a table naming its
    threads (ivg: 3 thread starts) keeps its count."""
    (tmp_path / "fiv.csv").write_text("\n".join(["author,posted_at,text", *ROWS]) + "\n", encoding="utf-8")
    rows = [f"p{i},https://forum.example/sujet_{i}.htm,{row}" for i, row in enumerate(ROWS)]
    (tmp_path / "ivg.csv").write_text("\n".join(["message_id,thread_id,author,posted_at,text", *rows]) + "\n",
                                      encoding="utf-8")  # fmt: skip
    printed = []
    for name in ("fiv", "ivg"):
        done = subprocess.run(
            [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(tmp_path / f"{name}.csv"),
             "--db", str(tmp_path / "c.duckdb")],
            capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "200"}, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        (line,) = [line for line in done.stdout.splitlines() if "new threads" in line]
        printed.append(" ".join(line.strip("│ ").split()))
    assert printed == ["new threads │ - (the export names no thread: its 3 messages each stored as a thread of its own)",
                       "new threads │ 3"]  # fmt: skip
