"""Every analysis step in data-flow order, on a store: what ``chrysalide pipeline`` and ``demo`` run.

Each step is the declared :class:`~chrysalide.store.step.Step` of its own command, run by the one runner
(:func:`~chrysalide.store.step.run_step`): the pipeline builds the steps from the options, orders them so
that each runs after the steps it reads (``Step.after``), and returns each one's result and wall time.
Every step is incremental: text and coding process only the messages they have not seen, lexical extends
its classes to new segments, and a step whose inputs have not changed returns its newest run.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chrysalide.distributed.pool import default_workers
from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.store.step import Step, StepResult, declared_order, run_step

if TYPE_CHECKING:
    from chrysalide.distributed import Execution

# The pipeline's steps by command name, in the order they are listed (the run order follows their `after`).
STEPS = ("text", "code", "journeys", "lexical", "survival", "community", "alerts", "report")


@dataclass(frozen=True)
class Timed:
    """One step of a pipeline run: its command name, wall time and result."""

    name: str
    seconds: float
    result: StepResult


@dataclass
class PipelineOptions:
    """What the steps take from the command line; the defaults suit a forum of any size."""

    k: int | None = None  # None: LexicalParams' default
    watch: Sequence[str] = ()
    report: Path | None = None
    executor: str = "local"
    scheduler: str | None = None
    lexical_sample: int | None = None
    workers: int | None = None  # local processes for text and coding; None: one per core on large corpora
    progress: Callable[[int, int | None], None] | None = None  # (done, total) of the running step: messages, phases


# Below this many messages, starting worker processes costs more than it saves (measured on 2 cores:
# at 485,000 messages two workers cut text from 50 to 31 s and coding from 68 to 42 s).
def _workers(store: Store, options: PipelineOptions) -> int | None:
    """Local processes for text and coding; with Dask, the LocalCluster's size (None: one per core)."""
    if options.workers is not None:
        return max(1, options.workers)
    if options.executor != "local":
        return None
    return default_workers(store.count("messages"))


def build_steps(store: Store, names: Sequence[str], options: PipelineOptions) -> dict[str, Step[Any]]:
    """The declared step of each command name, with the pipeline's options. Each step's package is imported only
    when the step is asked for: the coding step's (scikit-learn, SciPy: about 2.5 s) is not the text step's."""
    from chrysalide.distributed import Execution

    execution = Execution(options.executor, options.scheduler, _workers(store, options), options.progress)
    factories: dict[str, Callable[[], Step[Any]]] = {
        "text": lambda: _text_step(execution),
        "code": lambda: _code_step(execution),
        "journeys": lambda: _journeys_step(execution),
        "lexical": lambda: _lexical_step(options),
        "survival": _survival_step,
        "community": _community_step,
        "alerts": lambda: _alerts_step(options),
        "report": lambda: _report_step(options),
    }
    return {name: factories[name]() for name in names}


def _text_step(execution: Execution) -> Step[Any]:
    from chrysalide.text import TextParams, TextStep

    return TextStep(TextParams(), execution=execution)


def _code_step(execution: Execution) -> Step[Any]:
    from chrysalide.coding import CodeParams, CodeStep

    return CodeStep(CodeParams(), execution=execution)


def _journeys_step(execution: Execution) -> Step[Any]:
    from chrysalide.journeys import JourneysParams, JourneysStep

    return JourneysStep(JourneysParams(), execution=execution)


def _lexical_step(options: PipelineOptions) -> Step[Any]:
    from chrysalide.lexical import LexicalParams, LexicalStep

    lexical = LexicalParams(sample=options.lexical_sample)
    if options.k is not None:
        lexical = dataclasses.replace(lexical, k=options.k)
    return LexicalStep(lexical, progress=options.progress)


def _survival_step() -> Step[Any]:
    from chrysalide.journeys import SurvivalParams, SurvivalStep

    return SurvivalStep(SurvivalParams())


def _community_step() -> Step[Any]:
    from chrysalide.community import CommunityParams, CommunityStep

    return CommunityStep(CommunityParams())


def _alerts_step(options: PipelineOptions) -> Step[Any]:
    from chrysalide.community import AlertsParams, AlertsStep

    return AlertsStep(AlertsParams(watch=tuple(options.watch)))


def _report_step(options: PipelineOptions) -> Step[Any]:
    from chrysalide.report.html.step import ReportParams, ReportStep

    if options.report is None:
        raise ConfigError("the report step needs a path: --report FILE")
    return ReportStep(ReportParams(out=str(options.report)))


def pipeline(
    store: Store,
    *,
    steps: Sequence[str] | None = None,
    options: PipelineOptions | None = None,
    on_step: Callable[[Timed], None] | None = None,
    on_start: Callable[[str], None] | None = None,
) -> list[Timed]:
    """Run the analysis steps (all by default; the report only with ``options.report``) in data-flow order."""
    options = options or PipelineOptions()
    if steps is None:
        steps = [s for s in STEPS if s != "report" or options.report is not None]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise ConfigError(f"unknown step(s) {unknown}; steps are {', '.join(STEPS)}")
    if store.count("messages") == 0:
        raise ConfigError(f"{store.path}: no messages yet: run `chrysalide ingest PATH` first")
    chosen = build_steps(store, [s for s in STEPS if s in steps], options)
    by_run_name = {step.name: name for name, step in chosen.items()}
    order = [by_run_name[n] for n in declared_order({step.name: step for step in chosen.values()})]
    results = []
    for name in order:
        if on_start is not None:
            on_start(name)
        started = time.perf_counter()
        result = run_step(store, chosen[name])
        store.release_memory()  # what DuckDB freed during the step, before the next one allocates its own
        timed = Timed(name, time.perf_counter() - started, result)
        results.append(timed)
        if on_step is not None:
            on_step(timed)
    return results
