"""Exports for other tools: REFI-QDA (.qdpx, .qdc), IRaMuTeQ corpora, Parquet / CSV tables.

Every export goes through the privacy gate of :mod:`chrysalide.report.export.data` (consent,
exclusion, contact scrubbing); see docs/exports.md and docs/privacy.md.
"""

from chrysalide.report.export.iramuteq import export_iramuteq, read_corpus
from chrysalide.report.export.qdc import export_codebook
from chrysalide.report.export.refi import export_refi
from chrysalide.report.export.tables import export_csv, export_parquet, export_tables

__all__ = [
    "export_codebook",
    "export_csv",
    "export_iramuteq",
    "export_parquet",
    "export_refi",
    "export_tables",
    "read_corpus",
]
