"""Rows and groups of a pandas frame read by column name, typed for what they hold."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd


def each_row(frame: pd.DataFrame, index: bool = True) -> Iterator[Any]:
    """``frame.itertuples(index=index)``: one named tuple per row.

    pandas-stubs type every field as a pandas scalar, which leaves out what the columns of a query really hold
    (None, the lists of a DuckDB LIST column); a field's type is its column's, known only at run time.
    """
    return frame.itertuples(index=index)


def each_group(frame: pd.DataFrame, by: str | list[str]) -> Iterator[tuple[Any, pd.DataFrame]]:
    """``frame.groupby(by)`` iterated: each key (a tuple when ``by`` is a list) and its rows.

    pandas-stubs type a key as any scalar (or a tuple of Hashable), so ``int(key)`` fails to type-check; a key
    holds what its column holds, known only at run time.
    """
    return iter(frame.groupby(by))
