"""The ``phpbb`` importer: a phpBB MySQL dump, or an export folder of ``.bb`` + ``.meta`` pairs.

One name for both layouts so that ``--format phpbb`` works on either; ``sniff`` and ``read`` choose
by what the path is (a folder -> :mod:`.phpbb_export`, a ``.sql`` file -> :mod:`.phpbb_sql`).
BBCode becomes plain text in :mod:`chrysalide.ingest.bbcode`, quotes kept apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from chrysalide.errors import ConfigError, InputError
from chrysalide.ingest.formats.phpbb_export import PhpbbExportReader, export_root
from chrysalide.ingest.formats.phpbb_sql import PhpbbSqlReader, sniff_sql
from chrysalide.ingest.records import Record
from chrysalide.ingest.registry import register


@register
class PhpbbImporter:
    """phpBB forums: SQL dumps (option ``table_prefix``, detected when absent) or export folders."""

    name: ClassVar[str] = "phpbb"
    version: ClassVar[str] = "1"
    #: phpBB numbers every post of a forum in one sequence, across its boards (chrysalide.ingest.sampled).
    sequential_ids: ClassVar[bool] = True

    def __init__(self, table_prefix: str | None = None) -> None:
        self.table_prefix = table_prefix

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if path.is_dir():
            return export_root(path) is not None
        return sniff_sql(path)

    def read(self, path: Path) -> Iterator[Record]:
        if path.is_dir():
            if self.table_prefix is not None:
                raise ConfigError("option table_prefix applies to phpBB SQL dumps, not to export folders")
            return PhpbbExportReader().read(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file or folder")
        return PhpbbSqlReader(self.table_prefix).read(path)
