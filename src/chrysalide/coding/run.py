"""Coding in practice: pick a coder, code a CSV file, or code every not-yet-coded message of the store."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.coding.base import StageCoder
from chrysalide.coding.codebook import CODES, Codebook
from chrysalide.coding.context import CONTEXT_SQL
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.coding.model import ModelCoder, default_model_path
from chrysalide.coding.partition import OUTPUT_COLUMNS, code_partition, worker_coder
from chrysalide.coding.tables import read_table
from chrysalide.distributed import EXECUTORS, map_partitions
from chrysalide.errors import ConfigError, InputError
from chrysalide.store.db import Store, utcnow

CODERS = ("lexicon", "model")
CHUNK_VECTORS = 4  # DuckDB vectors of 2,048 rows per chunk


def make_coder(coder: str = "model", model: str | Path | None = None,
               codebook: str | Path | Codebook | None = None) -> tuple[StageCoder, str]:  # fmt: skip
    """The coder and the name recorded in ``codes.coder`` (kind, codebook or model file digest)."""
    if coder == "lexicon":
        if model is not None:
            raise ConfigError("--model applies to the model coder, not to the lexicon coder")
        lex = LexiconCoder(codebook=codebook).fit()
        return lex, f"lexicon:codebook-{lex.codebook_.version}:{lex.codebook_.digest}"
    if coder == "model":
        if codebook is not None:
            raise ConfigError("a model carries the codebook it was trained with; --codebook applies to the "
                              "lexicon coder and to `chrysalide code train`")  # fmt: skip
        path = Path(model) if model is not None else default_model_path()
        fitted = ModelCoder.load(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return fitted, f"model:{path.name}:{digest}"
    raise ConfigError(f"unknown coder {coder!r} (choose one of: {', '.join(CODERS)})")


def _read_messages_csv(path: Path) -> pd.DataFrame:
    frame = read_table(path, ("uid", "text"), "uid,text; optional lang, kind, is_first_post")
    kinds = set(frame["kind"]) - {"", "thread_start", "reply"} if "kind" in frame else set()
    if kinds:
        raise InputError(f"{path}: column 'kind': unknown value {sorted(kinds)[0]!r} (thread_start or reply)")
    if "lang" in frame:
        frame["lang"] = frame["lang"].replace("", None)
    return frame


def output_table(uids: pd.Series, coded: pd.DataFrame) -> pd.DataFrame:
    """The CSV layout: uid, primary, secondary ('|'-separated), decentered (0/1), score_<code>."""
    out = pd.DataFrame({"uid": uids.to_numpy(), "primary": coded["primary"].to_numpy()})
    out["secondary"] = ["|".join(s) for s in coded["secondary"]]
    out["decentered"] = coded["decentered"].astype(int).to_numpy()
    for code in CODES:
        out[f"score_{code}"] = coded[f"score_{code}"].round(4).to_numpy()
    return out


def apply(input: str | Path, out: str | Path, *, coder: str = "model", model: str | Path | None = None,
          codebook: str | Path | None = None) -> dict[str, Any]:  # fmt: skip
    """Code the messages of a CSV file (``uid,text`` [,lang,kind,is_first_post]) into a CSV file; no database."""
    source, dest = Path(input), Path(out)
    frame = _read_messages_csv(source)
    if not dest.parent.is_dir():
        raise InputError(f"{dest}: folder {dest.parent} does not exist")
    fitted, name = make_coder(coder, model, codebook)
    table = output_table(frame["uid"], fitted.code(frame)) if len(frame) else output_table(
        pd.Series([], dtype=str), pd.DataFrame({"primary": [], "secondary": [], "decentered": [],
                                                **{f"score_{c}": [] for c in CODES}}))  # fmt: skip
    try:
        table.to_csv(dest, index=False)
    except OSError as exc:
        raise InputError(f"{dest}: cannot write: {exc.strerror or exc}") from exc
    return {"coder": name, "messages": len(table), "out": str(dest),
            "primary_counts": table["primary"].value_counts().to_dict()}  # fmt: skip


def _insert(store: Store, relation: str, run_id: int, origin: str, name: str) -> None:
    """One INSERT of partition rows (:data:`~chrysalide.coding.partition.OUTPUT_COLUMNS`) into ``codes``."""
    store.con.execute(
        f"INSERT INTO codes SELECT ?, message_id, primary_code, CASE WHEN secondary = '' THEN []::VARCHAR[] "
        f"ELSE string_split(secondary, '|') END, decentered, {', '.join(f'score_{c}' for c in CODES)}, confidence, "
        f"?, ?, ? FROM {relation}",
        [run_id, origin, name, utcnow()],
    )


def _code_locally(store: Store, query: str, params: list[Any], task: Callable[[pd.DataFrame], dict[str, pd.DataFrame]],
                  workers: int, on_chunk: Callable[[int], None] | None) -> pd.DataFrame:  # fmt: skip
    """Stream the messages from DuckDB in chunks and code them here, or in a pool of ``workers`` processes."""
    reader = store.con.execute(query, params)

    def chunks() -> Iterator[pd.DataFrame]:
        while True:
            frame = reader.fetch_df_chunk(CHUNK_VECTORS)  # chunks keep memory flat on big stores
            if frame.empty:
                return
            yield frame

    parts = []
    if workers <= 1:
        results: Iterable[dict[str, pd.DataFrame]] = map(task, chunks())
        pool = None
    else:
        # fork shares the loaded coder and the text caches copy-on-write; spawn (macOS, Windows) reloads them.
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        pool = mp.get_context(method).Pool(workers)
        results = pool.imap(task, chunks())  # ordered: same rows, same order as one process
    try:
        for result in results:
            parts.append(result["codes"])
            if on_chunk:
                on_chunk(len(result["codes"]))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OUTPUT_COLUMNS)


def code(store: Store, coder: str = "model", model: str | Path | None = None,
         codebook: str | Path | Codebook | None = None, *, executor: str = "local", scheduler: str | None = None,
         workers: int = 1, partition_rows: int = 50_000, on_chunk: Callable[[int], None] | None = None,
         ) -> dict[str, Any]:  # fmt: skip
    """Code every message without a code from this coder (same kind, codebook / model file) in one run.

    The structural context comes from SQL (:mod:`chrysalide.coding.context`) and each message is coded by
    :func:`~chrysalide.coding.partition.code_partition`: here (``executor="local"``; ``workers`` > 1 runs a
    pool of processes) or as Dask tasks over Parquet partitions of ``partition_rows`` messages
    (``executor="dask"``; on the cluster at ``scheduler``, else a local cluster). All new ``codes`` rows
    are written with one insert at the end of the run, so a failure leaves no partial coding.
    """
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise ConfigError("--scheduler needs --executor dask")
    # Workers get the coder's description; this process loads it first (errors surface here, once).
    model_path = str(model if model is not None else default_model_path()) if coder == "model" else model
    book = codebook if isinstance(codebook, Codebook) or codebook is None else str(codebook)
    _, name = worker_coder(coder, None if model_path is None else str(model_path), book)
    task = partial(code_partition, coder=coder, model=None if model_path is None else str(model_path),
                   codebook=book, name=name)  # fmt: skip
    params = {"coder": coder, "name": name, "model": str(model) if model else None,
              "codebook": str(codebook) if isinstance(codebook, str | Path) else None, "executor": executor}  # fmt: skip
    query = (f"WITH ctx AS ({CONTEXT_SQL}) SELECT ctx.* FROM ctx WHERE message_id NOT IN "
             "(SELECT message_id FROM codes WHERE origin = ? AND coder = ?) ORDER BY message_id")  # fmt: skip
    with store.run("coding", name, params) as run:
        if executor == "local":
            new = _code_locally(store, query, [coder, name], task, workers, on_chunk)
            counts = new["primary_code"].value_counts().to_dict()
            if len(new):
                store.register("chrys_new_codes", new)
                try:
                    _insert(store, "chrys_new_codes", run.run_id, coder, name)
                finally:
                    store.con.unregister("chrys_new_codes")
            coded = len(new)
        else:
            with map_partitions(store, query, task, params=[coder, name], executor="dask", scheduler=scheduler,
                                partition_rows=partition_rows) as out:  # fmt: skip
                coded, counts = 0, {}
                if out.glob("codes") is not None:
                    relation = out.relation("codes")
                    counts = dict(store.con.execute(f"SELECT primary_code, count(*) FROM {relation} GROUP BY 1").fetchall())
                    _insert(store, relation, run.run_id, coder, name)
                    coded = sum(counts.values())
        counts = {str(k): int(v) for k, v in counts.items()}
        run.summary.update({"coded": coded, "primary_counts": counts, "coder": name, "executor": executor})
    return {"run_id": run.run_id, "coder": name, "coded": coded, "primary_counts": counts}
