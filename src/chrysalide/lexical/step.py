"""The ``lexical`` step: Reinert classification of the stored segments, and every table read from it.

Reads ``segments`` (filled by ``chrysalide text``), builds the boolean segment x term matrix, fits a
simple or double classification (REINERT.md sections 4-7) and stores, under one run of the step
``lexical``, the tables of migration 0004 (docs/lexical.md). Earlier runs stay in the tables.

Incremental: on unchanged data with the same parameters the newest run is returned (``up_to_date``);
when segments were added, they join the classes of the newest run (``chrysalide.lexical.update``)
unless ``refit`` asks for a new classification.
"""

from __future__ import annotations

import resource
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chrysalide.distributed.executor import Progress
from chrysalide.errors import ConfigError, StoreError
from chrysalide.lexical import tables
from chrysalide.lexical.double import DoubleReinertClassifier
from chrysalide.lexical.keyness import crosstab
from chrysalide.lexical.matrix import sql_matrices
from chrysalide.lexical.reinert import ReinertClassifier
from chrysalide.lexical.switching import Switching
from chrysalide.lexical.update import Partition, base_run, extend
from chrysalide.lexical.variables import VARIABLES, segment_variables
from chrysalide.store import Store
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step

SWITCHING = ("best", "rainette", "none")
SHOWN_TERMS = 10  # characteristic terms per class in the returned summary (the CLI table)
TABLE_PHASES = 4  # class profiles, typical segments, CA, variables (_tables)


