"""Chrysalide: observe how an online patient community empowers its members and itself.

>>> import chrysalide
>>> corpus = chrysalide.open("chrysalide.duckdb")      # doctest: +SKIP
>>> corpus.messages().head()                           # doctest: +SKIP
"""

__version__ = "0.1.0"

from chrysalide.corpus import Corpus, open  # noqa: E402,A004

__all__ = ["Corpus", "__version__", "open"]
