"""The ``convokit`` importer on a hand-made corpus in ConvoKit's documented on-disk format."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import registry
from chrysalide.ingest.formats.convokit import ConvokitImporter
from chrysalide.ingest.loader import ingest
from chrysalide.ingest.records import MessageRecord, Reject
from chrysalide.store import Store

TINY = Path(__file__).resolve().parents[1] / "data" / "convokit" / "tiny_corpus"


def test_utterances_become_messages() -> None:
    assert ConvokitImporter.sniff(TINY) and registry.detect(TINY).name == "convokit"
    records = list(ConvokitImporter().read(TINY))
    (reject,) = [r for r in records if isinstance(r, Reject)]
    assert reject.record_no == 7 and reject.reason.startswith("malformed JSON")
    msgs = {r.native_id: r for r in records if isinstance(r, MessageRecord)}
    assert list(msgs) == ["p1", "c1", "c2", "c3", "p2", "c4", "c5"]
    p1 = msgs["p1"]
    assert (p1.title, p1.thread_id, p1.reply_to, p1.board) == ("New diagnosis, scared", "p1", None, "Hypothyroidism")
    assert p1.text.startswith("New diagnosis, scared\n\nI was diagnosed")
    assert (msgs["p2"].text, msgs["p2"].title) == ("Local support group?", "Local support group?")  # old dump shape
    assert (msgs["c2"].reply_to, msgs["c2"].thread_id, msgs["c2"].author) == ("c1", "p1", "alice")
    assert (msgs["c3"].author, msgs["c3"].author_status, msgs["c3"].text) == (None, "deleted", "[removed]")
    assert msgs["c1"].posted_at == 1588000600 and msgs["c5"].board == "Hypothyroidism"
    # the conversation's num_comments, in either dump shape, goes to its first utterance only
    assert (p1.meta, msgs["p2"].meta, msgs["c1"].meta) == ({"replies_at_source": 3}, {"replies_at_source": 2}, {})


def test_ingest_builds_threads_and_replies(store) -> None:
    report = ingest(store, TINY)
    assert (report.imported, report.rejected, report.new_threads, report.new_members) == (7, 1, 2, 3)
    rows = store.con.execute(
        "SELECT m.native_id, p.native_id FROM messages m LEFT JOIN messages p ON m.reply_to_id = p.message_id"
        " ORDER BY m.record_no"
    ).fetchall()
    assert rows == [("p1", None), ("c1", "p1"), ("c2", "c1"), ("c3", "p1"), ("p2", None), ("c4", "p2"), ("c5", "c4")]
    titles = dict(store.con.execute("SELECT native_id, title FROM threads").fetchall())
    assert titles == {"p1": "New diagnosis, scared", "p2": "Local support group?"}
    assert ingest(store, TINY).imported == 0


def test_old_user_field_and_missing_conversations(tmp_path: Path) -> None:
    corpus = tmp_path / "old"
    corpus.mkdir()
    lines = [{"id": "1", "root": "1", "reply_to": None, "user": "ann", "timestamp": None, "text": "hi"},
             {"id": "2", "root": "1", "reply_to": "1", "user": "ben", "timestamp": None, "text": "hello"}]  # fmt: skip
    (corpus / "utterances.jsonl").write_text("\n".join(json.dumps(u) for u in lines))
    a, b = ConvokitImporter().read(corpus)
    assert (a.author, b.author, b.thread_id, b.reply_to, a.title) == ("ann", "ben", "1", "1", None)


def test_truncated_and_missing_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(TINY, corpus)
    data = (TINY / "utterances.jsonl").read_bytes() * 200
    packed = gzip.compress(data)
    (corpus / "utterances.jsonl").unlink()
    (corpus / "utterances.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    records = list(ConvokitImporter().read(corpus))
    assert isinstance(records[-1], Reject) and records[-1].reason.startswith("input truncated after record")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError):
        list(ConvokitImporter().read(empty))
    (corpus / "conversations.json").write_text("[1, 2]")
    with pytest.raises(InputError):
        list(ConvokitImporter().read(corpus))


def test_a_guest_label_is_no_member(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "speakers.json").write_text("{}", encoding="utf-8")
    lines = [
        {"id": "u1", "conversation_id": "u1", "speaker": "Guest", "timestamp": 1, "text": "first guest"},
        {"id": "u2", "conversation_id": "u1", "reply_to": "u1", "speaker": "Guest", "timestamp": 2, "text": "another"},
        {"id": "u3", "conversation_id": "u1", "reply_to": "u2", "speaker": "ann_5", "timestamp": 3, "text": "hi"},
    ]
    (corpus / "utterances.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    with Store(tmp_path / "db.duckdb") as store:
        report = ingest(store, corpus, format="convokit")
        assert report.imported == 3 and report.new_members == 1
        assert store.con.execute("SELECT count(*) FROM messages WHERE member_id IS NULL").fetchone()[0] == 2
