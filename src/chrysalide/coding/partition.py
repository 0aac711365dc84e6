"""The per-message work of the coding stage as a pure function: a frame of messages in, ``codes`` rows out.

Every executor runs :func:`code_partition` (in this process, in a pool of processes, or as Dask tasks on
Parquet partitions), so all write the same rows. It takes the coder's *description* (kind, model file,
codebook), never a fitted coder: the function and its parameters pickle in a few bytes, and each worker
process loads the coder once (:func:`worker_coder`) and checks that it is the one the run recorded.
Several coders in one call analyse each message once (:func:`~chrysalide.coding.base.prepare`) and each
codes the messages it has not coded yet (column ``needs_<kind>``).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.coding.base import StageCoder, prepare
from chrysalide.coding.codebook import CODES, Codebook
from chrysalide.errors import ConfigError

#: Columns of a partition's result: the ``codes`` table without run_id, origin, coder and decided_at;
#: ``secondary`` is the secondary codes joined by ``|`` (a string column: Parquet- and DuckDB-friendly).
OUTPUT_COLUMNS = ["message_id", "primary_code", "secondary", "decentered",
                  *(f"score_{c}" for c in CODES), "confidence"]  # fmt: skip

#: Coder kinds, in the order a combined call codes them (the model reads the lexicon scores memoised on the batch).
KINDS = ("lexicon", "model")

CoderSpec = tuple[str, str | None, str | Codebook | None]  # kind, model file, codebook

_LOADED: dict[tuple[str, str | None, str | None], tuple[StageCoder, str]] = {}


def _file_key(path: str | Path | None) -> str | None:
    """A file's path and content digest: a model retrained to the same path is another coder."""
    if path is None:
        return None
    try:
        return f"{path}:{hashlib.sha256(Path(path).read_bytes()).hexdigest()}"
    except OSError:
        return str(path)  # make_coder reports the unreadable file


def _key(
    coder: str, model: str | Path | None, codebook: str | Path | Codebook | None
) -> tuple[str, str | None, str | None]:
    book = codebook.digest if isinstance(codebook, Codebook) else _file_key(codebook)
    return coder, _file_key(model), book


def worker_coder(coder: str, model: str | Path | None = None,
                 codebook: str | Path | Codebook | None = None) -> tuple[StageCoder, str]:  # fmt: skip
    """The fitted coder and its recorded name, loaded once per process (the shipped model takes ~1 s).

    The few coders a process has used stay loaded (a model is a few MB).
    """
    from chrysalide.coding.run import make_coder

    key = _key(coder, model, codebook)
    if key not in _LOADED:
        _LOADED[key] = make_coder(coder, model, codebook)
    return _LOADED[key]


def code_rows(message_ids: Any, coded: pd.DataFrame) -> pd.DataFrame:
    """A coder's table (``StageCoder.code``) as rows of :data:`OUTPUT_COLUMNS`."""
    out = pd.DataFrame({"message_id": np.asarray(message_ids, dtype=np.int64),
                        "primary_code": coded["primary"].to_numpy(dtype=object)})  # fmt: skip
    out["secondary"] = ["|".join(s) for s in coded["secondary"]]
    out["decentered"] = coded["decentered"].to_numpy(dtype=bool)
    for column in OUTPUT_COLUMNS[4:]:
        out[column] = coded[column].to_numpy(dtype=float)
    return out


def coder_specs(coder: str | Sequence[str], model: str | None = None,
                codebook: str | Codebook | None = None) -> list[CoderSpec]:  # fmt: skip
    """Each coder's description: one kind as given, or several kinds, ``model`` going to the model coder and
    ``codebook`` to the lexicon coder (as separate calls with the same options would pass them)."""
    if isinstance(coder, str):
        return [(coder, model, codebook)]
    kinds = list(coder)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ConfigError(f"unknown coder {unknown[0]!r} (choose among: {', '.join(KINDS)})")
    if not kinds or len(set(kinds)) != len(kinds):
        raise ConfigError(f"give each coder kind once, at least one: {', '.join(kinds) or 'none given'}")
    if model is not None and "model" not in kinds:
        raise ConfigError("--model applies to the model coder, which is not among the coders")
    if codebook is not None and "lexicon" not in kinds:
        raise ConfigError("--codebook applies to the lexicon coder, which is not among the coders")
    return [(k, model if k == "model" else None, codebook if k == "lexicon" else None) for k in KINDS if k in kinds]


def output_name(kind: str) -> str:
    """The partition result table of one coder of a combined call."""
    return f"codes_{kind}"


def code_partition(frame: pd.DataFrame, *, coder: str | Sequence[str], model: str | None = None,
                   codebook: str | Codebook | None = None,
                   name: str | Sequence[str] | None = None) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Code the messages of ``frame`` (columns of :data:`chrysalide.coding.context.CONTEXT_SQL`).

    ``name`` is the coder name the run recorded: a worker whose model or codebook file differs (another
    version on another machine) refuses to code rather than write codes under the wrong name. With one
    coder kind (a string) the result is ``{"codes": rows}``; with several (a sequence, see
    :func:`coder_specs`; ``name`` then one per coder in :data:`KINDS` order) each message is analysed once and
    the result is ``{output_name(kind): rows}``, each coder coding the rows whose ``needs_<kind>`` is true
    (all rows without that column).
    """
    specs = coder_specs(coder, model, codebook)
    names = [name] if isinstance(name, str) or name is None else list(name)
    if len(names) == 1 and len(specs) > 1:
        names = names * len(specs)
    fitted = []
    for (kind, path, book), recorded in zip(specs, names, strict=True):
        one, loaded = worker_coder(kind, path, book)
        if recorded is not None and loaded != recorded:
            raise ConfigError(f"worker loaded coder {loaded!r} but the run codes with {recorded!r}: "
                              "the model or codebook file differs on this worker")  # fmt: skip
        fitted.append((kind, one))
    keys = ["codes"] if isinstance(coder, str) else [output_name(kind) for kind, _ in fitted]
    if frame.empty:
        return {key: pd.DataFrame(columns=OUTPUT_COLUMNS) for key in keys}
    frame = frame.reset_index(drop=True)
    out = {}
    with _paused_gc():
        batch = prepare(frame)  # once for every coder
        for key, (kind, one) in zip(keys, fitted, strict=True):
            need = f"needs_{kind}"
            if need in frame and not isinstance(coder, str) and not frame[need].all():
                rows = np.flatnonzero(frame[need].to_numpy(bool))
                out[key] = code_rows(frame["message_id"].to_numpy()[rows], one.code(batch.take(rows)))
            else:
                out[key] = code_rows(frame["message_id"], one.code(batch))
    return out


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
