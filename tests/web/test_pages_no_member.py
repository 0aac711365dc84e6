"""The dashboard names a message without a member by what its import recorded, as the report does.

A CSV thread of three messages: one by a member, one by "[deleted]" (a deleted account), one by "Guest" (a guest
who signed no name), and a fourth by "N/A" (a spreadsheet's placeholder: the source gives no author).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.ingest import ingest
from chrysalide.store import Store
from chrysalide.web.app import create_app

ROWS = """message_id,thread_id,author,posted_at,text
1,t1,alice,2021-01-04 10:00,My thyroid tests came back and I am worried.
2,t1,[deleted],2021-01-04 11:00,Ask your doctor about the dose.
3,t1,Guest,2021-01-04 12:00,Same thing happened to me last year.
4,t1,N/A,2021-01-04 13:00,Good luck with the appointment.
"""


def test_the_thread_page_names_deleted_accounts_guests_and_unknown_authors(tmp_path: Path) -> None:
    source = tmp_path / "forum.csv"
    source.write_text(ROWS, encoding="utf-8")
    with Store(tmp_path / "f.duckdb") as store:
        ingest(store, source)
        (thread_id,) = store.con.execute("SELECT DISTINCT thread_id FROM messages").fetchone()
    page = TestClient(create_app(tmp_path / "f.duckdb"), base_url=BASE).get(f"/threads/{thread_id}").text
    assert page.count("<span>deleted account</span>") == 1
    assert page.count("<span>guest</span>") == 1
    assert page.count("<span>unknown author</span>") == 1
    assert "guest / deleted account" not in page
