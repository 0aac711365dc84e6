"""The scrubbed text does not depend on the pseudonymisation key: only the pseudonyms written into it do.

Members who share a form of their names ("BPD" of SundayBPD and "bpd" of mira_bpd, "fat thumbs" of fat_thumbs and
of a display name "Fat Thumbs") give one entry to the scrubber. Which member's pseudonym replaces the form may
follow the key, but whether the form is replaced must not: the same input under two keys stores the same text
once pseudonyms are masked, so that a reviewer can reproduce a store. The privacy-safe choice is kept: a form
written in capitals by one member ("BPD") is no shouting, and a name written with spaces is replaced wherever
it stands.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from chrysalide.ingest import ingest
from chrysalide.privacy.scrubber import NameScrubber
from chrysalide.store import Store

PSEUDONYM = re.compile(r"M-[0-9a-f]{10}")
LOW, HIGH = "M-0000000001", "M-00000000ff"


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        # A word of two user names, in capitals in one of them: a name after a greeting, either way.
        (("SundayBPD", "mira_bpd"), "Hello BPD friends! I was diagnosed with BPD last year.",
         "Hello M-? friends! I was diagnosed with BPD last year."),
        (("mira_bpd", "SundayBPD"), "Hello BPD friends! I was diagnosed with BPD last year.",
         "Hello M-? friends! I was diagnosed with BPD last year."),
        # A display name with a space, and a user name that reads so with spaces: the display name is written so.
        (("Fat Thumbs", "fat_thumbs"), "I have fat thumbs today.", "I have M-? today."),
        (("fat_thumbs", "Fat Thumbs"), "I have fat thumbs today.", "I have M-? today."),
    ],
)  # fmt: skip
def test_shared_form_is_replaced_whichever_pseudonym_sorts_first(
    names: tuple[str, str], text: str, expected: str
) -> None:
    scrubber = NameScrubber([(names[0], LOW), (names[1], HIGH)], languages=["en"])
    assert PSEUDONYM.sub("M-?", scrubber.scrub(text) or "") == expected


def _write(path: Path) -> Path:
    rows = [
        ("1", "t1", "SundayBPD", "Hello BPD friends! Is anyone around tonight?"),
        ("2", "t1", "mira_bpd", "I am here. My BPD is loud today."),
        ("3", "t2", "Fat Thumbs", "Typing with fat thumbs again."),
        ("4", "t2", "fat_thumbs", "Thanks for the tips, they help."),
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["message_id", "thread_id", "author", "posted_at", "text"])
        writer.writerows((m, t, a, f"2024-05-0{m} 10:00", body) for m, t, a, body in rows)
    return path


def _import(folder: Path, source: Path, key: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(native id -> stored text, author -> pseudonym) of ``source`` imported under ``key``."""
    folder.mkdir()
    (folder / "forum.key").write_bytes(key)
    with Store(folder / "forum.duckdb") as store:
        ingest(store, source)
        texts = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
        authors = dict(
            store.con.execute(
                "SELECT DISTINCT m.native_id, p.pseudonym FROM messages m JOIN members p USING (member_id)"
            ).fetchall()
        )
    by_author = {"SundayBPD": authors["1"], "mira_bpd": authors["2"], "Fat Thumbs": authors["3"]}
    by_author["fat_thumbs"] = authors["4"]
    return texts, by_author


def test_same_input_under_two_keys_stores_the_same_text(tmp_path: Path) -> None:
    source = _write(tmp_path / "forum.csv")
    # Two keys under which each pair of members sharing a form sorts the other way round by pseudonym.
    one, first = _import(tmp_path / "one", source, bytes(32))
    two, second = _import(tmp_path / "two", source, bytes([1]) * 32)
    for a, b in (("SundayBPD", "mira_bpd"), ("Fat Thumbs", "fat_thumbs")):
        assert (first[a] < first[b]) != (second[a] < second[b]), (a, b)
    masked = [{k: PSEUDONYM.sub("M-?", v) for k, v in texts.items()} for texts in (one, two)]
    assert masked[0] == masked[1]
    # Hand-made: "BPD" after the greeting is a member's name, the diagnosis is not; the display name goes.
    assert masked[0] == {
        "1": "Hello M-? friends! Is anyone around tonight?",
        "2": "I am here. My BPD is loud today.",
        "3": "Typing with M-? again.",
        "4": "Thanks for the tips, they help.",
    }
