"""The phases of a lexical run, counted for a progress bar: the matrix, each split, then four tables."""

from __future__ import annotations

from chrysalide.distributed.executor import Progress

TABLE_PHASES = 4  # class profiles (with supplementary terms), typical segments, CA, variables


class Phases:
    """Phases done so far, reported as ``progress(done, total)`` when one ends; silent without ``progress``.

    The total is known before the run: ``1 + splits + TABLE_PHASES``, ``splits`` being the most a
    classification makes (``k - 1``, or ``max_k - 1`` for each run of a double one; outliers set aside
    are not a split). A classification that stops early jumps to the tables; a run whose classes are
    extended makes no split (``no_split``).
    """

    def __init__(self, splits: int, progress: Progress | None) -> None:
        self.splits = splits
        self.total, self.done, self.progress = 1 + splits + TABLE_PHASES, 0, progress
        if progress is not None:
            progress(0, self.total)

    def reach(self, done: int) -> None:
        if done != self.done and self.progress is not None:
            self.progress(done, self.total)
        self.done = done

    def step(self) -> None:
        self.reach(self.done + 1)

    def split(self, n: int) -> None:
        """``n`` splits made (the classifier's ``on_split``)."""
        self.reach(1 + n)

    def no_split(self) -> None:
        """The classes of an earlier run are extended: no split to wait for."""
        self.total -= self.splits
        self.splits = 0

    def classified(self) -> None:
        self.reach(1 + self.splits)
