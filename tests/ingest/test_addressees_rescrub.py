"""A forum delivered in two files stores what one import of both stores: a stored reply that opens by naming a member
whose earlier message of the thread comes with the second file is scrubbed again by the addressee rule
(ingest/rescrub.py ``addressed``, privacy/addressees.py).

The user names are made up, in patient.info's shape (a first name and digits): "robin" is a first name and an English
word in lower case, which no other rule replaces in "Thanks robin,".
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from chrysalide.ingest import ingest
from chrysalide.store import Store

COLUMNS = ("message_id", "thread_id", "author", "posted_at", "text")
# thread, author, time (1 May 2021), text: the rows of each delivery.
FIRST = [
    ("1", "knee", "rusty_4410", "11:00", "Thanks robin,\nwould i get steroids from the gp?"),
    ("2", "knee", "hazel38", "12:00", "I told robin that the gp was right."),  # mid-sentence: another rule's
    ("3", "eye", "hazel38", "09:00", "My eye is red."),
    ("4", "eye", "rusty_4410", "09:30", "Hi robin\nsee a doctor."),  # robin writes in this thread after it
]
SECOND = [
    ("5", "knee", "robin5531", "10:00", "My knee swelled after a stomach bug."),  # before message 1
    ("6", "eye", "robin5531", "10:00", "Same here."),  # after message 3
    ("7", "knee", "hazel38", "13:00", "robin, did it help?"),  # a new reply: the import's own rule
]


def _write(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows((mid, thread, author, f"2021-05-01 {at}:00", text) for mid, thread, author, at, text in rows)
    return path


def _stored(store: Store) -> dict[str, tuple[str, str | None]]:
    """Per message id of the files: its stored text and the pseudonym of its author."""
    rows = store.con.execute(
        "SELECT m.native_id, m.text, p.pseudonym FROM messages m LEFT JOIN members p USING (member_id)"
    ).fetchall()
    return {native: (text, pseudonym) for native, text, pseudonym in rows}


def test_a_stored_reply_opening_with_the_name_of_an_author_of_the_next_delivery_is_scrubbed(tmp_path: Path) -> None:
    first, second = _write(tmp_path / "a.csv", FIRST), _write(tmp_path / "b.csv", SECOND)
    with Store(tmp_path / "two.duckdb") as store:
        ingest(store, first, source_name="forum")
        before = _stored(store)
        report = ingest(store, second, source_name="forum")
        after = _stored(store)
    robin = after["5"][1]
    assert robin is not None and robin != after["2"][1]
    assert before["1"][0] == "Thanks robin,\nwould i get steroids from the gp?"  # robin unknown in delivery 1
    assert after["1"][0] == f"Thanks {robin},\nwould i get steroids from the gp?"
    assert after["2"][0] == "I told robin that the gp was right."
    assert after["4"][0] == "Hi robin\nsee a doctor."  # robin wrote in this thread only after it
    assert after["7"][0] == f"{robin}, did it help?"
    assert report.rescrubbed == 1

    # One import of both deliveries as one file, under the same key, stores the same texts.
    shutil.copy(tmp_path / "two.key", tmp_path / "one.key")
    with Store(tmp_path / "one.duckdb") as store:
        ingest(store, _write(tmp_path / "both.csv", FIRST + SECOND), source_name="forum")
        once = _stored(store)
    assert once == after


def test_a_stored_reply_is_read_again_only_where_the_import_changes_its_earlier_authors(tmp_path: Path) -> None:
    rows = [
        ("1", "knee", "robin5531", "10:00", "My knee swelled."),
        ("2", "knee", "rusty_4410", "11:00", "Thanks robin,\nsame here."),
    ]
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, _write(tmp_path / "a.csv", rows), source_name="forum")
        stored = _stored(store)["2"][0]
        report = ingest(
            store, _write(tmp_path / "b.csv", [("3", "eye", "hazel38", "09:00", "Hello.")]), source_name="forum"
        )
        assert _stored(store)["2"][0] == stored
    assert re.fullmatch(r"Thanks M-[0-9a-f]{10},\nsame here\.", stored)
    assert report.rescrubbed == 0
