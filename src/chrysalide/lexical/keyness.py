"""Characteristic terms and specificities: signed chi-square / hypergeometric tests per (term, group).

Variant A (segment presence, IRaMuTeQ's class profiles, Ratinaud; Reinert 1990): 2 x 2 table of the
segments of the group containing the term vs the other segments. Variant B (token counts, rainette's
``rainette_stats`` through quanteda's ``textstat_keyness``): term count vs all other tokens, Yates
correction only when ``|ad - bc| >= N/2`` and some expected cell is below 5. Lafon's (1980)
hypergeometric specificity is given with variant A. REINERT.md section 8.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import special, stats

from chrysalide.lexical.matrix import boolean_view


def _missing(values: pd.Series) -> np.ndarray:
    """Missing groups: None / NaN, and negative integers (-1 = unclassified), without a per-element loop."""
    missing = values.isna().to_numpy()
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "integer":
        missing[~missing] = values[~missing].astype(np.int64).to_numpy() < 0
    elif kind in ("mixed-integer", "mixed-integer-float", "mixed"):
        # rare mixed input: ints (only those can be the -1 marker) found by type, element by element
        is_int = np.fromiter((isinstance(v, int | np.integer) for v in values), dtype=bool, count=len(values))
        is_int &= ~missing
        missing[is_int] = values[is_int].astype(np.int64).to_numpy() < 0
    return missing


def _indicator(groups: Any) -> tuple[sp.csr_matrix, np.ndarray]:
    """Groups x rows indicator over the rows with a group; missing values (None, NaN, -1 ints) are skipped.

    A categorical Series (``variables.segment_variables``) is used through its integer codes.
    """
    if isinstance(getattr(groups, "dtype", None), pd.CategoricalDtype):
        cat = pd.Categorical(groups).remove_unused_categories()
        cat_codes = cat.codes.astype(np.int64)
        rows = np.flatnonzero(cat_codes >= 0)
        ind = sp.csr_matrix((np.ones(rows.size), (cat_codes[rows], rows)), shape=(len(cat.categories), len(cat_codes)))
        return ind, np.asarray(cat.categories, dtype=object)
    values = pd.Series(groups, dtype=object)
    missing = _missing(values)
    codes, levels = pd.factorize(values.where(~missing), sort=True)
    ok = codes >= 0
    ind = sp.csr_matrix((np.ones(int(ok.sum())), (codes[ok], np.flatnonzero(ok))), shape=(len(levels), len(values)))
    return ind, np.asarray(levels, dtype=object)


def classified(labels: np.ndarray) -> np.ndarray:
    """Labels as an object array where -1 (unclassified) becomes None, the missing-group marker."""
    groups = np.asarray(labels).astype(object)
    groups[np.asarray(labels) < 0] = None
    return groups


def label_indicator(groups: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """Indicator of integer labels (-1 skipped) without the object round trip of :func:`_indicator`."""
    labels = np.asarray(groups, dtype=np.int64)
    ok = np.flatnonzero(labels >= 0)
    levels, codes = np.unique(labels[ok], return_inverse=True)
    ind = sp.csr_matrix((np.ones(ok.size), (codes, ok)), shape=(levels.size, labels.size))
    return ind, levels


def chi2_2x2(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, *, yates: np.ndarray | bool = False
) -> np.ndarray:
    """Signed Pearson chi-square of 2 x 2 tables [[a, b], [c, d]]; negative when ``a`` is below expectation."""
    a, b, c, d = (np.asarray(v, dtype=np.float64) for v in (a, b, c, d))
    n = a + b + c + d
    diff = np.abs(a * d - b * c)
    diff = np.where(yates, np.maximum(diff - n / 2.0, 0.0), diff)
    den = (a + b) * (c + d) * (a + c) * (b + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where(den > 0, n * diff**2 / den, 0.0)
    return np.where(a * d < b * c, -chi, chi)


def g2_2x2(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Signed log-likelihood G2 of 2 x 2 tables [[a, b], [c, d]] (Dunning 1993; the keyness statistic of Rayson &
    Garside 2000): 2 sum O ln(O / E), 0 ln 0 = 0; negative when ``a`` is below expectation. Unlike Pearson's
    chi-square it does not inflate a rare term's few occurrences (Dunning 1993)."""
    a, b, c, d = (np.asarray(v, dtype=np.float64) for v in (a, b, c, d))
    n = a + b + c + d
    cells = ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d))
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2.0 * sum(np.where(o > 0, o * np.log(o * n / (row * col)), 0.0) for o, row, col in cells)
    return np.where(a * d < b * c, -g2, g2)


