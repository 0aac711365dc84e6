"""Reading the CSV files the coding commands take (messages to code, gold codes, a coder's output)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chrysalide.coding.codebook import CODES
from chrysalide.errors import InputError
from chrysalide.ingest.csvrows import delimiter_of


def read_table(path: str | Path, required: tuple[str, ...], needs: str) -> pd.DataFrame:
    """A CSV read as strings, refused with one sentence when unreadable or missing a required column.

    ``needs`` completes the message about missing columns, e.g. ``"uid,text; optional lang"``. Its columns may be
    separated by commas, semicolons or tabs, told from the header as ``chrysalide ingest`` tells them.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
            if b"\x00" in head:
                raise InputError(f"{path}: binary file, not a CSV")
        header = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[:1]
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=delimiter_of(header[0] if header else ""))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(getattr(exc, "strerror", None) or exc).splitlines()[0]
        raise InputError(f"{path}: cannot read as CSV: {first}") from exc
    for column in required:
        if column not in frame.columns:
            raise InputError(f"{path}: missing column '{column}' (needs {needs})")
    return frame


def check_codes(frame: pd.DataFrame, path: str | Path, column: str = "primary") -> pd.DataFrame:
    """``frame`` with its codes stripped, refused at the first record whose code is not a stage code."""
    frame[column] = frame[column].astype(str).str.strip()
    bad = frame.index[~frame[column].isin(CODES)]
    if len(bad):
        raise InputError(f"{path}: record {int(bad[0]) + 1}: unknown code {frame.loc[bad[0], column]!r} "
                         f"(allowed: {', '.join(CODES)})")  # fmt: skip
    return frame
