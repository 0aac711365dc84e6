"""The review page: the library's queue, identical texts folded, context shown, decisions stored as human codes."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_fixtures import BASE, FORUM, PETITION, native_ids  # type: ignore[import-not-found]

from chrysalide.coding import review as review_lib
from chrysalide.store import Store
from chrysalide.web.app import create_app
from chrysalide.web.views.review import queue


def reference_queue(path, n: int, audit: int, seed: int = 0) -> tuple[list[int], list[str]]:
    """The queue's definition in plain SQL over the whole ``current_codes`` view (slow at scale, obvious here)."""
    base = """SELECT c.message_id, c.confidence, c.needs_review FROM current_codes c WHERE c.origin <> 'human'"""
    with Store(path, read_only=True) as store:
        uncertain = [r[0] for r in store.con.execute(
            f"{base} ORDER BY coalesce(c.needs_review, false) DESC, c.confidence NULLS FIRST, c.message_id LIMIT ?", [n]
        ).fetchall()]  # fmt: skip
        sample = [r[0] for r in store.con.execute(
            f"SELECT message_id FROM ({base}) q WHERE message_id NOT IN (SELECT unnest(?::BIGINT[]))"
            " ORDER BY hash(message_id + ?), message_id LIMIT ?", [uncertain, seed, audit]
        ).fetchall()]  # fmt: skip
    return uncertain + sample, ["uncertain"] * len(uncertain) + ["audit"] * len(sample)


def csrf_of(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/review").text).group(1)


def run_count(path) -> int:
    with Store(path, read_only=True) as store:
        return store.con.execute("SELECT count(*) FROM runs").fetchone()[0]


def current(path, message_id: int) -> tuple:
    with Store(path, read_only=True) as store:
        return store.con.execute(
            "SELECT primary_code, secondary_codes, origin, coder FROM current_codes WHERE message_id = ?", [message_id]
        ).fetchone()


@pytest.mark.parametrize(("n", "audit"), [(1, 1), (2, 1), (3, 2), (20, 5)])
def test_queue_is_the_queue_defined_in_sql(web_db, n, audit):
    app = create_app(web_db)
    with app.state.reader.cursor() as db:
        items, _codes = queue(db, n, audit)
    app.state.reader.release()
    ids, reasons = reference_queue(web_db, n, audit)
    assert [i["message_id"] for i in items] == ids
    assert [i["reason"] for i in items] == reasons
    with Store(web_db, read_only=True) as store:
        frame = review_lib.queue(store, n=n, audit=audit)
    assert frame["message_id"].tolist() == ids and frame["reason"].tolist() == reasons


def test_queue_is_the_queue_defined_in_sql_on_the_demo_with_human_decisions(demo_db, tmp_path):
    import shutil

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    shutil.copy(demo_db.with_suffix(".key"), path.with_suffix(".key"))
    with Store(path) as store:
        first = review_lib.queue(store, n=30, audit=10)
        for m in first["message_id"].tolist()[::3]:  # decided messages leave the queue
            review_lib.decide(store, int(m), "other", reviewer="t")
    app = create_app(path)
    for n, audit in ((10, 3), (60, 15)):
        with app.state.reader.cursor() as db:
            items, _codes = queue(db, n, audit)
        app.state.reader.release()
        assert [i["message_id"] for i in items] == reference_queue(path, n, audit)[0]
        with Store(path, read_only=True) as store:
            for seed in (0, 7):
                got = review_lib.queue(store, n=n, audit=audit, seed=seed)
                assert got["message_id"].tolist() == reference_queue(path, n, audit, seed)[0]


def test_codes_flagged_by_the_coder_come_first(web_db):
    """When the coding step flags codes that need review (``codes.needs_review``), the queue starts with them."""
    ids = native_ids(web_db)
    with Store(web_db) as store:
        if not store.con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'codes' AND column_name = 'needs_review'"
        ).fetchone()[0]:
            store.con.execute("ALTER TABLE codes ADD COLUMN needs_review BOOLEAN")
        store.con.execute("UPDATE codes SET needs_review = false")
        # The two most confident codes are flagged; the queue's order must be: flagged, then by confidence.
        store.con.execute("UPDATE codes SET needs_review = true WHERE message_id IN (?, ?)", [ids["2"], ids["3"]])
    confidence = {native: row[-1] for native, row in FORUM.items()}
    flagged = {"2", "3"}
    expected = sorted(FORUM, key=lambda n: (n not in flagged, confidence[n], native_ids(web_db)[n]))
    app = create_app(web_db)
    with app.state.reader.cursor() as db:
        items, _codes = queue(db, 6, 0)
    app.state.reader.release()
    assert [i["message_id"] for i in items] == [ids[n] for n in expected]
    assert [bool(i["needs_review"]) for i in items][:2] == [True, True]


