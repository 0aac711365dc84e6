"""Segments written in another language than their message's: left out of a one-language analysis.

A message's language is that of its whole text (``chrysalide.text.language``); a German post may still quote an
English abstract or an FDA statement, a French one an English study. Classified with the German segments, such
quotations made a class of their own on ADFD (125 segments) whose characteristic terms were English tool words
("be, to, the, that, and"), which the German lemmatiser took for full words. A segment is left out when
:func:`chrysalide.text.language.other_language` finds another language scoring more than the message's
(``MIXED_RATIO``): a segment written in it, or mixed, as a bilingual post alternating English sentences and their
German translation (ADFD: 38 such segments of one post made a class of its own, "not, that, but, my, to", once the
segments clearly in English were left out).

Scoring every segment in Python would cost about 20 microseconds each (9.5 CPU-seconds for the 500,874 French
segments of the generated forum of the study's size); DuckDB first keeps those that ``language.clue_pattern``
matches, as every segment written in another language, or mixed, does, and only those are scored (docs/lexical.md,
"Limits and memory"): at ``MIXED_RATIO`` one clue word of another language makes a candidate, 17% of the demo
forum's French segments (3.6% when two were needed, before mixed segments were left out).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from chrysalide.text.language import LANGUAGES, MIXED_RATIO, clue_pattern, other_language


def other_language_segments(
    con: duckdb.DuckDBPyConnection, lang: str, rows_sql: str, params: Sequence[object] = ()
) -> pd.DataFrame:
    """``segment_id`` and ``lang`` of the segments of ``rows_sql`` written in another language than ``lang``.

    ``rows_sql`` gives the ``segment_id`` and ``text`` of the analysed segments (``params`` are its own).
    """
    found: list[tuple[int, str]] = []
    if lang in LANGUAGES:
        pattern = clue_pattern(lang, MIXED_RATIO).replace("'", "''")  # a SQL literal: DuckDB compiles it once
        candidates = con.execute(
            f"SELECT c.segment_id, c.text FROM ({rows_sql}) c"
            f" WHERE regexp_matches(lower(replace(c.text, '\u2019', '''')), '{pattern}')",
            list(params),
        ).fetchall()
        for segment_id, text in candidates:
            other = other_language(text, lang, MIXED_RATIO)
            if other is not None:
                found.append((int(segment_id), other))
    return pd.DataFrame(found, columns=["segment_id", "lang"]).astype({"segment_id": "int64", "lang": object})
