"""The dashboard in a real browser: Debian's Chromium driven by Playwright, headless."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
import uvicorn

from chrysalide.web.app import create_app

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(web_db):
    app = create_app(web_db)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_navigate_and_hostile_post_renders_as_text(server, page):
    base, _app = server
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Overview"
    page.click("nav >> text=Members")
    page.wait_for_selector("table#members")
    page.locator("table#members td a").first.click()
    page.wait_for_selector("ol.timeline")
    page.locator("ol.timeline .meta a").first.click()  # to the thread
    page.wait_for_selector("article.message")
    assert "<script>window.__xss = 1</script>" in page.locator("article.message .text").first.inner_text()
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("article.message img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_correct_a_code_in_the_review_queue_and_see_it_persisted(server, page, web_db):
    base, app = server
    page.goto(base + "/review")
    form = page.locator("form.review").first
    message_id = int(form.get_attribute("id").split("-")[1])
    form.locator("select[name=primary]").select_option("societal")
    form.locator("input[name=reviewer]").fill("browser-test")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#saved")
    assert str(message_id) in page.locator("#saved").inner_text()
    row = (
        app.state.store.con.cursor()
        .execute("SELECT primary_code, origin, coder FROM current_codes WHERE message_id = ?", [message_id])
        .fetchone()
    )
    assert row == ("societal", "human", "browser-test")
    page.goto(
        base
        + f"/members/{app.state.store.con.cursor().execute('SELECT member_id FROM messages WHERE message_id = ?', [message_id]).fetchone()[0]}"
    )
    assert "societal" in page.locator(f"#m{message_id}").inner_text()