def hypergeom_log10_tail(x: np.ndarray, n: float, k: np.ndarray, draws: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """log10 of P(X >= x) where ``upper`` else P(X <= x), X ~ hypergeometric(n, k successes, draws).

    scipy's ``hypergeom.logsf`` takes seconds per thousand cells at corpus sizes; here the tail is summed
    from ``x`` outwards with the pmf ratio recurrence, in log space at its start, stopping when the terms
    fall below 1e-17 of the running sum (the pmf decays faster than geometrically past the mode).
    """
    x, k, draws = (np.asarray(v, dtype=np.float64).ravel() for v in (x, k, draws))
    up = np.asarray(upper, dtype=bool).ravel()
    logpmf = (
        special.gammaln(k + 1)
        - special.gammaln(x + 1)
        - special.gammaln(k - x + 1)
        + special.gammaln(n - k + 1)
        - special.gammaln(draws - x + 1)
        - special.gammaln(n - k - draws + x + 1)
        - special.gammaln(n + 1)
        + special.gammaln(draws + 1)
        + special.gammaln(n - draws + 1)
    )
    total = np.ones_like(x)
    term = np.ones_like(x)
    cur = x.copy()
    active = np.flatnonzero(np.ones_like(x, dtype=bool))
    while active.size:
        c, kk, dd, u = cur[active], k[active], draws[active], up[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                u,
                (kk - c) * (dd - c) / ((c + 1) * (n - kk - dd + c + 1)),
                c * (n - kk - dd + c) / ((kk - c + 1) * (dd - c + 1)),
            )
        ratio = np.nan_to_num(np.clip(ratio, 0.0, None))
        term[active] *= ratio
        total[active] += term[active]
        cur[active] = np.where(u, c + 1, c - 1)
        active = active[term[active] > 1e-17 * total[active]]
    return ((logpmf + np.log(total)) / np.log(10.0)).reshape(np.shape(upper))


def specificities(X: Any, groups: Sequence[object] | np.ndarray | pd.Series, terms: Sequence[str]) -> pd.DataFrame:
    """Tidy table of every (group, term): presence counts, signed chi-square, p-value, specificity.

    Rows whose group is missing are left out (for classes: unclassified segments, as IRaMuTeQ).
    Columns: group, term, freq (group segments containing the term), total (all such segments),
    share (freq / group size: rainette's ``docprop``), pct (freq / total: share of the term's
    segments that fall in the group), chi2 (signed), p_value (chi-square, 1 df), specificity
    (Lafon: -log10 P(X >= freq) when over-represented, +log10 P(X <= freq) when under-represented).
    """
    Xb = boolean_view(X)
    if Xb.shape[1] != len(terms):
        raise ValueError(f"{len(terms)} terms for a matrix of {Xb.shape[1]} columns")
    categorical = isinstance(getattr(groups, "dtype", None), pd.CategoricalDtype)
    ind, levels = _indicator(groups if categorical else np.asarray(groups, dtype=object))
    if ind.shape[1] != Xb.shape[0]:
        raise ValueError(f"{ind.shape[1]} groups for a matrix of {Xb.shape[0]} rows")
    counts = np.asarray((ind @ Xb).todense())  # groups x terms
    return count_specificities(counts, np.asarray(ind.sum(axis=1)).ravel(), levels, terms)


def count_specificities(
    counts: np.ndarray, group_sizes: np.ndarray, levels: Sequence[object] | np.ndarray, terms: Sequence[str]
) -> pd.DataFrame:
    """:func:`specificities` from its counts: ``counts[g, j]`` rows of group ``g`` containing term ``j``.

    ``group_sizes`` are the rows of each group; the rows of all groups are the reference population.
    """
    counts = np.asarray(counts, dtype=np.float64)
    n_group = np.asarray(group_sizes, dtype=np.float64).ravel()[:, None]
    levels = np.asarray(levels, dtype=object)
    total = counts.sum(axis=0, keepdims=True)
    n = float(n_group.sum())
    a, b = counts, total - counts
    c, d = n_group - a, (n - n_group) - b
    chi = chi2_2x2(a, b, c, d)
    over = a * n > total * n_group
    spec = hypergeom_log10_tail(a, n, np.broadcast_to(total, a.shape), np.broadcast_to(n_group, a.shape), over)
    spec = np.where(over, -spec, spec)
    k, p = counts.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "group": np.repeat(levels, p),
                "term": np.tile(np.asarray(terms, dtype=object), k),
                "freq": a.ravel().astype(np.int64),
                "total": np.broadcast_to(total, (k, p)).ravel().astype(np.int64),
                "share": (a / n_group).ravel(),
                "pct": np.where(total > 0, a / total, 0.0).ravel(),
                "chi2": chi.ravel(),
                "p_value": stats.chi2.sf(np.abs(chi), 1).ravel(),
                "specificity": spec.ravel(),
            }
        )


