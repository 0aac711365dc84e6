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

import shlex
from collections import Counter
from collections.abc import Iterable

import duckdb

from chrysalide.errors import ConfigError
from chrysalide.units import percent

#: A message without a board, in the counts of the messages left out.
NO_BOARD = "(no board)"
#: How many of the largest boards left out an error names.
SHOWN = 10
#: A source whose largest board holds less than this share of its messages, and more than
#: :data:`SINGLE_MEMBER_BOARDS` of whose boards hold one member's messages at most, probably holds its members'
#: histories across a whole site (Reddit user histories), not one community: the import warns. A history visits
#: boards where no other member of the source posts; a forum's sub-forums each have many members.
SITE_WIDE_SHARE = 0.5
SINGLE_MEMBER_BOARDS = 0.5


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


def board_counts(
    con: duckdb.DuckDBPyConnection, source_id: str | None = None, *, fold: bool = False
) -> tuple[list[tuple[str, int, int]], int]:
    """The stored messages per board (a message's board is its thread's) as (board, messages, members who posted
    there), busiest first then by name, and the number of messages, those without a board too; of one source, or
    of the whole store. ``fold``: boards compared without case, as ``--boards`` compares them, each named by its
    most frequent spelling. One count for the report's board spread and the import's warning
    (:func:`site_wide_warning`)."""
    where, params = ("WHERE m.source_id = ?", [source_id]) if source_id is not None else ("", [])
    rows = con.execute(
        f"""WITH stored AS (SELECT t.board, {"lower(t.board)" if fold else "t.board"} AS k, m.member_id
                            FROM messages m JOIN threads t USING (thread_id) {where}),
                spelt AS (SELECT k, board, count(*) AS n FROM stored WHERE k IS NOT NULL GROUP BY ALL),
                named AS (SELECT k, first(board ORDER BY n DESC, board) AS board FROM spelt GROUP BY k)
            SELECT named.board, count(*) AS n, count(DISTINCT stored.member_id) FROM stored JOIN named USING (k)
            GROUP BY named.board ORDER BY n DESC, named.board""",
        params,
    ).fetchall()
    total = con.execute(f"SELECT count(*) FROM messages m {where}", params).fetchone()
    return [(str(b), int(n), int(members)) for b, n, members in rows], int(total[0]) if total else 0


def site_wide_warning(counts: list[tuple[str, int, int]], total: int) -> str | None:
    """The warning of an import made without ``--boards`` whose largest board (``counts``: :func:`board_counts`,
    folded) holds less than :data:`SITE_WIDE_SHARE` of its ``total`` messages (those without a board too), in two
    boards or more, most of which (over :data:`SINGLE_MEMBER_BOARDS`) hold the messages of one member at most;
    None otherwise.

    Such a source holds its members' whole histories (r/covidlonghaulers' user histories: 29% of their messages
    in r/covidlonghaulers, 78% of their 3,394 subreddits visited by one of the 86 members), which the journeys,
    decentering and the stage mix would mix in. A forum of many sub-forums (the generated thyroid forum's largest
    of 15 holds 20% of its messages) or a collection of communities (r/BPD and its neighbours: the largest of 8
    holds 20%) has many members in nearly every board, and gets no warning. The boards are the stored ones: a Reddit profile's board
    no longer names its user.
    """
    if len(counts) < 2 or not total:
        return None
    board, largest, _ = counts[0]
    single = sum(members <= 1 for _, _, members in counts) / len(counts)
    if largest / total >= SITE_WIDE_SHARE or single <= SINGLE_MEMBER_BOARDS:
        return None
    return (
        f"the largest board, {board!r}, holds {percent(largest / total)} of the source's {total:,} messages, spread "
        f"over {len(counts):,} boards, {percent(single)} of which hold one member's messages only: the source "
        "probably holds its members' histories across a whole site, not one community, and the journeys, "
        "decentering and stage mix would mix in what they wrote elsewhere; to study the board, import the input into "
        f"a new database with --boards {shlex.quote(board)} (naming neighbouring boards too, separated by commas, to "
        "follow members across them)"
    )
