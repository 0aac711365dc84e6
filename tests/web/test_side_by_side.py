"""``chrysalide serve`` and other commands on the same database, in separate processes; errors and load."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from web_fixtures import Server, free_port, native_ids  # type: ignore[import-not-found]

from chrysalide.web.app import create_app

CHRYSALIDE = str(Path(sys.executable).parent / "chrysalide")
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def get(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, str, dict[str, str]]:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode(), {k.lower(): v for k, v in response.getheaders()}


@pytest.fixture
def served(web_db: Path):
    """``chrysalide serve`` in its own process."""
    port = free_port()
    env = {**os.environ, "CHRYSALIDE_LOCK_WAIT": "60"}
    process = subprocess.Popen(
        [CHRYSALIDE, "serve", "--db", str(web_db), "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True
    )
    # A start, not a timing: a loaded machine may take long (benchmarks/dashboard.py times the dashboard).
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if get(port, "/.json")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"serve did not start: {process.stderr.read() if process.stderr else ''}")
    yield port
    process.terminate()
    process.wait(timeout=10)


def test_commands_run_while_the_dashboard_serves_and_it_shows_their_runs(served, web_db):
    port = served
    failures: list[str] = []
    stop = threading.Event()

    def browse() -> None:  # a researcher clicking around while the commands run
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            for path in ("/", "/members.json", "/threads", "/review.json"):
                status, _body, _headers = get(port, path, conn)
                if status not in (200, 503):  # 503: busy while a command writes, never an error
                    failures.append(f"{path}: {status}")
            time.sleep(0.02)

    browsing = threading.Thread(target=browse)
    browsing.start()
    try:
        env = {**os.environ, "CHRYSALIDE_LOCK_WAIT": "60"}
        for command in (
            ["journeys", "--permutations", "9"],
            ["community"],
            ["report", "--out", str(web_db.parent / "report.html")],
        ):
            done = subprocess.run(
                [CHRYSALIDE, *command, "--db", str(web_db)], env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, (command, done.stderr)
    finally:
        stop.set()
        browsing.join(timeout=30)
    assert failures == []
    runs = {r["stage"] for r in json.loads(get(port, "/.json")[1])["runs"]}
    assert {"journeys", "community"} <= runs  # the dashboard shows the new runs
    assert json.loads(get(port, "/community.json")[1])["run_id"] is not None
    assert [r["name"] for r in json.loads(get(port, "/report.json")[1])["reports"]] == ["report.html"]


def test_a_command_waiting_for_the_dashboard_says_so_and_is_let_in(served, web_db):
    """Requests keep coming, so the dashboard's connection is never idle: the command gets in only because
    the dashboard sees it waiting; it says once who holds the file."""
    port = served
    stop = threading.Event()

    def hammer() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            get(port, "/", conn)

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        env = {**os.environ, "CHRYSALIDE_LOCK_WAIT": "60"}
        done = subprocess.run(
            [CHRYSALIDE, "community", "--db", str(web_db)], env=env, capture_output=True, text=True, timeout=120
        )
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert "is in use by PID" in done.stderr and "serve" in done.stderr and done.stderr.count("waiting for it") == 1
    assert "Traceback" not in done.stderr
    assert json.loads(get(port, "/community.json")[1])["run_id"] is not None


def test_busy_page_while_another_process_writes(web_db):
    message_id = native_ids(web_db)["1"]
    app = create_app(web_db)
    with Server(app) as server:
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(web_db), "8"], stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            status, body, headers = get(server.port, "/members", conn)
            assert status == 503 and "Busy, retrying" in body and 'http-equiv="refresh"' in body
            assert headers["retry-after"] == "3"
            status, body, _headers = get(server.port, "/members.json", conn)
            assert status == 503 and json.loads(body)["error"].startswith("busy, retrying")
            # A decision sent meanwhile is refused plainly: the page must not re-send the form by reloading.
            form = urlencode({"primary": "other", "reviewer": "x", "csrf_token": app.state.csrf})
            conn.request("POST", f"/review/{message_id}", form, {"Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            body = response.read().decode()
            assert response.status == 503 and "nothing was saved" in body and "http-equiv" not in body
        finally:
            holder.wait(timeout=30)
        assert get(server.port, "/members", conn)[0] == 200  # the same connection, once the writer is done


def test_an_error_answers_500_and_keeps_the_connection(web_db):
    app = create_app(web_db)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    app.add_api_route("/boom.json", boom)
    with Server(app) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        status, body, headers = get(server.port, "/boom", conn)
        assert status == 500 and "internal error" in body and headers.get("connection") != "close"
        sock = conn.sock
        assert get(server.port, "/boom.json", conn)[0] == 500
        assert get(server.port, "/.json", conn)[0] == 200
        assert conn.sock is sock  # kept alive through both errors


@pytest.mark.slow
def test_load_2000_requests_at_concurrency_8_without_an_error(served):
    from chrysalide.web.loadtest import load

    result = load(f"http://127.0.0.1:{served}", requests=2000, concurrency=8)
    assert result.errors == {} and result.done == 2000, result  # its speed: benchmarks/dashboard.py
