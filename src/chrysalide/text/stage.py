"""The ``text`` stage: fill ``text_features`` and ``segments`` for messages not processed yet.

``process_frame`` is the pure per-message work (a pandas frame in, two frames out) so that it can
run on any partition of the messages (Dask included); ``process`` reads the store in batches,
calls it, and writes the results with set-based ``INSERT ... SELECT`` from registered frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.store import Store
from chrysalide.text.language import detect
from chrysalide.text.lemmas import full_words, lemmatize
from chrysalide.text.normalize import normalize
from chrysalide.text.person import person_features
from chrysalide.text.segments import split_segments
from chrysalide.text.tokens import tokenize

FEATURE_COLUMNS = [
    "message_id", "lang", "n_tokens", "first_singular", "first_plural",
    "second_informal", "second_formal", "own_health",
]  # fmt: skip
SEGMENT_COLUMNS = ["segment_id", "message_id", "seq", "text", "terms"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MASK63 = np.uint64(0x7FFF_FFFF_FFFF_FFFF)


def segment_ids(message_ids: Any, seqs: Any) -> np.ndarray:
    """Stable 63-bit ids of segments: the splitmix64 finaliser of ``message_id ^ seq * φ``.

    ``message_id * 1000 + seq`` overflows for 63-bit hashed message ids; a hash keeps ids
    positive BIGINTs, stable across runs and machines, and independent of batch order. With
    10 million segments the chance of any collision is about 5e-6 (the primary key would reject it).
    Mixer: Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators" (SplitMix64).
    """
    x = np.asarray(message_ids, dtype=np.int64).astype(np.uint64)
    s = np.asarray(seqs, dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        x = x ^ (s * _GOLDEN)
        x = (x ^ (x >> np.uint64(30))) * _MIX1
        x = (x ^ (x >> np.uint64(27))) * _MIX2
        x = x ^ (x >> np.uint64(31))
    return (x & _MASK63).astype(np.int64)


def process_frame(df: pd.DataFrame, *, segment_size: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Text features and segments of the messages in ``df`` (columns message_id, text, lang).

    A missing ``lang`` (None/NaN) is detected. Returns ``(features, segments)`` with the columns of
    the ``text_features`` and ``segments`` tables but ``run_id``. Pure: no store, no global state
    but the lemma caches.
    """
    features: list[tuple[Any, ...]] = []
    seg_message: list[int] = []
    seg_seq: list[int] = []
    seg_text: list[str] = []
    seg_terms: list[str] = []
    langs = df["lang"] if "lang" in df.columns else [None] * len(df)
    for message_id, text, lang in zip(df["message_id"].tolist(), df["text"].tolist(), langs, strict=True):
        norm = normalize(text) if isinstance(text, str) else ""
        if not isinstance(lang, str) or not lang:
            lang = detect(norm)
        tokens: list[str] = []
        for seq, segment in enumerate(split_segments(norm, segment_size)):
            seg_tokens = tokenize(segment, lang)
            tokens.extend(seg_tokens)
            seg_message.append(message_id)
            seg_seq.append(seq)
            seg_text.append(segment)
            seg_terms.append(" ".join(full_words(lemmatize(seg_tokens, lang), lang)))
        p = person_features(tokens, lang, text=norm)
        features.append(
            (message_id, lang, len(tokens), p.first_singular, p.first_plural,
             p.second_informal, p.second_formal, p.own_health)
        )  # fmt: skip
    feats = pd.DataFrame(features, columns=FEATURE_COLUMNS)
    feats = feats.astype({"message_id": "int64", "lang": "object", "own_health": "bool"})
    for column in FEATURE_COLUMNS[2:7]:
        feats[column] = feats[column].astype("int32")
    segs = pd.DataFrame(
        {
            "segment_id": segment_ids(seg_message, seg_seq),
            "message_id": np.asarray(seg_message, dtype=np.int64),
            "seq": np.asarray(seg_seq, dtype=np.int32),
            "text": pd.Series(seg_text, dtype="object"),
            "terms": pd.Series(seg_terms, dtype="object"),
        }
    )
    return feats, segs


def process(
    store: Store,
    *,
    batch_size: int = 5000,
    only_new: bool = True,
    segment_size: int = 40,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """Run the text stage on the store; return counts (also stored as the run's summary).

    ``only_new`` processes the messages without a ``text_features`` row (incremental); otherwise
    every message is processed again after deleting the stage's rows. Messages whose ``lang`` is
    NULL get the detected language. ``progress`` wraps the iterable of batches (and gets their
    number), e.g. to draw a progress bar.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    params = {"batch_size": batch_size, "only_new": only_new, "segment_size": segment_size}
    con = store.con
    with store.run("text", "chrysalide.text", params) as run:
        if not only_new:
            con.execute("DELETE FROM segments")
            con.execute("DELETE FROM text_features")
        todo = con.execute(
            "SELECT message_id FROM messages m WHERE NOT EXISTS"
            " (SELECT 1 FROM text_features f WHERE f.message_id = m.message_id) ORDER BY message_id"
        ).fetchnumpy()["message_id"]
        batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
        counts: dict[str, Any] = {"messages": 0, "segments": 0, "tokens": 0, "lang_filled": 0, "languages": {}}
        for batch in progress(batches, len(batches)) if progress else batches:
            _process_batch(store, batch, run.run_id, segment_size, counts)
        counts["run_id"] = run.run_id
        run.summary.update(counts)
    return counts


def _process_batch(store: Store, ids: np.ndarray, run_id: int, segment_size: int, counts: dict[str, Any]) -> None:
    con = store.con
    con.register("_text_ids", pd.DataFrame({"message_id": ids}))
    try:
        frame = con.execute(
            "SELECT m.message_id, m.text, m.lang FROM messages m JOIN _text_ids USING (message_id)"
        ).df()
    finally:
        con.unregister("_text_ids")
    feats, segs = process_frame(frame, segment_size=segment_size)
    con.register("_text_feats", feats)
    con.register("_text_segs", segs)
    con.begin()
    try:
        con.execute("INSERT INTO text_features BY NAME SELECT *, $run AS run_id FROM _text_feats", {"run": run_id})
        con.execute("INSERT INTO segments BY NAME SELECT *, $run AS run_id FROM _text_segs", {"run": run_id})
        filled = con.execute(
            "UPDATE messages SET lang = f.lang FROM _text_feats f"
            " WHERE messages.message_id = f.message_id AND messages.lang IS NULL"
        ).fetchone()
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.unregister("_text_feats")
        con.unregister("_text_segs")
    counts["messages"] += len(feats)
    counts["segments"] += len(segs)
    counts["tokens"] += int(feats["n_tokens"].sum())
    counts["lang_filled"] += int(filled[0]) if filled else 0
    for lang, n in feats["lang"].value_counts().items():
        counts["languages"][lang] = counts["languages"].get(lang, 0) + int(n)
