"""Every analysis stage in data-flow order, on a store: what ``chrysalide pipeline`` and ``demo`` run.

Each step is the library function of the stage's own command; each records its run in ``runs``. A
step's time and summary are returned so that the CLI (and the benchmarks) can print them. Every step is
incremental: text and coding process only the messages they have not seen, lexical extends its classes
to new segments, and a stage whose input data has not changed returns its newest run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chrysalide.errors import ConfigError
from chrysalide.store import Store

# Data-flow order: lexical reads the member groups of the journeys run (specificities by member group).
STEPS = ("text", "code", "journeys", "lexical", "survival", "community", "alerts", "report")


@dataclass
class StepResult:
    """One stage of a pipeline run: its name, wall time and the summary the stage returned."""

    name: str
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class PipelineOptions:
    """What the stages take from the command line; the defaults suit a forum of any size."""

    k: int = 10
    watch: Sequence[str] = ()
    report: Path | None = None
    executor: str = "local"
    scheduler: str | None = None
    lexical_sample: int | None = None
    workers: int | None = None  # local processes for text and coding; None: one per core on large corpora


# Below this many messages, starting worker processes costs more than it saves (measured on 2 cores:
# at 485,000 messages two workers cut text from 50 to 31 s and coding from 68 to 42 s).
POOL_MIN_MESSAGES = 50_000


def _workers(store: Store, options: PipelineOptions) -> int | None:
    """Local processes for text and coding; with Dask, the LocalCluster's size (None: one per core)."""
    if options.workers is not None:
        return max(1, options.workers)
    if options.executor != "local":
        return None
    if store.count("messages") < POOL_MIN_MESSAGES:
        return 1
    return max(1, os.cpu_count() or 1)


def _summary(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value.get("summary", value))
    summary = getattr(value, "summary", None)
    return dict(summary) if isinstance(summary, dict) else {}


def _steps(options: PipelineOptions) -> dict[str, Callable[[Store], Any]]:
    from chrysalide import coding, community, journeys, lexical, text

    def run_report(store: Store) -> dict[str, Any]:
        from chrysalide.report.html import report

        if options.report is None:
            return {"skipped": "no --report path"}
        return {"path": str(report(store, options.report))}

    return {
        "text": lambda s: text.process(
            s, executor=options.executor, scheduler=options.scheduler, workers=_workers(s, options)
        ),
        # Both coders in one pass: each message is analysed once (one run per coder, as two calls would write).
        "code": lambda s: coding.code(
            s,
            coder=("lexicon", "model"),
            executor=options.executor,
            scheduler=options.scheduler,
            workers=_workers(s, options),
        ),  # fmt: skip
        "lexical": lambda s: lexical.lexical(s, k=options.k, sample=options.lexical_sample),
        "journeys": lambda s: journeys.journeys(s, executor=options.executor, scheduler=options.scheduler),
        "survival": lambda s: journeys.survival(s),
        "community": lambda s: community.community(s),
        "alerts": lambda s: community.alerts(s, watch=options.watch),
        "report": run_report,
    }


def pipeline(
    store: Store,
    *,
    steps: Sequence[str] = STEPS,
    options: PipelineOptions | None = None,
    on_step: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Run the analysis stages (all by default, in data-flow order) on an ingested store."""
    options = options or PipelineOptions()
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise ConfigError(f"unknown step(s) {unknown}; steps are {', '.join(STEPS)}")
    if store.count("messages") == 0:
        raise ConfigError(f"{store.path}: no messages yet: run `chrysalide ingest PATH` first")
    table = _steps(options)
    results = []
    for name in STEPS:
        if name not in steps:
            continue
        started = time.perf_counter()
        value = table[name](store)
        store.release_memory()  # what DuckDB freed during the step, before the next one allocates its own
        result = StepResult(name, time.perf_counter() - started, _summary(value))
        results.append(result)
        if on_step is not None:
            on_step(result)
    return results