class Phases:
    """The phases of a run done so far, reported as ``progress(done, total)``; silent without ``progress``."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        if progress is not None:
            progress(0, total)

    def reach(self, done: int) -> None:
        if done != self.done and self.progress is not None:
            self.progress(done, self.total)
        self.done = done

    def step(self) -> None:
        self.reach(self.done + 1)


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
    X: sp.csr_matrix, doc_id: np.ndarray, rows: np.ndarray, params: LexicalParams, on_split: Callable[[int], None]
) -> tuple[ReinertClassifier | DoubleReinertClassifier, dict[int, np.ndarray], list[str]]:
    """Fit on ``rows`` and return the model, labels of every segment per level, and caught warnings."""
    sub, docs = X[rows], doc_id[rows]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if params.double:
            model: Any = DoubleReinertClassifier(
                params.max_k,
                min_segment_size1=params.min_segment_size1,
                min_segment_size2=params.min_segment_size2,
                switching=params.switching,
                cc_test=params.cc_test,
                tsj=params.tsj,
            )
            try:
                model.fit(sub, docs, on_split=on_split)
            except ValueError as exc:
                raise ConfigError(
                    f"double classification: {exc} (lower --min-segment-size1/2 or --max-k, or use the simple one)"
                ) from exc
            levels = dict(model.partitions_)
        else:
            model = ReinertClassifier(
                params.k, min_segment_size=params.min_segment_size, min_split_members=params.min_split_members,
                cc_test=params.cc_test, tsj=params.tsj, switching=params.switching,
            ).fit(sub, docs, on_split=on_split)  # fmt: skip
            levels = dict(model.levels_)
    if rows.size < X.shape[0]:
        levels = {k: tables.assign_nearest(X, rows, lab) for k, lab in levels.items()}
    return model, levels, sorted({str(w.message) for w in caught})


@dataclass(frozen=True)
class LexicalParams(Params):
    """The classification (REINERT.md; docs/lexical.md explains each) and the matrix it runs on.

    Simple classification: ``k`` terminal classes, ``min_segment_size`` (merge short segments into
    units of at least this many terms), ``min_split_members``, ``cc_test`` and ``tsj`` (rainette's
    ``min_split_members``, ``cc_test``, ``tsj``), ``switching`` (``best``, ``rainette`` or ``none``).
    Double classification (``double``): ``max_k``, ``min_segment_size1`` and ``min_segment_size2``. Matrix:
    terms in at least ``min_docfreq`` segments, the ``max_terms`` most frequent; ``lang`` keeps the segments of
    one language. ``sample`` classifies a seeded (``seed``) random sample of whole messages of about that many
    segments and gives the others the nearest class profile. ``variables`` are crossed with the classes.
    """

    k: int = 10
    double: bool = False
    max_k: int = 5
    min_segment_size: int = 0
    min_segment_size1: int = 10
    min_segment_size2: int = 15
    min_split_members: int = 5
    cc_test: float = 0.3
    tsj: int = 3
    min_docfreq: int = 10
    max_terms: int | None = 4000
    switching: Switching = "best"
    lang: str | None = None
    sample: int | None = None
    seed: int = 0
    variables: tuple[str, ...] = VARIABLES

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        _check(self)


class LexicalStep(Step[LexicalParams]):
    """Reinert classification of the segments, with terms, CA, typical segments, specificities, cross tables."""

    name = "lexical"
    version = "reinert/1"
    reads = ("segments", "messages", "members", "threads", "current_codes")
    after = ("text", "journeys")
    writes = (
        "lexical_classes", "class_terms", "segment_classes", "typical_segments", "ca_coordinates",
        "lexical_specificities", "class_crosstab",
    )  # fmt: skip

    def __init__(self, params: LexicalParams, *, refit: bool = False, progress: Progress | None = None) -> None:
        self.params = params
        self.refit = refit
        self.progress = progress

    @property
    def component(self) -> str:
        from chrysalide import __version__

        return f"reinert/{__version__}"

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        p = self.params
        splits = 2 * (p.max_k - 1) if p.double else p.k - 1
        phases = Phases(1 + splits + TABLE_PHASES, self.progress)  # the matrix, each split, the tables
        timings: dict[str, float] = {}
        tic = time.perf_counter()
        segments, X, C, terms = load_segments(store, p.lang, min_docfreq=p.min_docfreq, max_terms=p.max_terms)
        store.release_memory()  # the term pairs of the matrix query: about 500 MB at the study's size
        live = int(np.count_nonzero(np.diff(X.indptr)))
        if len(terms) < 3 or live < 3:
            raise ConfigError(
                f"only {len(terms)} terms occur in at least {p.min_docfreq} segments ({live} of {len(segments)}"
                " segments keep a term): lower --min-docfreq, or run on more messages"
            )
        timings["matrix"] = time.perf_counter() - tic
        phases.reach(1)
        seg_ids = segments["segment_id"].to_numpy()
        base, why = (None, "--refit") if self.refit else base_run(store, self.get_params(), seg_ids)
        tic = time.perf_counter()
        if base is not None:  # new segments join the classes of a run: no split
            phases.total -= splits
            fit = extend(store, base, X, seg_ids)
        else:
            fit = _fit_all(X, segments["message_id"].to_numpy(), p, phases)
        timings["classification"] = time.perf_counter() - tic
        phases.reach(phases.total - TABLE_PHASES)  # a classification may stop before its k - 1 splits
        tic = time.perf_counter()
        out = _tables(store, X, C, fit, terms, segments, p.variables, phases.step)
        timings["tables"] = time.perf_counter() - tic
        summary = _summary(segments, X, fit, out)
        summary.update(
            classes_from=fit.base_run or run.run_id, assigned_new=fit.assigned, why=why,
            timings={k: round(v, 3) for k, v in timings.items()}, peak_rss_mb=_peak_rss_mb(),
        )  # fmt: skip
        summary.pop("classes")  # in the tables: final_classes(store, run_id)
        run.summary.update(summary)
        yield from out["frames"].items()


def lexical(
    store: Store,
    params: LexicalParams | None = None,
    *,
    refit: bool = False,
    progress: Progress | None = None,
    **options: Any,
) -> StepResult:
    """Classify the stored segments (Reinert) and store every table read from the classes.

    ``options`` are :class:`LexicalParams` fields. Without ``refit``, unchanged data returns the newest run
    and a few new segments join its classes (module docstring); ``refit`` classifies every segment again.
    ``progress(done, total)`` counts the phases: the matrix, each split, then the class profiles, typical
    segments, CA and variables (:class:`Phases`).
    """
    if "variables" in options:
        options["variables"] = tuple(options["variables"])
    step = LexicalStep(Params.build(LexicalParams, params, options), refit=refit, progress=progress)
    return run_step(store, step, force=refit)


def final_classes(store: Store, run_id: int, shown_terms: int = SHOWN_TERMS) -> list[dict[str, Any]]:
    """Size, share and strongest characteristic terms of each class of a run's final partition."""
    final = store.con.execute(
        "SELECT * EXCLUDE (run_id) FROM lexical_classes WHERE run_id = ?"
        " AND k = (SELECT max(k) FROM lexical_classes WHERE run_id = ?) ORDER BY class",
        [run_id, run_id],
    ).df()
    terms = store.con.execute(
        "SELECT class, term, chi2 FROM class_terms WHERE run_id = ? AND chi2 > 0 ORDER BY class, chi2 DESC, term",
        [run_id],
    ).df()
    return _classes(final, terms, shown_terms)


