"""The importer registry: one name per format, the same registry for plug-ins.

An importer is a class with a ``name``, a ``sniff(path)`` that says whether a path looks like its
format, and ``read(path)`` yielding :mod:`chrysalide.ingest.records`. Third-party importers register
with :func:`register` or the ``chrysalide.importers`` entry-point group. An importer may also have a ``traits``
dict, filled while it reads: what the input says of the whole source (``boards_collected_apart``,
:data:`~chrysalide.ingest.records.BOARDS_APART`), kept with the source's options. An importer whose native ids name
a message across its whole platform (Reddit's ``t1_``/``t3_`` ids) sets ``global_ids = True``: the same id in
another source of its format is then the same message, whatever else differs (an edited text, a comment placed in
another thread by another file); elsewhere an id is only the forum's own, and the loader also compares contents.
An importer whose forum numbers every post in one sequence (phpBB's ``post_id``) sets ``sequential_ids = True``:
the loader then warns when a source holds few of the ids in its range (``ingest/sampled.py``: a selection).
An importer may have ``notices`` too: warnings about the whole input learned while reading it (a table's columns
that no field reads, ``ingest/columns.py``), which the loader puts first among the import's warnings.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar, Protocol

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.records import Record


class Importer(Protocol):
    """The contract every importer follows."""

    name: ClassVar[str]
    version: ClassVar[str]

    def __init__(self, **options: Any) -> None: ...

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """True when ``path`` looks like this format (cheap: name, first bytes)."""
        ...

    def read(self, path: Path) -> Iterator[Record]:
        """Yield records in source order; never raise on a bad record, yield a Reject."""
        ...


class OptionlessImporter:
    """Base of the importers that take no option: any option is refused with the format's name."""

    name: ClassVar[str]

    def __init__(self, **options: Any) -> None:
        if options:
            raise ConfigError(f"format {self.name!r} takes no options (got {', '.join(sorted(options))})")


_REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator adding an importer under its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


def _load_builtin() -> None:
    # Importing the modules runs their @register decorators.
    from chrysalide.ingest import formats  # noqa: F401

    for ep in entry_points(group="chrysalide.importers"):
        register(ep.load())


def names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def get(name: str) -> type[Importer]:
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise InputError(f"unknown format {name!r}; known formats: {', '.join(sorted(_REGISTRY))}") from None


def detect(path: Path) -> type[Importer]:
    """The first registered importer whose ``sniff`` accepts ``path``."""
    _load_builtin()
    # Specific formats first; the generic tabular ones last.
    specific = [c for n, c in sorted(_REGISTRY.items()) if n not in ("csv", "jsonl")]
    for cls in [*specific, _REGISTRY.get("jsonl"), _REGISTRY.get("csv")]:
        if cls is not None and cls.sniff(path):
            return cls
    if path.is_dir():
        from chrysalide.ingest.formats.tabular import one_file_each, tables_in

        if tables_in(path):
            raise InputError(one_file_each(path))
    raise InputError(f"{path}: cannot tell the format; pass --format ({', '.join(sorted(_REGISTRY))})")
