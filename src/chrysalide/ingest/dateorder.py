"""One order for a whole source's dates of three numbers: is ``01/05/2021`` 1 May or 5 January?

A value alone cannot always tell: ``13/01/2021`` is a date only day first, ``01/13/2021`` only month first, and
``01/05/2021`` either way. Read one by one, day first, a US export had five of its eight dates stored with day and
month swapped and three undated, without a word. An import therefore reads every such value of a source in one
order (:data:`~chrysalide.ingest.timestamps.DATE_ORDERS`):

- the order given (``--date-order``), else the one the source was read in before (``sources.options``);
- else the one its values prove. Until a value proves one, the ambiguous values are read day first and their text
  is staged beside them (column ``date_undecided``); when month first is proved they are read again that way
  (:func:`redate`) before anything is written;
- values proving both orders, or the other order than the source's, stop the import before anything is written,
  naming a value of each kind (:meth:`DateReader.settle`);
- a source none of whose values tells is read day first, with a warning naming ``--date-order mdy``.

Values whose reading does not depend on the order (ISO 8601, epoch times, month names, a four-digit year first,
the same number for day and month) are read as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.report import IngestReport
from chrysalide.ingest.staging import Staging, write
from chrysalide.ingest.timestamps import DATE_ORDERS, DEFAULT_ORDER, parse_timestamp, unreadable_reason

#: The staged column that keeps the text of a date read day first before the source's order was known.
UNDECIDED = "date_undecided"
_INFERRED = ("dmy", "mdy")  # the orders values can prove (a year of two digits first is never inferred)
_OTHER = {"dmy": "mdy", "mdy": "dmy"}


def checked_order(order: str | None) -> str | None:
    """``order`` checked against :data:`~chrysalide.ingest.timestamps.DATE_ORDERS` (None: inferred); another name
    is a ConfigError naming the choices."""
    if order is None or order in DATE_ORDERS:
        return order
    choices = ", ".join(f"{name} ({how})" for name, how in DATE_ORDERS.items())
    raise ConfigError(f"--date-order: unknown order {order!r}; one of {choices}")


def _described(order: str) -> str:
    """``mdy`` -> ``month first (12/31/2021)``."""
    return DATE_ORDERS[order]


@dataclass(frozen=True, slots=True)
class Sighting:
    """Where a date was read and its value as written (cut to 60 characters)."""

    where: str
    value: str


class DateReader:
    """Reads the dates of one import in one order, learning it from the values when it is not given.

    ``given``: the order the user chose; ``stored``: the order the source was read in before (None for a new
    source, or one whose dates never depended on it). ``order`` is the order in force, None until known.
    """

    def __init__(self, zone: tzinfo | None, given: str | None, stored: str | None, report: IngestReport) -> None:
        self.zone = zone
        self.given = given
        self.stored = stored
        self.order = given or stored
        # An order chosen (ymd is never inferred) reads every value so; otherwise values are watched for proofs.
        self._fixed = given is not None or stored not in (None, *_INFERRED)
        self._where = report.where
        self._report = report
        self.proofs: dict[str, Sighting] = {}
        # Dates either way read day first while no order was known: how many, and the first.
        self.provisional = 0
        self.first_ambiguous: Sighting | None = None

    def parse(self, value: Any) -> datetime | None:
        """``value`` in the order in force (day first while none is): for dates that prove nothing (members')."""
        return parse_timestamp(value, self.zone, self.order or DEFAULT_ORDER)

    def read(self, value: Any, record_no: int) -> tuple[datetime | None, bool]:
        """A message's date and whether it was read day first only for want of a known order (to stage its text)."""
        if self._fixed or not isinstance(value, str) or value[:4].isdigit():
            return self.parse(value), False  # a number, a date object, ISO 8601 or a year first: any order reads it
        if self.order is not None:  # known: a value read so proves nothing; one that is not may prove the other order
            posted = parse_timestamp(value, self.zone, self.order)
            if posted is None and parse_timestamp(value, self.zone, _OTHER[self.order]) is not None:
                self.proofs.setdefault(_OTHER[self.order], Sighting(self._where(record_no), value[:60]))
            return posted, False
        day = parse_timestamp(value, self.zone, "dmy")
        month = parse_timestamp(value, self.zone, "mdy")
        if day == month:
            return day, False
        if day is not None and month is not None:
            if self.first_ambiguous is None:
                self.first_ambiguous = Sighting(self._where(record_no), value[:60])
            self.provisional += 1
            return day, True
        proved = "dmy" if day is not None else "mdy"
        self.proofs[proved] = Sighting(self._where(record_no), value[:60])
        self.order = proved
        return day or month, False

    def unreadable(self, value: Any) -> str | None:
        """Why a value could not be read, where more can be said (``timestamps.unreadable_reason``)."""
        return unreadable_reason(value, self.zone, self.order or DEFAULT_ORDER)

    def settle(self, path: Path, source_id: str) -> str | None:
        """The order the import read its dates in (None: none depended on it), once every record is read.

        Raises InputError, before anything is written, when values prove both orders or the other order than the
        source's; warns when the ambiguous values were read day first because no value told.
        """
        if self._fixed:
            return self.order
        day, month = self.proofs.get("dmy"), self.proofs.get("mdy")
        if day is not None and month is not None:
            raise InputError(
                f"{path}: its dates are written both day first ({day.where}: {day.value!r}) and month first "
                f"({month.where}: {month.value!r}), and each read in the order it happens to fit would mix both "
                "silently. Give the order of most with --date-order dmy or --date-order mdy (the dates of the other "
                "order are then kept undated, each with a warning); nothing imported (docs/importers.md)"
            )
        against = [(order, seen) for order, seen in self.proofs.items() if self.stored not in (None, order)]
        if against:
            other, seen = against[0]
            raise InputError(
                f"{path}: source {source_id!r} was read {_described(str(self.stored))} (--date-order {self.stored}), "
                f"but {seen.where}: {seen.value!r} is a date only {_described(other)}. Import it again with "
                f"--date-order {self.stored} (the dates of the other order then kept undated, each with a warning), "
                "or into a new database in its own order; nothing imported (docs/importers.md)"
            )
        if self.order is None and self.provisional:
            self.order = DEFAULT_ORDER
            first = self.first_ambiguous
            assert first is not None  # noqa: S101 - counted with the first ambiguous value
            self._report.warn(
                f"{self.provisional:,} date(s) of three numbers, such as {first.where}: {first.value!r}, were read "
                f"{_described(DEFAULT_ORDER)}: none of the source's dates tells whether it writes the day or the month "
                "first (no number above 12 in either place). If it writes the month first, import it into a new "
                "database with --date-order mdy (docs/importers.md)",
                whole=True,
            )
        return self.order

    def redate(self, stage: Staging) -> int:
        """Read again month first the dates staged day first before month first was proved; how many."""
        if self.order != "mdy" or not self.provisional:
            return 0
        return redate(stage, self.zone, self.order)


def redate(stage: Staging, zone: tzinfo | None, order: str) -> int:
    """Rewrite the staged chunks' dates whose text was kept undecided (:data:`UNDECIDED`) read in ``order``."""
    done = 0
    for chunk in stage.chunks:
        if pq.read_table(chunk.raw, columns=[UNDECIDED])[UNDECIDED].null_count == chunk.size:
            continue
        table = pq.read_table(chunk.raw)
        undecided = table[UNDECIDED].to_pylist()
        posted = table["posted_at"].to_pylist()
        dates = [
            at if text is None else parse_timestamp(text, zone, order)
            for at, text in zip(posted, undecided, strict=True)
        ]
        done += sum(text is not None for text in undecided)
        index = table.schema.get_field_index("posted_at")
        write(table.set_column(index, "posted_at", pa.array(dates, pa.timestamp("us"))), chunk.raw)
    return done
