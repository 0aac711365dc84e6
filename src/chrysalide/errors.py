"""Exceptions users can meet; the CLI turns each into a one-line message and a non-zero exit.

:func:`explain` also names the faults that are no bug and no user error but the machine's: a full disk,
a damaged database file, a database held by another process. The CLI prints its sentence and exits 2.
"""

from __future__ import annotations

import errno

#: OS errors that mean the disk is full (or a file grew beyond what the system allows).
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_DISK_FULL_WORDS = ("no space left on device", "disk is full", "disk quota exceeded", "file too large")
_DAMAGED_WORDS = (
    "corrupt database", "checksum", "could not read enough bytes", "not a valid duckdb database",
    "failed to read database header", "serialization error", "invalid database header",
)  # fmt: skip


class ChrysalideError(Exception):
    """Base of every error caused by user input or configuration, never by a bug."""


class StoreError(ChrysalideError):
    """The database cannot be opened or lacks what a stage needs."""


class InputError(ChrysalideError):
    """An input file or folder is unusable as a whole (missing, empty, binary, unknown format)."""


class ConfigError(ChrysalideError):
    """A parameter, codebook or option is invalid."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or while handling (a failed clean-up hides the cause)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _disk_full_line(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return _first_line(exc)
    for line in str(exc).splitlines():
        if any(word in line.lower() for word in _DISK_FULL_WORDS):
            return line.strip()
    return None


def explain(exc: BaseException) -> str | None:
    """A one-line sentence for a fault of the machine or of the database file, or None for anything else."""
    import duckdb

    if not isinstance(exc, OSError | duckdb.Error):
        return None
    for found in exception_chain(exc):
        line = _disk_full_line(found)
        if line is not None:
            return (
                f"the disk is full ({line}): free some space and run the command again; nothing of the step"
                " that was running was written"
            )
    text = str(exc).lower()
    if "conflicting lock" in text or "could not set lock" in text:
        return f"the database is open in another process ({_first_line(exc)}); close it or wait for it to finish"
    if isinstance(exc, duckdb.Error) and any(word in text for word in _DAMAGED_WORDS):
        return f"the database file is damaged ({_first_line(exc)}): restore it from a backup"
    return None
