"""Chrysalide: observe how an online patient community empowers its members and itself.

>>> import chrysalide
>>> corpus = chrysalide.open("chrysalide.duckdb")      # doctest: +SKIP
>>> corpus.messages().head()                           # doctest: +SKIP

``Corpus`` and ``open`` are imported on first use: the ``chrysalide`` command imports this package before it
can handle Ctrl-C, and pandas takes half a second to import.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from chrysalide.corpus import Corpus, open  # noqa: A004

__all__ = ["Corpus", "__version__", "open"]


def __getattr__(name: str) -> Any:
    """``Corpus`` and ``open`` of :mod:`chrysalide.corpus`, imported on first use."""
    if name in {"Corpus", "open"}:
        from chrysalide import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module 'chrysalide' has no attribute {name!r}")
