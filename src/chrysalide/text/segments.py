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

_WEIGHTS = {".": 6.0, "?": 6.0, "!": 6.0, "\u2026": 6.0, ":": 5.0, ";": 4.0, ",": 1.0}
_DEFAULT_WEIGHT = 0.01


def split_words(text: str) -> list[str]:
    """The words rainette sees: pieces between single spaces, empty pieces dropped."""
    return [word for word in text.split(" ") if word]


def split_segments(text: str, segment_size: int = 40, window: int | None = None) -> list[str]:
    """Cut ``text`` into segments of about ``segment_size`` words, preferably after punctuation.

    Returns the segments' words joined by single spaces; an empty text gives no segment.
    """
    if segment_size < 1:
        raise ValueError(f"segment_size must be at least 1, got {segment_size}")
    words = split_words(text)
    if not words:
        return []
    if len(words) <= segment_size:
        return [" ".join(words)]
    span = segment_size + (0.4 * segment_size if window is None else window)
    # R's 1:(S + W) with a fractional bound stops at its floor.
    last = math.floor(span)
    weights = [_WEIGHTS.get(word[-1], _DEFAULT_WEIGHT) for word in words]
    # Scores only depend on the relative position: precompute the denominators once.
    denominators = [abs(j - segment_size) + 1 for j in range(1, last + 1)]
    segments = []
    start = 0
    n = len(words)
    while n - start > span:
        best_j, best = 1, -1.0
        for j, denominator in enumerate(denominators, start=1):
            score = weights[start + j - 1] / denominator
            if score > best:  # strict: the first maximum wins, as R's which.max
                best_j, best = j, score
        segments.append(" ".join(words[start : start + best_j]))
        start += best_j
    segments.append(" ".join(words[start:]))
    return segments
