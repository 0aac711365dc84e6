"""The per-message work of the coding step as a pure function: a frame of messages in, ``codes`` rows out.

Every backend of :func:`chrysalide.distributed.map_frames` runs :func:`code_partition` (here, in a pool of
processes, or as Dask tasks on Parquet partitions), so all write the same rows. It takes the coder's
*description* (kind, model file, codebook), never a fitted coder: the function and its parameters pickle in a
few bytes, and each worker process loads the coder once (:func:`worker_coder`) and checks that it is the one
the run recorded.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.coding.base import StageCoder
from chrysalide.coding.codebook import CODES, Codebook
from chrysalide.coding.registry import make_coder
from chrysalide.errors import ConfigError

#: Columns of a partition's result: the ``codes`` table but ``run_id``.
OUTPUT_COLUMNS = ["message_id", "primary_code", "secondary_codes", "decentered",
                  *(f"score_{c}" for c in CODES), "confidence", "origin", "coder", "decided_at",
                  "needs_review", "lang_supported", "coded_lang", "lang_learned", "context"]  # fmt: skip

_LOADED: dict[tuple[str, str | None, str | None], tuple[StageCoder, str]] = {}


def _file_key(path: str | Path | None) -> str | None:
    """A file's path and content digest: a model retrained to the same path is another coder."""
    if path is None:
        return None
    try:
        return f"{path}:{hashlib.sha256(Path(path).read_bytes()).hexdigest()}"
    except OSError:
        return str(path)  # make_coder reports the unreadable file


def worker_coder(
    kind: str, model: str | Path | None = None, codebook: str | Path | Codebook | None = None
) -> tuple[StageCoder, str]:
    """The fitted coder and its recorded name, loaded once per process (the shipped model takes ~1 s).

    The few coders a process has used stay loaded (a model is a few MB).
    """
    book = codebook.digest if isinstance(codebook, Codebook) else _file_key(codebook)
    key = (kind, _file_key(model), book)
    if key not in _LOADED:
        _LOADED[key] = make_coder(kind, model, codebook)
    return _LOADED[key]


def code_rows(
    message_ids: Any, coded: pd.DataFrame, origin: str, name: str, decided_at: datetime, context: Any = None
) -> pd.DataFrame:
    """A coder's table (``StageCoder.code``) as rows of :data:`OUTPUT_COLUMNS`; ``context``: each message's
    context as coded (:data:`chrysalide.coding.context.CONTEXT_KEY`), None where unknown."""
    out = pd.DataFrame({"message_id": np.asarray(message_ids, dtype=np.int64),
                        "primary_code": coded["primary"].to_numpy(dtype=object)})  # fmt: skip
    out["secondary_codes"] = [list(s) for s in coded["secondary"]]
    out["decentered"] = coded["decentered"].to_numpy(dtype=bool)
    for column in (*(f"score_{c}" for c in CODES), "confidence"):
        out[column] = coded[column].to_numpy(dtype=float)
    out["origin"], out["coder"], out["decided_at"] = origin, name, decided_at
    out["needs_review"] = coded["needs_review"].to_numpy(dtype=bool)
    out["lang_supported"] = coded["lang_supported"].to_numpy(dtype=bool)
    out["coded_lang"] = coded["lang"].to_numpy(dtype=object)
    out["lang_learned"] = coded["lang_learned"].to_numpy(dtype=bool)
    out["context"] = None if context is None else np.asarray(context, dtype=object)
    return out


def flagged_languages(coded: pd.DataFrame, flag: str) -> pd.DataFrame:
    """How many messages of each language a coded table holds whose ``flag`` (``lang_supported``: the codebook
    has markers for it; ``lang_learned``: the coder learned from coded messages of it) is false (lang, n)."""
    other = coded.loc[~coded[flag].astype(bool), "lang"]
    return other.value_counts().rename_axis("lang").reset_index(name="n")


def code_partition(
    frame: pd.DataFrame,
    *,
    coder: str,
    model: str | None = None,
    codebook: str | Codebook | None = None,
    name: str | None = None,
    decided_at: datetime | None = None,
    review_below: float | None = None,
) -> dict[str, pd.DataFrame]:
    """Code the messages of ``frame`` (columns of :data:`chrysalide.coding.context.CONTEXT_SQL`).

    Returns ``{"codes": rows, "languages": unsupported, "unlearned": unlearned}``: the ``codes`` rows, the
    count of messages per language the codebook has no markers for, and per language the coder learned from
    too few coded messages (:func:`flagged_languages`). ``name`` is the coder name the run recorded: a worker whose
    model or codebook file differs (another version on another machine) refuses to code rather than write
    codes under the wrong name. ``review_below``: the confidence under which codes are flagged for review
    (None: the coder's own threshold).
    """
    fitted, loaded = worker_coder(coder, model, codebook)
    if name is not None and loaded != name:
        raise ConfigError(
            f"worker loaded coder {loaded!r} but the run codes with {name!r}: "
            "the model or codebook file differs on this worker"
        )
    if frame.empty:
        none = pd.DataFrame(columns=["lang", "n"])
        return {"codes": pd.DataFrame(columns=OUTPUT_COLUMNS), "languages": none, "unlearned": none}
    with _paused_gc():
        coded = fitted.code(frame.reset_index(drop=True), review_below=review_below)
    stamp = decided_at if decided_at is not None else datetime(1970, 1, 1)
    context = frame["context"] if "context" in frame.columns else None
    return {"codes": code_rows(frame["message_id"], coded, coder, loaded, stamp, context),
            "languages": flagged_languages(coded, "lang_supported"),
            "unlearned": flagged_languages(coded, "lang_learned")}  # fmt: skip


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch is coded.

    Coding allocates millions of small lists and strings (tokens, lemmas) and no reference cycles; the
    collector would walk them again and again (about 10 % of the time). Reference counting still frees
    everything, and the collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