def test_items_show_author_thread_parent_and_fold_identical_texts(client, web_db):
    ids = native_ids(web_db)
    items = {i["message_id"]: i for i in client.get("/review.json").json()["queue"]}
    petition = items[ids["4"]] if ids["4"] in items else items[ids["5"]]
    assert petition["text"] == PETITION and len(petition["duplicates"]) == 1
    assert {petition["message_id"], *petition["duplicates"]} == {ids["4"], ids["5"]}
    assert sum(1 for i in items.values() if i["text"] == PETITION) == 1
    reply = items[ids["3"]]
    assert reply["parent"]["message_id"] == ids["2"] and reply["parent"]["text"].startswith("Courage")
    assert reply["pseudonym"].startswith("M-") and reply["thread_title"] == "<i>Nodule</i> & TSH"
    assert (reply["pos"], reply["thread_size"]) == (2, 3)
    assert items[ids["1"]]["parent"] is None  # opens its thread
    html = client.get("/review").text
    assert "in reply to" in html and "Opens the thread." in html and "identical cop" in html
    assert "The author works on their OWN health problem" in html  # the codebook beside the choices
    assert '<script src="/static/review.js"' in html


def test_excluded_members_text_is_withheld_in_the_queue(client, web_db):
    dan = next(i for i in client.get("/review.json?n=20").json()["queue"] if i["message_id"] == native_ids(web_db)["6"])
    assert dan["excluded"] and "withheld" in dan["text"] and "example.org" not in client.get("/review?n=20").text


