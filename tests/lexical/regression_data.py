"""Seeded small store and the lexical runs whose stored tables tests/data/lexical/ freezes.

``python tests/lexical/regression_data.py`` rewrites the expected tables of the ``default`` run (and, with
``--legacy``, of the legacy runs): run it only when a change of results is intended. The legacy tables
were computed before the vectorised rewrite of the matrix and table code, to prove it changed nothing; they
are reproduced by the ``LEGACY`` parameters (the matrix and classification of earlier versions). One legacy
table was rewritten since, on purpose: ``merged-typical_segments`` when typical segments came to pass over
copies of more typical ones (class 1 had three rows of the same terms and score as a row above them; they
gave way to the next distinct rows, the order of the others unchanged; every other table as frozen).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from chrysalide.lexical import final_classes
from chrysalide.lexical import lexical as run_lexical
from chrysalide.store import Store


def lexical(store: Store, **params: object) -> dict:
    """The lexical step's result as one dict (run id, summary, final classes), the way the tests read it."""
    result = run_lexical(store, **params)  # type: ignore[arg-type]
    classes = final_classes(store, result.run_id)
    return {"run_id": result.run_id, "up_to_date": result.up_to_date, **result.summary, "classes": classes}


DATA = Path(__file__).resolve().parents[1] / "data" / "lexical"
TABLES = {
    "lexical_classes": ["k", "class"],
    "class_terms": ["class", "term"],
    "segment_classes": ["segment_id"],
    "typical_segments": ["class", "rank"],
    "ca_coordinates": ["kind", "label"],
    "lexical_specificities": ["variable", "value", "term"],
    "class_crosstab": ["variable", "value", "class"],
}
# The matrix and classification of versions before active/supplementary forms, boilerplate and lexical outliers:
# every full word active, every language, nothing left out. The frozen tables of these runs predate them.
LEGACY = dict(forms="full", lang="all", boilerplate=0, min_class_share=0.0)
RUNS = {
    "simple": dict(k=4, min_docfreq=3, **LEGACY),
    "merged": dict(k=3, min_docfreq=2, min_segment_size=4, max_terms=30, **LEGACY),
    "double": dict(double=True, max_k=3, min_segment_size1=3, min_segment_size2=5, min_docfreq=3, **LEGACY),
    "sample": dict(k=3, min_docfreq=3, sample=250, seed=3, **LEGACY),
    "default": dict(k=4, min_docfreq=3),  # today's defaults: active forms, main language, outliers set aside
}
# Columns added after the legacy tables were frozen (NULL in the legacy runs).
NEW_COLUMNS = {"segment_classes": ["left_out"]}
TOPICS = [
    "thyroid dose levothyroxine nodule doctor tsh blood test result symptom".split(),
    "thank forum support courage hug welcome friend help share kind".split(),
    "insurance work employer law right lawyer claim office form letter".split(),
    "surgery scar hospital anesthesia recovery voice neck pain night nurse".split(),
]
SHARED = "tired feel day week time think know".split()


def fill_rich(store: Store, n_messages: int = 240, seed: int = 7) -> None:
    """Messages of 1-4 segments mixing a topic, shared words and repeats; guests, codes, several boards."""
    rng = np.random.default_rng(seed)
    con = store.con
    con.execute("INSERT INTO sources VALUES ('s', 'jsonl', 'x', now()::TIMESTAMP, NULL, false)")
    for m in range(12):
        role = "moderator" if m == 0 else "member"
        con.execute("INSERT INTO members VALUES (?, 's', ?, NULL, ?, NULL)", [m, f"p{m}", role])
    for t in range(8):
        con.execute("INSERT INTO threads VALUES (?, 's', ?, ?, 't', NULL, NULL)", [t, str(t), f"board{t % 3}"])
    segs, codes, sid = [], [], 5000
    for i in range(n_messages):
        topic = int(rng.integers(0, len(TOPICS)))
        member = None if i % 17 == 0 else int(rng.integers(0, 12))
        posted = pd.Timestamp(2018 + i % 3, 1 + i % 12, 1) + pd.Timedelta(hours=int(rng.integers(0, 500)))
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, lang,"
            " content_hash) VALUES (?, 's', ?, ?, ?, ?, 'x', 'en', 'h')",
            [i, str(i), int(rng.integers(0, 8)), member, posted],
        )
        if i % 5:
            codes.append((1, i, ["individual", "community", "collaborative", "societal"][(topic + i % 2) % 4]))
        for seq in range(int(rng.integers(1, 5))):
            n_words = int(rng.integers(0, 9))
            words = list(rng.choice(TOPICS[topic], n_words)) + list(rng.choice(SHARED, int(rng.integers(0, 3))))
            if rng.random() < 0.2:
                words += list(rng.choice(TOPICS[(topic + 1) % 4], 2))
            terms = " ".join(words) if rng.random() < 0.95 else "  ".join(words) + "\t"  # odd spacing
            segs.append((sid, i, seq, 0, terms, terms))
            sid += 1
    con.executemany(
        "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (?, ?, ?, ?, ?, ?)", segs
    )
    con.executemany(
        "INSERT INTO codes VALUES (?, ?, ?, [], false, NULL, NULL, NULL, NULL, NULL, NULL, 'lexicon', 't',"
        " now()::TIMESTAMP, NULL, NULL, NULL, NULL, NULL)",
        codes,
    )


def stored_tables(store: Store, run_id: int) -> dict[str, pd.DataFrame]:
    """Every table of one run, without run_id, in a canonical row order."""
    out = {}
    for table, key in {**TABLES, "class_supplementary_terms": ["class", "term"]}.items():
        frame = store.con.execute(f"SELECT * EXCLUDE (run_id) FROM {table} WHERE run_id = ?", [run_id]).df()
        out[table] = frame.sort_values(key, kind="stable").reset_index(drop=True)
    return out


def run_all(store: Store) -> dict[str, dict[str, pd.DataFrame]]:
    """Fill the store and return the stored tables of each run of ``RUNS``."""
    fill_rich(store)
    return {name: stored_tables(store, lexical(store, **params)["run_id"]) for name, params in RUNS.items()}


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "r.duckdb") as st:
        for run, frames in run_all(st).items():
            if run != "default" and "--legacy" not in sys.argv:
                continue  # the legacy tables stay as they were frozen
            for table, frame in frames.items():
                frame.to_parquet(DATA / f"{run}-{table}.parquet", index=False)
                print(run, table, len(frame), file=sys.stderr)
