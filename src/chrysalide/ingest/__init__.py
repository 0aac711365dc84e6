"""Importers (one module per format in ``ingest/formats``), the registry and the loader."""
