"""The ``convokit`` importer: a ConvoKit corpus directory (https://convokit.cornell.edu/documentation/data_format.html).

``utterances.jsonl`` (one utterance a line: ``id``, ``speaker``, ``conversation_id``, ``reply_to``,
``timestamp``, ``text``, ``meta``) is required; ``conversations.json`` (``{conversation_id: meta}``) and
``speakers.json`` (``{speaker_id: meta}``) are read when present. Both accept the newer dump shape
``{id: {"meta": {...}, "vectors": [...]}}`` too, and the pre-2.3 names ``user`` / ``users.json``.

- native id = utterance ``id``; thread = ``conversation_id``; ``reply_to`` as given;
- the conversation's ``title`` (conversation meta) goes to the thread start (the utterance whose id is
  the conversation id): its text is the title, a blank line, then its own text, as for Reddit
  submissions (ConvoKit's Reddit corpora keep a post's title only in the conversation meta); so does its
  ``num_comments`` (the Reddit corpora's "number of comments following this post"), kept in
  ``meta.replies_at_source`` (:data:`~chrysalide.ingest.records.REPLIES_AT_SOURCE`);
- board = ``subreddit`` of the utterance meta, else of the conversation meta;
- speaker ``[deleted]`` (Reddit corpora) marks ``author_status="deleted"``; a speaker named like nobody in
  particular ("Guest", "Anonymous": ``records.GUEST_NAMES``) marks a guest, who belongs to no member;
- record numbers are line numbers of ``utterances.jsonl``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from chrysalide.errors import InputError
from chrysalide.ingest.records import (
    DELETED,
    GUEST,
    REPLIES_AT_SOURCE,
    MessageRecord,
    Record,
    Reject,
    WrongType,
    as_id,
    as_text,
    is_missing_name,
    status_of_name,
)
from chrysalide.ingest.registry import OptionlessImporter, register
from chrysalide.ingest.textio import Truncated, has_nul, iter_lines, loads, read_document

RAW_CAP = 10_000
_DELETED = {"[deleted]", "[removed]"}


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
    text = read_document(path)
    try:
        doc = loads(text)
    except ValueError as exc:
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
        if has_nul(line):
            return Reject(line_no, raw, "NUL byte in the record (damaged file?)")
        try:
            utt = loads(line)
        except ValueError as exc:
            return Reject(line_no, raw, f"malformed JSON: {exc}")
        if not isinstance(utt, dict):
            return Reject(line_no, raw, "not a JSON object")
        uid = as_id(utt.get("id"))
        if not uid:
            return Reject(line_no, raw, "utterance has no id")
        conversation = as_id(utt.get("conversation_id") or utt.get("root")) or uid
        conv_meta = conversations.get(conversation, {})
        meta: dict[str, Any] = utt["meta"] if isinstance(utt.get("meta"), dict) else {}
        speaker = utt.get("speaker", utt.get("user"))
        if isinstance(speaker, dict):  # very old dumps stored the speaker object
            speaker = speaker.get("id") or speaker.get("name")
        speaker = as_id(speaker)
        # ConvoKit has no guest flag: a speaker named like nobody in particular ("Guest" in a patient.info
        # corpus) is a guest, as in a generic table, not one member merging everyone who posted as a guest.
        status = DELETED if is_missing_name(speaker) or (speaker or "").strip().casefold() in _DELETED else None
        status = status or (GUEST if status_of_name(speaker) == GUEST else None)
        text = as_text(utt.get("text"))
        title = as_text(conv_meta.get("title")) if uid == conversation else None
        if title and isinstance(text, str | None) and not isinstance(text, WrongType):
            text = "\n\n".join(p for p in (title, text) if p and p.strip())
        replies = conv_meta.get("num_comments") if uid == conversation else None
        return MessageRecord(
            record_no=line_no,
            native_id=uid,
            thread_id=conversation,
            reply_to=as_id(utt.get("reply_to")),
            text=text,
            title=title,
            author=None if status else speaker,
            author_status=status,
            posted_at=utt.get("timestamp"),
            board=as_text(meta.get("subreddit") or conv_meta.get("subreddit")),
            meta={} if replies is None else {REPLIES_AT_SOURCE: replies},
        )
