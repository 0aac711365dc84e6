"""Self-contained HTML report: figures (inline SVG), tables, consent-gated quotes and method notes.

>>> from chrysalide.report.html import report
>>> report(store, "report.html")          # doctest: +SKIP
"""

from chrysalide.report.html.build import render, report

__all__ = ["render", "report"]
