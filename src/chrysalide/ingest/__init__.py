"""Importers (one module per format in ``ingest/formats``), the registry and the loader."""

from chrysalide.ingest.loader import default_source_id, ingest, known_formats, parse_mapping
from chrysalide.ingest.records import MemberRecord, MessageRecord, Reject, ThreadRecord
from chrysalide.ingest.registry import register
from chrysalide.ingest.report import IngestReport

__all__ = [
    "IngestReport",
    "MemberRecord",
    "MessageRecord",
    "Reject",
    "ThreadRecord",
    "default_source_id",
    "ingest",
    "known_formats",
    "parse_mapping",
    "register",
]
