"""A source's default name is the file's or folder's, never a digest that may stand for a member."""

from __future__ import annotations

from pathlib import Path

from chrysalide.ingest import default_source_id


def test_a_file_name_gives_the_source_name() -> None:
    assert default_source_id(Path("/data/forum_dump.sql.gz")) == "forum_dump"
    assert default_source_id(Path("/data/Mon Forum (2021).csv")) == "mon_forum_2021"


def test_a_history_named_after_its_author_hash_takes_its_folder_s_name() -> None:
    """Regression: a history file named after its author's public hash (64 hex digits) named the source after it,
    and the report and every export carried it. Its folder names it; a digest in a digest folder is 'source'."""
    digest = "0123456789abcdef" * 4
    assert default_source_id(Path(f"/data/users/{digest}.json")) == "users"
    assert default_source_id(Path(f"/data/{'f' * 40}/{digest}.json")) == "source"
    assert default_source_id(Path("/data/users/cafe1234.json")) == "cafe1234"  # 8 hex digits: a name, kept
