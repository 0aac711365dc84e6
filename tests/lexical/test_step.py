"""The lexical step: classes, terms, CA, specificities and cross tables stored with their run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from chrysalide.errors import ConfigError, StoreError
from chrysalide.lexical.double import LARGEST_MAX_K
from chrysalide.lexical.fit import sample_rows
from chrysalide.lexical.step import LexicalParams
from chrysalide.lexical.tables import assign_nearest
from chrysalide.lexical.variables import message_variables
from chrysalide.lexical.writers import class_writers, one_voice
from chrysalide.store import Store

sys.path.insert(0, str(Path(__file__).parent))  # regression_data, the frozen-tables generator
from regression_data import lexical  # noqa: E402 - the step's result as one dict

VOCABS = [
    "thyroid dose levothyroxine nodule doctor tsh blood test result symptom".split(),
    "thank forum support courage hug welcome friend help share kind".split(),
    "insurance work employer law right lawyer claim office form letter".split(),
]
TABLES = [
    "lexical_classes", "class_terms", "segment_classes", "typical_segments", "ca_coordinates",
    "lexical_specificities", "class_crosstab",
]  # fmt: skip


def fill(store: Store, n_messages: int = 90, n_vocabs: int = 3, seed: int = 1) -> None:
    """Messages whose two segments draw 6 words from vocabulary ``i % n_vocabs``; board = vocabulary."""
    rng = np.random.default_rng(seed)
    con = store.con
    con.execute("INSERT INTO sources VALUES ('s', 'jsonl', 'x', now()::TIMESTAMP, NULL, false)")
    for m in range(6):
        con.execute("INSERT INTO members VALUES (?, 's', ?, NULL, 'member', NULL)", [m, f"p{m}"])
    for v in range(n_vocabs):
        con.execute("INSERT INTO threads VALUES (?, 's', ?, ?, 't', NULL, NULL)", [v, str(v), f"board{v}"])
    segs = []
    for i in range(n_messages):
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, lang,"
            " content_hash) VALUES (?, 's', ?, ?, ?, ?, 'x', 'en', 'h')",
            [i, str(i), i % n_vocabs, i % 6, pd.Timestamp(2019 + i % 2, 1, 1) + pd.Timedelta(days=i)],
        )
        for seq in range(2):
            words = " ".join(rng.choice(VOCABS[i % n_vocabs], 6, replace=False))
            segs.append((1000 + 2 * i + seq, i, seq, 0, words, words))
    con.executemany(
        "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (?, ?, ?, ?, ?, ?)", segs
    )


def test_two_vocabularies_are_found_and_every_table_is_filled(store: Store) -> None:
    fill(store, n_vocabs=2)
    result = lexical(store, k=2, min_docfreq=3)
    run_id = result["run_id"]
    status, params = store.con.execute("SELECT status, params FROM runs WHERE run_id = ?", [run_id]).fetchone()
    assert status == "ok" and json.loads(params)["k"] == 2
    for table in TABLES:
        assert store.con.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", [run_id]).fetchone()[0] > 0, table
    # each vocabulary is one class
    seg = store.con.execute(
        "SELECT s.message_id % 2 AS vocab, min(c.class), max(c.class), count(*) FROM segment_classes c"
        " JOIN segments s USING (segment_id) WHERE c.run_id = ? GROUP BY 1 ORDER BY 1",
        [run_id],
    ).fetchall()
    assert [r[1] == r[2] for r in seg] == [True, True] and seg[0][1] != seg[1][1]
    top = {c["class"]: c["terms"][0]["term"] for c in result["classes"]}
    assert top[seg[0][1]] in VOCABS[0] and top[seg[1][1]] in VOCABS[1]
    assert [c["size"] for c in result["classes"]] == [90, 90] and result["unclassified"] == 0
    # characteristic terms are signed: a term of the other vocabulary is under-represented
    chi2 = store.con.execute(
        "SELECT chi2 FROM class_terms WHERE run_id = ? AND class = ? AND term = 'forum'", [run_id, seg[0][1]]
    ).fetchone()[0]
    assert chi2 < -3.84
    # specificities by board: board0 is vocabulary 0
    spec = store.con.execute(
        "SELECT term FROM lexical_specificities WHERE run_id = ? AND variable = 'board' AND value = 'board0'"
        " AND chi2 > 0",
        [run_id],
    ).fetchall()
    assert spec and {t for (t,) in spec} <= set(VOCABS[0])
    # typical segments belong to their class
    bad = store.con.execute(
        "SELECT count(*) FROM typical_segments t JOIN segment_classes c USING (run_id, segment_id)"
        " WHERE t.run_id = ? AND t.class <> c.class",
        [run_id],
    ).fetchone()[0]
    assert bad == 0
    assert "stage" in result["variables_skipped"]  # no codes yet


def test_each_class_says_how_many_members_wrote_it_and_the_largest_share(store: Store) -> None:
    fill(store, n_vocabs=2)  # message i: vocabulary i % 2, member i % 6, two segments
    # Member 0 takes the even messages below 60 (30 messages); the even ones from 60 stay with members 0, 2
    # and 4 (5 each): member 0 writes 35 of the 45 messages of vocabulary 0, 70 of its 90 segments.
    store.con.execute("UPDATE messages SET member_id = 0 WHERE message_id % 2 = 0 AND message_id < 60")
    result = lexical(store, k=2, min_docfreq=3)
    by_writer = sorted((c["writers"], round(c["top_writer_share"], 6)) for c in result["classes"])
    assert by_writer == [(3, round(1 / 3, 6)), (3, round(70 / 90, 6))]
    voices = one_voice(class_writers(store, result["run_id"]))
    assert [round(w.top_writer_share, 6) for w in voices.values()] == [round(70 / 90, 6)]  # not 1/3: not more


def test_crosstab_sums_equal_class_sizes_and_tree_is_consistent(store: Store) -> None:
    fill(store)
    run_id = lexical(store, k=3, min_docfreq=3)["run_id"]
    sums = store.con.execute(
        "SELECT x.class, sum(x.n), any_value(c.size) FROM class_crosstab x JOIN lexical_classes c"
        " ON c.run_id = x.run_id AND c.class = x.class AND c.k = 3 WHERE x.run_id = ? AND x.variable = 'year'"
        " GROUP BY 1 ORDER BY 1",
        [run_id],
    ).fetchall()
    assert len(sums) == 3 and all(int(n) == size for _, n, size in sums)
    tree = store.con.execute("SELECT k, class, size, parent FROM lexical_classes WHERE run_id = ?", [run_id]).df()
    assert sorted(tree["k"].unique()) == [1, 2, 3]
    for k in (2, 3):
        children = tree[tree["k"] == k].groupby("parent")["size"].sum()
        parents = tree[tree["k"] == k - 1].set_index("class")["size"]
        assert children.to_dict() == parents.to_dict()
    ca = store.con.execute(
        "SELECT kind, sum(contribution) FROM ca_coordinates WHERE run_id = ? AND kind <> 'axis' GROUP BY 1", [run_id]
    ).fetchall()
    assert all(total == pytest.approx(1.0) for _, total in ca)


def test_rerun_adds_a_run_and_keeps_the_older_one(store: Store) -> None:
    fill(store)
    first = lexical(store, k=2, min_docfreq=3)["run_id"]
    before = {t: store.con.execute(f"SELECT count(*) FROM {t} WHERE run_id = ?", [first]).fetchone()[0] for t in TABLES}
    second = lexical(store, k=3, min_docfreq=3)["run_id"]
    assert second > first and store.latest("lexical") == second
    after = {t: store.con.execute(f"SELECT count(*) FROM {t} WHERE run_id = ?", [first]).fetchone()[0] for t in TABLES}
    assert after == before
    ks = store.con.execute("SELECT run_id, max(k) FROM lexical_classes GROUP BY 1 ORDER BY 1").fetchall()
    assert ks == [(first, 2), (second, 3)]


def test_stage_codes_become_a_variable(store: Store) -> None:
    fill(store, n_vocabs=2)
    codes = [(99, i, "individual" if i % 2 == 0 else "community") for i in range(90)]
    store.con.executemany(
        "INSERT INTO codes VALUES (?, ?, ?, [], false, NULL, NULL, NULL, NULL, NULL, NULL, 'lexicon', 't',"
        " now()::TIMESTAMP, NULL, NULL, NULL, NULL, NULL)",
        codes,
    )
    result = lexical(store, k=2, min_docfreq=3, variables=["stage", "position"])
    assert result["variables"] == ["position", "stage"]
    cells = store.con.execute(
        "SELECT value, class, n FROM class_crosstab WHERE run_id = ? AND variable = 'stage' AND n > 0",
        [result["run_id"]],
    ).fetchall()
    assert len(cells) == 2  # each stage falls entirely in one class


def test_position_buckets_follow_each_members_history(store: Store) -> None:
    fill(store, n_messages=42)  # member i % 6: 7 messages each, in date order
    frame = message_variables(store, ["position"]).set_index("message_id")["position"]
    member0 = [frame[i] for i in range(0, 42, 6)]
    assert member0 == ["1", "2-5", "2-5", "2-5", "2-5", "6+", "6+"]


def test_double_classification_and_sample_are_stored(store: Store) -> None:
    fill(store)
    double = lexical(store, double=True, max_k=3, min_segment_size1=3, min_segment_size2=5, min_docfreq=3)
    crossed = store.con.execute(
        "SELECT count(*), count(crossed) FROM lexical_classes WHERE run_id = ?", [double["run_id"]]
    ).fetchone()
    assert crossed[0] > 0 and crossed[0] == crossed[1] and double["k"] >= 2
    runs = [lexical(store, k=3, min_docfreq=3, sample=60, seed=4, refit=refit)["run_id"] for refit in (False, True)]
    assert runs[1] > runs[0]  # refit: drawn and classified again
    labels = [
        store.con.execute("SELECT class, sampled FROM segment_classes WHERE run_id = ? ORDER BY segment_id", [r]).df()
        for r in runs
    ]
    assert labels[0].equals(labels[1])  # seeded
    assert 60 <= int(labels[0]["sampled"].sum()) < 180 and (labels[0]["class"] > 0).all()


def test_errors_are_one_line_and_name_the_fix(store: Store) -> None:
    with pytest.raises(StoreError, match="chrysalide text"):
        lexical(store)
    fill(store, n_messages=6)
    with pytest.raises(ConfigError, match="min-docfreq"):
        lexical(store, min_docfreq=50)
    with pytest.raises(StoreError, match="'fr'.*en \\(12\\)"):
        lexical(store, lang="fr", min_docfreq=1)
    with pytest.raises(ConfigError, match="switching"):
        lexical(store, switching="fast")
    with pytest.raises(ConfigError, match="unknown variables"):
        lexical(store, variables=["gender"])


@pytest.mark.parametrize("max_k", [1, LARGEST_MAX_K + 1])
def test_max_k_out_of_range_is_refused(max_k: int) -> None:
    with pytest.raises(ConfigError, match=f"--max-k from 2 to {LARGEST_MAX_K}"):
        LexicalParams(double=True, max_k=max_k)


def test_sample_rows_keeps_whole_messages_in_corpus_order() -> None:
    msg = np.repeat(np.arange(50), 3)
    rows = sample_rows(msg, 30, seed=2)
    assert np.all(np.diff(rows) > 0) and rows.size >= 30
    assert all(np.sum(msg[rows] == m) == 3 for m in np.unique(msg[rows]))
    assert np.array_equal(sample_rows(msg, 1000, seed=2), np.arange(150))


def test_assign_nearest_uses_the_class_profiles() -> None:
    X = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]]))
    out = assign_nearest(X, np.array([0, 1]), np.array([0, 1]))
    assert out.tolist() == [0, 1, 0, 1, -1]


def test_assign_nearest_in_blocks_gives_the_same_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    from chrysalide.lexical import tables

    rng = np.random.default_rng(3)
    X = sp.csr_matrix((rng.random((300, 40)) < 0.15).astype(float))
    fitted = np.sort(rng.choice(300, 90, replace=False))
    labels = rng.integers(-1, 4, 90)
    whole = assign_nearest(X, fitted, labels)
    monkeypatch.setattr(tables, "ASSIGN_BLOCK", 7)
    assert np.array_equal(assign_nearest(X, fitted, labels), whole)
    assert np.array_equal(whole[fitted], labels) and (whole >= 0).sum() > 150


@pytest.mark.corpora
def test_real_corpus_patientinfo(store: Store, corpora: Path) -> None:
    from chrysalide import text
    from chrysalide.ingest import ingest

    ingest(store, corpora / "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json",
           format="patientinfo")  # fmt: skip
    text.process(store)
    result = lexical(store, k=4, min_docfreq=5)
    assert result["k"] == 4 and result["terms"] > 500
    assert sum(c["size"] for c in result["classes"]) == result["classified"] > 0.95 * result["segments"]
    counts = store.con.execute(
        "SELECT (SELECT count(*) FROM class_terms WHERE run_id = $r), (SELECT count(DISTINCT class) FROM"
        " class_terms WHERE run_id = $r AND chi2 > 0), (SELECT count(*) FROM lexical_specificities WHERE"
        " run_id = $r AND variable = 'board')",
        {"r": result["run_id"]},
    ).fetchone()
    assert counts[0] > 100 and counts[1] == 4 and counts[2] > 0


def test_count_matrix_counts_tokens_over_the_vocabulary() -> None:
    from chrysalide.lexical.matrix import count_matrix

    docs = ["dose dose tsh", "", None, "  tsh\tforum  x ", "a \x00 dose"]
    C = count_matrix(docs, ["dose", "forum", "tsh"]).toarray()
    assert C.tolist() == [[2, 0, 1], [0, 0, 0], [0, 0, 0], [0, 1, 1], [1, 0, 0]]


@pytest.mark.parametrize("run", ["simple", "merged", "double", "sample", "default"])
def test_stored_tables_equal_the_frozen_ones(tmp_path: Path, run: str) -> None:
    """The tables of a seeded store equal the frozen ones (regression_data.py).

    The legacy runs reproduce the tables computed before the vectorised rewrite, and before active forms,
    boilerplate and outliers existed; their new columns are all NULL and they have no supplementary table.
    """
    import regression_data as rd

    with Store(tmp_path / "r.duckdb") as st:
        rd.fill_rich(st)
        got = rd.stored_tables(st, lexical(st, **rd.RUNS[run])["run_id"])
    for table, frame in got.items():
        path = rd.DATA / f"{run}-{table}.parquet"
        if run != "default":
            if not path.exists():  # no segment has tool words: legacy runs keep no supplementary form
                assert table == "class_supplementary_terms" and frame.empty, table
                continue
            new = rd.NEW_COLUMNS.get(table, [])
            assert frame[new].isna().all().all(), table
            frame = frame.drop(columns=new)
        expected = pd.read_parquet(path)
        pd.testing.assert_frame_equal(frame, expected, check_dtype=False, rtol=1e-9, obj=f"{run} {table}")


def test_rare_values_are_pooled_as_before(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond MAX_VALUES, the rarer values (value_counts order) become OTHER, as the per-element code did."""
    import regression_data as rd

    from chrysalide.lexical import variables

    rd.fill_rich(store)
    monkeypatch.setattr(variables, "MAX_VALUES", 5)
    msg = store.con.execute("SELECT message_id FROM segments ORDER BY message_id, seq").df()["message_id"]
    got = variables.segment_variables(store, msg, ["month"])[0]["month"]
    frame = variables.message_variables(store, ["month"])
    values = msg.to_frame().merge(frame, on="message_id", how="left")["month"]
    rare = set(values.value_counts().index[4:])
    expected = values.map(lambda v: variables.OTHER if v in rare else v)
    assert got.astype(object).where(got.notna(), None).tolist() == expected.where(expected.notna(), None).tolist()
    assert len(got.cat.categories) == 5 and list(got.cat.categories) == sorted(got.cat.categories)
