"""The phpbb importer on an export folder of .bb + .meta pairs (tests/data/phpbb/export)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chrysalide.errors import ConfigError
from chrysalide.ingest.formats.phpbb import PhpbbImporter
from chrysalide.ingest.formats.phpbb_export import parse_meta
from chrysalide.ingest.records import MessageRecord, Reject, ThreadRecord

EXPORT = Path(__file__).resolve().parents[1] / "data" / "phpbb" / "export"


def test_reads_pairs_in_topic_then_numeric_post_order() -> None:
    assert PhpbbImporter.sniff(EXPORT)
    assert PhpbbImporter.sniff(EXPORT / "content" / "imported")
    recs = list(PhpbbImporter().read(EXPORT))
    threads = [r for r in recs if isinstance(r, ThreadRecord)]
    messages = [r for r in recs if isinstance(r, MessageRecord)]
    assert [(t.native_id, t.title, t.starter_id) for t in threads] == [
        ("7", "Erfahrungen mit Citalopram", None),  # first post (id 9) is by ANONYMOUS
        ("12", "Fragen", "22"),
    ]
    assert [(m.record_no, m.native_id, m.thread_id) for m in messages] == [
        (1, "9", "7"), (2, "70", "7"), (3, "100", "7"), (4, "120", "12"),
    ]  # fmt: skip
    guest, first, thanks, _ = messages
    assert (guest.author_status, guest.author, guest.author_id) == ("guest", "Gast-Bernd", None)
    assert guest.text == "Viel Kraft!"
    assert (guest.quoted_text, guest.quoted_authors) == ("ich setze Citalopram ab.", ["Anna"])
    assert first.text == "Hallo zusammen,\nich setze Citalopram ab."
    assert (first.author, first.author_id, first.posted_at, first.title) == ("Anna", "21", "01.03.2010", "Erfahrungen")
    assert thanks.text == "Danke :)" and thanks.title is None


def test_lone_files_are_rejects_naming_them(tmp_path: Path) -> None:
    root = tmp_path / "export"
    shutil.copytree(EXPORT, root)
    topic = root / "content" / "imported" / "00012"
    (topic / "130-lone.bb").write_text("no metadata")
    (topic / "125-orphan.meta").write_text(".. postId: 125\n.. topicId: 12\n")
    recs = list(PhpbbImporter().read(root))
    rejects = [r for r in recs if isinstance(r, Reject)]
    assert [(r.record_no, r.reason) for r in rejects] == [
        (5, "00012/125-orphan.meta has no .bb file"),
        (6, "00012/130-lone.bb has no .meta file"),
    ]
    assert len([r for r in recs if isinstance(r, MessageRecord)]) == 4


def test_meta_parsing_and_options() -> None:
    assert parse_meta(".. author: A: B\n.. title: \nnoise\n") == {"author": "A: B", "title": ""}
    with pytest.raises(ConfigError):
        list(PhpbbImporter(table_prefix="x_").read(EXPORT))
