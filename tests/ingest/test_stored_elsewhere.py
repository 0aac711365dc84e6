"""An import whose messages another source of the store already holds is refused before anything is written.

Regression: importing a file again under another ``--source-name`` stored every message a second time, and
every author as a second member (r/mentalhealth: 9,885 messages and 6,312 "new members" again), so that every
count doubled and the second copies' authors could be taken for newcomers.
"""

import csv
import json
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import ingest
from chrysalide.store import Store

HEADER = "message_id,thread_id,author,posted_at,text,reply_to\n"
ROWS = [
    "1,t1,Alice,2017-08-01 10:00,J'ai un nodule,\n",
    "2,t1,Bob,2017-08-01 12:30,Courage !,1\n",
    "3,t2,Alice,2017-08-02 09:00,Autre sujet,\n",
]


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def counts(store: Store) -> tuple[int, ...]:
    row = store.con.execute(
        "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM members), (SELECT count(*) FROM sources),"
        " (SELECT count(*) FROM rejects)"
    ).fetchone()
    assert row is not None
    return tuple(row)


def test_the_same_file_under_another_name_is_refused_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "forum.csv", ROWS)
    ingest(store, path, source_name="forum")
    before = counts(store)
    with pytest.raises(InputError, match=r"forum\.csv: 3 of its messages are already stored in source 'forum'") as err:
        ingest(store, path, source_name="again")
    assert "--source-name forum" in str(err.value)
    assert counts(store) == before == (3, 2, 1, 0)
    # Into the same source it is a re-import: nothing is stored twice.
    assert ingest(store, path, source_name="forum").imported == 0


def test_an_overlapping_later_export_is_refused_under_another_name_and_adds_what_is_new_in_the_same(
    store: Store, tmp_path: Path
) -> None:
    ingest(store, write(tmp_path / "2017.csv", ROWS[:2]), source_name="forum")
    later = write(tmp_path / "2018.csv", [*ROWS[1:], "4,t2,Carol,2018-01-05 08:00,Bienvenue,3\n"])
    with pytest.raises(InputError, match="1 of its messages are already stored in source 'forum'"):
        ingest(store, later, source_name="forum-2018")
    report = ingest(store, later, source_name="forum")
    assert (report.imported, report.duplicates) == (2, 1)
    assert counts(store) == (4, 3, 1, 0)


def test_another_forum_with_the_same_ids_is_no_copy(store: Store, tmp_path: Path) -> None:
    """Ids alone are no proof: a second forum numbering its messages 1, 2, 3 holds other messages."""
    ingest(store, write(tmp_path / "a.csv", ROWS), source_name="a")
    other = [row.replace("Alice", "Zoé").replace("Bob", "Yann") for row in ROWS]
    assert ingest(store, write(tmp_path / "b.csv", other), source_name="b").imported == 3
    # Same ids, authors and texts, other dates: other messages too.
    moved = [row.replace("2017-08", "2019-03") for row in ROWS]
    assert ingest(store, write(tmp_path / "c.csv", moved), source_name="c").imported == 3
    assert counts(store)[0] == 9


def test_mentalhealth_comments_imported_again_under_another_name(tmp_path: Path, corpora: Path) -> None:
    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    with path.open(encoding="utf-8", newline="") as f:
        comments = {row["comment_id"] for row in csv.DictReader(f) if row["body"].strip()}
    with Store(tmp_path / "mh.duckdb") as store:
        ingest(store, path, format="reddit")
        before = counts(store)
        with pytest.raises(InputError, match=f"{len(comments):,} of its messages are already stored in source "):
            ingest(store, path, format="reddit", source_name="again")
        assert counts(store) == before and before[0] == len(comments) == 9885


REDDIT = "post_id,comment_id,author,body,created_utc,parent_id\n"


def test_a_reddit_id_is_one_message_wherever_it_was_collected(store: Store, tmp_path: Path) -> None:
    """A comment's id names it on all of Reddit: collected twice, with its text edited in between, it is one message."""
    first = tmp_path / "first.csv"
    first.write_text(REDDIT + "p,a,ann,Try magnesium,1600000000,t3_p\n", encoding="utf-8")
    later = tmp_path / "later.csv"
    later.write_text(REDDIT + "p,a,ann,Try magnesium (edit: and rest),1600000000,t3_p\n"
                     "p,b,bea,Thanks!,1600000100,t1_a\n", encoding="utf-8")  # fmt: skip
    ingest(store, first, format="reddit", source_name="first")
    with pytest.raises(
        InputError, match=r"1 of its messages are already stored in source 'first' \(the same reddit ids\)"
    ):
        ingest(store, later, format="reddit", source_name="later")
    assert counts(store)[:3] == (1, 1, 1)


def test_covid_thread_file_beside_the_histories(tmp_path: Path, corpora: Path) -> None:
    """The 86 members' histories and the scraped threads share 493 comments and posts (same ids; 284 of them, with
    the same text, date and author, placed in another thread by each file). Imported as a second source, each counted twice."""
    root = corpora / "reddit_covidlonghaulers_userhistories_en"
    histories: set[str] = set()
    for history in (root / "reddit_sample_data" / "users").glob("*.json"):
        items = json.loads(history.read_text(encoding="utf-8"))
        histories |= {p["post_id"] for p in items["posts"]} | {c["comment_id"] for c in items["comments"]}
    posts = json.loads((root / "output" / "subreddit_posts.json").read_text(encoding="utf-8"))
    threads = {p["post_id"] for p in posts} | {c["comment_id"] for p in posts for c in p["comments"]}
    with Store(tmp_path / "covid.duckdb") as store:
        ingest(store, root / "reddit_sample_data" / "users", format="reddit")
        before = counts(store)
        shared = len(histories & threads)
        with pytest.raises(InputError, match=f"{shared:,} of its messages are already stored in source 'users'"):
            ingest(store, root / "output" / "subreddit_posts.json", format="reddit")
        assert counts(store) == before and shared == 493
