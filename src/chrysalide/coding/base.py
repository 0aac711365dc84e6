"""What every stage coder shares: the input frame, the text analysis, and the coded output table.

A coder is scikit-learn shaped: ``fit(X, y)`` returns self, ``predict_proba(X)`` gives one column per code
of :data:`~chrysalide.coding.codebook.CODES` (rows sum to 1), ``predict(X)`` the primary codes, and
``code(X)`` the full table (primary, secondary, decentered, score per stage, confidence). ``X`` is a
DataFrame with a ``text`` column and, optionally, ``lang``, ``kind`` (``thread_start`` / ``reply``),
``is_first_post``, ``reply_to_other`` and ``own_thread`` (the structural context).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.coding.codebook import CODES
from chrysalide.ingest.markup import clean
from chrysalide.text import detect, lemmatize, normalize, person_features, tokenize
from chrysalide.text.prose import member_prose

CONTEXT_COLUMNS = ("is_first_post", "reply_to_other", "own_thread")
_REPLY_KINDS = {"reply", "reply_to_post", "reply_to_comment"}
_TRUE = {"1", "true", "t", "yes", "y"}
_KNOWN_LANGS = {"en", "fr", "de"}


def own_words(text: str) -> str:
    """The author's own words: the markup a source left resolved, then quoted posts and bot text removed.

    CODEBOOK.md: "in a message that quotes an earlier post, code only the author's own words". The same two
    definitions as the rest of the pipeline: :func:`chrysalide.ingest.markup.clean` (HTML, entities and
    leftover BBCode, e.g. patient.info's ``<p>I&#39;m ...</p>``, whose entities would otherwise hide pronouns
    such as "I'm"; stored texts are already clean, a gold CSV may not be) and
    :func:`chrysalide.text.prose.member_prose` (quotes, removal markers, bot commands, embedded media). A
    message with nothing of its own left (only a quote, a removal marker, a bot's text) keeps its text. The
    privacy step's ``[email]`` mark reads as a BBCode tag and is dropped: the coder sees the sentence without it.
    """
    cleaned = clean(text)
    return member_prose(cleaned).text or cleaned


def _flag(series: pd.Series) -> np.ndarray:
    """Booleans from 0/1, true/false, yes/no or missing (missing = False: no evidence of the context)."""
    if series.dtype == bool:  # straight from SQL: no per-row work
        return series.to_numpy(bool)
    return series.map(lambda v: str(v).strip().lower() in _TRUE if pd.notna(v) else False).to_numpy(bool)


@dataclass
class Batch:
    """Analysed messages and their context, column by column: the common input of every coder's features.

    ``person`` holds the pronoun counts (first singular, first plural, second informal, second formal) of
    :func:`chrysalide.text.person_features`. ``memo`` keeps results derived from the batch (the lexicon
    scores, read by both the lexicon coder and the model's dense features) so they are computed once; each
    value is a tuple of arrays with one row per message, so that :meth:`take` can slice it.
    """

    texts: list[str]  # normalised
    langs: list[str]
    tokens: list[list[str]]
    lemmas: list[list[str]]
    person: np.ndarray  # n x 4 int
    own_health: np.ndarray
    thread_start: np.ndarray
    reply: np.ndarray
    first_post: np.ndarray
    reply_to_other: np.ndarray
    own_thread: np.ndarray
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def n_tokens(self) -> np.ndarray:
        return np.fromiter(map(len, self.tokens), dtype=np.int64, count=len(self.tokens))

    def take(self, idx: Sequence[int] | np.ndarray) -> Batch:
        """The messages at positions ``idx`` (cross-validation analyses texts once, then slices)."""
        idx = np.asarray(idx, dtype=int)
        pick = [int(i) for i in idx]
        memo = {key: tuple(a[idx] for a in value) for key, value in self.memo.items()}
        return Batch([self.texts[i] for i in pick], [self.langs[i] for i in pick], [self.tokens[i] for i in pick],
                     [self.lemmas[i] for i in pick], self.person[idx], self.own_health[idx], self.thread_start[idx],
                     self.reply[idx], self.first_post[idx], self.reply_to_other[idx], self.own_thread[idx], memo)  # fmt: skip


def as_frame(X: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
    """Accept a DataFrame with ``text`` or a plain list of texts."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError("X must have a 'text' column")
        return X
    return pd.DataFrame({"text": list(X)})


def analyse_texts(texts: Sequence[Any], langs: Sequence[Any]) -> tuple[list[str], list[str], list[list[str]],
                                                                          list[list[str]], np.ndarray]:  # fmt: skip
    """Normalised text, language, tokens, lemmas and person counts (+ own health) of each message, once.

    The steps of :func:`chrysalide.text.analyze` but the full-word filter, which no coder reads. ``lang`` is
    used when it is a language the text layer knows, else detected.
    """
    out_texts, out_langs, out_tokens, out_lemmas, person = [], [], [], [], []
    for text, lang in zip(texts, langs, strict=True):
        norm = normalize(own_words(text)) if isinstance(text, str) else ""
        if not (isinstance(lang, str) and lang in _KNOWN_LANGS):
            lang = detect(norm)
        tokens = tokenize(norm, lang)
        p = person_features(tokens, lang, text=norm)
        out_texts.append(norm)
        out_langs.append(lang)
        out_tokens.append(tokens)
        out_lemmas.append(lemmatize(tokens, lang))
        person.append((p.first_singular, p.first_plural, p.second_informal, p.second_formal, p.own_health))
    table = np.array(person, dtype=np.int64).reshape(len(person), 5)
    return out_texts, out_langs, out_tokens, out_lemmas, table


def prepare(X: pd.DataFrame | Sequence[str] | Batch) -> Batch:
    """Analyse each text (language from ``lang`` when given and known, else detected) and read the context."""
    if isinstance(X, Batch):
        return X
    frame = as_frame(X)
    n = len(frame)
    column = frame["text"]
    texts = [t if isinstance(t, str) else str(t) for t in column.where(column.notna(), "").tolist()]
    langs = frame["lang"].tolist() if "lang" in frame else [None] * n
    norm, lang, tokens, lemmas, person = analyse_texts(texts, langs)
    kind = frame["kind"].astype(str).str.lower() if "kind" in frame else pd.Series([""] * n, index=frame.index)
    empty = pd.Series([None] * n, index=frame.index)
    return Batch(
        texts=norm,
        langs=lang,
        tokens=tokens,
        lemmas=lemmas,
        person=person[:, :4],
        own_health=person[:, 4].astype(bool),
        thread_start=(kind == "thread_start").to_numpy(bool),
        reply=kind.isin(_REPLY_KINDS).to_numpy(bool),
        first_post=_flag(frame.get("is_first_post", empty)),
        reply_to_other=_flag(frame.get("reply_to_other", empty)),
        own_thread=_flag(frame.get("own_thread", empty)),
    )


class StageCoder:
    """Base of the coders: turns probabilities and secondary codes into the coded table."""

    classes_: np.ndarray = np.array(CODES)

    def fit(self, X: pd.DataFrame | Sequence[str], y: Sequence[str] | None = None) -> StageCoder:
        raise NotImplementedError

    def _code_batch(self, batch: Batch) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]:
        """Probabilities (n x 5, rows sum to 1), the primary code's index and the secondary codes per message."""
        raise NotImplementedError

    def predict_proba(self, X: pd.DataFrame | Sequence[str] | Batch) -> np.ndarray:
        """One column per code (``classes_`` order); each row sums to 1."""
        return self._code_batch(prepare(X))[0]

    def predict(self, X: pd.DataFrame | Sequence[str] | Batch) -> np.ndarray:
        """The primary code of each message (for the model, not always the most probable: see ModelCoder)."""
        return self.classes_[self._code_batch(prepare(X))[1]]

    @property
    def review_below(self) -> float | None:
        """Confidence under which a code awaits review by default (None: no default; see ModelCoder)."""
        return None

    def languages(self) -> tuple[str, ...]:
        """Languages the coder's codebook has markers for."""
        return tuple(self.codebook_.languages)  # type: ignore[attr-defined]

    def learned_languages(self) -> tuple[str, ...] | None:
        """Languages the coder learned from coded messages (None: it learns from none, e.g. the lexicon)."""
        return None

    def code(self, X: pd.DataFrame | Sequence[str] | Batch, *, review_below: float | None = None) -> pd.DataFrame:
        """Primary, secondary (tuple), decentered, ``score_<code>``, confidence and flags for each message.

        ``decentered`` (CODEBOOK.md): primary ``collaborative`` and no first-person reference to the author's
        own health. ``confidence`` is the probability of the primary code (calibrated for the model; for
        the lexicon its normalised score). ``needs_review``: confidence below ``review_below`` (default: the
        coder's own threshold, if any), or in a language the coder learned from too few coded messages
        (``lang_learned`` false: its confidence there is unmeasured). ``lang_supported``: the codebook
        has markers for the message's language. An undetermined language (too short to tell) counts as
        supported and learned. A prepared
        :class:`Batch` (several coders on the same messages) gives a table indexed 0..n-1.
        """
        batch = prepare(X)
        proba, index, secondary = self._code_batch(batch)
        primary = self.classes_[index]
        out = pd.DataFrame({"primary": primary, "secondary": secondary})
        out["decentered"] = (primary == "collaborative") & ~batch.own_health
        for i, code in enumerate(CODES):
            out[f"score_{code}"] = proba[:, i]
        out["confidence"] = proba[np.arange(len(index)), index]
        threshold = self.review_below if review_below is None else review_below
        learned = self.learned_languages()
        known = None if learned is None else {*learned, "und"}
        out["lang_learned"] = True if known is None else [lang in known for lang in batch.langs]
        unsure = out["confidence"] < threshold if threshold is not None else False
        out["needs_review"] = unsure | ~out["lang_learned"]
        supported = {*self.languages(), "und"}
        out["lang_supported"] = [lang in supported for lang in batch.langs]
        out["lang"] = batch.langs
        out.index = pd.RangeIndex(len(batch)) if isinstance(X, Batch) else as_frame(X).index
        return out
