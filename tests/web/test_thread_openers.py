"""The threads index names who opened each thread: its first message's author, a guest or a deleted account too.

Regression: patient.info's 16 guest-opened threads showed as started by the first member who posted in them
(``threads.starter_id``), one of them a member whose first message there is the fifth, five years later. Here,
by hand: t1 is opened by "Guest" and answered by alice, t2 opened by "[deleted]" and answered by bob, t3 opened by
carol. So t1 was started by a guest, t2 by a deleted account, t3 by carol (a link to her page); alice and bob
started none.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.ingest import ingest
from chrysalide.store import Store
from chrysalide.web.app import create_app

ROWS = """message_id,thread_id,author,posted_at,text,title
1,t1,Guest,2007-10-13 10:00,My joints ache since the infection.,Reactive arthritis
2,t1,alice,2012-03-01 09:00,Did you ever get a diagnosis?,
3,t2,[deleted],2013-05-02 10:00,Has anyone tried the new tablets?,New tablets
4,t2,bob,2013-05-02 11:00,Yes: they made me dizzy.,
5,t3,carol,2014-01-01 08:00,Is the clinic open on Sundays?,Clinic hours
"""


def test_a_thread_opened_by_a_guest_or_a_deleted_account_is_not_credited_to_a_member(tmp_path: Path) -> None:
    source = tmp_path / "forum.csv"
    source.write_text(ROWS, encoding="utf-8")
    with Store(tmp_path / "f.duckdb") as store:
        ingest(store, source)
        author = dict(store.con.execute("SELECT native_id, member_id FROM messages").fetchall())
        pseudonym = dict(store.con.execute("SELECT member_id, pseudonym FROM members").fetchall())
    client = TestClient(create_app(tmp_path / "f.duckdb"), base_url=BASE)
    rows = {r["title"]: r for r in client.get("/threads.json?sort=title").json()["threads"]}
    carol = author["5"]
    assert {title: r["starter_id"] for title, r in rows.items()} == {
        "Reactive arthritis": None,
        "New tablets": None,
        "Clinic hours": carol,
    }
    page = client.get("/threads?sort=title").text
    cells = {title: page.split(f">{title}</a>")[1].split("</tr>")[0] for title in rows}
    assert "<td>guest</td>" in cells["Reactive arthritis"]
    assert "<td>deleted account</td>" in cells["New tablets"]
    assert f'<a href="/members/{carol}">{pseudonym[carol]}</a>' in cells["Clinic hours"]
    for member in (author["2"], author["4"]):
        assert f"/members/{member}" not in page
