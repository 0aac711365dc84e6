"""The dashboard in a real browser: Debian's Chromium driven by Playwright, headless."""

from __future__ import annotations

import os
import shutil

import pytest
from web_fixtures import native_ids  # type: ignore[import-not-found]

from chrysalide.store import Store

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.dialogs = []  # type: ignore[attr-defined]
        page.problems = []  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        yield page
        browser.close()


def current(path, message_id: int) -> tuple:
    with Store(path, read_only=True) as store:
        return store.con.execute(
            "SELECT primary_code, secondary_codes, origin, coder FROM current_codes WHERE message_id = ?", [message_id]
        ).fetchone()


def test_navigate_and_hostile_post_renders_as_text(server, page):
    page.goto(server.url + "/")
    assert page.locator("h1").inner_text() == "Overview"
    page.click("nav >> text=Threads")
    page.wait_for_selector("table#threads")
    page.click("table#threads >> text=<i>Nodule</i> & TSH")  # the title is text, not markup
    page.wait_for_selector("article.message")
    assert "<script>window.__xss = 1</script>" in page.locator("article.message .text").first.inner_text()
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("article.message img").count() == 0
    assert page.locator("article.message .mark.quotable").count() == 2  # Alice may be quoted
    page.locator("article.message .meta a").first.click()  # to the author
    page.wait_for_selector("ol.timeline")
    assert page.dialogs == [] and page.problems == []  # type: ignore[attr-defined]


def test_figures_are_drawn(server, page):
    page.goto(server.url + "/community")
    assert page.locator("svg.figure rect").count() >= 9  # the response-time bars
    page.goto(server.url + "/members")
    page.locator("table#members td a").first.click()
    page.wait_for_selector("svg.figure")
    assert page.locator("svg.figure circle").count() >= 1
    box = page.locator("svg.figure").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert page.problems == []  # type: ignore[attr-defined]


def test_review_with_the_keyboard(server, page, web_db):
    ids = native_ids(web_db)
    page.goto(server.url + "/review")
    forms = page.locator("form.review")
    assert forms.count() >= 3 and "current" in (forms.nth(0).get_attribute("class") or "")
    page.keyboard.press("j")
    assert "current" in (forms.nth(1).get_attribute("class") or "")
    second = int(forms.nth(1).get_attribute("id").split("-")[1])
    forms.nth(1).locator("input[name=reviewer]").fill("keys")
    page.locator("h1").click()  # leave the text field: keys act on the item again
    page.keyboard.press("4")  # societal
    assert forms.nth(1).locator("input[name=primary][value=societal]").is_checked()
    page.keyboard.press("Enter")
    page.wait_for_selector("#saved")
    assert str(second) in page.locator("#saved").inner_text()
    assert current(web_db, second)[0::2] == ("societal", "human")
    # The reviewer is remembered; "a" accepts the first item's code with its secondary codes.
    first = page.locator("form.review").first
    assert first.locator("input[name=reviewer]").input_value() == "keys"
    first_id = int(first.get_attribute("id").split("-")[1])
    code, secondary = first.get_attribute("data-code"), current(web_db, first_id)[1]
    page.keyboard.press("a")
    page.wait_for_selector("#saved")
    assert current(web_db, first_id) == (code, secondary, "human", "keys")
    assert second != first_id and ids  # two different messages were decided
    assert page.problems == []  # type: ignore[attr-defined]


def test_a_long_unbroken_title_stays_inside_the_page(web_db, page):
    """Regression: a 500-character title without a space (and a board name as long) made /threads 6,054 px wide,
    pushing the columns and the board filter off screen: table cells now break such words."""
    from web_fixtures import Server  # type: ignore[import-not-found]

    from chrysalide.web.app import create_app

    with Store(web_db) as store:
        store.con.execute("UPDATE threads SET title = ?, board = ?", ["x" * 500, "b" * 500])
    with Server(create_app(web_db)) as running:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(running.url + "/threads")
        page.wait_for_selector("table#threads")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
