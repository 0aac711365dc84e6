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
from chrysalide.text.frame import process_frame


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
