"""The ``reddit`` importer on Pushshift / Arctic Shift ndjson dumps (plain, .gz, .zst, cut short)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.formats.reddit import RedditImporter
from chrysalide.ingest.loader import ingest
from chrysalide.ingest.records import MessageRecord, Reject
from chrysalide.ingest.textio import Truncated, iter_lines

SUBMISSION = {
    "id": "abc", "title": "Newly diagnosed", "selftext": "Any advice?", "author": "alice",
    "created_utc": 1588000000, "subreddit": "Hypothyroidism", "link_flair_text": "Question", "num_comments": 3,
}  # fmt: skip
COMMENTS = [
    {"id": "c1", "body": "Give it time.", "author": "bob", "created_utc": "1588000600", "link_id": "t3_abc",
     "parent_id": "t3_abc", "subreddit": "Hypothyroidism"},
    {"id": "c2", "body": "[removed]", "author": "[deleted]", "created_utc": 1588001200, "link_id": "t3_abc",
     "parent_id": "t1_c1", "subreddit": "Hypothyroidism"},
    {"id": "c3", "body": "Thanks!", "author": None, "created_utc": 1588001800, "link_id": "t3_abc",
     "parent_id": "t1_c2", "subreddit": "Hypothyroidism"},
]  # fmt: skip


def _ndjson(objs: list[dict]) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objs).encode()


def _read(path: Path) -> list:
    return list(RedditImporter().read(path))


def test_submission_and_comments_follow_reddit_conventions(tmp_path: Path) -> None:
    path = tmp_path / "dump.ndjson"
    path.write_bytes(_ndjson([SUBMISSION, *COMMENTS]))
    sub, c1, c2, c3 = _read(path)
    assert (sub.native_id, sub.thread_id, sub.reply_to, sub.title) == ("t3_abc", "abc", None, "Newly diagnosed")
    assert sub.text == "Newly diagnosed\n\nAny advice?"
    assert (sub.board, sub.author) == ("Hypothyroidism", "alice")
    assert sub.meta == {"flair": "Question", "replies_at_source": 3}
    assert c1.meta == {}
    assert (c1.native_id, c1.thread_id, c1.reply_to, c1.author) == ("t1_c1", "abc", "t3_abc", "bob")
    assert (c2.text, c2.author, c2.author_status, c2.reply_to) == ("[removed]", None, "deleted", "t1_c1")
    assert (c3.author, c3.author_status) == (None, "deleted")
    assert [r.record_no for r in (sub, c1, c2, c3)] == [1, 2, 3, 4]


def test_removed_body_keeps_the_title_and_prefixed_ids_are_not_doubled(tmp_path: Path) -> None:
    path = tmp_path / "RS_2020-01.ndjson"
    path.write_bytes(_ndjson([{"id": "t3_x", "title": "Only a title", "selftext": "", "author": "a"},
                              {"id": "y", "title": "T", "selftext": "[removed]", "author": "a"}]))  # fmt: skip
    x, y = _read(path)
    assert (x.native_id, x.thread_id, x.text) == ("t3_x", "x", "Only a title")
    assert y.text == "T\n\n[removed]"


def test_bad_lines_are_rejected_with_their_line_number(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [json.dumps(SUBMISSION), "{not json", "", "[1, 2]", json.dumps({"id": "q", "score": 1}),
             json.dumps({"id": "r", "body": "no link"}), json.dumps(COMMENTS[0])]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    records = _read(path)
    rejects = {r.record_no: r.reason for r in records if isinstance(r, Reject)}
    assert sorted(rejects) == [2, 4, 5, 6]
    assert rejects[2].startswith("line 2 of 'dump.jsonl': malformed JSON")
    assert rejects[5].startswith("line 5 of 'dump.jsonl': neither a submission") and "link_id" in rejects[6]
    assert [r.record_no for r in records if isinstance(r, MessageRecord)] == [1, 7]


def test_folder_of_dumps_numbers_records_across_files(tmp_path: Path) -> None:
    (tmp_path / "RC_2020-04.ndjson").write_bytes(_ndjson(COMMENTS))
    with gzip.open(tmp_path / "RS_2020-04.ndjson.gz", "wb") as fh:
        fh.write(_ndjson([SUBMISSION]))
    (tmp_path / "notes.txt").write_text("not a dump")
    assert RedditImporter.sniff(tmp_path)
    records = _read(tmp_path)
    # The submissions' dump first, though RC_ sorts before RS_ (tests/ingest/test_reddit_record_order.py).
    assert [(r.record_no, r.native_id) for r in records] == [(1, "t3_abc"), (2, "t1_c1"), (3, "t1_c2"), (4, "t1_c3")]


def test_zst_dump_reads(tmp_path: Path) -> None:
    path = tmp_path / "RC_2020-04.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(_ndjson([SUBMISSION, *COMMENTS])))
    assert RedditImporter.sniff(path)
    assert [r.native_id for r in _read(path)] == ["t3_abc", "t1_c1", "t1_c2", "t1_c3"]


def _many(n: int) -> bytes:
    return _ndjson([{**COMMENTS[0], "id": f"k{i}", "body": f"comment number {i} " + "x" * 40} for i in range(n)])


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_iter_lines_raises_truncated_on_a_cut_stream(tmp_path: Path, suffix: str) -> None:
    data = _many(3000)
    packed = gzip.compress(data) if suffix == ".gz" else zstandard.ZstdCompressor().compress(data)
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    read: list[str] = []
    with pytest.raises(Truncated):
        for line in iter_lines(path):
            read.append(line)
    assert 0 < len(read) < 3000


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_truncated_dump_ends_with_a_reject_and_keeps_what_came_before(tmp_path: Path, suffix: str) -> None:
    data = _many(3000)
    packed = gzip.compress(data) if suffix == ".gz" else zstandard.ZstdCompressor().compress(data)
    path = tmp_path / f"RC_cut.ndjson{suffix}"
    path.write_bytes(packed[: len(packed) // 2])
    records = _read(path)
    *messages, last = records
    assert all(isinstance(r, MessageRecord) for r in messages) and len(messages) > 100
    assert isinstance(last, Reject)
    assert last.reason.startswith(f"input truncated after record {len(messages)}:")
    assert last.record_no == len(messages) + 1


def test_truncated_dump_through_the_loader_exits_cleanly(store, tmp_path: Path) -> None:
    data = _many(3000)
    packed = zstandard.ZstdCompressor().compress(data)
    path = tmp_path / "RC_cut.zst"
    path.write_bytes(packed[: len(packed) // 2])
    report = ingest(store, path, format="reddit")
    assert report.rejected == 1 and report.imported > 100
    (reason,) = store.con.execute("SELECT reason FROM rejects").fetchone()
    assert reason.startswith(f"input truncated after record {report.imported}:")


def test_options_and_unknown_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        RedditImporter(mapping={"text": "body"})
    (tmp_path / "a.txt").write_text("hello")
    with pytest.raises(InputError):
        _read(tmp_path)
    plain = tmp_path / "plain.json"
    plain.write_text('{"id": 1, "text": "not reddit"}\n')
    assert not RedditImporter.sniff(plain)


_texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(body=_texts, title=_texts, author=st.text(max_size=20))
def test_any_text_round_trips(tmp_path: Path, body: str, title: str, author: str) -> None:
    path = tmp_path / "rt.ndjson"
    sub = {**SUBMISSION, "title": title, "selftext": "", "author": author}
    com = {**COMMENTS[0], "body": body, "author": author}
    path.write_text(json.dumps(sub) + "\n" + json.dumps(com) + "\n", encoding="utf-8")
    s, c = _read(path)
    assert c.text == body
    assert s.text == (title if title.strip() else "")
    # Reddit's deleted accounts, and what exports write for no name ("N/A", "-": records.MISSING_NAMES)
    deleted = author.strip().casefold() in ("", "[deleted]", "none", "null", "nan", "n/a", "na", "#n/a", "-", "--")
    assert c.author_status == ("deleted" if deleted else None)
    assert c.author == (None if deleted else author)
