"""The incremental lexical step: unchanged data returns the newest run, new segments join its classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from regression_data import lexical
from test_step import VOCABS, fill

from chrysalide.lexical.update import MAX_NEW_SHARE, recount
from chrysalide.store import Store


def add_messages(store: Store, ids: range, vocab: int, seed: int = 5) -> None:
    """More messages of two segments drawn from vocabulary ``vocab`` (thread ``vocab``)."""
    rng = np.random.default_rng(seed)
    for i in ids:
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, lang,"
            " content_hash) VALUES (?, 's', ?, ?, 0, ?, 'x', 'en', 'h')",
            [i, str(i), vocab, pd.Timestamp(2021, 1, 1) + pd.Timedelta(days=i)],
        )
        for seq in range(2):
            words = " ".join(rng.choice(VOCABS[vocab], 6, replace=False))
            store.con.execute(
                "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (?, ?, ?, 1, ?, ?)",
                [1000 + 2 * i + seq, i, seq, words, words],
            )


def classes_of(store: Store, run_id: int) -> dict[int, int]:
    rows = store.con.execute("SELECT segment_id, class FROM segment_classes WHERE run_id = ?", [run_id]).fetchall()
    return dict(rows)


def runs(store: Store) -> int:
    return store.con.execute("SELECT count(*) FROM runs WHERE stage = 'lexical'").fetchone()[0]


def test_unchanged_data_returns_the_newest_run(store: Store) -> None:
    fill(store)
    first = lexical(store, k=3, min_docfreq=3)
    again = lexical(store, k=3, min_docfreq=3)
    assert again["run_id"] == first["run_id"] and again["up_to_date"] and runs(store) == 1
    assert again["classes"] == first["classes"] and again["segments"] == first["segments"]
    # other parameters, or --refit, classify again
    assert lexical(store, k=2, min_docfreq=3)["run_id"] > first["run_id"]
    refit = lexical(store, k=2, min_docfreq=3, refit=True)
    assert not refit["up_to_date"] and refit["classes_from"] == refit["run_id"] and runs(store) == 3


def test_new_segments_join_the_classes_of_the_newest_run(store: Store) -> None:
    fill(store)  # 90 messages, 180 segments
    first = lexical(store, k=3, min_docfreq=3)["run_id"]
    before = classes_of(store, first)
    add_messages(store, range(90, 100), vocab=1)  # 20 segments: 11% new
    result = lexical(store, k=3, min_docfreq=3)
    run_id = result["run_id"]
    assert run_id > first and result["classes_from"] == first and result["assigned_new"] == 20
    after = classes_of(store, run_id)
    assert {s: after[s] for s in before} == before  # old segments keep their class
    vocab1 = {c for s, c in before.items() if ((s - 1000) // 2) % 3 == 1}
    assert len(vocab1) == 1 and {after[1000 + 2 * i + q] for i in range(90, 100) for q in (0, 1)} == vocab1
    sampled = store.con.execute(
        "SELECT sampled, count(*) FROM segment_classes WHERE run_id = ? GROUP BY 1 ORDER BY 1", [run_id]
    ).fetchall()
    assert sampled == [(False, 20), (True, 180)]
    # the tree counts the new segments at every level
    tree = store.con.execute("SELECT k, class, size, parent FROM lexical_classes WHERE run_id = ?", [run_id]).df()
    final = tree[tree["k"] == 3].set_index("class")["size"].to_dict()
    assert final == pd.Series(after).value_counts().to_dict()
    assert tree.groupby("k")["size"].sum().tolist() == [200, 200, 200]
    for k in (2, 3):
        children = tree[tree["k"] == k].groupby("parent")["size"].sum()
        assert children.to_dict() == tree[tree["k"] == k - 1].set_index("class")["size"].to_dict()
    assert {c["class"]: c["size"] for c in result["classes"]} == final
    # the other tables are computed on every segment
    total = store.con.execute(
        "SELECT sum(n) FROM class_crosstab WHERE run_id = ? AND variable = 'year'", [run_id]
    ).fetchone()[0]
    assert total == 200


def test_many_new_segments_are_classified_again(store: Store) -> None:
    fill(store)
    first = lexical(store, k=3, min_docfreq=3)["run_id"]
    n = int(MAX_NEW_SHARE * 90) + 1  # messages of 2 segments: more than the share of 180 segments
    add_messages(store, range(90, 90 + n), vocab=2)
    result = lexical(store, k=3, min_docfreq=3)
    assert result["classes_from"] == result["run_id"] != first and "more than" in result["why"]


def test_changed_codes_keep_the_classes_and_renew_the_tables(store: Store) -> None:
    fill(store, n_vocabs=2)
    first = lexical(store, k=2, min_docfreq=3, variables=["stage"])
    assert "stage" in first["variables_skipped"]
    store.con.executemany(
        "INSERT INTO codes VALUES (99, ?, ?, [], false, NULL, NULL, NULL, NULL, NULL, NULL, 'lexicon', 't',"
        " now()::TIMESTAMP, NULL, NULL, NULL, NULL, NULL)",
        [(i, "individual" if i % 2 else "community") for i in range(90)],
    )
    second = lexical(store, k=2, min_docfreq=3, variables=["stage"])
    assert second["run_id"] > first["run_id"] and second["classes_from"] == first["run_id"]
    assert second["assigned_new"] == 0 and second["variables"] == ["stage"]
    assert classes_of(store, second["run_id"]) == classes_of(store, first["run_id"])


def test_a_double_classification_is_fitted_again(store: Store) -> None:
    fill(store)
    opts = dict(double=True, max_k=3, min_segment_size1=3, min_segment_size2=5, min_docfreq=3)
    first = lexical(store, **opts)["run_id"]
    add_messages(store, range(90, 95), vocab=0)
    result = lexical(store, **opts)
    assert result["classes_from"] == result["run_id"] != first and "double" in result["why"]


def test_recount_adds_new_segments_to_every_ancestor() -> None:
    # level 1: one class; level 2: classes 1, 2; level 3: class 2 of level 2 split into 2 and 3
    tree = pd.DataFrame(
        {"k": [1, 2, 2, 3, 3, 3], "class": [1, 1, 2, 1, 2, 3], "size": [10, 4, 6, 4, 2, 3],
         "share": 0.0, "parent": [None, 1, 1, 1, 2, 2]}
    )  # fmt: skip
    out = recount(tree, np.array([0, 1, 2, 2]))  # new segments in final classes 1, 2, 3, 3 (0-based 0, 1, 2, 2)
    assert out["size"].tolist() == [14, 5, 9, 5, 3, 5]
    assert out.loc[out["k"] == 3, "share"].tolist() == pytest.approx([5 / 13, 3 / 13, 5 / 13])


def test_segments_processed_again_are_classified_again(store: Store) -> None:
    """Regression: `chrysalide text --all` writes every segment again under the same ids (a hash of message and
    position), and the lexical step kept the classes drawn from the old terms ("0 new segments join the classes
    of run 3" on r/BPD) where the docs promise a new classification."""
    from chrysalide import text

    fill(store)
    # each message's text is its two segments' words: the text step makes them one segment of those terms
    store.con.execute(
        "UPDATE messages SET text = (SELECT string_agg(s.text, ' ' ORDER BY s.seq) FROM segments s"
        " WHERE s.message_id = messages.message_id)"
    )
    store.con.execute("DELETE FROM segments")
    text.process(store)
    first = lexical(store, k=3, min_docfreq=3)["run_id"]
    segments = classes_of(store, first).keys()
    text.process(store, refresh=True)  # chrysalide text --all
    assert {s for (s,) in store.con.execute("SELECT segment_id FROM segments").fetchall()} == set(segments)
    result = lexical(store, k=3, min_docfreq=3)
    assert result["classes_from"] == result["run_id"] != first and "processed again" in result["why"]
