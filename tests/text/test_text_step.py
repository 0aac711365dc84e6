"""process / process_frame: features and segments in the store, incremental, lang filled in."""

import pandas as pd
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.text import process, process_frame
from chrysalide.text.frame import segment_ids

BIG = 2**63 - 25  # message ids are 63-bit hashes: message_id * 1000 would overflow

MESSAGES = [
    (BIG, "J'ai des nodules à la thyroïde, mon endocrino veut opérer. Merci à vous !", None),
    (BIG - 1, "Thanks, we are all in this together. " * 12, "en"),
    (42, "Ich habe Schmerzen.", None),
    (7, "", None),
]


def insert(store, rows):
    for message_id, text, lang in rows:
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash)"
            " VALUES (?, 'src', ?, 1, ?, ?, 'hash')",
            [message_id, str(message_id), text, lang],
        )


def test_process_frame_is_pure_and_typed():
    frame = pd.DataFrame(MESSAGES, columns=["message_id", "text", "lang"])
    feats, segs = process_frame(frame)
    assert list(feats["lang"]) == ["fr", "en", "de", "und"]
    first = feats.iloc[0]
    assert (first.first_singular, first.second_formal, bool(first.own_health)) == (2, 1, True)
    assert list(segs.loc[segs.message_id == BIG - 1, "seq"]) == [0, 1]  # 84 words, cut at the "." of word 42
    assert segs.loc[segs.message_id == BIG, "terms"].item() == "nodule thyroïde endocrino vouloir opérer merci"
    assert (segs["segment_id"] >= 0).all() and segs["segment_id"].is_unique
    again, _ = process_frame(frame)
    pd.testing.assert_frame_equal(feats, again)


def test_segment_ids_stable_and_positive():
    ids = segment_ids([BIG, BIG, -5, 0], [0, 1, 0, 0])
    assert list(ids) == list(segment_ids([BIG, BIG, -5, 0], [0, 1, 0, 0]))
    assert all(i >= 0 for i in ids) and len(set(ids)) == 4


def test_process_is_incremental(store):
    insert(store, MESSAGES)
    first = process(store, batch_size=2).summary
    assert first["messages"] == 4 and first["lang_filled"] == 3
    assert store.count("text_features") == 4
    assert store.count("segments") == first["segments"] == 4
    langs = dict(store.con.execute("SELECT message_id, lang FROM messages").fetchall())
    assert langs == {BIG: "fr", BIG - 1: "en", 42: "de", 7: "und"}
    second = process(store)
    assert second.up_to_date and store.count("segments") == 4  # nothing new: the stored run stands
    insert(store, [(99, "Nous sommes là pour toi, courage !", None)])
    third = process(store)
    assert third.summary["messages"] == 1 and third.summary["languages"] == {"fr": 1}
    row = store.con.execute(
        "SELECT first_plural, second_informal, run_id FROM text_features WHERE message_id = 99"
    ).fetchone()
    assert row == (1, 1, third.run_id)
    summary = store.con.execute("SELECT status FROM runs WHERE run_id = ?", [third.run_id]).fetchone()
    assert summary == ("ok",)


def test_process_all_again_replaces_rows(store):
    insert(store, MESSAGES)
    process(store)
    counts = process(store, refresh=True).summary
    assert counts["messages"] == 4 and store.count("text_features") == 4 and store.count("segments") == 4


def test_cli_text(store, tmp_path):
    insert(store, MESSAGES[:2])
    store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["text", "--db", store.path, "--json"])
    assert result.exit_code == 0, result.output
    assert '"messages": 2' in result.output
    result = runner.invoke(app, ["text", "--db", store.path])
    assert result.exit_code == 0 and "messages processed" in result.output
    missing = runner.invoke(app, ["text", "--db", str(tmp_path / "nope.duckdb")])
    assert missing.exit_code != 0
