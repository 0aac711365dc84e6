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
    assert "record 4 of 'RS_2020-04.ndjson'" in declared[0] and "'lots'" in declared[0]
    assert "record 5 of" in declared[1] and "'-3'" in declared[1]
