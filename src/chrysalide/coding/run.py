"""Coding in practice: pick a coder, code a CSV file, or code every not-yet-coded message of the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.coding.base import StageCoder
from chrysalide.coding.codebook import CODES, Codebook
from chrysalide.coding.context import CONTEXT_SQL
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.coding.model import ModelCoder, default_model_path
from chrysalide.coding.partition import (
    KINDS,
    OUTPUT_COLUMNS,
    CoderSpec,
    code_partition,
    coder_specs,
    output_name,
    worker_coder,
)
from chrysalide.coding.tables import read_table
from chrysalide.distributed import EXECUTORS, Outputs, map_partitions
from chrysalide.distributed.processes import pool_context
from chrysalide.errors import ConfigError, InputError
from chrysalide.store.db import Store, utcnow

CODERS = KINDS
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
                  keys: list[str], workers: int, on_chunk: Callable[[int], None] | None,
                  ) -> tuple[dict[str, pd.DataFrame], int]:  # fmt: skip
    """Stream the messages from DuckDB in chunks and code them here, or in a pool of ``workers`` processes.

    Returns the rows of each output table and the number of messages read.
    """
    reader = store.con.execute(query, params)
    analysed = 0

    def chunks() -> Iterator[pd.DataFrame]:
        nonlocal analysed
        while True:
            frame = reader.fetch_df_chunk(CHUNK_VECTORS)  # chunks keep memory flat on big stores
            if frame.empty:
                return
            analysed += len(frame)
            yield frame

    parts: dict[str, list[pd.DataFrame]] = {key: [] for key in keys}
    if workers <= 1:
        results: Iterable[dict[str, pd.DataFrame]] = map(task, chunks())
        pool = None
    else:
        pool = pool_context().Pool(workers)  # forked on Linux: the loaded coder is shared copy-on-write
        results = pool.imap(task, chunks())  # ordered: same rows, same order as one process
    try:
        for result in results:
            for key in keys:
                parts[key].append(result[key])
            if on_chunk:
                on_chunk(max(len(result[key]) for key in keys))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    tables = {key: pd.concat(p, ignore_index=True) if p else pd.DataFrame(columns=OUTPUT_COLUMNS)
              for key, p in parts.items()}  # fmt: skip
    return tables, analysed


@contextmanager
def _atomic(store: Store, many: bool) -> Iterator[None]:
    """One transaction around the inserts of several coders: a failure leaves none of their codes."""
    if not many:
        yield
        return
    store.con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
    store.con.execute("COMMIT")


def _query(kinds: list[str]) -> str:
    """Messages (with their context) that at least one coder has not coded; ``needs_<kind>`` says which."""
    needs = ", ".join(f"ctx.message_id NOT IN (SELECT message_id FROM codes WHERE origin = ? AND coder = ?) "
                      f"AS needs_{kind}" for kind in kinds)  # fmt: skip
    if len(kinds) == 1:  # one coder: the query and columns of the single-coder runs
        return (f"WITH ctx AS ({CONTEXT_SQL}) SELECT ctx.* FROM ctx WHERE message_id NOT IN "
                "(SELECT message_id FROM codes WHERE origin = ? AND coder = ?) ORDER BY message_id")  # fmt: skip
    wanted = " OR ".join(f"needs_{kind}" for kind in kinds)
    return f"WITH ctx AS ({CONTEXT_SQL}) SELECT * FROM (SELECT ctx.*, {needs} FROM ctx) WHERE {wanted} ORDER BY 1"


def code(store: Store, coder: str | Sequence[str] = "model", model: str | Path | None = None,
         codebook: str | Path | Codebook | None = None, *, executor: str = "local", scheduler: str | None = None,
         workers: int | None = None, partition_rows: int = 50_000, on_chunk: Callable[[int], None] | None = None,
         ) -> dict[str, Any]:  # fmt: skip
    """Code every message without a code from this coder (same kind, codebook / model file) in one run.

    The structural context comes from SQL (:mod:`chrysalide.coding.context`) and each message is coded by
    :func:`~chrysalide.coding.partition.code_partition`: here (``executor="local"``; ``workers`` > 1 runs a
    pool of processes) or as Dask tasks (``workers``: the LocalCluster's size, default one per core) over
    Parquet partitions of
    ``partition_rows`` messages (``executor="dask"``; on the cluster at ``scheduler``, else a local cluster).
    All new ``codes`` rows are written at the end of the run, so a failure leaves no partial coding.

    ``coder`` may list several kinds (``("lexicon", "model")``): each message is then analysed once (the text
    layer is most of the time) and each coder writes its own run, with the rows separate calls would write;
    ``model`` goes to the model coder and ``codebook`` to the lexicon coder. The result then holds
    ``messages`` (analysed), ``coded`` (per kind) and ``runs`` (one single-coder result each).
    """
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise ConfigError("--scheduler needs --executor dask")
    model_path = str(model) if model is not None else None
    book = codebook if isinstance(codebook, Codebook) or codebook is None else str(codebook)
    specs = coder_specs(coder, model_path, book)
    if any(kind == "model" for kind, _, _ in specs) and model_path is None:
        specs = [(k, str(default_model_path()) if k == "model" else m, b) for k, m, b in specs]
    # Workers get the coders' descriptions; this process loads them first (errors surface here, once).
    names = [worker_coder(*spec)[1] for spec in specs]
    kinds = [kind for kind, _, _ in specs]
    single = isinstance(coder, str)
    keys = ["codes"] if single else [output_name(k) for k in kinds]
    task = partial(code_partition, coder=coder if single else tuple(kinds), model=_model_of(specs),
                   codebook=book, name=names[0] if single else tuple(names))  # fmt: skip
    query_params = [v for kind, name in zip(kinds, names, strict=True) for v in (kind, name)]
    with ExitStack() as stack:
        runs = [stack.enter_context(store.run("coding", name, {
            "coder": kind, "name": name, "model": str(model) if model is not None and kind == "model" else None,
            "codebook": str(codebook) if isinstance(codebook, str | Path) and kind == "lexicon" else None,
            "executor": executor})) for kind, name in zip(kinds, names, strict=True)]  # fmt: skip
        if executor == "local":
            new, analysed = _code_locally(store, _query(kinds), query_params, task, keys, workers or 1, on_chunk)
            with _atomic(store, len(kinds) > 1):
                counts = [_write_frame(store, new[key], run.run_id, kind, name)
                          for key, run, kind, name in zip(keys, runs, kinds, names, strict=True)]  # fmt: skip
        else:
            with map_partitions(store, _query(kinds), task, params=query_params, executor="dask",
                                scheduler=scheduler, partition_rows=partition_rows,
                                n_workers=None if scheduler else workers) as out:  # fmt: skip
                with _atomic(store, len(kinds) > 1):
                    counts = [_write_parts(store, out, key, run.run_id, kind, name)
                              for key, run, kind, name in zip(keys, runs, kinds, names, strict=True)]  # fmt: skip
                analysed = out.rows
        results = []
        for run, name, count in zip(runs, names, counts, strict=True):
            coded = sum(count.values())
            run.summary.update({"coded": coded, "primary_counts": count, "coder": name, "executor": executor})
            results.append({"run_id": run.run_id, "coder": name, "coded": coded, "primary_counts": count})
    if single:
        return results[0]
    coded_by_kind = {k: r["coded"] for k, r in zip(kinds, results, strict=True)}
    return {"messages": analysed, "coded": coded_by_kind, "runs": results}


def _model_of(specs: list[CoderSpec]) -> str | None:
    """The model file the workers load (None without a model coder)."""
    return next((str(m) for kind, m, _ in specs if kind == "model" and m is not None), None)


def _write_frame(store: Store, new: pd.DataFrame, run_id: int, origin: str, name: str) -> dict[str, int]:
    """Insert one coder's rows coded in this process; its primary-code counts."""
    if len(new):
        store.register("chrys_new_codes", new)
        try:
            _insert(store, "chrys_new_codes", run_id, origin, name)
        finally:
            store.con.unregister("chrys_new_codes")
    return {str(k): int(v) for k, v in new["primary_code"].value_counts().items()}


def _write_parts(store: Store, out: Outputs, key: str, run_id: int, origin: str, name: str) -> dict[str, int]:
    """Insert one coder's rows from the Parquet results of the partitions; its primary-code counts."""
    if out.glob(key) is None:
        return {}
    relation = out.relation(key)
    counts = store.con.execute(f"SELECT primary_code, count(*) FROM {relation} GROUP BY 1").fetchall()
    _insert(store, relation, run_id, origin, name)
    return {str(k): int(v) for k, v in counts}
