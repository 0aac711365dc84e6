"""phpBB posts exported as file pairs: ``<topicId>/<postId>-<slug>.bb`` (BBCode) + ``.meta``.

This is the layout of the ADFD website export (``content/imported/``): one folder per topic, one
``.bb`` body and one ``.meta`` file per post, the metadata as ``.. key: value`` lines (author,
authorId, postDate dd.mm.yyyy, lastUpdate, postId, topicId, slug, title). An optional
``summary.txt`` lists ``topicId: title`` lines, used for thread titles.

Posts are ordered by topic id then post id; ``record_no`` is the 1-based position of a file pair
(or of a lone ``.bb`` / ``.meta``) in that order, so it is stable between runs. authorId 1 is phpBB's
ANONYMOUS user: posts of guests and of deleted accounts whose posts were kept, so they are marked
``guest`` with the name the export kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from chrysalide.errors import InputError
from chrysalide.ingest.bbcode import to_plain
from chrysalide.ingest.records import GUEST, MessageRecord, Record, Reject, ThreadRecord
from chrysalide.ingest.textio import read_document

ANONYMOUS_ID = "1"
_META_LINE = re.compile(r"^\.\.\s*([A-Za-z_]+):[ \t]?(.*)$")
_SUMMARY_TOPIC = re.compile(r"^(\d+):\s*(.*)$")
_SNIFF_ENTRIES = 200


def export_root(path: Path) -> Path | None:
    """The folder holding the topic folders (``path`` or ``path/content/imported``), if any."""
    for candidate in (path, path / "content" / "imported", path / "imported"):
        if candidate.is_dir() and _has_pairs(candidate):
            return candidate
    return None


def _has_pairs(folder: Path) -> bool:
    # Cheap: look at a bounded number of entries, stop at the first .bb that has its .meta.
    seen = 0
    for topic in folder.iterdir():
        if not topic.is_dir():
            continue
        for entry in topic.iterdir():
            seen += 1
            if entry.suffix == ".bb" and entry.with_suffix(".meta").is_file():
                return True
            if seen > _SNIFF_ENTRIES:
                return False
    return False


def parse_meta(text: str) -> dict[str, str]:
    """``.. key: value`` lines to a dict (other lines ignored)."""
    meta: dict[str, str] = {}
    for line in text.splitlines():
        m = _META_LINE.match(line.strip())
        if m:
            meta[m.group(1)] = m.group(2).strip()
    return meta


def _sort_key(topic: str, stem: str) -> tuple[int, int, str, str]:
    post = re.match(r"\d+", stem)
    topic_no = int(topic) if topic.isdigit() else 1 << 62
    return topic_no, int(post.group()) if post else 1 << 62, topic, stem


def _summary_titles(root: Path) -> dict[str, str]:
    summary = root / "summary.txt"
    if not summary.is_file():
        return {}
    titles = {}
    for line in read_document(summary).splitlines():
        m = _SUMMARY_TOPIC.match(line)
        if m:
            titles[str(int(m.group(1)))] = m.group(2).strip()
    return titles


class PhpbbExportReader:
    """Reads an export folder; see the module docstring."""

    def read(self, path: Path) -> Iterator[Record]:
        root = export_root(path)
        if root is None:
            raise InputError(f"{path}: no phpBB export found (expected <topic>/<post>-<slug>.bb + .meta pairs)")
        stems: dict[tuple[str, str], set[str]] = {}
        for topic in root.iterdir():
            if topic.is_dir():
                for entry in topic.iterdir():
                    if entry.suffix in (".bb", ".meta") and entry.is_file():
                        stems.setdefault((topic.name, entry.stem), set()).add(entry.suffix)
        ordered = sorted(stems, key=lambda k: _sort_key(*k))
        metas: dict[tuple[str, str], dict[str, str]] = {}
        for key in ordered:
            if stems[key] == {".bb", ".meta"}:
                metas[key] = parse_meta(read_document(root / key[0] / f"{key[1]}.meta"))
        yield from self._threads(root, ordered, metas)
        for record_no, key in enumerate(ordered, 1):
            yield self._message(root, record_no, key, stems[key], metas.get(key))

    @staticmethod
    def _threads(
        root: Path, ordered: list[tuple[str, str]], metas: dict[tuple[str, str], dict[str, str]]
    ) -> Iterator[ThreadRecord]:
        titles = _summary_titles(root)
        started: set[str] = set()
        for key in ordered:
            meta = metas.get(key)
            topic = (meta or {}).get("topicId", "")
            if meta is None or not topic or topic in started:
                continue
            started.add(topic)
            starter = meta.get("authorId") or None
            yield ThreadRecord(
                native_id=topic,
                title=titles.get(topic) or meta.get("title") or None,
                starter_id=None if starter == ANONYMOUS_ID else starter,
            )

    @staticmethod
    def _message(
        root: Path, record_no: int, key: tuple[str, str], suffixes: set[str], meta: dict[str, str] | None
    ) -> Record:
        where = f"{key[0]}/{key[1]}"
        if meta is None:
            missing = ".meta" if ".bb" in suffixes else ".bb"
            present = ".bb" if missing == ".meta" else ".meta"
            return Reject(record_no, f"{where}{present}", f"{where}{present} has no {missing} file")
        post_id, topic_id = meta.get("postId", ""), meta.get("topicId", "")
        if not post_id or not topic_id:
            return Reject(record_no, str(meta), f"{where}.meta has no postId or topicId")
        parsed = to_plain(read_document(root / key[0] / f"{key[1]}.bb"))
        author_id = meta.get("authorId") or None
        guest = author_id == ANONYMOUS_ID
        return MessageRecord(
            record_no=record_no,
            native_id=post_id,
            thread_id=topic_id,
            text=parsed.text,
            author=meta.get("author") or None,
            author_id=None if guest else author_id,
            author_status=GUEST if guest else None,
            posted_at=meta.get("postDate") or None,
            title=meta.get("title") or None,
            quoted_text=parsed.quoted_text,
            quoted_authors=parsed.quoted_authors,
            meta={"file": where},
        )
