"""The real Reddit corpora of ../shared/corpora through ``ingest``: exact counts computed from the files.

Big imports use ``keep_names=True`` only to stay fast (name scrubbing does not change any count).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from chrysalide.ingest.loader import ingest

pytestmark = pytest.mark.corpora

COVID = "reddit_covidlonghaulers_userhistories_en"
DELETED = {"", "[deleted]", "none", "null", "nan"}


def _author(value: Any) -> str | None:
    return None if value is None or str(value).strip().casefold() in DELETED else str(value)


class Expected:
    """What the loader should make of a stream of items: first copy wins, equal copies are duplicates."""

    def __init__(self) -> None:
        self.first: dict[str, tuple] = {}
        self.messages: dict[str, tuple] = {}
        self.duplicates = 0
        self.rejects = 0

    def add(self, native: str, thread: str, author: str | None, text: str, content: tuple) -> None:
        if not text.strip():
            self.rejects += 1  # empty text
            return
        if native in self.first:
            if self.first[native] == content:
                self.duplicates += 1
            else:
                self.rejects += 1
            return
        self.first[native] = content
        self.messages[native] = (thread, author)

    def counts(self) -> tuple[int, int, int]:
        threads = {t for t, _ in self.messages.values()}
        members = {a for _, a in self.messages.values() if a is not None}
        return len(self.messages), len(threads), len(members)


def _db_counts(store, source: str) -> tuple[int, int, int]:
    return store.con.execute(
        "SELECT count(*), count(DISTINCT thread_id), count(DISTINCT member_id) FROM messages WHERE source_id = ?",
        [source],
    ).fetchone()


def _post_text(title: str | None, body: str | None) -> str:
    return "\n\n".join(p for p in (title, body) if p and p.strip())


def _thread_file(expected: Expected, path: Path) -> None:
    for post in json.loads(path.read_text(encoding="utf-8")):
        pid = post["post_id"]
        author = _author(post["author_hash"])
        content = (post["title"], post["body"], author, post["created_utc"])
        expected.add(pid, pid[3:], author, _post_text(post["title"], post["body"]), content)
        for com in post["comments"]:
            author = _author(com["author_hash"])
            content = (None, com["body"], author, com["created_utc"], com["parent_id"])
            expected.add(com["comment_id"], pid[3:], author, com["body"] or "", content)


def _histories(
    expected: Expected, folder: Path, known_threads: dict[str, str], keep: Callable[[str], bool] | None = None
) -> Counter[str]:
    """Adds the histories' items (those whose subreddit ``keep`` accepts); returns the others' count by subreddit."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    left_out: Counter[str] = Counter()
    parents = {c["comment_id"]: c["parent_id"] for d in docs for c in d["comments"]}

    def thread_of(cid: str) -> str:
        # Independent of the importer: recursion instead of its memoised loop.
        if cid in known_threads:
            return known_threads[cid]
        if cid not in parents:
            return f"unknown:{cid}"
        parent = parents[cid]
        return parent[3:] if parent.startswith("t3_") else thread_of(parent)

    for doc in docs:
        author = _author(doc["author_hash"])
        for post in doc["posts"]:
            if keep is not None and not keep(post["subreddit"]):
                left_out[post["subreddit"]] += 1
                continue
            content = (post["title"], post["body"], author, post["created_utc"])
            expected.add(post["post_id"], post["post_id"][3:], author, _post_text(post["title"], post["body"]), content)
        for com in doc["comments"]:
            if keep is not None and not keep(com["subreddit"]):
                left_out[com["subreddit"]] += 1
                continue
            content = (None, com["body"], author, com["created_utc"], com["parent_id"])
            expected.add(com["comment_id"], thread_of(com["comment_id"]), author, com["body"] or "", content)
    return left_out


def test_covid_thread_file(store, corpora: Path) -> None:
    path = corpora / COVID / "output" / "subreddit_posts.json"
    expected = Expected()
    _thread_file(expected, path)
    report = ingest(store, path, source_name="covid_threads")
    assert report.importer == "reddit"
    assert (report.imported, report.duplicates, report.rejected) == (
        len(expected.messages),
        expected.duplicates,
        expected.rejects,
    )
    assert _db_counts(store, "covid_threads") == expected.counts()
    assert expected.counts()[1] == 220  # PROVENANCE.md: 220 threads


