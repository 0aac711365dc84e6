"""Top-level comments exported without the posts they answer (r/mentalhealth's comment CSV: post_id, comment_id,
author, body, score, created_utc, parent_id, is_submitter): the requests for help that open the threads are not
in the corpus, so the members at risk mostly never ask there, and the report says that decentering is not the
study's passage from asking to helping. By hand: three comments under two missing posts, by three members, each
coded community (a thank-you, a congratulation, a hug): three members at risk from their first message, all
three never asked, none decentered."""

from __future__ import annotations

from pathlib import Path

from forum_builder import code_all, register_at_first_post

from chrysalide.community.responses import source_structure
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_journeys, section_summary
from chrysalide.report.html.sections.journeys import UNSEEN_REQUESTS
from chrysalide.store import Store

HEADER = "post_id,comment_id,author,body,score,created_utc,parent_id,is_submitter"
ROWS = [
    "p1,c1,ann,Thank you for posting this. It means a lot to read it today.,5,1609495200.0,t3_p1,False",
    "p1,c2,bea,Congrats! So proud of you for getting through it.,3,1609498800.0,t3_p1,False",
    "p2,c3,cat,Sending you a big hug. You are not alone in this.,2,1609581600.0,t3_p2,False",
]


def test_comments_without_their_posts_say_the_requests_are_missing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reddit_post_comments.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    ingest(store, path, format="reddit")
    assert source_structure(store) == {
        "reddit_post_comments": {
            "replies": "parents_missing",
            "day_only": False,
            "boards_apart": False,
            "sampled_threads": False,
        }
    }
    register_at_first_post(store)  # each arrives in the record: at risk, not left out by the burn-in
    code_all(store, "community")
    run = journeys(store, permutations=0)
    s = run.summary
    assert (s["at_risk"], s["at_risk_without_request"], s["decentered"]) == (3, 3, 0)
    (row,) = [r for r in section_summary(Context(store)).tables[0].rows if r[0] == "decentering"]
    assert str(row[1]).startswith("0 of the 3 members at risk (0%) went on to help others")
    assert str(row[1]).endswith(
        "Source 'reddit_post_comments': its messages reply to messages it lacks, as comments exported without their "
        f"submissions do, so no reply between its own messages is recorded and none of them opens a thread. {UNSEEN_REQUESTS}"
    )
    assert any(UNSEEN_REQUESTS in p for p in section_journeys(Context(store)).paragraphs)