def class_terms(
    X: Any, labels: np.ndarray, terms: Sequence[str], *, n_terms: int = 15, max_p: float = 0.05, negative: bool = False
) -> pd.DataFrame:
    """Characteristic terms of each class (variant A), strongest first, ``labels == -1`` left out."""
    labels = np.asarray(labels)
    table = specificities(X, classified(labels), terms).rename(columns={"group": "class"})
    table = table[(table["p_value"] <= max_p) & ((table["chi2"] > 0) | negative)]
    table = table.assign(_abs=table["chi2"].abs()).sort_values(["class", "_abs", "term"], ascending=[True, False, True])
    return table.groupby("class", sort=True).head(n_terms).drop(columns="_abs").reset_index(drop=True)


def _token_chi2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """quanteda's keyness chi-square from term counts in the target (``a``) and elsewhere (``b``), per term."""
    c, d = a.sum(axis=-1, keepdims=True) - a, b.sum(axis=-1, keepdims=True) - b
    n = a + b + c + d
    exp = np.stack([(a + b) * (a + c), (a + b) * (b + d), (c + d) * (a + c), (c + d) * (b + d)]) / n
    yates = (np.abs(a * d - b * c) >= n / 2.0) & (exp < 5).any(axis=0)
    return chi2_2x2(a, b, c, d, yates=yates)


