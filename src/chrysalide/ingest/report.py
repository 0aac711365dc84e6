"""What one import did: the counts and warnings that the CLI prints and the run stores as its summary."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chrysalide.ingest.finish import Finished
    from chrysalide.ingest.records import Parts
    from chrysalide.privacy.scrubber import NameScrubber

MAX_WARNINGS_KEPT = 20
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+")
_WHERE = re.compile(r"^(?:record|line|item|statement) N(?: of '…')?:\s*")


def kind(reason: str) -> str:
    """A reject's reason or a warning without its record's particulars (positions and numbers ``N``, quoted values
    ``'…'``): ``line 12: invalid JSON (Expecting value)`` -> ``invalid JSON (Expecting value)``."""
    text = _NUMBER.sub("N", _QUOTED.sub("'…'", str(reason)))
    return _WHERE.sub("", text).strip() or "(no reason)"


def reject_kinds(con: Any, source_id: str | None = None, run_id: int | None = None) -> list[tuple[str, int]]:
    """Rejected records by kind of reason (:func:`kind`), most frequent first (of one source and import run when
    given); ``con``: a DuckDB connection to the store."""
    sql, params = "SELECT reason, count(*) FROM rejects WHERE true", list[object]()
    if source_id is not None:
        sql, params = sql + " AND source_id = ?", [*params, source_id]
    if run_id is not None:
        sql, params = sql + " AND run_id = ?", [*params, run_id]
    counts: Counter[str] = Counter()
    for reason, n in con.execute(sql + " GROUP BY reason", params).fetchall():
        counts[kind(reason)] += int(n)
    return counts.most_common()


def check_source(con: Any, source_id: str) -> None:
    """Refuse a source the store does not hold, naming the ones it holds (``--source`` of ``chrysalide rejects``)."""
    from chrysalide.errors import ConfigError

    held = [str(r[0]) for r in con.execute("SELECT source_id FROM sources ORDER BY source_id").fetchall()]
    if source_id not in held:
        raise ConfigError(f"--source {source_id}: no such source; the database holds {', '.join(held) or 'none'}")


@dataclass
class IngestReport:
    """What one import did: printed by the CLI, stored as the run's summary.

    ``cleaned``: messages whose text lost HTML, character references or BBCode (``ingest/markup.py``).
    ``scrubbed``: replacements by kind (``names``, ``first_names``, ``urls``, ``emails``, ``phones``,
    ``handles``, ``persons``: names of people who are no members, ``privacy/persons.py``; ``surnames``: those written
    after a member's name, ``privacy/surnames.py``; ``addressees``: the name of an earlier author of the thread that a
    reply opens with, ``privacy/addressees.py``). ``ambiguous_names``:
    names that are also words, by pseudonym (never the name): how often each was replaced as a name and left as
    a word. ``rescrubbed``: messages of earlier imports of the
    source scrubbed again for names this import brought or for rules of this version (``ingest/rescrub.py``),
    ``boards_renamed``: their boards that were a Reddit profile's user name. ``quotes``: inline quote headers of a plain-text
    source (``ingest/quotes.py``): ``messages`` with one, ``headers``, quotes ``moved`` to ``quoted_text`` with
    the ``characters`` moved, headers ``left`` in the text because their quote matched no earlier message.
    ``redated``: messages the source dates after a reply to them, dated by their earliest reply instead
    (:data:`~chrysalide.ingest.records.POSTED_AT_SOURCE`).
    ``boards``: the boards an import was limited to (``--boards``; empty: every board); ``left_out``: the messages
    of the other boards, left out by that choice (not rejects), in ``left_out_boards`` boards.
    ``date_order``: the order the source's dates of three numbers were read in (``dmy``, ``mdy``, ``ymd``: given,
    the source's before, or proved by its values, ``ingest/dateorder.py``); None when no date depended on it.
    """

    source_id: str
    importer: str
    location: str
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    new_members: int = 0
    new_threads: int = 0
    new_guests: int = 0
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)
    cleaned: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)
    ambiguous_names: list[dict[str, Any]] = field(default_factory=list)
    rescrubbed: int = 0
    redated: int = 0
    boards_renamed: int = 0
    quotes: dict[str, int] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    boards: list[str] = field(default_factory=list)
    left_out: int = 0
    left_out_boards: int = 0
    date_order: str | None = None
    run_id: int | None = None
    _ambiguous: dict[tuple[str, str, str, str], list[int]] = field(default_factory=dict, repr=False)
    #: The files of a folder, where its importer numbers records across them (``Parts``): warnings name them.
    parts: Parts | None = field(default=None, repr=False)

    def where(self, record_no: int, *, of_file: bool = False) -> str:
        """A record's place in a warning: "line 3 of 'bpd_comments.csv'" where the importer says which file of a
        folder it comes from, else "record 3" (``of_file``: "record 3 of 'forum.csv'")."""
        found = self.parts.where(record_no) if self.parts is not None else None
        if found is not None:
            return found
        return f"record {record_no} of {Path(self.location).name!r}" if of_file else f"record {record_no}"

    def warn(self, message: str, *, whole: bool = False) -> None:
        """Count a warning; keep it among the first :data:`MAX_WARNINGS_KEPT`. ``whole``: it is about the whole
        import, not one record (it names none), and is kept first whatever the number of warnings before it."""
        self.warning_count += 1
        if whole:
            self.warnings.insert(0, message)
        elif len(self.warnings) < MAX_WARNINGS_KEPT:
            self.warnings.append(message)

    def add_warnings(self, count: int, first: list[str]) -> None:
        """Warnings counted elsewhere (a worker process): ``count`` of them, the first ones written out."""
        for message in first:
            self.warn(message)
        self.warning_count += count - len(first)

    def add_finished(self, done: Finished) -> None:
        """What one chunk of pass 2 reported (in a worker process or here)."""
        self.add_warnings(done.warning_count, [f"{self.where(n)}: {text}" for n, text in done.warnings])
        self.cleaned = dict(Counter(self.cleaned) + done.cleaned)
        self.scrubbed = dict(Counter(self.scrubbed) + done.scrubbed)
        for key, (replaced, spared) in done.ambiguous.items():
            counts = self._ambiguous.setdefault(key, [0, 0])
            counts[0] += replaced
            counts[1] += spared
        self.ambiguous_names = [
            {"pseudonym": p, "form": form, "word": kind, "language": lang, "replaced": r, "left_as_word": s}
            for (p, form, kind, lang), (r, s) in sorted(self._ambiguous.items())
        ]

    def add_scrubbed(self, scrubber: NameScrubber) -> None:
        """Replacements the scrubber made here (thread titles), besides the chunks'."""
        self.scrubbed = dict(Counter(self.scrubbed) + scrubber.counts)
        scrubber.counts.clear()

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found.pop("_ambiguous")
        found.pop("parts")
        return found
