"""The ``lexical`` stage: Reinert classification of the stored segments, and every table read from it.

Reads ``segments`` (filled by ``chrysalide text``), builds the boolean segment x term matrix, fits a
simple or double classification (REINERT.md sections 4-7) and stores, under one run of the stage
``lexical``, the tables of migration 0004 (docs/lexical.md). Earlier runs stay in the tables.

Incremental: on unchanged data with the same parameters the newest run is returned (``up_to_date``);
when segments were added, they join the classes of the newest run (``chrysalide.lexical.update``)
unless ``refit`` asks for a new classification.
"""

from __future__ import annotations

import json
import resource
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chrysalide import __version__
from chrysalide.errors import ConfigError, StoreError
from chrysalide.lexical import tables
from chrysalide.lexical.double import DoubleReinertClassifier
from chrysalide.lexical.keyness import crosstab
from chrysalide.lexical.matrix import sql_matrices
from chrysalide.lexical.reinert import ReinertClassifier
from chrysalide.lexical.update import Partition, base_run, extend
from chrysalide.lexical.variables import VARIABLES, segment_variables
from chrysalide.store import Store
from chrysalide.store.state import unchanged_run

SWITCHING = ("best", "rainette", "none")
SHOWN_TERMS = 10  # characteristic terms per class in the returned summary (the CLI table)


_ORDER = "ORDER BY s.message_id, s.seq, s.segment_id"  # corpus order; the segment id breaks any tie


