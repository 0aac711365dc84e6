"""The ``lexical`` step: Reinert classification of the stored segments, and every table read from it.

Reads ``segments`` (filled by ``chrysalide text``), keeps those of the analysed language and their active
forms (``corpus.load_corpus``: language, boilerplate, active and supplementary forms), fits a simple or
double classification (REINERT.md sections 4-7) and stores, under one run of the step ``lexical``, the tables
of migrations 0004 and 0013 (docs/lexical.md). Earlier runs stay in the tables.

Incremental: on unchanged data with the same parameters the newest run is returned (``up_to_date``);
when segments were added, they join the classes of the newest run (``chrysalide.lexical.update``)
unless ``refit`` asks for a new classification.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.distributed.executor import Progress
from chrysalide.errors import ConfigError
from chrysalide.frames import each_row
from chrysalide.lexical import tables
from chrysalide.lexical.corpus import ALL, FORMS, MAIN, Corpus, load_corpus, supplementary_counts
from chrysalide.lexical.double import LARGEST_MAX_K
from chrysalide.lexical.fit import fit_all
from chrysalide.lexical.keyness import crosstab
from chrysalide.lexical.phases import Phases
from chrysalide.lexical.update import Partition, base_run, extend
from chrysalide.lexical.variables import VARIABLES, segment_variables
from chrysalide.lexical.writers import Writers, class_writers
from chrysalide.store import Store
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step
from chrysalide.text.step import prose_counts

SWITCHING = ("best", "rainette", "none")
SHOWN_TERMS = 10  # characteristic terms per class in the returned summary (the CLI table)


@dataclass(frozen=True)
class LexicalParams(Params):
    """The classification (REINERT.md; docs/lexical.md explains each) and the matrix it runs on.

    Simple classification: ``k`` terminal classes, ``min_segment_size`` (merge short segments into
    units of at least this many terms), ``min_split_members``, ``cc_test`` and ``tsj`` (rainette's
    ``min_split_members``, ``cc_test``, ``tsj``), ``switching`` (``best``, ``rainette`` or ``none``),
    ``min_class_share`` (a side of a split below this share of the units is set aside as lexical outliers;
    0 = rainette's behaviour). Double classification (``double``): ``max_k``, ``min_segment_size1`` and
    ``min_segment_size2``. Matrix: ``lang`` (``main``: the language with the most segments; ``all``; or a
    code), ``forms`` (``active``: full words minus the supplementary list; ``full``: every full word, the
    matrix of earlier versions), ``boilerplate`` (segments whose words recur in at least this many messages
    are left unclassified; 0 = off), terms in at least ``min_docfreq`` segments, the ``max_terms`` most
    frequent. ``sample`` classifies a seeded (``seed``) random sample of whole messages of about that many
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
    min_class_share: float = 0.01
    min_docfreq: int = 10
    max_terms: int | None = 4000
    switching: str = "best"
    lang: str = MAIN
    forms: str = "active"
    boilerplate: int = 5
    sample: int | None = None
    seed: int = 0
    variables: tuple[str, ...] = VARIABLES

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        _check(self)


class LexicalStep(Step[LexicalParams]):
    """Reinert classification of the segments, with terms, CA, typical segments, specificities, cross tables."""

    name = "lexical"
    reads = ("segments", "text_features", "messages", "members", "threads", "current_codes", "member_order")
    after = ("text", "journeys")
    writes = (
        "lexical_classes", "class_terms", "class_supplementary_terms", "segment_classes", "typical_segments",
        "ca_coordinates", "lexical_specificities", "class_crosstab",
    )  # fmt: skip
    # /2: typical segments pass over copies of more typical ones; a stored run of /1 is not returned as up to
    # date, and the next run keeps its classes (same parameters and segments) and computes the tables again.
    # /3: segments written in another language than their message's are left out (corpus.load_corpus): a run
    # of /2 that classified some is fitted again (its segments are not all analysed now), others are kept.
    # /4: bot accounts, whose segments are left out, also those that post one long template (migration 0024).
    # /5: a segment where another language scores more than the message's (mixed: a side-by-side translation) is
    # left out too (segment_language, ``MIXED_RATIO``).
    # /6: the variable ``position`` reads the view ``member_order`` (migration 0037): a member's messages of one date
    # and one place in their files are ordered by the source's id before ours (they were by ours alone).
    version = "reinert/6"

    def __init__(self, params: LexicalParams, *, refit: bool = False, progress: Progress | None = None) -> None:
        self.params = params
        self.refit = refit
        self.progress = progress

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        p = self.params
        phases = Phases(2 * (p.max_k - 1) if p.double else p.k - 1, self.progress)
        timings: dict[str, float] = {}
        tic = time.perf_counter()
        corpus = load_corpus(
            store, p.lang, forms=p.forms, boilerplate=p.boilerplate, min_docfreq=p.min_docfreq, max_terms=p.max_terms
        )
        store.release_memory()  # the term pairs of the matrix query: about 500 MB at the study's size
        X, segments = corpus.X, corpus.segments
        live = int(np.count_nonzero(np.diff(X.indptr)))
        if len(corpus.terms) < 3 or live < 3:
            boiler = int(segments["boilerplate"].sum())
            hint = f"; {boiler} are boilerplate (--boilerplate 0 keeps them)" if boiler else ""
            raise ConfigError(
                f"only {len(corpus.terms)} terms occur in at least {p.min_docfreq} segments ({live} of"
                f" {len(segments)} segments of language {corpus.lang!r} keep a term{hint}): lower --min-docfreq,"
                " or run on more messages"
            )
        timings["matrix"] = time.perf_counter() - tic
        phases.step()
        seg_ids = segments["segment_id"].to_numpy()
        base, why = (None, "--refit") if self.refit else base_run(store, self.get_params(), seg_ids)
        tic = time.perf_counter()
        if base is not None:
            phases.no_split()
            fit = extend(store, base, X, seg_ids)
        else:
            fit = fit_all(X, segments["message_id"].to_numpy(), p, on_split=phases.split)
        phases.classified()
        fit.left_out[segments["boilerplate"].to_numpy()] = "boilerplate"
        timings["classification"] = time.perf_counter() - tic
        tic = time.perf_counter()
        out = _tables(store, corpus, fit, p.variables, p.min_docfreq, phases.step)
        timings["tables"] = time.perf_counter() - tic
        summary = _summary(corpus, fit, out)
        summary.update(
            classes_from=fit.base_run or run.run_id, assigned_new=fit.assigned, why=why,
            left_out={**corpus.counts, "outliers": int(np.count_nonzero(fit.left_out == "outlier")),
                      "outlier_groups": fit.outlier_groups, **prose_counts(store)},
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
    ``progress(done, total)`` counts the run's phases (``chrysalide.lexical.phases``).
    """
    step = LexicalStep(Params.build(LexicalParams, params, options), refit=refit, progress=progress)
    return run_step(store, step, force=refit)


def final_classes(store: Store, run_id: int, shown_terms: int = SHOWN_TERMS) -> list[dict[str, Any]]:
    """Size, share, strongest characteristic terms and writers (:mod:`chrysalide.lexical.writers`: ``writers``,
    ``top_writer_share``) of each class of a run's final partition."""
    final = store.con.execute(
        "SELECT * EXCLUDE (run_id) FROM lexical_classes WHERE run_id = ?"
        " AND k = (SELECT max(k) FROM lexical_classes WHERE run_id = ?) ORDER BY class",
        [run_id, run_id],
    ).df()
    terms = store.con.execute(
        "SELECT class, term, chi2 FROM class_terms WHERE run_id = ? AND chi2 > 0 ORDER BY class, chi2 DESC, term",
        [run_id],
    ).df()
    writers = class_writers(store, run_id)
    classes = _classes(final, terms, shown_terms)
    for c in classes:
        c.update(writers.get(c["class"], Writers(0, 0.0))._asdict())
    return classes


def language_runs(store: Store) -> list[tuple[str, int]]:
    """The newest usable lexical run of each analysed language, newest first: ``(lang, run_id)``.

    Runs of every language mixed (``lang="all"``, or runs older than the per-language analyses, which
    record no language) are listed only when no single-language run is newer.
    """
    if not store.has_table("lexical_classes"):
        return []
    rows = store.con.execute(
        "SELECT coalesce(json_extract_string(summary, '$.lang'), json_extract_string(params, '$.lang'), ?) AS lang,"
        " max(run_id) FROM runs WHERE stage = 'lexical' AND status = 'ok'"
        " AND run_id IN (SELECT DISTINCT run_id FROM lexical_classes) GROUP BY 1 ORDER BY 2 DESC",
        [ALL],
    ).fetchall()
    runs = [(str(lang), int(run)) for lang, run in rows]
    single = [run for lang, run in runs if lang != ALL]
    return [(lang, run) for lang, run in runs if lang != ALL or not single or run > max(single)]


def _peak_rss_mb() -> float:
    """Peak resident memory of the process so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _check(p: LexicalParams) -> None:
    if p.switching not in SWITCHING:
        raise ConfigError(f"--switching must be one of {', '.join(SWITCHING)}, got {p.switching!r}")
    if p.forms not in FORMS:
        raise ConfigError(f"--forms must be one of {', '.join(FORMS)}, got {p.forms!r}")
    if not p.lang or (p.lang not in (MAIN, ALL) and not p.lang.isalpha()):
        raise ConfigError(f"--lang must be {MAIN}, {ALL} or a language code such as fr, got {p.lang!r}")
    if p.boilerplate < 0 or not 0 <= p.min_class_share < 0.5:
        raise ConfigError("--boilerplate must be >= 0 (0 = off) and --min-class-share in [0, 0.5)")
    if p.k < 1 or not 2 <= p.max_k <= LARGEST_MAX_K:
        raise ConfigError(f"--k must be >= 1 and --max-k from 2 to {LARGEST_MAX_K} (got {p.k} and {p.max_k})")
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
    corpus: Corpus,
    fit: Partition,
    variables: Sequence[str],
    min_docfreq: int,
    step: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Every stored table of the run as DataFrames (``frames``), plus the cross-table tests and skips.

    ``step()`` after each of its four phases: class profiles, typical segments, CA, variables.
    """
    X, segments, terms = corpus.X, corpus.segments, corpus.terms
    seg_ids = segments["segment_id"].to_numpy()
    labels = fit.labels
    shown = np.where(labels >= 0, labels + 1, -1)
    # numpy's stubs leave None out of where()'s values; numpy takes it (the result is an object array)
    left_out = pd.Series(np.where(labels < 0, fit.left_out, None), dtype=object)  # type: ignore[call-overload]
    frames: dict[str, pd.DataFrame] = {
        "lexical_classes": fit.classes,
        "class_terms": tables.class_term_table(X, corpus.C, labels, terms),
        "class_supplementary_terms": tables.supplementary_table(
            *supplementary_counts(store, corpus, labels, min_docfreq=min_docfreq)
        ),
        "segment_classes": pd.DataFrame(
            {"segment_id": seg_ids, "class": shown, "sampled": fit.sampled, "left_out": left_out}
        ),
    }
    step()
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
    for rec in each_row(final, index=False):
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


def _summary(corpus: Corpus, fit: Partition, out: dict[str, Any]) -> dict[str, Any]:
    """Counts of the run and, per class, its size, share and strongest characteristic terms."""
    frames = out["frames"]
    final = frames["lexical_classes"]
    classes = _classes(final[final["k"] == final["k"].max()], frames["class_terms"])
    eig = frames["ca_coordinates"]
    eig = eig[eig["kind"] == "axis"]
    labels, segments = fit.labels, corpus.segments
    return dict(
        lang=corpus.lang,
        segments=len(segments),
        messages=int(segments["message_id"].nunique()),
        terms=int(corpus.X.shape[1]),
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