def token_chi2(counts: Any, labels: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Variant B chi-square of every class of ``classes`` (rows) and term (columns), one sparse product.

    Same values as :func:`token_keyness` for each class (integer counts, so the sums are exact).
    """
    mat = sp.csr_matrix(counts, dtype=np.float64)
    labels = np.asarray(labels)
    code = np.searchsorted(classes, labels).clip(0, max(classes.size - 1, 0))
    ok = np.flatnonzero((classes.size > 0) & (classes[code] == labels))
    ind = sp.csr_matrix((np.ones(ok.size), (code[ok], ok)), shape=(classes.size, labels.size))
    a = np.asarray((ind @ mat).todense())
    total = np.asarray(mat.sum(axis=0)).ravel()
    return _token_chi2(a, total[None, :] - a)


def token_keyness(counts: Any, labels: np.ndarray, terms: Sequence[str], target: int) -> pd.DataFrame:
    """Variant B: token-count keyness of one class against all other rows (unclassified ones included).

    Reproduces quanteda's ``textstat_keyness(measure = "chi2", correction = "default")`` as rainette uses
    it: table (term count in target, elsewhere; other tokens in target, elsewhere).
    """
    mat = sp.csr_matrix(counts, dtype=np.float64)
    in_target = np.asarray(labels) == target
    a = np.asarray(mat[in_target].sum(axis=0)).ravel()
    b = np.asarray(mat[~in_target].sum(axis=0)).ravel()
    chi = _token_chi2(a, b)
    out = pd.DataFrame(
        {"term": list(terms), "chi2": chi, "p_value": stats.chi2.sf(np.abs(chi), 1), "n_target": a, "n_reference": b}
    )
    return out.sort_values("chi2", ascending=False, kind="stable").reset_index(drop=True)


def typical_segments(X: Any, labels: np.ndarray, terms: Sequence[str], *, n: int = 10) -> pd.DataFrame:
    """Most typical rows of each class: sum of the positive class chi-squares of their terms (IRaMuTeQ).

    A row whose set of terms is that of a more typical row of its class is passed over: the same text posted
    twice (a cross-post, a copied reply, the same post with its markup changed) would otherwise fill the
    list with copies (r/covidlonghaulers: 7 of one class's 20 typical segments were copies of others).
    """
    Xb = boolean_view(X)
    labels = np.asarray(labels)
    table = specificities(Xb, classified(labels), terms)
    classes = np.unique(labels[labels >= 0])
    weights = table.pivot(index="group", columns="term", values="chi2").reindex(index=classes, columns=list(terms))
    scores = Xb @ np.clip(weights.to_numpy(), 0.0, None).T  # rows x classes
    rows: list[dict[str, Any]] = []
    for j, cls in enumerate(classes):
        members = np.flatnonzero(labels == cls)
        ranked = members[np.lexsort((members, -scores[members, j]))]
        rows.extend(dict(**{"class": int(cls)}, row=r, score=float(scores[r, j])) for r in _distinct(Xb, ranked, n))
    out = pd.DataFrame(rows, columns=["class", "row", "score"])
    out["rank"] = out.groupby("class").cumcount() + 1
    return out


def _distinct(Xb: sp.csr_matrix, ranked: np.ndarray, n: int) -> list[int]:
    """The first ``n`` rows of ``ranked`` whose sets of terms differ from those of the rows kept before them."""
    seen: set[bytes] = set()
    kept: list[int] = []
    for r in ranked:
        terms = Xb.indices[Xb.indptr[r] : Xb.indptr[r + 1]].tobytes()
        if terms not in seen:
            seen.add(terms)
            kept.append(int(r))
            if len(kept) == n:
                break
    return kept


def crosstab(
    labels: Sequence[object] | np.ndarray, variable: Sequence[object] | np.ndarray | pd.Series
) -> dict[str, Any]:
    """Class x variable table: counts, signed 2 x 2 chi-square per cell, and the global chi-square test.

    Rows with a missing class (None, NaN, negative integer) or a missing value are left out.
    """
    cls = pd.Series(np.asarray(labels, dtype=object), dtype=object)
    categorical = isinstance(getattr(variable, "dtype", None), pd.CategoricalDtype)
    val = (
        pd.Series(variable).reset_index(drop=True)
        if categorical
        else pd.Series(np.asarray(variable, dtype=object), dtype=object)
    )
    if categorical:
        val = val.cat.remove_unused_categories()
    keep = ~(_missing(cls) | val.isna().to_numpy())
    rc, rows_ = pd.factorize(cls[keep], sort=True)
    vc, cols_ = pd.factorize(val[keep], sort=True)
    a = np.bincount(rc * len(cols_) + vc, minlength=len(rows_) * len(cols_)).reshape(len(rows_), len(cols_))
    table = pd.DataFrame(a, index=pd.Index(rows_, name="class"), columns=pd.Index(cols_, name="value"))
    a = a.astype(np.float64)
    rows, cols, n = a.sum(axis=1, keepdims=True), a.sum(axis=0, keepdims=True), a.sum()
    cell = chi2_2x2(a, rows - a, cols - a, n - rows - cols + a)
    test = stats.chi2_contingency(a, correction=False) if min(a.shape) > 1 else None
    return dict(
        counts=table,
        chi2=pd.DataFrame(cell, index=table.index, columns=table.columns),
        statistic=float(test.statistic) if test else 0.0,
        dof=int(test.dof) if test else 0,
        p_value=float(test.pvalue) if test else 1.0,
    )