def load_segments(
    store: Store, lang: str | None = None, *, min_docfreq: int = 1, max_terms: int | None = None
) -> tuple[pd.DataFrame, sp.csr_matrix, sp.csr_matrix, list[str]]:
    """Segments in corpus order (message, seq), maybe of one language, and their matrices.

    Returns the segment_id and message_id of each row, the boolean segment x term matrix, the token
    counts over the same terms (variant B keyness) and the terms. The terms strings are split and
    mapped to columns inside DuckDB (``matrix.sql_matrices``): they never reach Python.
    """
    if not store.count("segments"):
        raise StoreError(f"{store.path}: no text segments (run `chrysalide text` first)")
    where, params = ("WHERE m.lang = ?", [lang]) if lang else ("", [])
    source = f"FROM segments s JOIN messages m USING (message_id) {where}"
    frame = store.con.execute(f"SELECT s.segment_id, s.message_id {source} {_ORDER}", params).df()
    if frame.empty:
        langs = store.con.execute(
            "SELECT coalesce(m.lang, 'und'), count(*) FROM segments s JOIN messages m USING (message_id)"
            " GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        found = ", ".join(f"{lg} ({n})" for lg, n in langs) or "none"
        raise StoreError(f"{store.path}: no segment of a message in language {lang!r}; segments per language: {found}")
    sql = f"SELECT row_number() OVER ({_ORDER}) - 1 AS row, s.terms {source}"
    X, C, terms = sql_matrices(store.con, sql, len(frame), params, min_docfreq=min_docfreq, max_terms=max_terms)
    return frame, X, C, terms


def sample_rows(message_id: np.ndarray, sample: int, seed: int) -> np.ndarray:
    """Row indices of a seeded random sample of whole messages totalling at least ``sample`` segments.

    Whole messages, so that merging short segments (``min_segment_size``) joins the same neighbours
    as on the full corpus; indices come back in corpus order.
    """
    ids, first, counts = np.unique(message_id, return_index=True, return_counts=True)
    if counts.sum() <= sample:
        return np.arange(message_id.size)
    order = np.random.default_rng(seed).permutation(ids.size)
    take = order[: int(np.searchsorted(np.cumsum(counts[order]), sample)) + 1]
    rows = np.concatenate([np.arange(first[i], first[i] + counts[i]) for i in np.sort(take)])
    return rows.astype(np.int64)


def _fit(
    X: sp.csr_matrix, doc_id: np.ndarray, rows: np.ndarray, params: dict[str, Any]
) -> tuple[ReinertClassifier | DoubleReinertClassifier, dict[int, np.ndarray], list[str]]:
    """Fit on ``rows`` and return the model, labels of every segment per level, and caught warnings."""
    sub, docs = X[rows], doc_id[rows]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if params["double"]:
            model: Any = DoubleReinertClassifier(
                params["max_k"],
                min_segment_size1=params["min_segment_size1"],
                min_segment_size2=params["min_segment_size2"],
                switching=params["switching"],
            )
            try:
                model.fit(sub, docs)
            except ValueError as exc:
                raise ConfigError(
                    f"double classification: {exc} (lower --min-segment-size1/2 or --max-k, or use the simple one)"
                ) from exc
            levels = dict(model.partitions_)
        else:
            model = ReinertClassifier(
                params["k"], min_segment_size=params["min_segment_size"], switching=params["switching"]
            ).fit(sub, docs)
            levels = dict(model.levels_)
    if rows.size < X.shape[0]:
        levels = {k: tables.assign_nearest(X, rows, lab) for k, lab in levels.items()}
    return model, levels, sorted({str(w.message) for w in caught})


def lexical(
    store: Store,
    *,
    k: int = 10,
    double: bool = False,
    max_k: int = 5,
    min_segment_size: int = 0,
    min_segment_size1: int = 10,
    min_segment_size2: int = 15,
    min_docfreq: int = 10,
    max_terms: int | None = 4000,
    switching: str = "best",
    lang: str | None = None,
    sample: int | None = None,
    seed: int = 0,
    variables: Sequence[str] = VARIABLES,
    refit: bool = False,
) -> dict[str, Any]:
    """Classify the stored segments (Reinert), store classes, terms, CA, specificities; return a summary.

    ``double`` runs the double classification (``max_k``, ``min_segment_size1/2``) instead of the
    simple one (``k``, ``min_segment_size``). ``sample`` classifies a seeded random sample of whole
    messages totalling about that many segments and gives every other segment the class of the
    nearest class profile (the bounded-memory path, REINERT.md section 11); without it everything is
    classified. ``variables`` are those used for specificities and cross tables (absent ones skipped).
    Without ``refit``, unchanged data returns the newest run and a few new segments join its classes
    (module docstring); ``refit`` classifies every segment again.
    """
    params: dict[str, Any] = dict(
        k=k, double=double, max_k=max_k, min_segment_size=min_segment_size, min_segment_size1=min_segment_size1,
        min_segment_size2=min_segment_size2, min_docfreq=min_docfreq, max_terms=max_terms, switching=switching,
        lang=lang, sample=sample, seed=seed, variables=list(variables),
    )  # fmt: skip
    _check(params)
    component = f"reinert/{__version__}"
    done, inputs = unchanged_run(store, "lexical", component, params, upstream=("journeys",))
    if done is not None and not refit:
        return _stored(store, done)
    timings: dict[str, float] = {}
    tic = time.perf_counter()
    segments, X, C, terms = load_segments(store, lang, min_docfreq=min_docfreq, max_terms=max_terms)
    store.release_memory()  # the term pairs of the matrix query: about 500 MB at the study's size
    live = int(np.count_nonzero(np.diff(X.indptr)))
    if len(terms) < 3 or live < 3:
        raise ConfigError(
            f"only {len(terms)} terms occur in at least {min_docfreq} segments ({live} of {len(segments)} segments"
            " keep a term): lower --min-docfreq, or run on more messages"
        )
    timings["matrix"] = time.perf_counter() - tic
    seg_ids = segments["segment_id"].to_numpy()
    base, why = (None, "--refit") if refit else base_run(store, params, seg_ids)
    with store.run("lexical", component, params, inputs=inputs) as run:
        tic = time.perf_counter()
        if base is not None:
            fit = extend(store, base, X, seg_ids)
        else:
            fit = _fit_all(X, segments["message_id"].to_numpy(), params)
        timings["classification"] = time.perf_counter() - tic
        tic = time.perf_counter()
        out = _tables(store, X, C, fit, terms, segments, variables)
        timings["tables"] = time.perf_counter() - tic
        _write(store, run.run_id, out["frames"])
        summary = _summary(segments, X, fit, out)
        summary.update(
            classes_from=fit.base_run or run.run_id, assigned_new=fit.assigned, why=why,
            timings={k: round(v, 3) for k, v in timings.items()}, peak_rss_mb=_peak_rss_mb(),
        )  # fmt: skip
        run.summary.update({k: v for k, v in summary.items() if k != "classes"})
    return {"run_id": run.run_id, "params": params, **summary}


def _fit_all(X: sp.csr_matrix, doc_id: np.ndarray, params: dict[str, Any]) -> Partition:
    """A new classification of every segment (or of the ``sample``, the others assigned)."""
    rows = sample_rows(doc_id, params["sample"], params["seed"]) if params["sample"] else np.arange(X.shape[0])
    model, levels, caught = _fit(X, doc_id, rows, params)
    if not levels:
        raise ConfigError("the classification found fewer than 2 classes: lower --min-docfreq or the UC sizes")
    sampled = np.zeros(X.shape[0], dtype=bool)
    sampled[rows] = True
    classes = (
        tables.double_table(model, levels)
        if isinstance(model, DoubleReinertClassifier)
        else tables.tree_table(model, levels)
    )
    return Partition(levels[max(levels)], sampled, classes, list(getattr(model, "splits_", [])), warnings=caught)


def _stored(store: Store, run_id: int) -> dict[str, Any]:
    """What :func:`lexical` returned for a stored run (the data has not changed since)."""
    row = store.con.execute("SELECT params FROM runs WHERE run_id = ?", [run_id]).fetchone()
    final = store.con.execute(
        "SELECT * EXCLUDE (run_id) FROM lexical_classes WHERE run_id = ? AND k = (SELECT max(k) FROM lexical_classes WHERE run_id = ?)"
        " ORDER BY class",
        [run_id, run_id],
    ).df()
    terms = store.con.execute(
        "SELECT class, term, chi2 FROM class_terms WHERE run_id = ? AND chi2 > 0 ORDER BY class, chi2 DESC, term",
        [run_id],
    ).df()
    summary = store.run_summary(run_id)
    return {"run_id": run_id, "params": json.loads(row[0]) if row else {}, **summary,
            "classes": _classes(final, terms), "up_to_date": True}  # fmt: skip


def _peak_rss_mb() -> float:
    """Peak resident memory of the process so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _check(params: dict[str, Any]) -> None:
    if params["switching"] not in SWITCHING:
        raise ConfigError(f"--switching must be one of {', '.join(SWITCHING)}, got {params['switching']!r}")
    if params["k"] < 1 or params["max_k"] < 2:
        raise ConfigError(f"--k must be >= 1 and --max-k >= 2 (got {params['k']} and {params['max_k']})")
    if params["min_docfreq"] < 1 or (params["max_terms"] is not None and params["max_terms"] < 3):
        raise ConfigError("--min-docfreq must be >= 1 and --max-terms >= 3")
    if params["sample"] is not None and params["sample"] < 10:
        raise ConfigError(f"--sample must be at least 10 segments, got {params['sample']}")
    unknown = sorted(set(params["variables"]) - set(VARIABLES))
    if unknown:
        raise ConfigError(f"unknown variables {unknown}; known: {', '.join(VARIABLES)}")


def _tables(
    store: Store,
    X: sp.csr_matrix,
    C: sp.csr_matrix,
    fit: Partition,
    terms: list[str],
    segments: pd.DataFrame,
    variables: Sequence[str],
) -> dict[str, Any]:
    """Every stored table of the run as DataFrames (``frames``), plus the cross-table tests and skips."""
    seg_ids = segments["segment_id"].to_numpy()
    labels = fit.labels
    shown = np.where(labels >= 0, labels + 1, -1)
    frames: dict[str, pd.DataFrame] = {
        "lexical_classes": fit.classes,
        "class_terms": tables.class_term_table(X, C, labels, terms),
        "segment_classes": pd.DataFrame({"segment_id": seg_ids, "class": shown, "sampled": fit.sampled}),
        "typical_segments": tables.typical_table(X, labels, terms, seg_ids),
        "ca_coordinates": tables.ca_table(X, labels, terms),
    }
    usable, skipped = segment_variables(store, segments["message_id"], variables)
    specs, crosses, tests = [], [], {}
    for name, values in usable.items():
        specs.append(tables.specificity_table(X, values, terms).assign(variable=name))
        table = crosstab(shown, values)
        long = table["counts"].stack().rename("n").to_frame().join(table["chi2"].stack().rename("chi2"))
        long = long.reset_index()
        crosses.append(long.assign(variable=name, value=long["value"].astype(str)))
        tests[name] = {"statistic": table["statistic"], "dof": table["dof"], "p_value": table["p_value"]}
    empty_spec = pd.DataFrame(columns=["variable", "value", "term", "chi2", "p_value", "freq", "total", "share"])
    frames["lexical_specificities"] = (
        pd.concat(specs, ignore_index=True) if specs else empty_spec.assign(specificity=0.0)
    )
    frames["class_crosstab"] = (
        pd.concat(crosses, ignore_index=True)
        if crosses
        else pd.DataFrame(columns=["variable", "value", "class", "n", "chi2"])
    )
    return {"frames": frames, "crosstab_tests": tests, "skipped": skipped}


def _write(store: Store, run_id: int, frames: dict[str, pd.DataFrame]) -> None:
    """Insert every frame under ``run_id`` in one transaction (set-based INSERT from registered frames)."""
    con = store.con
    con.begin()
    try:
        for table, frame in frames.items():
            store.insert_run_rows(table, run_id, frame)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _classes(final: pd.DataFrame, terms: pd.DataFrame) -> list[dict[str, Any]]:
    """Size, share and strongest characteristic terms of each final class (class_terms sorted by chi2)."""
    classes = []
    for rec in final.itertuples(index=False):
        top = terms[(terms["class"] == rec[1]) & (terms["chi2"] > 0)].head(SHOWN_TERMS)
        classes.append(
            dict(
                **{"class": int(rec[1])},
                size=int(rec.size),
                share=float(rec.share),
                terms=[dict(term=t, chi2=float(c)) for t, c in zip(top["term"], top["chi2"], strict=True)],
            )
        )
    return classes


def _summary(segments: pd.DataFrame, X: sp.csr_matrix, fit: Partition, out: dict[str, Any]) -> dict[str, Any]:
    """Counts of the run and, per class, its size, share and strongest characteristic terms."""
    frames = out["frames"]
    final = frames["lexical_classes"]
    classes = _classes(final[final["k"] == final["k"].max()], frames["class_terms"])
    eig = frames["ca_coordinates"]
    eig = eig[eig["kind"] == "axis"]
    labels = fit.labels
    return dict(
        segments=len(segments),
        messages=int(segments["message_id"].nunique()),
        terms=int(X.shape[1]),
        classified_rows=int(fit.sampled.sum()),
        classified=int((labels >= 0).sum()),
        unclassified=int((labels < 0).sum()),
        classified_share=float((labels >= 0).mean()),
        k=len(classes),  # classes obtained (params["k"] is the number asked for)
        splits=fit.splits,
        ca_inertia_share=[float(v) for v in eig["axis2"]],
        variables=sorted(out["crosstab_tests"]),
        variables_skipped=out["skipped"],
        crosstab_tests=out["crosstab_tests"],
        warnings=fit.warnings,
        classes=classes,
    )
