"""Exceptions users can meet; the CLI turns each into a one-line message and a non-zero exit."""


class ChrysalideError(Exception):
    """Base of every error caused by user input or configuration, never by a bug."""


class StoreError(ChrysalideError):
    """The database cannot be opened or lacks what a stage needs."""


class InputError(ChrysalideError):
    """An input file or folder is unusable as a whole (missing, empty, binary, unknown format)."""


class ConfigError(ChrysalideError):
    """A parameter, codebook or option is invalid."""
