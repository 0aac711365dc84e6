import re

import pytest
from fastapi.testclient import TestClient

from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.web.app import create_app


@pytest.fixture
def client(web_db):
    return TestClient(create_app(web_db))


def ids(client):
    data = client.get("/members.json").json()
    return {m["pseudonym"]: m["member_id"] for m in data["members"]}


ROUTES = ["/", "/members", "/review", "/lexical", "/alerts"]


@pytest.mark.parametrize("route", ROUTES)
def test_every_page_and_its_json_twin(client, route):
    page = client.get(route)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    twin = client.get("/.json" if route == "/" else f"{route}.json")
    assert twin.status_code == 200 and isinstance(twin.json(), dict)


def test_member_and_thread_pages_have_twins(client):
    members = client.get("/members.json").json()["members"]
    first = members[0]
    assert client.get(f"/members/{first['member_id']}").status_code == 200
    member = client.get(f"/members/{first['member_id']}.json").json()
    assert member["pseudonym"] == first["pseudonym"] and member["messages"]
    thread_id = member["messages"][0]["thread_id"]
    thread = client.get(f"/threads/{thread_id}.json").json()
    assert [m["position_in_thread"] for m in thread["messages"]] == [0, 1, 2]
    assert client.get(f"/threads/{thread_id}").status_code == 200
    assert client.get("/members/123.json").status_code == 404
    assert client.get("/threads/123").status_code == 404


def test_members_sort_by_every_column(client):
    for key in ("messages", "first", "last", "words", "recency", "periods", "pseudonym"):
        for order in ("asc", "desc"):
            data = client.get(f"/members.json?sort={key}&order={order}").json()
            assert data["sort"] == key and data["order"] == order
    # an unknown sort column is not SQL: it falls back to messages
    assert client.get("/members.json?sort=1;DROP TABLE members").json()["sort"] == "messages"


def test_user_content_is_escaped(client):
    thread_id = client.get("/members.json").json()["members"][0]
    html = client.get(
        "/threads/" + str(client.get(f"/members/{thread_id['member_id']}.json").json()["messages"][0]["thread_id"])
    ).text
    assert "<script>window.__xss" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;Nodule&lt;/i&gt; &amp; TSH" in html
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_names_never_shown(client):
    for route in ("/", "/members", "/review", "/members.json", "/review.json"):
        assert "Alice" not in client.get(route).text and "Bob" not in client.get(route).text


def test_review_correction_is_stored_as_human_code(client, web_db):
    page = client.get("/review").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    message_id = client.get("/review.json").json()["queue"][0]["message_id"]
    response = client.post(
        f"/review/{message_id}",
        data={"primary": "community", "secondary": ["individual"], "reviewer": "ana", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    client.app.state.store.close()
    with Store(web_db) as store:
        row = store.con.execute(
            "SELECT primary_code, secondary_codes, origin, coder FROM current_codes WHERE message_id = ?", [message_id]
        ).fetchone()
    assert row == ("community", ["individual"], "human", "ana")


def test_review_rejects_forged_forms_and_bad_codes(client):
    message_id = client.get("/review.json").json()["queue"][0]["message_id"]
    forged = client.post(f"/review/{message_id}", data={"primary": "community", "reviewer": "x", "csrf_token": "nope"})
    assert forged.status_code == 403
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/review").text).group(1)
    bad = client.post(f"/review/{message_id}", data={"primary": "heroic", "reviewer": "x", "csrf_token": csrf})
    assert bad.status_code == 400


def test_token_required_off_loopback(web_db):
    with pytest.raises(ConfigError, match="not loopback"):
        create_app(web_db, host="0.0.0.0")
    token = "s3cret-token-of-enough-length"
    client = TestClient(create_app(web_db, host="0.0.0.0", token=token))
    for route in ("/", "/members.json", "/members", "/review", "/lexical.json", "/alerts"):
        assert client.get(route).status_code == 401
    assert client.get("/members.json", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/members.json", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    login = client.post("/login", data={"token": token}, follow_redirects=False)
    assert login.status_code == 303
    assert client.get("/members").status_code == 200  # the cookie now authenticates


def test_consent_withholds_quotes(web_db):
    with Store(web_db) as store:
        store.con.execute("DELETE FROM consent")
    client = TestClient(create_app(web_db))
    member_id = client.get("/members.json").json()["members"][0]["member_id"]
    texts = [m["text"] for m in client.get(f"/members/{member_id}.json").json()["messages"]]
    assert texts and all(t == "[quote withheld: no consent]" for t in texts)


def test_member_page_shows_stored_milestones(web_db):
    from chrysalide.journeys import journeys

    with Store(web_db) as store:
        journeys(store, permutations=9)
    client = TestClient(create_app(web_db))
    members = {m["pseudonym"]: m["member_id"] for m in client.get("/members.json").json()["members"]}
    data = [client.get(f"/members/{m}.json").json() for m in members.values()]
    helper = next(d for d in data if any(m["primary_code"] == "collaborative" for m in d["messages"]))
    names = [m["milestone"] for m in helper["journey"]["milestones"]]
    assert "collaborative" in names and "reply_to_other" in names
    assert "Milestones" in client.get(f"/members/{helper['member_id']}").text


def test_member_timeline_is_paged(client):
    member = max(client.get("/members.json").json()["members"], key=lambda m: m["n_messages"])
    first = client.get(f"/members/{member['member_id']}.json?limit=1").json()
    second = client.get(f"/members/{member['member_id']}.json?limit=1&offset=1").json()
    assert first["n_messages"] == 2 and len(first["messages"]) == 1 and len(second["messages"]) == 1
    assert first["messages"][0]["message_id"] != second["messages"][0]["message_id"]
    assert "later" in client.get(f"/members/{member['member_id']}?limit=1").text
