"""Tables a SPARQL query wrote: their cells are RDF terms, their strings escaped as Turtle escapes them.

A result table whose columns are SPARQL variables (``?postURL;?contentPost``: W3C SPARQL 1.1 Query Results CSV
and TSV Formats, 2013, section 3, names them with their ``?``) writes each value in Turtle syntax, and a Turtle
string escapes its double quotes and backslashes (W3C RDF 1.1 Turtle, 2014, section 6.4: ``\\"`` and ``\\\\``).
Read as a plain CSV, the escapes stay in the text: 468 of the 2,032 posts of Doctissimo's IVG export and 29 of its
5,085 thread titles kept ``\\"`` for each quote, and the warning sign ``/!\\`` read ``/!\\\\``. These two escapes, the
ones the export writes, are decoded in such a table, and only there: in another table ``\\"`` and a UNC path's
``\\\\server`` are what the writer typed. Any other backslash stays as it is (``C:\\new``, ``\\o/``): a
Turtle ``\\n`` or ``\\u00e9`` is no escape of that export, and decoding it would break such text.

The escapes belong to the format, not to the member's text: they are decoded as the table is read, like CSV's
doubled quotes or JSON's escapes, before markup cleaning and before the text step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ESCAPE = re.compile(r'\\(["\\])')


def is_result_header(header: Sequence[str]) -> bool:
    """True for the header of a SPARQL result table: every column that has a name names a ``?`` variable."""
    names = [name for name in header if name]
    return bool(names) and all(name.startswith("?") for name in names)


def unescape(cell: str) -> str:
    """``cell`` with the string escapes of Turtle's quotes and backslashes decoded (``\\"`` -> ``"``,
    ``\\\\`` -> ``\\``), from left to right as a Turtle reader does; any other backslash kept."""
    return _ESCAPE.sub(r"\1", cell) if "\\" in cell else cell
