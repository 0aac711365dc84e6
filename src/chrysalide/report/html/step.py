"""The ``report`` step: the HTML report as the last step of a pipeline, recorded like the others.

It writes a file, not tables; its run records the file's path, size and digest, so that on unchanged data
(same inputs, same parameters, the file still there and unchanged) the stored run stands and nothing is
rewritten. The report's component names a digest of Chrysalide's own source and templates besides its version:
what a report says is the code's reading of the stored runs, so a changed reading (a figure withheld, a
sentence corrected) writes the report again, where the version (0.1.0 between releases) would not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import chrysalide
from chrysalide.errors import ConfigError
from chrysalide.outputs import output_file
from chrysalide.report.html.build import report
from chrysalide.report.html.context import QUOTE_CHOICES
from chrysalide.store import Store
from chrysalide.store.db import Run
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step


@dataclass(frozen=True)
class ReportParams(Params):
    """``out``: the HTML file; ``title``; ``quotes``: ``consented`` or ``none``; ``panel_size``: members in the
    timelines figure (the study followed 21)."""

    out: str = "report.html"
    title: str | None = None
    quotes: str = "consented"
    panel_size: int = 21

    def __post_init__(self) -> None:
        if self.quotes not in QUOTE_CHOICES:
            raise ConfigError(f"--quotes must be one of {', '.join(QUOTE_CHOICES)}, not {self.quotes!r}")
        if self.panel_size < 1:
            raise ConfigError(f"--panel-size must be at least 1, got {self.panel_size}")
        output_file(self.out)


_SOURCE_SUFFIXES = (".py", ".html", ".css", ".js", ".sql")


@cache
def source_digest() -> str:
    """The first 12 hex digits of the sha256 of the package's source and template files (names and bytes)."""
    root = Path(chrysalide.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def file_digest(path: Path) -> str | None:
    """The sha256 of a written report, as its run records it (``None`` when the file cannot be read): how the
    step knows the file unchanged, and the dashboard a file this database wrote (:mod:`chrysalide.web.views.report`)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class ReportStep(Step[ReportParams]):
    """One self-contained HTML report of every analysis step's newest run."""

    name = "report"
    reads = ("messages", "members", "threads", "consent", "codes", "text_features", "segments")
    after = ("text", "coding", "journeys", "lexical", "survival", "community", "alerts")

    def __init__(self, params: ReportParams) -> None:
        self.params = params

    @property
    def component(self) -> str:
        return f"chrysalide.{self.name}/{self.version}+{source_digest()}"

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        p = self.params
        path = report(store, p.out, title=p.title, quotes=p.quotes, panel_size=p.panel_size)
        run.summary.update({"path": str(path), "bytes": path.stat().st_size, "sha256": file_digest(path)})
        return ()

    def is_current(self, store: Store, run_id: int) -> bool:
        summary = store.run_summary(run_id)
        return summary.get("sha256") is not None and file_digest(Path(self.params.out)) == summary["sha256"]


def report_step(store: Store, params: ReportParams | None = None, *, force: bool = False, **options: Any) -> StepResult:
    """Write the report unless the newest report run stands (``options``: :class:`ReportParams` fields)."""
    if "out" in options:
        options["out"] = str(options["out"])
    return run_step(store, ReportStep(Params.build(ReportParams, params, options)), force=force)
