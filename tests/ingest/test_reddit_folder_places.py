"""Warnings and rejects of a folder of Reddit files name the file and its line, not a number running across files."""

import csv
import json

from chrysalide.ingest import ingest


def _csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def test_a_folder_of_csv_exports_and_dumps_names_each_record_by_its_file_and_line(store, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    posts = [
        ["Hello", "2021-01-01 10:00:00", "body one", "alice", "abc1"],
        ["Undated", "not a date", "body two", "bob", "abc2"],
        ["No id", "2021-01-01 11:00:00", "body three", "carol", ""],
    ]
    _csv(folder / "bpd.csv", ["Title", "Post Date", "Post Text", "Author", "ID"], posts)
    comments = [
        ["abc1", "a comment", "dave", "2021-01-01 12:00:00"],
        ["abc1", "dated oddly", "erin", "32/13/2021"],
        ["zzz9", "an orphan", "fay", "2021-01-02 12:00:00"],
    ]
    _csv(folder / "bpd_comments.csv", ["ID", "Comment", "Author", "Post Date"], comments)
    dump = [{"id": "s1", "title": "T", "selftext": "x", "author": "g", "created_utc": 1609500000, "subreddit": "b"}]
    dump += [{"id": "s2", "score": 1}]
    (folder / "RS_2021-01.ndjson").write_text("".join(json.dumps(d) + "\n" for d in dump), encoding="utf-8")

    report = ingest(store, folder)

    # Line numbers counted here from the rows written: the header is line 1 of a CSV.
    assert "line 3 of 'bpd.csv': unreadable timestamp 'not a date', kept with no date" in report.warnings
    assert "line 3 of 'bpd_comments.csv': unreadable timestamp '32/13/2021', kept with no date" in report.warnings
    assert any(w.startswith("line 4 of 'bpd_comments.csv': replies to") for w in report.warnings)
    reasons = [r for (r,) in store.con.execute("SELECT reason FROM rejects ORDER BY record_no").fetchall()]
    assert "line 4 of 'bpd.csv': submission without ID" in reasons
    assert any(r.startswith("line 2 of 'RS_2021-01.ndjson': neither a submission") for r in reasons)
    assert len(reasons) == 2
