"""The demo: generate a forum, import it, record consent for some members, run every stage, write the report."""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chrysalide.demo.writer import PRESETS, generate
from chrysalide.errors import ConfigError
from chrysalide.ingest import IngestReport, ingest
from chrysalide.outputs import output_folder
from chrysalide.pipeline import PipelineOptions, Timed, pipeline
from chrysalide.privacy import import_consent
from chrysalide.store import Store

# The drug at the heart of the generated crisis: the demo watches it as a researcher would.
WATCH_TERMS = ("levothyrox", "nouvelle formule", "new formula")
CONSENT_SHARE = 0.3
#: Most messages a generated forum holds: about ten times the study's forum (485,000) and the benchmarks' largest
#: (about 500,000); ten billion exhausted the memory (22 GB) instead of failing at once.
MAX_MESSAGES = 5_000_000
SIZES = ", ".join(f"{name} ({preset['messages']:,} messages)" for name, preset in PRESETS.items())


def demo_size(size: str | int) -> str | int:
    """A preset's name (lower case) or a number of messages from 1 to :data:`MAX_MESSAGES` ("800" is 800; no sign,
    no "1e3", no "6,000"); else a ConfigError listing what is accepted."""
    number = size
    if isinstance(size, str):
        name = size.strip().lower()
        if name in PRESETS:
            return name
        number = int(name) if re.fullmatch(r"[0-9]{1,20}", name) else 0
    if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= MAX_MESSAGES:
        return number
    raise ConfigError(f"{size!r} is neither a preset, {SIZES}, nor a number of messages from 1 to {MAX_MESSAGES:,}")


@dataclass
class DemoResult:
    """Where the demo wrote its files, and what each step produced."""

    folder: Path
    corpus: Path
    database: Path
    report: Path
    consent: Path
    ingest: IngestReport
    steps: list[Timed] = field(default_factory=list)


def write_consent(corpus: Path, out: Path, *, share: float = CONSENT_SHARE, seed: int = 7) -> Path:
    """A consent list in which a seeded share of the corpus's members allow quoting (the rest: analysis only)."""
    authors = sorted({json.loads(line)["author"] for line in corpus.open(encoding="utf-8")} - {None})
    rng = random.Random(seed)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["member", "status", "date", "scope"])
        for author in authors:
            if rng.random() < share:
                writer.writerow([f"name:{author}", "granted", "2024-01-15", "quote"])
            else:
                writer.writerow([f"name:{author}", "granted", "2024-01-15", "analyse"])
    return out


def run_demo(
    folder: str | Path,
    *,
    size: str | int = "demo",
    seed: int = 7,
    options: PipelineOptions | None = None,
    on_step: Callable[[Timed], None] | None = None,
) -> DemoResult:
    """Generate the demo forum in ``folder`` and run the whole pipeline on it.

    ``size`` is a preset (``demo``: 6,000 messages; ``study``: 485,000) or a number of messages (:func:`demo_size`).
    Re-running in the same folder re-uses the database: nothing is imported twice, every stage runs again.
    """
    size = demo_size(size)
    folder = output_folder(folder, parents=True)
    preset: dict[str, Any] = dict(PRESETS[size]) if isinstance(size, str) else {"messages": size}
    corpus = folder / "forum.jsonl"
    if not corpus.exists():
        generate(corpus, seed=seed, **preset)
    consent = write_consent(corpus, folder / "consent.csv", seed=seed)
    database = folder / "demo.duckdb"
    report_path = folder / "report.html"
    options = options or PipelineOptions(watch=WATCH_TERMS)
    options.report = report_path
    with Store(database) as store:
        imported = ingest(store, corpus, source_name="demo-thyroid-forum")
        import_consent(store, consent)
        steps = pipeline(store, options=options, on_step=on_step)
    return DemoResult(folder, corpus, database, report_path, consent, imported, steps)
