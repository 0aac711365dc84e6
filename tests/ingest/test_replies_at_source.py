"""The number of replies a source declares for a thread start: kept as a whole number, anything else warned of."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chrysalide.ingest.loader import ingest
from chrysalide.ingest.records import REPLIES_AT_SOURCE, as_count


@pytest.mark.parametrize(
    ("value", "count"),
    [(0, 0), (12, 12), ("12", 12), (" 7 ", 7), ("3.0", 3), (4.0, 4), (-1, None), ("-2", None), (2.5, None),
     ("many", None), ("", None), (True, None), (None, None), ([3], None), ({"n": 3}, None), (float("nan"), None),
     ("inf", None), (2**63, None), ("1e30", None)],
)  # fmt: skip
def test_a_count_is_a_whole_number_of_zero_or_more(value, count) -> None:
    assert as_count(value) == count


def test_counts_are_stored_and_bad_ones_dropped_with_a_warning(store, tmp_path: Path) -> None:
    posts = [{"id": f"p{i}", "title": f"Post {i}", "selftext": "text", "author": "ann", "created_utc": 1588000000 + i,
              "subreddit": "covidlonghaulers", "num_comments": n}
             for i, n in enumerate([5, "2", 0, "lots", -3, None])]  # fmt: skip
    path = tmp_path / "RS_2020-04.ndjson"
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    report = ingest(store, path, format="reddit")
    assert report.imported == 6
    rows = store.con.execute(
        f"SELECT native_id, json_extract(meta, '$.{REPLIES_AT_SOURCE}') FROM messages ORDER BY native_id"
    ).fetchall()
    assert [(native, None if n is None else json.loads(n)) for native, n in rows] == [
        ("t3_p0", 5), ("t3_p1", 2), ("t3_p2", 0), ("t3_p3", None), ("t3_p4", None), ("t3_p5", None),
    ]  # fmt: skip
    declared = [w for w in report.warnings if "declares" in w]
    assert len(declared) == 2
    assert "line 4 of 'RS_2020-04.ndjson'" in declared[0] and "'lots'" in declared[0]
    assert "line 5 of" in declared[1] and "'-3'" in declared[1]


# A generic table's thread starts (the column named with --map): t1 declares 3 replies and none is stored, t2
# declares 0, t3 declares 1 and its reply is stored, t4 declares a word and t5 a negative number (both kept, with a
# warning and no count). By hand: t1 answered by replies not collected, t3 answered by r3, the others never.
TABLE = [
    ("p1", "t1", "ann", "2021-03-01 10:00", "Des nouvelles ?", "", "3"),
    ("p2", "t2", "bea", "2021-03-01 11:00", "Quelqu'un ?", "", "0"),
    ("p3", "t3", "cid", "2021-03-01 12:00", "Une question", "", "1"),
    ("r3", "t3", "dan", "2021-03-01 12:30", "Une réponse", "p3", ""),
    ("p4", "t4", "eve", "2021-03-01 13:00", "Bonjour", "", "beaucoup"),
    ("p5", "t5", "fay", "2021-03-01 14:00", "Bonsoir", "", "-2"),
]
COLUMNS = ("id", "topic", "user", "date", "body", "parent", "n_replies")
MAPPING = {"message_id": "id", "thread_id": "topic", "author": "user", "posted_at": "date", "text": "body",
           "reply_to": "parent", REPLIES_AT_SOURCE: "n_replies"}  # fmt: skip


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "forum.csv"
    path.write_text("\n".join(",".join(row) for row in [COLUMNS, *TABLE]) + "\n", encoding="utf-8")
    return path


def _jsonl(tmp_path: Path) -> Path:
    """The same table as JSON Lines, counts as numbers where they are numbers and no key where the cell is empty."""
    path = tmp_path / "forum.jsonl"
    records = []
    for row in TABLE:
        record = {k: v for k, v in zip(COLUMNS, row, strict=True) if v}
        if record.get("n_replies", "").lstrip("-").isdigit():
            record["n_replies"] = int(record["n_replies"])
        records.append(json.dumps(record, ensure_ascii=False) + "\n")
    path.write_text("".join(records), encoding="utf-8")
    return path


@pytest.mark.parametrize(("make", "p4"), [(_csv, 6), (_jsonl, 5)])  # p4's record: its line (a CSV has a header)
def test_a_table_maps_a_reply_count_column(store, tmp_path: Path, make, p4: int) -> None:
    from chrysalide.community import thread_responses

    path = make(tmp_path)
    report = ingest(store, path, mapping=MAPPING)
    assert (report.imported, report.rejected) == (6, 0)
    rows = store.con.execute(
        f"SELECT native_id, json_extract(meta, '$.{REPLIES_AT_SOURCE}') FROM messages ORDER BY native_id"
    ).fetchall()
    counts = {native: None if n is None else json.loads(n) for native, n in rows}
    assert counts == {"p1": 3, "p2": 0, "p3": 1, "r3": None, "p4": None, "p5": None}
    declared = [w for w in report.warnings if "declares" in w]
    assert len(declared) == 2
    assert f"record {p4} of {path.name!r}: message 'p4'" in declared[0] and "'beaucoup'" in declared[0]
    assert f"record {p4 + 1} of {path.name!r}: message 'p5'" in declared[1] and "'-2'" in declared[1]
    threads = thread_responses(store)
    natives = dict(store.con.execute("SELECT thread_id, native_id FROM threads").fetchall())
    threads["native"] = threads["thread_id"].map(natives)
    judged = threads.set_index("native").sort_index()
    # t1 answered (by replies the store lacks), not "never answered"; the others by what the store holds
    assert judged["answered"].to_dict() == {"t1": True, "t2": False, "t3": True, "t4": False, "t5": False}
    assert list(judged.index[judged["by_reply_count"]]) == ["t1"]
