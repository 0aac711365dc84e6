"""What the dashboard shows and refuses: consent marks, escaping, bounded parameters, tokens, Host header."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_fixtures import BASE, CONTACT, HOSTILE, build_store, native_ids  # type: ignore[import-not-found]

from chrysalide.errors import ConfigError, StoreError
from chrysalide.report.html.step import report_step
from chrysalide.store import Store
from chrysalide.web.app import create_app
from chrysalide.web.views.common import EXCLUDED


def thread_of(client: TestClient, web_db, native: str) -> dict:
    message_id = native_ids(web_db)[native]
    for t in client.get("/threads.json").json()["threads"]:
        data = client.get(f"/threads/{t['thread_id']}.json").json()
        if any(m["message_id"] == message_id for m in data["messages"]):
            return data
    raise AssertionError(native)


def test_analysis_view_shows_text_and_marks_who_may_be_quoted(client, web_db):
    ids = native_ids(web_db)
    messages = {m["message_id"]: m for m in thread_of(client, web_db, "1")["messages"]}
    alice, bob = messages[ids["1"]], messages[ids["2"]]
    assert alice["text"] == HOSTILE and alice["quotable"] and not alice["excluded"]  # granted + quote
    assert bob["text"].startswith("Courage") and not bob["quotable"]  # no consent row: analysed, shown, not quotable
    html = client.get(f"/threads/{alice['thread_id']}").text
    assert html.count("may be quoted") >= 1 and html.count("analysis only") >= 2


def test_excluded_members_text_is_withheld_and_contacts_are_scrubbed(client, web_db):
    dan = next(m for m in thread_of(client, web_db, "6")["messages"] if m["message_id"] == native_ids(web_db)["6"])
    assert dan["excluded"] and dan["text"] == EXCLUDED
    assert "dan@example.org" not in client.get(f"/threads/{dan['thread_id']}").text
    client.app.state.reader.release()  # this process may open the file read-write again
    with Store(web_db) as store:  # consent withdrawn later is not excluded any more: text shown, contacts scrubbed
        store.con.execute("DELETE FROM consent")
    client = TestClient(create_app(web_db), base_url=BASE)
    dan = next(m for m in thread_of(client, web_db, "6")["messages"] if m["message_id"] == native_ids(web_db)["6"])
    assert "[email]" in dan["text"] and "[phone]" in dan["text"] and "dan@example.org" not in dan["text"]
    assert CONTACT.split(" ")[0] in dan["text"]


def test_without_a_consent_list_every_text_is_shown(web_db):
    with Store(web_db) as store:
        store.con.execute("DELETE FROM consent")
    client = TestClient(create_app(web_db), base_url=BASE)
    for t in client.get("/threads.json").json()["threads"]:
        for m in client.get(f"/threads/{t['thread_id']}.json").json()["messages"]:
            assert m["text"] and "withheld" not in m["text"] and not m["quotable"]
    assert client.get("/.json").json()["consent"]["analysed_only"] == 4


def test_user_content_is_escaped(client, web_db):
    html = client.get(f"/threads/{thread_of(client, web_db, '1')['thread_id']}").text
    assert "<script>window.__xss" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;Nodule&lt;/i&gt; &amp; TSH" in html
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_names_never_shown(client):
    for route in ("/", "/members", "/review", "/threads", "/members.json", "/review.json", "/threads.json"):
        text = client.get(route).text
        assert not any(name in text for name in ("Alice", "Bob", "Carol", "Dan")), route


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/members.json?offset=9223372036854775808", "offset"),
        ("/members.json?limit=100000", "limit"),
        ("/members.json?limit=0", "limit"),
        ("/members.json?sort=1;DROP TABLE members", "sort"),
        ("/review.json?n=100000", "n"),
        ("/threads.json?offset=-1", "offset"),
        ("/threads.json?q=" + "x" * 201, "q"),
        ("/members/9223372036854775808.json", "member_id"),
        ("/threads/-5.json", "thread_id"),
        ("/lexical.json?k=99999999999999999999", "k"),
    ],
)
def test_out_of_range_parameters_answer_422_with_a_message(client, url, name):
    response = client.get(url)
    assert response.status_code == 422 and response.json()["error"].startswith(f"{name}:")
    page = client.get(url.replace(".json", "", 1))
    assert page.status_code == 422 and name in page.text and "Sorry" in page.text


def test_unknown_ids_answer_404(client):
    assert client.get("/members/123.json").status_code == 404
    assert client.get("/threads/123").status_code == 404 and "thread not found" in client.get("/threads/123").text
    assert client.get("/nowhere").status_code == 404


def test_members_sort_by_every_column(client):
    for key in ("messages", "first", "last", "words", "recency", "periods", "pseudonym"):
        for order in ("asc", "desc"):
            data = client.get(f"/members.json?sort={key}&order={order}").json()
            assert data["sort"] == key and data["order"] == order and data["total"] == 4


def test_member_page_is_paged_and_explains_its_marks(client):
    member = max(client.get("/members.json").json()["members"], key=lambda m: m["n_messages"])
    first = client.get(f"/members/{member['member_id']}.json?limit=1").json()
    second = client.get(f"/members/{member['member_id']}.json?limit=1&offset=1").json()
    assert first["n_messages"] == 2 and len(first["messages"]) == 1 and len(second["messages"]) == 1
    assert first["messages"][0]["message_id"] != second["messages"][0]["message_id"]
    html = client.get(f"/members/{member['member_id']}?limit=1").text
    assert "next →" in html and "What the marks and codes mean" in html and "verbatim" in html


def test_threads_index_searches_titles_and_text(client):
    assert [t["title"] for t in client.get("/threads.json?q=pétition").json()["threads"]] == [
        "Pétition",
        "Pétition (bis)",
    ]
    assert client.get("/threads.json?q=endocrinologue").json()["total"] == 0  # not in a title
    found = client.get("/threads.json?q=endocrinologue&where=text").json()
    assert found["total"] == 1 and found["threads"][0]["n_messages"] == 3
    assert client.get("/threads.json?q=100%25").json()["total"] == 0  # % is a character, not a wildcard


def test_host_header_must_name_the_bound_address(web_db):
    app = create_app(web_db)
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1"):
        assert TestClient(app, base_url=f"http://{host}").get("/.json").status_code == 200, host
    for host in ("attacker.test", "attacker.test:8000", "127.0.0.1.attacker.test", "evil"):
        response = TestClient(app, base_url=f"http://{host}").get("/review")
        assert response.status_code == 421 and "DNS rebinding" in response.text, host
        assert "csrf" not in response.text


def test_token_required_off_loopback(web_db):
    with pytest.raises(ConfigError, match="not loopback"):
        create_app(web_db, host="0.0.0.0")
    token = "s3cret-token-of-enough-length"
    client = TestClient(create_app(web_db, host="0.0.0.0", token=token), base_url="http://192.0.2.7:8000")
    for route in ("/", "/members.json", "/members", "/review", "/lexical.json", "/alerts", "/report/file?name=x"):
        assert client.get(route).status_code == 401, route
    assert client.get("/members.json", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/members.json", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    assert client.post("/login", data={"token": token}, follow_redirects=False).status_code == 303
    assert client.get("/members").status_code == 200  # the cookie now authenticates


def test_a_missing_database_is_refused(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        create_app(tmp_path / "typo.duckdb")
    assert not (tmp_path / "typo.duckdb").exists()


def test_report_page_lists_and_serves_only_the_reports_this_database_wrote(client, web_db):
    """Regression: any Chrysalide report beside the database was listed, so two projects kept in one folder
    showed each other's reports as their own (the r/BPD dashboard listed the r/mentalhealth reports)."""
    folder = web_db.parent

    def names() -> list[str]:
        return [r["name"] for r in client.get("/report.json").json()["reports"]]

    assert names() == []
    with build_store(folder / "other.duckdb") as store:
        report_step(store, out=folder / "theirs.html")
    (folder / "notes.html").write_text("<p>not a report")
    assert names() == []
    client.app.state.reader.release()
    with Store(web_db) as store:
        report_step(store, out=folder / "ours.html")
    assert names() == ["ours.html"]
    served = client.get("/report/file?name=ours.html")
    assert served.status_code == 200 and served.text == (folder / "ours.html").read_text(encoding="utf-8")
    assert "script-src" not in served.headers["content-security-policy"]  # default-src 'none': no script at all
    for name in ("theirs.html", "notes.html", "../web.duckdb"):
        assert client.get(f"/report/file?name={name}").status_code == 404
    # Another project writes the same file in turn: it is no longer this database's report.
    with build_store(folder / "third.duckdb") as store:
        report_step(store, out=folder / "ours.html", title="Another forum")
    assert names() == [] and client.get("/report/file?name=ours.html").status_code == 404
    # A report elsewhere is found through the run that wrote it; a run recorded before runs kept a file's
    # digest vouches for the file at its path.
    (folder / "out").mkdir()
    elsewhere = folder / "out" / "study.html"
    elsewhere.write_text('<!DOCTYPE html><meta name="generator" content="chrysalide 0.2"><p>study')
    client.app.state.reader.release()
    with Store(web_db) as store:
        with store.run("report", "test", {}) as run:
            run.summary["path"] = str(elsewhere)
    assert names() == ["study.html"]
    assert client.get("/report/file?name=study.html").text.endswith("<p>study")


