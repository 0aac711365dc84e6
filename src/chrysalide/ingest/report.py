"""What one import did: the counts and warnings that the CLI prints and the run stores as its summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_WARNINGS_KEPT = 20


@dataclass
class IngestReport:
    """What one import did: printed by the CLI, stored as the run's summary."""

    source_id: str
    importer: str
    location: str
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    new_members: int = 0
    new_threads: int = 0
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)
    run_id: int | None = None

    def warn(self, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS_KEPT:
            self.warnings.append(message)

    def add_warnings(self, count: int, first: list[str]) -> None:
        """Warnings counted elsewhere (a worker process): ``count`` of them, the first ones written out."""
        for message in first:
            self.warn(message)
        self.warning_count += count - len(first)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
