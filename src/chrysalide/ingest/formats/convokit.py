"""The ``convokit`` importer: a ConvoKit corpus directory (https://convokit.cornell.edu/documentation/data_format.html).

``utterances.jsonl`` (one utterance a line: ``id``, ``speaker``, ``conversation_id``, ``reply_to``,
``timestamp``, ``text``, ``meta``) is required; ``conversations.json`` (``{conversation_id: meta}``) and
``speakers.json`` (``{speaker_id: meta}``) are read when present. Both accept the newer dump shape
``{id: {"meta": {...}, "vectors": [...]}}`` too, and the pre-2.3 names ``user`` / ``users.json``.

- native id = utterance ``id``; thread = ``conversation_id``; ``reply_to`` as given;
- the conversation's ``title`` (conversation meta) goes to the thread start (the utterance whose id is
  the conversation id): its text is the title, a blank line, then its own text, as for Reddit
  submissions (ConvoKit's Reddit corpora keep a post's title only in the conversation meta);
- board = ``subreddit`` of the utterance meta, else of the conversation meta;
- speaker ``[deleted]`` (Reddit corpora) marks ``author_status="deleted"``;
- record numbers are line numbers of ``utterances.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from chrysalide.errors import InputError
from chrysalide.ingest.records import DELETED, MessageRecord, Record, Reject
from chrysalide.ingest.registry import OptionlessImporter, register
from chrysalide.ingest.textio import Truncated, decode_bytes, iter_lines, open_binary

RAW_CAP = 10_000
_DELETED = {"[deleted]", "[removed]"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _meta_of(value: Any) -> dict[str, Any]:
    """The metadata of an entry of conversations.json / speakers.json, in either dump shape."""
    if not isinstance(value, dict):
        return {}
    inner = value.get("meta")
    if isinstance(inner, dict) and set(value) <= {"meta", "vectors"}:
        return inner
    return value


def _load_index(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    with open_binary(path) as fh:
        data = fh.read()
    try:
        doc = json.loads(decode_bytes(data))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a JSON object keyed by id")
    return {str(k): _meta_of(v) for k, v in doc.items()}


def _utterances_file(path: Path) -> Path:
    for name in ("utterances.jsonl", "utterances.jsonl.gz", "utterances.jsonl.zst"):
        if (path / name).is_file():
            return path / name
    raise InputError(f"{path}: not a ConvoKit corpus (no utterances.jsonl)")


@register
class ConvokitImporter(OptionlessImporter):
    """A ConvoKit corpus folder (see the module docstring)."""

    name: ClassVar[str] = "convokit"
    version: ClassVar[str] = "1"

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return (
            path.is_dir()
            and (path / "utterances.jsonl").is_file()
            and any((path / n).is_file() for n in ("conversations.json", "speakers.json", "users.json", "corpus.json"))
        )

    def read(self, path: Path) -> Iterator[Record]:
        if not path.is_dir():
            raise InputError(f"{path}: a ConvoKit corpus is a folder holding utterances.jsonl")
        utterances = _utterances_file(path)
        conversations = _load_index(path / "conversations.json")
        line_no = 0
        try:
            for line_no, line in enumerate(iter_lines(utterances), 1):
                if not line.strip():
                    continue
                yield self._utterance(line_no, line, conversations)
        except Truncated as exc:
            yield Reject(line_no + 1, None, f"input truncated after record {line_no}: {exc}")

    def _utterance(self, line_no: int, line: str, conversations: dict[str, dict[str, Any]]) -> Record:
        raw = line.rstrip("\r\n")[:RAW_CAP]
        try:
            utt = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            return Reject(line_no, raw, f"malformed JSON: {exc}")
        if not isinstance(utt, dict):
            return Reject(line_no, raw, "not a JSON object")
        uid = _text(utt.get("id"))
        if not uid:
            return Reject(line_no, raw, "utterance has no id")
        conversation = _text(utt.get("conversation_id") or utt.get("root")) or uid
        conv_meta = conversations.get(conversation, {})
        meta: dict[str, Any] = utt["meta"] if isinstance(utt.get("meta"), dict) else {}
        speaker = utt.get("speaker", utt.get("user"))
        if isinstance(speaker, dict):  # very old dumps stored the speaker object
            speaker = speaker.get("id") or speaker.get("name")
        speaker = _text(speaker)
        deleted = speaker is None or speaker.strip() == "" or speaker.strip().casefold() in _DELETED
        text = _text(utt.get("text"))
        title = _text(conv_meta.get("title")) if uid == conversation else None
        if title:
            text = "\n\n".join(p for p in (title, text) if p and p.strip())
        return MessageRecord(
            record_no=line_no,
            native_id=uid,
            thread_id=conversation,
            reply_to=_text(utt.get("reply_to")),
            text=text,
            title=title,
            author=None if deleted else speaker,
            author_status=DELETED if deleted else None,
            posted_at=utt.get("timestamp"),
            board=_text(meta.get("subreddit") or conv_meta.get("subreddit")),
        )