def test_a_search_finds_no_excluded_member_s_text_nor_the_titles_they_wrote(client, web_db):
    """Regression: searching message text found the threads of 15 phrases only excluded members of r/BPD wrote,
    confirming what they wrote; an excluded member's thread title was listed and found too."""

    def found(q: str, where: str) -> list[int]:
        return [t["thread_id"] for t in client.get("/threads.json", params={"q": q, "where": where}).json()["threads"]]

    assert found("appelez", "text") == []  # Dan's words, Dan excluded
    assert len(found("endocrinologue", "text")) == 1  # Bob's, shown
    assert len(found("Pétition", "title")) == 2  # Carol's titles, Carol not excluded
    client.app.state.reader.release()
    with Store(web_db) as store:  # Carol withdraws: her messages and the titles of the threads she opened go
        carol = store.con.execute("SELECT member_id FROM members WHERE pseudonym = ("
                                  "SELECT pseudonym FROM members m JOIN messages USING (member_id)"
                                  " WHERE native_id = '4')").fetchone()[0]  # fmt: skip
        store.con.execute("INSERT INTO consent (member_id, status, scope) VALUES (?, 'withdrawn', 'quote')", [carol])
    client = TestClient(create_app(web_db), base_url=BASE)
    assert [t["thread_id"] for t in client.get("/threads.json", params={"q": "Pétition", "where": "title"}).json()[
        "threads"]] == []  # fmt: skip
    listed = {t["title"] for t in client.get("/threads.json").json()["threads"]}
    assert "Pétition" not in listed and EXCLUDED in listed
    thread = next(t for t in client.get("/threads.json").json()["threads"] if t["title"] == EXCLUDED)
    page = client.get(f"/threads/{thread['thread_id']}.json").json()
    assert page["title"] == EXCLUDED and all(m["thread_title"] == EXCLUDED for m in page["messages"])


def test_the_address_announced_for_ipv6_loopback_is_a_url(web_db, tmp_path, monkeypatch):
    """An IPv6 address is bracketed in a URL (RFC 3986): "http://::1:8000/" is none. (Each app keeps its database
    open, never served here: one database each.)"""
    import uvicorn

    from chrysalide.web import serve

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    said: list[str] = []
    serve(web_db, host="::1", port=18766, announce=said.append)
    other = tmp_path / "other.duckdb"
    build_store(other).close()
    serve(other, host="127.0.0.1", port=18766, announce=said.append)
    assert [s.split(" (")[0] for s in said] == [
        "Chrysalide dashboard on http://[::1]:18766/",
        "Chrysalide dashboard on http://127.0.0.1:18766/",
    ]
