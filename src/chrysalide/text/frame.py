"""The pure per-message work of the text stage: a frame of messages in, features and segments out.

``process_frame`` is what every executor runs (in this process, in a pool of processes, or on
Dask partitions), so that all give the same rows. Per message it makes one pass of each kind:
``normalize``, ``detect`` (only when the language is unknown), one ``split(" ")`` into words,
one string of person codes over all the words (``words.word_codes``), rainette's cut
(``segments.segment_ends``), and per segment one join of the words' terms. Columns are built as
lists and turned into frames once.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.text.language import detect
from chrysalide.text.normalize import normalize
from chrysalide.text.person import counts_from_codes
from chrysalide.text.segments import segment_ends
from chrysalide.text.words import segment_terms, word_codes

FEATURE_COLUMNS = [
    "message_id", "lang", "n_tokens", "first_singular", "first_plural",
    "second_informal", "second_formal", "own_health",
]  # fmt: skip
SEGMENT_COLUMNS = ["segment_id", "message_id", "seq", "text", "terms"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MASK63 = np.uint64(0x7FFF_FFFF_FFFF_FFFF)


def segment_ids(message_ids: Any, seqs: Any) -> np.ndarray:
    """Stable 63-bit ids of segments: the splitmix64 finaliser of ``message_id ^ seq * φ``.

    ``message_id * 1000 + seq`` overflows for 63-bit hashed message ids; a hash keeps ids
    positive BIGINTs, stable across runs and machines, and independent of batch order. With
    10 million segments the chance of any collision is about 5e-6 (the primary key would reject it).
    Mixer: Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators" (SplitMix64).
    """
    x = np.asarray(message_ids, dtype=np.int64).astype(np.uint64)
    s = np.asarray(seqs, dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        x = x ^ (s * _GOLDEN)
        x = (x ^ (x >> np.uint64(30))) * _MIX1
        x = (x ^ (x >> np.uint64(27))) * _MIX2
        x = x ^ (x >> np.uint64(31))
    return (x & _MASK63).astype(np.int64)


def process_frame(df: pd.DataFrame, *, segment_size: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Text features and segments of the messages in ``df`` (columns message_id, text, lang).

    A missing ``lang`` (None/NaN/empty) is detected. Returns ``(features, segments)`` with the
    columns of the ``text_features`` and ``segments`` tables but ``run_id``. Pure: no store, no
    global state but the caches of words, tokens and lemmas.
    """
    if segment_size < 1:
        raise ValueError(f"segment_size must be at least 1, got {segment_size}")
    ids = df["message_id"].tolist()
    langs = df["lang"].tolist() if "lang" in df.columns else [None] * len(ids)
    out_lang: list[str] = []
    counts: list[tuple[int, int, int, int, bool]] = []
    n_tokens: list[int] = []
    seg_message: list[int] = []
    seg_seq: list[int] = []
    seg_text: list[str] = []
    seg_terms: list[str] = []
    for message_id, text, lang in zip(ids, df["text"].tolist(), langs, strict=True):
        norm = normalize(text) if isinstance(text, str) else ""
        if not isinstance(lang, str) or not lang:
            lang = detect(norm)
        # normalize leaves single spaces between words and none at the ends
        words = norm.split(" ") if norm else []
        codes, terms = word_codes(words, lang)
        out_lang.append(lang)
        n_tokens.append(len(codes))
        counts.append(counts_from_codes(codes, lang, norm))
        if len(words) <= segment_size:
            if words:
                seg_message.append(message_id)
                seg_seq.append(0)
                seg_text.append(norm)
                seg_terms.append(segment_terms(words, terms))
            continue
        # norm is " ".join(words): a segment's text is a slice, found from cumulative word lengths
        lengths = list(accumulate(map(len, words)))
        start = start_char = 0
        for seq, end in enumerate(segment_ends(words, segment_size)):
            end_char = lengths[end - 1] + end - 1
            seg_message.append(message_id)
            seg_seq.append(seq)
            seg_text.append(norm[start_char:end_char])
            seg_terms.append(segment_terms(words[start:end], terms))
            start, start_char = end, end_char + 1
    person = np.array(counts, dtype=np.int64).reshape(len(counts), 5)
    feats = pd.DataFrame(
        {
            "message_id": np.asarray(ids, dtype=np.int64),
            "lang": pd.Series(out_lang, dtype="object"),
            "n_tokens": np.asarray(n_tokens, dtype=np.int32),
            "first_singular": person[:, 0].astype(np.int32),
            "first_plural": person[:, 1].astype(np.int32),
            "second_informal": person[:, 2].astype(np.int32),
            "second_formal": person[:, 3].astype(np.int32),
            "own_health": person[:, 4].astype(bool),
        }
    )
    segs = pd.DataFrame(
        {
            "segment_id": segment_ids(seg_message, seg_seq),
            "message_id": np.asarray(seg_message, dtype=np.int64),
            "seq": np.asarray(seg_seq, dtype=np.int32),
            "text": pd.Series(seg_text, dtype="object"),
            "terms": pd.Series(seg_terms, dtype="object"),
        }
    )
    return feats, segs
