"""Text segments (Alceste's "unités de contexte élémentaires") exactly as rainette cuts them.

Reinert (1983) classifies short text segments rather than whole texts. This is rainette's
``split_segments`` (J. Barnier, R package rainette, R/split_segments.R; described in
docs/design REINERT.md section 2.1), reimplemented from that description:

* words are the pieces between single space characters (newlines and tabs are not separators,
  punctuation stays on the words, empty pieces are dropped);
* each word weighs by its last character: ``. ? ! …`` 6, ``:`` 5, ``;`` 4, ``,`` 1, else 0.01;
* a text of at most ``segment_size`` words is one segment;
* otherwise, greedily from the left, while more than ``segment_size + window`` words remain, the
  segment ends at the first position ``j`` in ``1 .. segment_size + window`` maximising
  ``weight(word j) / (|j - segment_size| + 1)``; the remaining words form the last segment.

``window`` defaults to ``0.4 * segment_size`` (16 for 40), as in rainette.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from operator import itemgetter

_WEIGHTS = {".": 6.0, "?": 6.0, "!": 6.0, "\u2026": 6.0, ":": 5.0, ";": 4.0, ",": 1.0}
_DEFAULT_WEIGHT = 0.01
_PUNCT_RE = re.compile("[" + re.escape("".join(_WEIGHTS)) + "]")
_LAST_CHAR = itemgetter(-1)


def split_words(text: str) -> list[str]:
    """The words rainette sees: pieces between single spaces, empty pieces dropped."""
    return [word for word in text.split(" ") if word]


def segment_ends(words: list[str], segment_size: int = 40, window: float | None = None) -> list[int]:
    """End index (exclusive) in ``words`` of each segment; ``words`` must have no empty word.

    Same cuts as scoring every position of the window (rainette's loop), computed faster: a
    word without punctuation weighs 0.01, so among such words only the one at the smallest
    distance from ``segment_size`` can win, and the other candidates are the punctuated words,
    found by one regex over the string of the words' last characters (C loops, not per word).
    Scores are the same floating-point divisions, and ties go to the first position, as R's which.max.
    """
    if segment_size < 1:
        raise ValueError(f"segment_size must be at least 1, got {segment_size}")
    n = len(words)
    if n <= segment_size:
        return [n] if n else []
    span = segment_size + (0.4 * segment_size if window is None else window)
    last = math.floor(span)  # R's 1:(S + W) with a fractional bound stops at its floor
    lasts = "".join(map(_LAST_CHAR, words))
    punct = [m.start() for m in _PUNCT_RE.finditer(lasts)]
    # The unpunctuated position with the smallest denominator |j - S| + 1.
    j_default = min(segment_size, last)
    default_score = _DEFAULT_WEIGHT / (abs(j_default - segment_size) + 1)
    ends: list[int] = []
    start = first = 0
    while n - start > span:
        best_j, best = 1, -1.0  # rainette's start values: an empty window cuts one word
        if last >= 1:
            first = bisect_left(punct, start, first)
            for p in punct[first : bisect_left(punct, start + last, first)]:
                j = p - start + 1
                score = _WEIGHTS[lasts[p]] / (abs(j - segment_size) + 1)
                if score > best:  # strict: the first maximum wins
                    best_j, best = j, score
            # the unpunctuated candidate, placed in position order (ties go to the earlier one)
            if lasts[start + j_default - 1] not in _WEIGHTS and (
                default_score > best or (default_score == best and j_default < best_j)
            ):
                best_j = j_default
        start += best_j
        ends.append(start)
    ends.append(n)
    return ends


def split_segments(text: str, segment_size: int = 40, window: float | None = None) -> list[str]:
    """Cut ``text`` into segments of about ``segment_size`` words, preferably after punctuation.

    Returns the segments' words joined by single spaces; an empty text gives no segment.
    """
    words = split_words(text)
    segments = []
    start = 0
    for end in segment_ends(words, segment_size, window):
        segments.append(" ".join(words[start:end]))
        start = end
    return segments


def split_segments_reference(text: str, segment_size: int = 40, window: float | None = None) -> list[str]:
    """rainette's loop scoring every position of the window (tests compare it with the fast cut)."""
    if segment_size < 1:
        raise ValueError(f"segment_size must be at least 1, got {segment_size}")
    words = split_words(text)
    if not words:
        return []
    if len(words) <= segment_size:
        return [" ".join(words)]
    span = segment_size + (0.4 * segment_size if window is None else window)
    last = math.floor(span)
    weights = [_WEIGHTS.get(word[-1], _DEFAULT_WEIGHT) for word in words]
    segments = []
    start = 0
    while len(words) - start > span:
        best_j, best = 1, -1.0
        for j in range(1, last + 1):
            score = weights[start + j - 1] / (abs(j - segment_size) + 1)
            if score > best:
                best_j, best = j, score
        segments.append(" ".join(words[start : start + best_j]))
        start += best_j
    segments.append(" ".join(words[start:]))
    return segments
