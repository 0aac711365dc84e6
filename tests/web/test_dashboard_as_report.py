"""The dashboard says what the report says: stage mix period, unknown counts, stage-share caveats, alert terms.

Regressions (one real corpus each): the community page drew the stage mix per month ("2019-10 societal 83% of 1")
where the report switches to quarters or years when a typical month holds fewer than 30 coded messages; Fiv.fr's
table by month said "newcomers answered 0 / unanswered 0" where no source records a reply and the summary says
"-"; ADFD's overview gave the stage shares without the report's sentence on the 96% of messages in a language
the model did not learn; the alerts page listed 10 top terms, the report 8.

The sparse forum, by hand (codes entered without probabilities count as certain):

- 2019-10-05, member 1 opens thread 1: societal (the month's only coded message)
- 2019-11-02, member 1 opens thread 2: individual
- 2019-11-03, member 2 answers in thread 2: individual
- 2020-01-10, member 2 in thread 2: "[removed]", coded other (the text step left it out: removed)

Coded messages per month 1, 2, 1 (median 1), per quarter 3, 1 (median 2), per year 3, 1: below 30 each time, so
years. 2019: individual 2/3, societal 1/3; 2020: other 1. Member 1's two codes are in German, a language the model
did not learn: 2 of the 4 coded messages (50%); 1 of the 4 (25%) is a removed body.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.community import community
from chrysalide.store import Store
from chrysalide.web.app import create_app

UNLEARNED = (
    "2 of the 4 coded messages (50%) are in a language the model did not learn (de 2): it learned from fewer than "
    "50 coded messages in each, so its confidence there is unmeasured and their codes await review whatever their "
    "confidence; the stage shares include them, unvalidated."
)
REMOVED = (
    "1 of the 4 coded messages (25%) hold no word of their author, their body removed or deleted ('[removed]', "
    "'[deleted]'): they are coded 'other' and counted in every share."
)
TERMS = ["levothyrox", "merck", "formule", "ansm", "pétition", "vertiges", "crampes", "fatigue", "lactose", "tsh"]


@pytest.fixture
def sparse(tmp_path: Path) -> TestClient:
    path = tmp_path / "sparse.duckdb"
    with Store(path) as store:
        f = Forum(store, "sparse")
        f.member(1), f.member(2), f.thread(1), f.thread(2)
        german = [f.post(1, 1, "2019-10-05 10:00", code="societal", lang="de"),
                  f.post(1, 2, "2019-11-02 10:00", code="individual", lang="de")]  # fmt: skip
        f.post(2, 2, "2019-11-03 10:00", code="individual")
        f.post(2, 2, "2020-01-10 10:00", "[removed]", code="other", left_out="removed")
        f.save()
        store.con.execute(
            "UPDATE codes SET needs_review = message_id IN (SELECT unnest(?::BIGINT[])), coded_lang = 'de',"
            " lang_learned = message_id NOT IN (SELECT unnest(?::BIGINT[]))",
            [german, german],
        )
        with store.run("alerts", "test-alerts", {}) as run:
            store.con.execute(
                "INSERT INTO alerts VALUES (?, 1, 'volume', 'all', 'kleinberg', '2019-11-04', '2019-11-04',"
                " '2019-11-10', 1, 3, 1.0, 3.0, 10.0, ?, [])",
                [run.run_id, TERMS],
            )
        community(store)
    return TestClient(create_app(path), base_url=BASE)


def test_the_stage_mix_over_time_is_by_year_when_months_are_sparse_as_in_the_report(sparse: TestClient) -> None:
    data = sparse.get("/community.json").json()
    assert data["mix_unit"] == "year"
    assert [(p["label"], p["coded"]) for p in data["mix"]] == [("2019", 3), ("2020", 1)]
    assert data["mix"][0]["shares"] == pytest.approx(
        {"individual": 2 / 3, "community": 0, "collaborative": 0, "societal": 1 / 3, "other": 0}
    )
    page = sparse.get("/community").text
    assert "each year&#39;s coded messages (years, not months, when a typical month holds fewer than 30" in page
    assert "<title>2019 societal: 33% of 3</title>" in page
    assert "2019-10 societal" not in page


def test_a_month_holding_thirty_coded_messages_keeps_months(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    with Store(path) as store:
        f = Forum(store, "busy")
        f.member(1), f.thread(1)
        for month in (1, 2):
            for day in range(1, 31):
                f.post(1, 1, f"2021-0{month}-{day if month == 1 else min(day, 28):02d} 10:00", code="collaborative")
        f.save()
    data = TestClient(create_app(path), base_url=BASE).get("/community.json").json()
    assert data["mix_unit"] == "month"
    assert [(p["label"], p["coded"]) for p in data["mix"]] == [("2021-01", 30), ("2021-02", 30)]


def test_counts_of_answers_no_source_records_are_unknown_not_zero(tmp_path: Path) -> None:
    """Two members each open a thread nobody answers: nothing records a reply, so whether they were answered is
    unknown ("-"), as the summary says; in the sparse forum, which records replies, nobody answered member 1's
    first message (a known 0)."""
    path = tmp_path / "solo.duckdb"
    with Store(path) as store:
        f = Forum(store, "solo")
        for member in (1, 2):
            f.member(member), f.thread(member)
            f.post(member, member, f"2021-04-0{member} 10:00", code="individual")
        f.save()
        community(store)
    client = TestClient(create_app(path), base_url=BASE)
    (april,) = client.get("/community.json").json()["periods"]
    assert (april["new_members"], april["newcomers_answered"], april["threads_unanswered"]) == (2, None, None)
    row = client.get("/community").text.split('<td class="nowrap">2021-04</td>')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    # messages, active members, newcomers, answered, within 3 h, median; requests, answered, within 3 h, median;
    # threads started, never answered, answered within 3 h (test_period_tables)
    assert cells == ["2", "2", "2", "-", "-", "-", "2", "-", "-", "-", "2", "-", "-"]


def test_known_zero_answers_stay_zero(sparse: TestClient) -> None:
    periods = {p["period"][:7]: p for p in sparse.get("/community.json").json()["periods"]}
    assert (periods["2019-10"]["newcomers_answered"], periods["2019-10"]["threads_unanswered"]) == (0, 1)


def test_the_overview_gives_the_reports_caveats_on_stage_shares(sparse: TestClient) -> None:
    assert sparse.get("/.json").json()["caveats"] == [UNLEARNED, REMOVED]
    page = sparse.get("/").text
    assert all(caveat.replace("'", "&#39;") in page for caveat in (UNLEARNED, REMOVED))


def test_the_alerts_page_shows_as_many_top_terms_as_the_report(sparse: TestClient) -> None:
    (alert,) = sparse.get("/alerts.json").json()["alerts"]
    assert alert["top_terms"] == TERMS[:8]
    page = sparse.get("/alerts").text
    assert "<span>fatigue</span>" in page and "<span>lactose</span>" not in page and "<span>tsh</span>" not in page


def test_a_corpus_dated_by_day_says_why_within_3_hours_cannot_be_told(tmp_path: Path) -> None:
    """ADFD (dated by day) read "- were answered within 3 hours". Member 1 asks on 2004-09-06 (no time of day),
    member 2 answers on the 7th: a newcomer answered, within 3 hours or not is unknown."""
    path = tmp_path / "days.duckdb"
    with Store(path) as store:
        f = Forum(store, "days")
        f.member(1), f.member(2), f.thread(1)
        f.post(1, 1, "2004-09-06", code="individual")
        f.post(2, 1, "2004-09-07", code="collaborative")
        f.save()
        community(store)
    page = TestClient(create_app(path), base_url=BASE).get("/community").text
    caption = page.split("How fast newcomers get a first answer")[1].split("</figcaption>")[0]
    assert "% were answered within 3 hours" not in caption and "- were answered" not in caption
    assert (
        "How many were answered within 3 hours cannot be told: source &#39;days&#39; dates messages by day only."
        in (caption)
    )


def test_the_stage_mix_is_given_once_by_the_reports_period_rule(sparse: TestClient) -> None:
    """Regression: each row of the table by month also carried that month's stage shares and primary codes
    (``shares``, ``coded``, ``n_<stage>``), which nothing drew: a second stage mix, by another period than the
    figure's (years here). The figure's ``mix`` is the only one."""
    data = sparse.get("/community.json").json()
    assert [p["period"][:7] for p in data["periods"]] == ["2019-10", "2019-11", "2020-01"]
    mixed = {k for p in data["periods"] for k in p if k in ("shares", "coded") or k.startswith(("share_", "n_"))}
    assert mixed == set()
    assert [(m["label"], m["coded"]) for m in data["mix"]] == [("2019", 3), ("2020", 1)]


def test_the_overview_says_how_many_codes_await_review_for_their_confidence(tmp_path: Path) -> None:
    """Of three English codes, one is flagged for review (its language learned): 1 of 3 (33%), in the report's words."""
    path = tmp_path / "unsure.duckdb"
    with Store(path) as store:
        f = Forum(store, "unsure")
        f.member(1), f.thread(1)
        posts = [f.post(1, 1, f"2021-03-0{day} 10:00", code="individual") for day in (1, 2, 3)]
        f.save()
        store.con.execute("UPDATE codes SET needs_review = message_id = ?, coded_lang = 'en', lang_learned = true",
                          [posts[1]])  # fmt: skip
    unsure = ("1 of the 3 coded messages (33%) have a confidence below the model's review threshold and await review: "
              "read each of their codes as unsure; the stage shares count them by their probabilities, as they do "
              "every message.")  # fmt: skip
    assert TestClient(create_app(path), base_url=BASE).get("/.json").json()["caveats"] == [unsure]
