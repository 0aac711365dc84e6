"""Coding in practice: pick a coder, code a CSV file, or code every not-yet-coded message of the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.coding.base import StageCoder
from chrysalide.coding.codebook import CODES, Codebook
from chrysalide.coding.context import CONTEXT_SQL
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.coding.model import ModelCoder, default_model_path
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
    try:
        with path.open("rb") as fh:
            if b"\x00" in fh.read(4096):
                raise InputError(f"{path}: binary file, not a CSV of messages")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot read as CSV: {str(exc).splitlines()[0]}") from exc
    for column in ("uid", "text"):
        if column not in frame.columns:
            raise InputError(f"{path}: missing column '{column}' (needs uid,text; optional lang, kind, "
                             "is_first_post)")  # fmt: skip
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


def code(store: Store, coder: str = "model", model: str | Path | None = None,
         codebook: str | Path | Codebook | None = None, *,
         on_chunk: Callable[[int], None] | None = None) -> dict[str, Any]:  # fmt: skip
    """Code every message without a code from this coder (same kind, codebook / model file) in one run.

    The structural context comes from SQL (:mod:`chrysalide.coding.context`); all new ``codes`` rows are
    written with one batched insert at the end of the run, so a failure leaves no partial coding.
    """
    fitted, name = make_coder(coder, model, codebook)
    params = {"coder": coder, "name": name, "model": str(model) if model else None,
              "codebook": str(codebook) if isinstance(codebook, str | Path) else None}  # fmt: skip
    with store.run("coding", name, params) as run:
        reader = store.con.execute(
            f"WITH ctx AS ({CONTEXT_SQL}) SELECT ctx.* FROM ctx WHERE message_id NOT IN "
            "(SELECT message_id FROM codes WHERE origin = ? AND coder = ?) ORDER BY message_id",
            [coder, name],
        )
        parts = []
        while True:
            frame = reader.fetch_df_chunk(CHUNK_VECTORS)  # chunks keep memory flat on big stores
            if frame.empty:
                break
            coded = fitted.code(frame)
            coded.insert(0, "message_id", frame["message_id"].to_numpy())
            parts.append(coded)
            if on_chunk:
                on_chunk(len(frame))
        new = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        if len(new):
            new["secondary"] = new["secondary"].map(list)
            new["run_id"], new["origin"], new["coder"], new["decided_at"] = run.run_id, coder, name, utcnow()
            store.con.register("chrys_new_codes", new)
            try:
                store.con.execute(
                    'INSERT INTO codes SELECT run_id, message_id, "primary", secondary::VARCHAR[], decentered, '
                    + ", ".join(f"score_{c}" for c in CODES)
                    + ", confidence, origin, coder, decided_at FROM chrys_new_codes"
                )
            finally:
                store.con.unregister("chrys_new_codes")
        counts = new["primary"].value_counts().to_dict() if len(new) else {}
        run.summary.update({"coded": len(new), "primary_counts": counts, "coder": name})
    return {"run_id": run.run_id, "coder": name, "coded": len(new), "primary_counts": counts}
