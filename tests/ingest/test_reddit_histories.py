"""The ``reddit`` importer on PatientPunk histories / thread files and on Reddit CSV exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chrysalide.ingest.formats.reddit import RedditImporter
from chrysalide.ingest.formats.reddit_histories import Threads
from chrysalide.ingest.loader import ingest
from chrysalide.ingest.records import MemberRecord, MessageRecord, Reject

DATA = Path(__file__).resolve().parents[1] / "data" / "reddit"


def _messages(path: Path) -> dict[str, MessageRecord]:
    records = [r for r in RedditImporter().read(path) if isinstance(r, MessageRecord)]
    return {f"{r.native_id}@{r.record_no}": r for r in records}


def test_patientpunk_folder_reads_thread_file_then_histories() -> None:
    folder = DATA / "patientpunk"
    assert RedditImporter.sniff(folder)
    records = list(RedditImporter().read(folder))
    # h1 is seen only in the thread file: their record starts with its first message; h2's history is their own
    # (a member chosen for the record: chrysalide.store.histories)
    members = [(r.name, r.record_start, r.history) for r in records if isinstance(r, MemberRecord)]
    assert members == [("h2", None, True), ("h1", "2026-04-01T10:00:00+00:00", False)]
    records = [r for r in records if not isinstance(r, MemberRecord)]
    assert all(isinstance(r, MessageRecord) for r in records)
    ids = [r.native_id for r in records]
    assert ids == ["t3_aaa", "t1_c1", "t1_c2", "t3_bbb", "t3_ppp", "t1_c1", "t1_h1", "t1_h2", "t1_h3", "t1_h4"]
    assert [r.record_no for r in records] == list(range(1, 11))
    by = {f"{r.native_id}/{r.record_no}": r for r in records}
    post = by["t3_aaa/1"]
    assert (post.board, post.meta, post.text) == (
        "covidlonghaulers",
        {"flair": "Question", "replies_at_source": 2},
        "Brain fog after 2 years\n\nDoes it ever lift?",
    )
    # num_comments as the thread file and the history give it (the loader makes it a whole number)
    counts = [by[key].meta.get("replies_at_source") for key in ("t3_bbb/4", "t3_ppp/5", "t1_c1/2")]
    assert counts == [0, 0, None]
    assert (by["t1_c2/3"].author_status, by["t1_c2/3"].reply_to, by["t1_c2/3"].thread_id) == ("deleted", "t1_c1", "aaa")
    assert (by["t3_bbb/4"].text, by["t3_bbb/4"].author_status) == ("Removed body keeps its title", "deleted")
    assert (by["t3_ppp/5"].board, by["t3_ppp/5"].author, by["t3_ppp/5"].thread_id) == ("cfs", "h2", "ppp")


def test_history_comment_threads_are_resolved_through_parents() -> None:
    by = {
        r.native_id: r
        for r in RedditImporter().read(DATA / "patientpunk")
        if isinstance(r, MessageRecord) and r.record_no > 5
    }
    assert by["t1_h1"].thread_id == "aaa"  # parent t1_c1 is in the thread file
    assert by["t1_h2"].thread_id == "unknown:t1_gone"  # parent comment outside the corpus
    assert by["t1_h3"].thread_id == "unknown:t1_gone"  # child of h2 joins its pseudo-thread
    assert (by["t1_h2"].reply_to, by["t1_h3"].reply_to) == ("t1_gone", "t1_h2")
    assert (by["t1_h4"].thread_id, by["t1_h4"].reply_to) == ("zzz", "t3_zzz")


def test_thread_resolution_survives_cycles_and_long_chains() -> None:
    threads = Threads(parent_of={"t1_a": "t1_b", "t1_b": "t1_a"})
    assert threads.resolve("t1_a").startswith("unknown:")
    chain = Threads(parent_of={f"t1_{i}": f"t1_{i - 1}" for i in range(1, 50_000)} | {"t1_0": "t3_root"})
    assert chain.resolve("t1_49999") == "root" and chain.resolve("t1_25000") == "root"


def test_overlap_between_thread_file_and_history_is_a_duplicate(store) -> None:
    report = ingest(store, DATA / "patientpunk", format="reddit")
    assert (report.imported, report.duplicates, report.rejected) == (9, 1, 0)
    threads = dict(store.con.execute("SELECT native_id, board FROM threads").fetchall())
    assert set(threads) == {"aaa", "bbb", "ppp", "unknown:t1_gone", "zzz"}
    again = ingest(store, DATA / "patientpunk", format="reddit")
    assert (again.imported, again.duplicates) == (0, 10)


def test_a_broken_json_file_in_a_folder_is_one_reject(tmp_path: Path) -> None:
    shutil.copytree(DATA / "patientpunk", tmp_path / "pp")
    (tmp_path / "pp" / "users" / "broken.json").write_text('{"author_hash": "x", "posts": [')
    records = list(RedditImporter().read(tmp_path / "pp"))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert len(rejects) == 1 and "invalid JSON" in rejects[0].reason
    assert sum(isinstance(r, MessageRecord) for r in records) == 10


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bpd_style_csv_folder(tmp_path: Path) -> None:
    _write(
        tmp_path / "posts" / "BPDrecovery.csv",
        "Title,Post Date,Post Text,Author,Author Flair,Original Content,ID,Score,Total Comments,Post URL\n"
        'Small win,1716145973,"Went outside today.\nFelt ok.",ann,,FALSE,p1,3,2,https://www.reddit.com/r/BPDrecovery/comments/p1/x/\n'
        "Link only,1716145990,,,,FALSE,p2,1,0,\n",
    )
    _write(
        tmp_path / "comments" / "BPDrecovery_comments.csv",
        "ID,Comment,Author,OP,Post Date\n"
        "p1,Proud of you!,bea,FALSE,1716146000\n"
        "p1,[deleted],,FALSE,1716146100\n"
        "p1,too,many,fields,here,1716146200\n",
    )
    assert RedditImporter.sniff(tmp_path)
    records = list(RedditImporter().read(tmp_path))
    comments = [r for r in records if isinstance(r, MessageRecord) and r.native_id is None]
    posts = [r for r in records if isinstance(r, MessageRecord) and r.native_id]
    (reject,) = [r for r in records if isinstance(r, Reject)]
    # posts/ is numbered first (its 4 lines), then comments/, though it sorts after it: a submission comes before a
    # comment posted in the same second (tests/ingest/test_reddit_record_order.py).
    assert "expected 5 fields, found 6" in reject.reason and reject.record_no == 4 + 4
    assert [(c.thread_id, c.reply_to, c.board, c.author, c.author_status) for c in comments] == [
        ("p1", "t3_p1", "BPDrecovery", "bea", None),
        ("p1", "t3_p1", "BPDrecovery", None, "deleted"),
    ]
    assert [(p.native_id, p.record_no, p.text, p.author_status) for p in posts] == [
        ("t3_p1", 2, "Small win\n\nWent outside today.\nFelt ok.", None),
        ("t3_p2", 4, "Link only", "deleted"),
    ]
    assert [c.record_no for c in comments] == [4 + 2, 4 + 3]
    assert [p.meta for p in posts] == [{"replies_at_source": "2"}, {"replies_at_source": "0"}]  # Total Comments


def test_a_post_s_board_is_its_file_s_whatever_its_url_names(tmp_path: Path) -> None:
    """Regression (r/BPD): a post of BPDrecovery.csv sharing a r/BorderlinePDisorder post had that subreddit's URL
    as its Post URL and was counted there, its comments (BPDrecovery_comments.csv) in another board than it."""
    _write(
        tmp_path / "posts" / "BPDrecovery.csv",
        "Title,Post Date,Post Text,Author,Author Flair,Original Content,ID,Score,Total Comments,Post URL\n"
        "Shared,1716145973,,ann,,FALSE,p9,3,0,https://www.reddit.com/r/BorderlinePDisorder/s/abcDEF\n",
    )
    (post,) = [r for r in RedditImporter().read(tmp_path) if isinstance(r, MessageRecord)]
    assert (post.native_id, post.board) == ("t3_p9", "BPDrecovery")


def test_flat_comment_csv(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reddit_post_comments.csv",
        "post_id,comment_id,author,body,score,created_utc,parent_id,is_submitter\n"
        "8msp9v,dzq1ruq,Candle,Thank you for posting this,139,1527536492.0,t3_8msp9v,False\n"
        "8msp9v,dzq35p8,None,[deleted],2,1527537000.0,t3_8msp9v,False\n",
    )
    assert RedditImporter.sniff(path)
    a, b = RedditImporter().read(path)
    assert (a.native_id, a.thread_id, a.reply_to, a.author, a.posted_at) == (
        "t1_dzq1ruq",
        "8msp9v",
        "t3_8msp9v",
        "Candle",
        "1527536492.0",
    )
    assert (b.author, b.author_status, b.text) == (None, "deleted", "[deleted]")


def test_generic_csv_is_not_claimed(tmp_path: Path) -> None:
    path = _write(tmp_path / "data.csv", "user_id,timestamp,text\nann,1603325721,hello\n")
    assert not RedditImporter.sniff(path)


@pytest.mark.parametrize(
    "payload",
    ['{"author_hash": "h", "posts": 5, "comments": "x"}', '[{"post_id": "t3_a", "comments": 7}, 5, {"comments": [1]}]'],
)
def test_hostile_shapes_never_crash(tmp_path: Path, payload: str) -> None:
    name = "users/h.json" if payload.startswith("{") else "subreddit_posts.json"
    _write(tmp_path / name, payload)
    records = list(RedditImporter().read(tmp_path / name))
    assert all(isinstance(r, Reject | MessageRecord | MemberRecord) for r in records)  # the history's author
    assert json.dumps([r.record_no for r in records if not isinstance(r, MemberRecord)])
