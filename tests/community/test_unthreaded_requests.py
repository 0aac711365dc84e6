"""A table without thread ids (Fiv.fr's CSV: author, date, text) names no thread, so none of its messages is known
to open one: a newcomer's first message there is no request and no opener that does not ask, but unknown (view
``newcomers``, migration 0025), counted apart and said. Beside a source that names its threads, that source's
requests stay. Counts by hand: every message is coded individual and every poster registered at their first post
(a newcomer)."""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import code_all, register_at_first_post

from chrysalide.community import community
from chrysalide.community.step import periods as community_periods
from chrysalide.ingest import ingest
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_responses
from chrysalide.report.periods import PERIOD_COLUMNS, period_cells, seen
from chrysalide.store import Store
from chrysalide.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_fixtures import BASE  # noqa: E402

FIV = ["author,posted_at,text",
       'ann,2021-01-01 10:00,"Bonjour, je commence un protocole, des conseils ?"',
       "bea,2021-01-01 11:00,\"Ann, courage, bois beaucoup d'eau !\"",
       'cat,2021-01-02 09:00,"Merci Bea pour ton message."']  # fmt: skip
# Two threads named by their ids: dan opens t1 and eve replies in it; fay opens t2.
IVG = ["message_id,thread_id,author,posted_at,text",
       'p1,t1,dan,2021-01-03 10:00,"Je cherche un avis sur mon traitement."',
       'p2,t1,eve,2021-01-03 12:00,"Courage Dan, demande au centre."',
       'p3,t2,fay,2021-01-04 08:00,"Mon transfert est demain, des conseils ?"']  # fmt: skip


def _load(store: Store, tmp_path: Path, *tables: tuple[str, list[str]]) -> dict:
    for name, lines in tables:
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        ingest(store, tmp_path / name)
    register_at_first_post(code_all(store))
    return community(store).summary


def _requests_fact(store: Store) -> str:
    (value,) = [v for k, v in section_responses(Context(store)).facts if k.startswith("requests (")]
    return str(value)


def test_a_table_without_thread_ids_has_no_requests_to_tell(store: Store, tmp_path: Path) -> None:
    s = _load(store, tmp_path, ("fiv.csv", FIV))
    # Before: each message its own thread, so the 3 first messages coded individual were 3 requests.
    assert s["newcomers"] == 3 and s["requests"] is None and s["newcomers_thread_unknown"] == 3
    assert s["openers_uncoded"] == 0 and s["openers_not_requests"] == {} and s["openers_unreadable"] == 0
    run = store.latest("community")
    stored = store.con.execute(
        "SELECT count(*), count(starts_thread), count(request) FROM newcomer_responses WHERE run_id = ?", [run]
    ).fetchone()
    assert stored == (3, 0, 0)  # stored as unknown, not as false
    assert _requests_fact(store) == "- (the export names no thread, so requests cannot be told)"
    rows = seen(community_periods(store, run).to_dict("records"), s)
    (cells,) = [period_cells(row) for row in rows]
    assert cells[[c.key for c in PERIOD_COLUMNS].index("requests")] == "-"


def test_beside_a_forum_that_names_its_threads_its_requests_stay(store: Store, tmp_path: Path) -> None:
    s = _load(store, tmp_path, ("fiv.csv", FIV), ("ivg.csv", IVG))
    # dan's and fay's first messages open t1 and t2 (requests); eve's replies; ann's, bea's and cat's are unknown.
    assert (s["newcomers"], s["requests"], s["newcomers_thread_unknown"]) == (6, 2, 3)
    assert s["openers_uncoded"] == 0 and s["openers_not_requests"] == {}
    fact = _requests_fact(store)
    assert fact == "2; 3 more first messages in tables without thread ids, whether they ask cannot be told"


def test_the_dashboard_says_why_requests_are_unknown(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path, ("fiv.csv", FIV))
    store.close()
    page = TestClient(create_app(store.path), base_url=BASE).get("/community").text
    assert '<small id="requests-unknown">(the export names no thread, so requests cannot be told)</small>' in page
    assert "first messages in tables without thread ids" in page
