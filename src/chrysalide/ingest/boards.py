"""The boards an import keeps (``chrysalide ingest --boards``); the others are left out by choice, and counted.

A source may hold more than the community under study: Reddit user histories hold each member's whole
Reddit activity (r/covidlonghaulers' 86 histories span 3,394 subreddits, AskReddit and fantasyfootball
among them), and a phpBB dump holds every forum of the site. Journeys, decentering and the stage mix then mix
in messages written elsewhere. ``--boards`` keeps the messages (and the thread records) of the boards named,
compared without regard to case as Reddit compares subreddit names; the others are not rejects (nothing is
wrong with them) and are counted in the import's report (``left_out`` messages in ``left_out_boards`` boards).
Only an error names boards left out, never the store: a board can be a member's profile (Reddit's
``u_<name>``). Their authors' names are still scrubbed from the kept messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from chrysalide.errors import ConfigError

#: A message without a board, in the counts of the messages left out.
NO_BOARD = "(no board)"
#: How many of the largest boards left out an error names.
SHOWN = 10


class BoardFilter:
    """Keeps the messages of the boards named; counts the others by board (``left_out``)."""

    def __init__(self, names: Iterable[str]) -> None:
        given = [n.strip() for n in names]
        if not given or not all(given):
            raise ConfigError("--boards: give one or more board names, e.g. --boards covidlonghaulers,LongCovid")
        self.names = tuple(dict.fromkeys(given))
        self._folded = frozenset(n.casefold() for n in self.names)
        self.kept: Counter[str] = Counter()
        #: Messages left out by board, under the board's first spelling (boards are compared without case).
        self.left_out: Counter[str] = Counter()
        self._spelling: dict[str, str] = {}

    @classmethod
    def parse(cls, values: Iterable[str] | None) -> BoardFilter | None:
        """``["a,b", "c"]`` (the option given once with commas or repeated) -> the filter; None without any."""
        values = list(values or [])
        return cls(n for value in values for n in value.split(",")) if values else None

    def covers(self, board: str | None) -> bool:
        """Whether ``board`` is one of the boards named."""
        return board is not None and board.strip().casefold() in self._folded

    def keeps(self, board: str | None) -> bool:
        """Whether a message of ``board`` is kept; counts it, kept or left out."""
        name = (board or "").strip()
        folded = name.casefold()
        if folded in self._folded:
            self.kept[folded] += 1
            return True
        self.left_out[self._spelling.setdefault(folded, name or NO_BOARD)] += 1
        return False

    def missing(self) -> list[str]:
        """The boards named that no message of the input is in."""
        return [n for n in self.names if not self.kept[n.casefold()]]

    def largest_left_out(self, n: int = SHOWN) -> str:
        """``AskReddit 1,200, fantasyfootball 900, ...`` (the ``n`` largest boards left out)."""
        return ", ".join(f"{board} {count:,}" for board, count in self.left_out.most_common(n))