def test_correction_is_stored_and_the_reviewer_remembered(client, web_db):
    message_id = native_ids(web_db)["1"]
    response = client.post(
        f"/review/{message_id}",
        data={"primary": "community", "secondary": ["individual"], "reviewer": "ana", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/review?n=10&saved=")
    assert current(web_db, message_id) == ("community", ["individual"], "human", "ana")
    assert client.cookies.get("chrysalide_reviewer") == "ana"
    page = client.get("/review")
    assert 'name="reviewer" required maxlength="100" value="ana"' in page.text
    assert message_id not in [i["message_id"] for i in client.get("/review.json").json()["queue"]]


def test_accept_keeps_the_secondary_codes(client, web_db):
    message_id = native_ids(web_db)["2"]  # collaborative, secondary community
    response = client.post(
        f"/review/{message_id}",
        data={"accept": "1", "reviewer": "ana", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert current(web_db, message_id) == ("collaborative", ["community"], "human", "ana")


def test_a_decision_applies_to_identical_copies(client, web_db):
    ids = native_ids(web_db)
    item = next(i for i in client.get("/review.json").json()["queue"] if i["duplicates"])
    data = {"primary": "societal", "reviewer": "bo", "csrf_token": csrf_of(client), "also": item["duplicates"]}
    assert client.post(f"/review/{item['message_id']}", data=data, follow_redirects=False).status_code == 303
    assert current(web_db, ids["4"])[2:] == ("human", "bo") and current(web_db, ids["5"])[2:] == ("human", "bo")


def test_a_decision_is_saved_for_no_message_when_a_copy_is_not_one(client, web_db):
    """Regression: ``also`` took any ids; with an unrelated message and an unknown id the answer was 400 "no message
    with id 999", yet the message and the unrelated one had been saved as human codes (one run each)."""
    ids = native_ids(web_db)
    before = run_count(web_db)
    csrf = csrf_of(client)
    for also in ([ids["2"]], [ids["5"], 999_999]):  # message 2 differs from 4; 5 is 4's copy, 999,999 is no message
        data = {"primary": "societal", "reviewer": "bo", "csrf_token": csrf, "also": also}
        answer = client.post(f"/review/{ids['4']}", data=data, follow_redirects=False)
        assert answer.status_code == 400
    assert (
        "is not an identical copy"
        in client.post(
            f"/review/{ids['4']}",
            data={"primary": "societal", "reviewer": "bo", "csrf_token": csrf, "also": [ids["2"]]},
        ).text
    )
    assert run_count(web_db) == before
    assert current(web_db, ids["4"])[2] != "human" and current(web_db, ids["2"])[2] != "human"


def test_forged_or_bad_forms_are_refused(client, web_db):
    message_id = native_ids(web_db)["1"]
    forged = client.post(f"/review/{message_id}", data={"primary": "community", "reviewer": "x", "csrf_token": "no"})
    assert forged.status_code == 403
    csrf = csrf_of(client)
    assert (
        client.post(
            f"/review/{message_id}", data={"primary": "heroic", "reviewer": "x", "csrf_token": csrf}
        ).status_code
        == 400
    )
    assert client.post(f"/review/{message_id}", data={"reviewer": "x", "csrf_token": csrf}).status_code == 400
    assert (
        client.post(f"/review/{message_id}", data={"primary": "other", "reviewer": " ", "csrf_token": csrf}).status_code
        == 400
    )
    assert client.post("/review/123", data={"primary": "other", "reviewer": "x", "csrf_token": csrf}).status_code == 400
    assert current(web_db, message_id)[2] == "model"


def test_the_dashboard_shows_decisions_made_elsewhere(web_db):
    client = TestClient(create_app(web_db), base_url=BASE)
    before = client.get("/.json").json()["stage_mix"]
    client.app.state.reader.release()
    ids = native_ids(web_db)
    with Store(web_db) as store:
        for m in ids.values():
            review_lib.decide(store, m, "other", reviewer="cli")
    after = client.get("/.json").json()
    others = [{"code": c, "estimated_share": 0.0, "messages": 0} for c in ("individual", "community", "collaborative",
                                                                          "societal")]  # fmt: skip
    assert before != after["stage_mix"]
    assert after["stage_mix"] == [*others, {"code": "other", "estimated_share": 1.0, "messages": 6}]
    assert client.get("/review.json").json()["queue"] == []


def _flag_by_reason(path) -> None:
    """Flag four codes of the tiny forum, one reason each as the coding step records it (by hand):

    message 1 (confidence .4) is in a language the model did not learn (German); 3 (.55) and 6 (.3) are unsure
    (a language learned, confidence below the threshold); 4 (.2) was coded before the store kept each code's
    language (reason not recorded); 2 and 5 are confident. The reasons' counts: 1, 2 and 1 of 4 awaiting review.
    """
    ids = native_ids(path)
    rows = {"1": (True, False, "de"), "3": (True, True, "fr"), "6": (True, True, "fr"), "4": (True, None, None),
            "2": (False, True, "fr"), "5": (False, True, "fr")}  # fmt: skip
    with Store(path) as store:
        for native, (flag, learned, lang) in rows.items():
            store.con.execute(
                "UPDATE codes SET needs_review = ?, lang_learned = ?, coded_lang = ? WHERE message_id = ?",
                [flag, learned, lang, ids[native]],
            )


def test_the_page_counts_the_codes_awaiting_review_by_reason(web_db):
    _flag_by_reason(web_db)
    client = TestClient(create_app(web_db), base_url=BASE)
    data = client.get("/review.json").json()
    assert data["awaiting"] == 4 and data["reason"] is None
    assert [(r["reason"], r["codes"]) for r in data["by_reason"]] == [
        ("unlearned", 1),
        ("unsure", 2),
        ("unrecorded", 1),
    ]
    assert data["by_reason"][0]["languages"] == "de 1"
    html = client.get("/review").text
    assert "a language the model did not learn (de 1)" in html and "confidence below the threshold" in html
    assert 'href="/review?n=10&amp;reason=unsure"' in html
    item = next(i for i in data["queue"] if i["message_id"] == native_ids(web_db)["1"])
    assert item["review_reason"] == "unlearned"
    assert "flagged by the coder: a language the model did not learn" in html


def test_the_queue_is_narrowed_to_one_reason(web_db):
    _flag_by_reason(web_db)
    ids = native_ids(web_db)
    client = TestClient(create_app(web_db), base_url=BASE)
    # Each reason's codes, least confident first, and no audit sample: 6 (.3) before 3 (.55).
    for reason, natives in (("unsure", ["6", "3"]), ("unlearned", ["1"]), ("unrecorded", ["4"])):
        data = client.get(f"/review.json?reason={reason}").json()
        assert [i["message_id"] for i in data["queue"]] == [ids[n] for n in natives], reason
        assert {i["reason"] for i in data["queue"]} == {"uncertain"} and data["reason"] == reason
        assert {i["review_reason"] for i in data["queue"]} == {reason}
    html = client.get("/review?reason=unsure").text
    assert '<input type="hidden" name="reason" value="unsure">' in html and "shown below" in html


def test_an_unknown_reason_answers_400_naming_the_reasons(client, web_db):
    page = client.get("/review?reason=<script>alert(1)</script>")
    assert page.status_code == 400 and "<script>alert(1)" not in page.text
    assert "unknown review reason" in page.text and "&lt;script&gt;" in page.text
    twin = client.get("/review.json?reason=low")
    assert twin.status_code == 400
    assert twin.json()["error"].startswith(
        "reason: unknown review reason 'low'; the reasons are: unlearned: a language"
    )
    message_id = native_ids(web_db)["1"]
    form = {"primary": "other", "reviewer": "x", "csrf_token": csrf_of(client), "reason": "low"}
    assert client.post(f"/review/{message_id}", data=form, follow_redirects=False).status_code == 400
    assert current(web_db, message_id)[2] == "model"  # nothing stored


def test_a_decision_returns_to_the_narrowed_queue(client, web_db):
    _flag_by_reason(web_db)
    message_id = native_ids(web_db)["6"]
    form = {"primary": "other", "reviewer": "x", "csrf_token": csrf_of(client), "reason": "unsure"}
    response = client.post(f"/review/{message_id}", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/review?n=10&reason=unsure&saved=")
    assert [i["message_id"] for i in client.get("/review.json?reason=unsure").json()["queue"]] == [
        native_ids(web_db)["3"]
    ]


def test_a_decision_records_the_part_of_the_queue_it_came_from(client, web_db):
    """The form says whether its message was drawn for the audit or is among the least certain codes; the page then
    measures the automatic codes against the decisions, apart for each."""
    html = client.get("/review?n=1").text
    assert "No decision yet: `chrysalide review --n 0 --audit 100`" in html
    items = client.get("/review.json?n=1").json()["queue"]
    audit = next(i for i in items if i["reason"] == "audit")
    uncertain = next(i for i in items if i["reason"] == "uncertain")
    assert 'name="sample" value="audit"' in html
    csrf = csrf_of(client)
    for item, data in ((audit, {"accept": "1"}), (uncertain, {"primary": "societal"})):
        data |= {"reviewer": "ana", "csrf_token": csrf, "sample": item["reason"], "also": item["duplicates"]}
        assert client.post(f"/review/{item['message_id']}", data=data, follow_redirects=False).status_code == 303
    with Store(web_db, read_only=True) as store:
        samples = dict(store.con.execute(
            "SELECT c.message_id, json_extract_string(r.params, '$.sample') FROM codes c JOIN runs r USING (run_id)"
            " WHERE c.origin = 'human'").fetchall())  # fmt: skip
    expected = {audit["message_id"]: "audit", uncertain["message_id"]: "uncertain"}
    expected |= {m: "copy" for m in audit["duplicates"] + uncertain["duplicates"]}
    assert samples == expected
    kept = "100%" if uncertain["primary_code"] == "societal" else "0%"
    page = client.get("/review").text
    # The audit's sample also holds the decided messages its draw reached (tests/coding/test_audit.py).
    assert re.search(r"random audit: [123] code\(s\) reviewed, \d+% kept \(kappa from 20 decisions\)", page)
    assert f"least certain codes: 1 code(s) reviewed, {kept} kept" in page
    parts = {p["sample"]: p for p in client.get("/review.json?n=1").json()["agreement"]}
    assert parts["uncertain"]["n"] == 1 and parts["uncertain"]["kappa"] is None and parts["audit"]["n"] >= 1
    bad = {"primary": "other", "reviewer": "x", "csrf_token": csrf, "sample": "<b>random</b>"}
    refused = client.post(f"/review/{uncertain['message_id']}", data=bad)
    assert refused.status_code == 400 and "<b>random" not in refused.text
