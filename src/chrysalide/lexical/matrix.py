"""Boolean segment x term matrix (and token counts) from the stored active lemmas of each segment.

The terms strings are split, counted and mapped to column numbers inside DuckDB (vectorised and
multi-threaded), which returns only integer (row, column, count) arrays: the corpus's strings never
become Python objects, which keeps the study-size forum (750,000 segments) at a few seconds and a
few hundred megabytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp

# Python's str.split() separators (every character whose str.isspace() is true), as an RE2 class, so that
# the SQL split gives exactly the tokens of str.split() on hostile input (tabs, NBSP, ideographic space...)
WHITESPACE = (
    "[\\t\\n\\x{0b}\\x{0c}\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]+"
)
_PAIRS = "_lexical_pairs"  # temporary table: (row, term, n) with n the term's count in the row


def _load_pairs(con: duckdb.DuckDBPyConnection, source_sql: str, params: Sequence[object] = (), join: str = "") -> None:
    """Temporary table of the distinct (row, term) of ``source_sql`` (columns ``row``, ``terms``) with counts.

    ``join`` filters the (row, term) pairs, e.g. ``ANTI JOIN forms USING (lang, term)`` when the source also
    gives each row's ``lang``: the pairs are ``p`` with the source's other columns.
    """
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_PAIRS} AS SELECT p.row, p.term, count(*)::INTEGER AS n FROM"
        f" (SELECT * EXCLUDE (terms), unnest(string_split_regex(terms, '{WHITESPACE}')) AS term"
        f" FROM ({source_sql})) p {join} WHERE p.term <> '' GROUP BY p.row, p.term",
        list(params),
    )


def _vocabulary(con: duckdb.DuckDBPyConnection, min_docfreq: int, max_terms: int | None) -> list[str]:
    """Terms in at least ``min_docfreq`` rows, the ``max_terms`` most frequent (ties by name), alphabetical."""
    df = con.execute(
        f"SELECT term, count(*) AS df FROM {_PAIRS} GROUP BY term HAVING count(*) >= ?", [min_docfreq]
    ).fetchall()
    if max_terms is not None and len(df) > max_terms:
        df = sorted(df, key=lambda t: (-t[1], t[0]))[:max_terms]
    return sorted(t for t, _ in df)  # Python order = code points, as the column order always was


def _matrices(con: duckdb.DuckDBPyConnection, n_rows: int, terms: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Presence (0/1) and token-count matrices of the pairs table over ``terms``; both canonical CSR."""
    con.register("_lexical_vocab", pd.DataFrame({"term": list(terms), "col": np.arange(len(terms), dtype=np.int32)}))
    # 32-bit rows while they fit: at 7 million segments the three columns are 105 million values each
    row_type = "INTEGER" if n_rows < 2**31 - 1 else "BIGINT"
    try:
        got = con.execute(
            f"SELECT p.row::{row_type} AS row, v.col, p.n FROM {_PAIRS} p JOIN _lexical_vocab v USING (term)"
            " ORDER BY p.row, v.col"
        ).fetchnumpy()
    finally:
        con.unregister("_lexical_vocab")
    rows = np.asarray(got.pop("row"))
    nnz = rows.size
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    del rows
    shape, idx = (n_rows, len(terms)), np.int32 if nnz < 2**31 - 1 else np.int64
    cols, indptr = np.asarray(got.pop("col")).astype(idx, copy=False), indptr.astype(idx)
    X = sp.csr_matrix((np.ones(nnz), cols, indptr), shape=shape)
    C = sp.csr_matrix((np.asarray(got.pop("n"), dtype=np.float64), cols.copy(), indptr.copy()), shape=shape)
    X.has_sorted_indices = C.has_sorted_indices = True
    return X, C


def sql_matrices(
    con: duckdb.DuckDBPyConnection,
    source_sql: str,
    n_rows: int,
    params: Sequence[object] = (),
    *,
    min_docfreq: int = 1,
    max_terms: int | None = None,
    join: str = "",
) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    """Presence matrix, token-count matrix and vocabulary of a query's ``row`` (0..n_rows-1) and ``terms``.

    Same rules as :func:`build_matrix`, which calls it on an in-memory connection; ``join`` filters the
    (row, term) pairs (:func:`_load_pairs`).
    """
    if min_docfreq < 1:
        raise ValueError(f"min_docfreq must be >= 1, got {min_docfreq}")
    if max_terms is not None and max_terms < 1:
        raise ValueError(f"max_terms must be >= 1 or None, got {max_terms}")
    _load_pairs(con, source_sql, params, join)
    try:
        terms = _vocabulary(con, min_docfreq, max_terms)
        X, C = _matrices(con, n_rows, terms)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_PAIRS}")
    return X, C, terms


def _in_memory(term_strings: Sequence[str | None]) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A fresh in-memory connection holding the strings as table ``_texts`` (row, terms)."""
    con = duckdb.connect()
    texts = pd.DataFrame(
        {"row": np.arange(len(term_strings), dtype=np.int64), "terms": pd.Series(term_strings, dtype=object)}
    )
    con.register("_texts_frame", texts)
    return con, "SELECT row, terms FROM _texts_frame WHERE terms IS NOT NULL"


def build_matrix(
    term_strings: Sequence[str | None], *, min_docfreq: int = 1, max_terms: int | None = None
) -> tuple[sp.csr_matrix, list[str]]:
    """Presence/absence matrix of segments x terms, as Alceste and rainette classify (REINERT.md section 3).

    Each string holds the space-separated active lemmas of one segment (the ``segments.terms`` column);
    a term present several times counts once. Terms found in fewer than ``min_docfreq`` segments are
    dropped (rainette's vignette uses ``dfm_trim(min_docfreq = 10)``); ``max_terms`` then keeps the most
    frequent ones (IRaMuTeQ's ``max_actives``), ties broken alphabetically so the result is deterministic.
    The vocabulary is returned in alphabetical order; rows keep the input order, possibly empty.
    """
    con, sql = _in_memory(term_strings)
    with con:
        X, _, terms = sql_matrices(con, sql, len(term_strings), min_docfreq=min_docfreq, max_terms=max_terms)
    return X, terms


def count_matrix(term_strings: Sequence[str | None], terms: Sequence[str]) -> sp.csr_matrix:
    """Segments x terms token counts over a fixed vocabulary (the dfm of variant B keyness)."""
    con, sql = _in_memory(term_strings)
    with con:
        _load_pairs(con, sql)
        _, C = _matrices(con, len(term_strings), terms)
    return C


def as_boolean(X: sp.spmatrix | sp.sparray | np.ndarray) -> sp.csr_matrix:
    """A CSR copy with every non-zero set to 1.0, explicit zeros removed and indices sorted."""
    mat = sp.csr_matrix(X, dtype=np.float64, copy=True)
    mat.eliminate_zeros()
    mat.data[:] = 1.0
    mat.sum_duplicates()
    mat.data[:] = 1.0
    mat.sort_indices()
    return mat


def boolean_view(X: sp.spmatrix | sp.sparray | np.ndarray) -> sp.csr_matrix:
    """``X`` itself when it is already a canonical 0/1 float CSR matrix (read-only use), else :func:`as_boolean`.

    The table code reads the same 9-million-entry matrix a dozen times; copying it each time was
    a large share of the stage's time and memory.
    """
    if (
        isinstance(X, sp.csr_matrix)
        and X.dtype == np.float64
        and X.has_canonical_format
        and bool(np.all(X.data == 1.0))
    ):
        return X
    return as_boolean(X)