def _fit_all(X: sp.csr_matrix, doc_id: np.ndarray, params: LexicalParams, phases: Phases) -> Partition:
    """A new classification of every segment (or of the ``sample``, the others assigned)."""
    rows = sample_rows(doc_id, params.sample, params.seed) if params.sample else np.arange(X.shape[0])
    start = phases.done
    model, levels, caught = _fit(X, doc_id, rows, params, lambda n: phases.reach(start + n))
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


def _peak_rss_mb() -> float:
    """Peak resident memory of the process so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _check(p: LexicalParams) -> None:
    if p.switching not in SWITCHING:
        raise ConfigError(f"--switching must be one of {', '.join(SWITCHING)}, got {p.switching!r}")
    if p.k < 1 or p.max_k < 2:
        raise ConfigError(f"--k must be >= 1 and --max-k >= 2 (got {p.k} and {p.max_k})")
    if p.min_docfreq < 1 or (p.max_terms is not None and p.max_terms < 3):
        raise ConfigError("--min-docfreq must be >= 1 and --max-terms >= 3")
    if p.sample is not None and p.sample < 10:
        raise ConfigError(f"--sample must be at least 10 segments, got {p.sample}")
    if p.min_split_members < 1 or not 0 <= p.cc_test <= 1 or p.tsj < 1:
        raise ConfigError("--min-split-members and --tsj must be >= 1 and --cc-test in [0, 1]")
    unknown = sorted(set(p.variables) - set(VARIABLES))
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
    step: Callable[[], None],
) -> dict[str, Any]:
    """Every stored table of the run as DataFrames (``frames``), plus the cross-table tests and skips.

    ``step()`` after each of its ``TABLE_PHASES`` phases: profiles, typical segments, CA, variables.
    """
    seg_ids = segments["segment_id"].to_numpy()
    labels = fit.labels
    shown = np.where(labels >= 0, labels + 1, -1)
    frames: dict[str, pd.DataFrame] = {"lexical_classes": fit.classes}
    frames["class_terms"] = tables.class_term_table(X, C, labels, terms)
    step()
    frames["segment_classes"] = pd.DataFrame({"segment_id": seg_ids, "class": shown, "sampled": fit.sampled})
    frames["typical_segments"] = tables.typical_table(X, labels, terms, seg_ids)
    step()
    frames["ca_coordinates"] = tables.ca_table(X, labels, terms)
    step()
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
    step()
    return {"frames": frames, "crosstab_tests": tests, "skipped": skipped}


def _classes(final: pd.DataFrame, terms: pd.DataFrame, shown_terms: int = SHOWN_TERMS) -> list[dict[str, Any]]:
    """Size, share and strongest characteristic terms of each final class (class_terms sorted by chi2)."""
    classes = []
    for rec in final.itertuples(index=False):
        top = terms[(terms["class"] == rec[1]) & (terms["chi2"] > 0)].head(shown_terms)
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
