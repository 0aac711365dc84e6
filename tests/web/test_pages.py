"""Every page and its JSON twin: registered together, same data, serialisable, on a tiny forum and on the demo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_fixtures import BASE, FORUM, native_ids  # type: ignore[import-not-found]

from chrysalide.web.app import create_app
from chrysalide.web.pages import PAGES


def page_routes(app) -> dict[str, APIRoute]:
    return {r.path: r for r in app.routes if isinstance(r, APIRoute) and "GET" in r.methods}


def concrete(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def some_ids(client: TestClient) -> dict[str, int]:
    member = max(client.get("/members.json").json()["members"], key=lambda m: m["n_messages"])
    thread = client.get(f"/members/{member['member_id']}.json").json()["messages"][0]["thread_id"]
    return {"member_id": member["member_id"], "thread_id": thread}


def check_every_twin(client: TestClient) -> list[str]:
    """Walk the app's routes: every HTML page has a twin; both answer 200 with the same data."""
    routes = page_routes(client.app)
    ids = some_ids(client)
    checked = []
    for path in routes:
        if path.endswith(".json") or path in {"/login", "/report/file"}:
            continue
        twin = "/.json" if path == "/" else f"{path}.json"
        assert twin in routes, f"{path} has no JSON twin"
        url = concrete(path, ids)
        page = client.get(url)
        data = client.get(concrete(twin, ids))
        assert page.status_code == 200, (url, page.text[:300])
        assert page.headers["content-type"].startswith("text/html")
        assert data.status_code == 200, (url, data.text[:300])
        # The template rendered exactly the dict the twin answers (Starlette records a template's context).
        assert page.context["data"] == data.json(), url
        json.dumps(data.json(), allow_nan=False)
        checked.append(path)
    return checked


def test_pages_are_declared_once_with_their_twins(client):
    declared = {p.path for p in PAGES}
    routes = page_routes(client.app)
    for path in declared:
        assert path in routes and ("/.json" if path == "/" else f"{path}.json") in routes
    assert {"/", "/members", "/members/{member_id}", "/threads", "/threads/{thread_id}", "/community", "/review",
            "/lexical", "/alerts", "/report"} <= declared  # fmt: skip


def test_every_page_and_twin_on_a_tiny_forum(client):
    assert len(check_every_twin(client)) == len(PAGES)


def test_every_page_and_twin_with_every_step_run(demo_db: Path):
    client = TestClient(create_app(demo_db), base_url=BASE)
    assert len(check_every_twin(client)) == len(PAGES)
    # The figures are drawn on the server, as SVG.
    for url in ("/community", "/lexical", "/alerts", f"/members/{some_ids(client)['member_id']}"):
        assert "<svg" in client.get(url).text, url
    # Each partition of the lexical run is shown alone: k classes, each final class in exactly one of them.
    final = client.get("/lexical.json").json()
    assert final["k"] == final["final_k"] and all(c["terms"] for c in final["classes"])
    for k in final["levels"]:
        data = client.get(f"/lexical.json?k={k}").json()
        assert client.get(f"/lexical?k={k}").status_code == 200  # the page too: a coarser level has no writers
        assert data["k"] == k and [c["class"] for c in data["classes"]] == list(range(1, k + 1))
        if k != final["final_k"]:
            parts = sorted(f["class"] for c in data["classes"] for f in c["contains"])
            assert parts == list(range(1, final["final_k"] + 1))
            assert all(not c["terms"] for c in data["classes"])  # terms belong to the final classes only
    assert client.get("/lexical.json?k=99").status_code == 422


def test_counts_and_codes_match_the_source(client, web_db):
    data = client.get("/.json").json()
    assert (data["messages"], data["members"], data["threads"]) == (6, 4, 3)
    expected = dict.fromkeys(("individual", "community", "collaborative", "societal", "other"), 0)
    for row in FORUM.values():
        expected[row[6]] += 1
    assert {r["code"]: r["messages"] for r in data["stage_mix"]} == expected
    # Codes entered without probabilities count as certain: the estimate is the share of primary codes here.
    assert {r["code"]: r["estimated_share"] for r in data["stage_mix"]} == pytest.approx(
        {code: n / 6 for code, n in expected.items()}
    )
    assert data["coded"] == 6 and data["bot_messages"] == 0 and data["bots_left_out"] is None
    assert data["consent"] == {"members": 4, "quotable": 1, "excluded": 1, "analysed_only": 2, "with_consent_row": 2,
                               "listed": 2}  # fmt: skip


def test_thread_in_thread_order_with_replies_and_codes(client, web_db):
    ids = native_ids(web_db)
    t1 = next(t for t in client.get("/threads.json").json()["threads"] if t["n_messages"] == 3)
    t1 = client.get(f"/threads/{t1['thread_id']}.json").json()
    assert [m["pos"] for m in t1["messages"]] == [0, 1, 2]
    assert [m["message_id"] for m in t1["messages"]] == [ids["1"], ids["2"], ids["3"]]
    assert [m["reply_to_pos"] for m in t1["messages"]] == [None, 0, 1]
    assert t1["messages"][1]["primary_code"] == "collaborative" and t1["messages"][1]["secondary_codes"] == [
        "community"
    ]


def test_lexical_without_a_run_says_so(client):
    data = client.get("/lexical.json").json()
    assert data["run_id"] is None and data["classes"] == []
    assert "chrysalide lexical" in client.get("/lexical").text
    assert "chrysalide alerts" in client.get("/alerts").text
