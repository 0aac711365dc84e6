"""An import reports the records and the bytes of its input read, up to the input's size on disk."""

import gzip
import json

import pytest

from chrysalide.ingest import ingest


def jsonl(n: int) -> bytes:
    rows = ({"message_id": str(i), "thread_id": f"t{i % 7}", "author": f"user{i % 40}",
             "posted_at": f"2020-01-{1 + i % 28:02d} 10:00", "text": f"message {i} " + "mots " * (i % 30)}
            for i in range(n))  # fmt: skip
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def calls_of(store, path, **kwargs):
    calls = []
    ingest(store, path, on_read=lambda *args: calls.append(args), **kwargs)
    return calls


def check_calls(calls, records, size):
    counts = [c[0] for c in calls]
    done = [c[1] for c in calls]
    assert counts == sorted(counts) and done == sorted(done)
    assert {c[2] for c in calls} == {size}
    assert all(d <= size for d in done)
    assert calls[-1][:2] == (records, size)
    assert calls[0] == (0, 0, size)  # the total, before the first record
    assert [c for c in counts[:-1] if c % 1000] == []  # every 1,000 records, then the end


@pytest.mark.parametrize("compress", [False, True])
def test_bytes_read_reach_the_file_size(store, tmp_path, compress):
    data = jsonl(2500)
    path = tmp_path / ("forum.jsonl.gz" if compress else "forum.jsonl")
    path.write_bytes(gzip.compress(data) if compress else data)
    calls = calls_of(store, path, format="jsonl")
    check_calls(calls, 2500, path.stat().st_size)
    assert [c[0] for c in calls] == [0, 1000, 2000, 2500]
    if not compress:  # plain lines: the bytes read at 1,000 records are at least those of the first 1,000 lines
        assert calls[1][1] >= len(b"".join(data.splitlines(keepends=True)[:1000]))


def test_a_folder_counts_the_summed_size_of_its_files(store, tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    comments = [{"id": f"c{i}", "body": f"reply {i}", "author": f"user{i % 30}", "created_utc": 1588000000 + i,
                 "link_id": "t3_abc", "parent_id": "t3_abc", "subreddit": "Hypothyroidism"} for i in range(1500)]  # fmt: skip
    lines = [json.dumps(c).encode() + b"\n" for c in comments]
    (folder / "RC_2020-01.ndjson").write_bytes(b"".join(lines[:700]))
    (folder / "RC_2020-02.ndjson.gz").write_bytes(gzip.compress(b"".join(lines[700:])))
    size = sum(p.stat().st_size for p in folder.iterdir())
    check_calls(calls_of(store, folder, format="reddit"), 1500, size)


def test_a_small_file_reports_its_size_then_the_end(store, tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("message_id,thread_id,author,posted_at,text\n1,t1,Alice,2020-01-01,Bonjour\n")
    size = path.stat().st_size
    assert calls_of(store, path) == [(0, 0, size), (1, size, size)]


def test_no_callback_no_meter_left_behind(store, tmp_path):
    from chrysalide.ingest import meter

    path = tmp_path / "small.csv"
    path.write_text("message_id,thread_id,author,posted_at,text\n1,t1,Alice,2020-01-01,Bonjour\n")
    assert ingest(store, path).imported == 1
    assert meter._METER.get() is None