@pytest.mark.slow
def test_covid_whole_folder_with_histories_and_reimport(store, corpora: Path) -> None:
    root = corpora / COVID
    expected = Expected()
    known: dict[str, str] = {}
    for thread_file in (root / "output" / "subreddit_posts.json", root / "reddit_sample_data" / "subreddit_posts.json"):
        for post in json.loads(thread_file.read_text(encoding="utf-8")):
            known.update({c["comment_id"]: post["post_id"][3:] for c in post["comments"]})
        _thread_file(expected, thread_file)
    _histories(expected, root / "reddit_sample_data" / "users", known)
    report = ingest(store, root, format="reddit", source_name="covid", keep_names=True)
    assert (report.imported, report.duplicates, report.rejected) == (
        len(expected.messages),
        expected.duplicates,
        expected.rejects,
    )
    assert _db_counts(store, "covid") == expected.counts()
    before = store.con.execute(
        "SELECT count(*), sum(hash(message_id, thread_id, reply_to_id, text)) FROM messages"
    ).fetchone()
    again = ingest(store, root, format="reddit", source_name="covid", keep_names=True)
    assert again.imported == 0 and again.new_threads == 0 and again.new_members == 0
    after = store.con.execute(
        "SELECT count(*), sum(hash(message_id, thread_id, reply_to_id, text)) FROM messages"
    ).fetchone()
    assert after == before


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_bpd_communities(store, corpora: Path) -> None:
    root = corpora / "reddit_bpd_communities_en" / "mitch_work" / "data"
    expected = Expected()
    for path in sorted(root.rglob("*.csv")):
        frame = _csv(path)
        for row in frame.itertuples(index=False):
            if path.parent.name == "comments":
                author = _author(row.Author)
                content = (row.ID, author, row._4, row.Comment)
                # No comment id: the loader derives one from the content.
                expected.add(f"derived:{content}", row.ID, author, row.Comment, content)
            else:
                author = _author(row.Author)
                content = (row.Title, row._2, author, row._1)
                expected.add(f"t3_{row.ID}", row.ID, author, _post_text(row.Title, row._2), content)
    report = ingest(store, root, source_name="bpd", keep_names=True)
    assert report.importer == "reddit"
    assert (report.imported, report.duplicates, report.rejected) == (
        len(expected.messages),
        expected.duplicates,
        expected.rejects,
    )
    assert _db_counts(store, "bpd") == expected.counts()


def test_mentalhealth_comments(store, corpora: Path) -> None:
    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    expected = Expected()
    for row in _csv(path).itertuples(index=False):
        author = _author(row.author)
        expected.add(
            f"t1_{row.comment_id}", row.post_id, author, row.body, (row.body, author, row.created_utc, row.parent_id)
        )
    report = ingest(store, path, source_name="mh", keep_names=True)
    assert report.importer == "reddit"
    assert (report.imported, report.duplicates, report.rejected) == (
        len(expected.messages),
        expected.duplicates,
        expected.rejects,
    )
    assert _db_counts(store, "mh") == expected.counts()
    # Every parent is a submission missing from this file: replies are kept as roots with a warning each; and the
    # threads are cut at one size (most posts keep exactly the largest number of comments): one warning more.
    sizes = Counter(thread for thread, _ in expected.messages.values())
    cut = sum(n == max(sizes.values()) for n in sizes.values()) >= len(sizes) / 2
    assert cut and report.warning_count == len(expected.messages) + 1


def test_breastcancer_as_documented_csv_mapping(store, corpora: Path) -> None:
    path = corpora / "reddit_breastcancer_en" / "q4_tw_rd" / "data" / "data_reddit.csv"
    expected = Expected()
    for row in _csv(path).itertuples(index=False):
        author = _author(row.user_id)
        content = (author, row.timestamp, row.text)
        expected.add(f"derived:{content}", f"derived:{content}", author, row.text, content)
    report = ingest(
        store, path, format="csv", mapping={"author": "user_id", "posted_at": "timestamp"}, source_name="bc"
    )
    assert (report.imported, report.duplicates, report.rejected) == (
        len(expected.messages),
        expected.duplicates,
        expected.rejects,
    )
    assert _db_counts(store, "bc") == expected.counts()


def test_breastcancer_references_escaped_twice_are_decoded(store, corpora: Path) -> None:
    """Regression: Reddit's "&amp;#x200B;" (an empty paragraph) and "&amp;nbsp;" were left as "&#x200B;" in 73 posts."""
    path = corpora / "reddit_breastcancer_en" / "q4_tw_rd" / "data" / "data_reddit.csv"
    texts = set(_csv(path)["text"].dropna())  # a set: the file's one repeated row is imported once
    escaped = {t for t in texts if "&amp;#x200B;" in t or "&amp;nbsp;" in t}
    ingest(store, path, format="csv", mapping={"author": "user_id", "posted_at": "timestamp"}, keep_names=True)
    left, kept = store.con.execute(
        "SELECT count(*) FILTER (WHERE m.text LIKE '%#x200B;%' OR m.text LIKE '%&nbsp;%'),"
        " count(*) FILTER (WHERE s.source_text LIKE '%&amp;#x200B;%' OR s.source_text LIKE '%&amp;nbsp;%')"
        " FROM messages m LEFT JOIN message_sources s USING (message_id)"
    ).fetchone()
    assert (left, kept) == (0, len(escaped))
    assert len(escaped) > 70


def test_breastcancer_html_an_author_pasted_is_removed_and_hearts_stay(store, corpora: Path) -> None:
    """Regression: a post's pasted headings, "&lt;h2&gt;&lt;strong&gt;..." as Reddit's API escapes them, were
    stored as "<h2><strong>...</strong></h2>" once the references were decoded."""
    path = corpora / "reddit_breastcancer_en" / "q4_tw_rd" / "data" / "data_reddit.csv"
    texts = set(_csv(path)["text"].dropna())
    pasted = {t for t in texts if "&lt;h2&gt;" in t}
    hearts = sum(t.count("&lt;3") for t in texts)
    assert (len(pasted), hearts) == (1, 17)
    ingest(store, path, format="csv", mapping={"author": "user_id", "posted_at": "timestamp"}, keep_names=True)
    stored = [t for (t,) in store.con.execute("SELECT text FROM messages").fetchall()]
    assert [t for t in stored if re.search(r"</?(?:h[1-6]|strong)>", t)] == []
    assert sum(t.count("<3") for t in stored) == hearts
    assert sum("Fruits And Vegetables Reduce Breast Cancer Risk" in t for t in stored) == 1
