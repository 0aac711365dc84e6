"""The pure per-message work of the text stage: a frame of messages in, features and segments out.

``process_frame`` is what every executor runs (in this process, in a pool of processes, or on
Dask partitions), so that all give the same rows. Per message it makes one pass of each kind:
``normalize``, ``detect`` (only when the language is unknown), one ``split(" ")`` into words,
one string of person codes over all the words (``words.word_codes``), the member's own prose
(``prose.member_prose``: what is not theirs is left out of the segments, never of the features; and the
closing lines the step found habitual for its writer, ``signatures.without_closing``),
rainette's cut (``segments.segment_ends``), and per segment one join of the words' terms and one of
their tool words. Columns are built as lists and turned into frames once.

A segment's ``text`` is its words as the member wrote them (pseudonymised; whitespace runs become one
space): ``normalize`` works word by word, so the normalised words map back to the written ones (one
written word gives several normalised ones only when a number is glued to a unit: ``75µg``).
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.text.language import detect
from chrysalide.text.normalize import normalize, normalize_spaced
from chrysalide.text.person import counts_from_codes
from chrysalide.text.prose import member_prose
from chrysalide.text.segments import segment_ends
from chrysalide.text.signatures import without_closing
from chrysalide.text.words import segment_terms, word_codes, word_lookups

FEATURE_COLUMNS = [
    "message_id", "lang", "n_tokens", "first_singular", "first_plural",
    "second_informal", "second_formal", "own_health", "left_out", "removed",
]  # fmt: skip
SEGMENT_COLUMNS = ["segment_id", "message_id", "seq", "text", "terms", "tool_terms"]

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


def written_owners(written: list[str], words: list[str]) -> list[int] | None:
    """For each normalised word, the index of the written word it comes from; None when they are the same.

    ``words`` is ``normalize(" ".join(written)).split(" ")``: each written word gives one normalised word,
    or several when ``normalize`` splits it (``75µg`` -> ``_num_ µg``).
    """
    if len(written) == len(words):
        return None
    owners: list[int] = []
    for i, word in enumerate(written):
        owners.extend([i] * (normalize(word).count(" ") + 1))
    return owners


def process_frame(df: pd.DataFrame, *, segment_size: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Text features and segments of the messages in ``df`` (columns message_id, text, lang, and optionally
    closing: the number of closing lines to leave out of the segments, :mod:`chrysalide.text.signatures`; and
    context: the language of the message's source, which a message too thin to tell takes, ``language.detect``).

    A missing ``lang`` (None/NaN/empty) is detected. Returns ``(features, segments)`` with the
    columns of the ``text_features`` and ``segments`` tables but ``run_id``. Features count the whole
    text; segments cut the member's own prose (``prose.member_prose``), whose removals are recorded in
    ``removed`` (comma-separated kinds, ``""`` when none) and, when nothing is left, ``left_out``. Pure: no store, no
    global state but the caches of words, tokens and lemmas.
    """
    if segment_size < 1:
        raise ValueError(f"segment_size must be at least 1, got {segment_size}")
    ids = df["message_id"].tolist()
    langs = df["lang"].tolist() if "lang" in df.columns else [None] * len(ids)
    closing = df["closing"].fillna(0).astype(int).tolist() if "closing" in df.columns else [0] * len(ids)
    contexts = df["context"].tolist() if "context" in df.columns else [None] * len(ids)
    out_lang: list[str] = []
    counts: list[tuple[int, int, int, int, bool]] = []
    n_tokens: list[int] = []
    left_out: list[str | None] = []
    removed: list[str] = []
    seg_message: list[int] = []
    seg_seq: list[int] = []
    seg_text: list[str] = []
    seg_terms: list[str] = []
    seg_tools: list[str] = []
    for message_id, text, lang, lines, context in zip(ids, df["text"].tolist(), langs, closing, contexts, strict=True):
        raw = text if isinstance(text, str) else ""
        written = raw.split()
        shown = " ".join(written)  # the written words; normalize would collapse the whitespace the same way
        norm = normalize_spaced(shown)
        if not isinstance(lang, str) or not lang:
            lang = detect(norm, context if isinstance(context, str) else None)
        # normalize leaves single spaces between words and none at the ends
        words = norm.split(" ") if norm else []
        codes, lookups = word_codes(words, lang)
        out_lang.append(lang)
        n_tokens.append(len(codes))
        counts.append(counts_from_codes(codes, lang, norm))
        prose = member_prose(raw)
        if lines:
            prose = without_closing(prose, lines)
        left_out.append(prose.left_out)
        removed.append(",".join(prose.removed) if prose.removed else "")
        if prose.text is not raw:  # segments read the member's own words only
            written = prose.text.split()
            shown = " ".join(written)
            norm = normalize_spaced(shown)
            words = norm.split(" ") if norm else []
            lookups = word_lookups(words, lang) if words else lookups
        if not words:
            continue
        terms, tools = lookups.terms, lookups.tools
        if len(words) <= segment_size:
            seg_message.append(message_id)
            seg_seq.append(0)
            seg_text.append(shown)
            seg_terms.append(segment_terms(words, terms))
            seg_tools.append(segment_terms(words, tools))
            continue
        owners = written_owners(written, words)
        # shown is " ".join(written): a segment's text is a slice, found from cumulative word lengths
        lengths = list(accumulate(map(len, written)))
        start = 0
        for seq, end in enumerate(segment_ends(words, segment_size)):
            first, last = start, end
            if owners is not None:  # a written word belongs to the segment holding its first piece
                first, last = owners[start], owners[end - 1] + 1
                if start > 0 and owners[start - 1] == first and last > first + 1:
                    first += 1
            part = words[start:end]
            seg_message.append(message_id)
            seg_seq.append(seq)
            seg_text.append(shown[lengths[first - 1] + first if first else 0 : lengths[last - 1] + last - 1])
            seg_terms.append(segment_terms(part, terms))
            seg_tools.append(segment_terms(part, tools))
            start = end
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
            "left_out": pd.Series(left_out, dtype="object"),
            "removed": pd.Series(removed, dtype="object"),
        }
    )
    segs = pd.DataFrame(
        {
            "segment_id": segment_ids(seg_message, seg_seq),
            "message_id": np.asarray(seg_message, dtype=np.int64),
            "seq": np.asarray(seg_seq, dtype=np.int32),
            "text": pd.Series(seg_text, dtype="object"),
            "terms": pd.Series(seg_terms, dtype="object"),
            "tool_terms": pd.Series(seg_tools, dtype="object"),
        }
    )
    return feats, segs
