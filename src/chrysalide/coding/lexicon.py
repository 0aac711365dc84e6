"""Lexicon coder: codebook markers matched on lemmas, pronoun and context features, then decision rules.

Nothing is learned (``fit`` only compiles the codebook), but the coder has the estimator interface of
:class:`~chrysalide.coding.base.StageCoder`. The markers are the reference words of Fayn et al. (2021) plus
the richer expressions of the codebook; the decision rules are those of CODEBOOK.md, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.coding.base import Batch, StageCoder
from chrysalide.coding.codebook import CODES, Codebook, load_codebook
from chrysalide.coding.markers import Matcher, compile_marker

_STAGES = CODES[:4]  # individual .. societal; 'other' is the fallback
_OTHER = CODES.index("other")
# Secondary codes of a message from the bit mask of the stages that qualify (bit k = _STAGES[k]).
_SECONDARY = tuple(tuple(c for k, c in enumerate(_STAGES) if mask >> k & 1) for mask in range(16))
_PERSON_COLUMNS = {"first_singular": 0, "first_plural": 1, "second_informal": 2, "second_formal": 3}


class LexiconCoder(StageCoder):
    """Rule-based coder from a codebook (the packaged default when ``codebook`` is None)."""

    name = "lexicon"

    def __init__(self, *, codebook: str | Path | Codebook | None = None) -> None:
        self.codebook = codebook

    def fit(self, X: Any = None, y: Sequence[str] | None = None) -> LexiconCoder:
        """Load the codebook (nothing is learned from X and y); each language's markers compile on first use.

        Compiling lemmatises the markers, which loads that language's dictionary (German: about 1 s and 100 MB
        per process), so a corpus without German never pays for the German markers.
        """
        self.codebook_ = load_codebook(self.codebook)
        self.matchers_: dict[str, Matcher] = {}
        self.request_groups_ = frozenset(self.codebook_.settings["request_groups"])
        return self

    @property
    def fallback_language(self) -> str:
        """The language whose markers match messages in a language the codebook has none for (English if any)."""
        self._ensure_fitted()
        languages = self.codebook_.languages
        return "en" if "en" in languages else languages[0]

    def matcher(self, lang: str) -> Matcher:
        """The compiled markers of ``lang`` (of the fallback language when the codebook has none for it)."""
        self._ensure_fitted()
        if lang not in self.codebook_.languages:
            lang = self.fallback_language
        if lang not in self.matchers_:
            self.matchers_[lang] = self._compile(lang)
        return self.matchers_[lang]

    def _compile(self, lang: str) -> Matcher:
        ref_weight = float(self.codebook_.settings["reference_weight"])
        patterns = []
        for g in self.codebook_.groups:
            for expr in g.expressions.get(lang, ()):
                patterns.append(compile_marker(expr, lang, g.code, g.name, g.weight, column=CODES.index(g.code),
                                               request=f"{g.code}.{g.name}" in self.request_groups_))  # fmt: skip
        for code, per_lang in self.codebook_.reference_words.items():
            for expr in per_lang.get(lang, ()):
                patterns.append(compile_marker(expr, lang, code, "reference", ref_weight, column=CODES.index(code),
                                               request=f"{code}.reference" in self.request_groups_))  # fmt: skip
        return Matcher([p for p in patterns if p is not None])

    def _ensure_fitted(self) -> None:
        if not hasattr(self, "matchers_"):
            self.fit()

    def raw_scores(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Stage scores (n x 5, sums of weights) and, per message, whether a request marker was found.

        Memoised on the batch: the model's dense features read the same scores.
        """
        self._ensure_fitted()
        key = f"lexicon_scores:{self.codebook_.digest or id(self)}"
        if key not in batch.memo:
            batch.memo[key] = self._raw_scores(batch)
        scores, requests = batch.memo[key]
        return scores.copy(), requests.copy()

    def _raw_scores(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        settings = self.codebook_.settings
        col = {c: i for i, c in enumerate(CODES)}
        scores = np.zeros((len(batch), len(CODES)))
        requests = np.zeros(len(batch), dtype=bool)
        matchers = {lang: self.matcher(lang) for lang in set(batch.langs)}
        found = [matchers[lang].find(lemmas, tokens)
                 for lang, lemmas, tokens in zip(batch.langs, batch.lemmas, batch.tokens, strict=True)]  # fmt: skip
        hits = list(chain.from_iterable(found))
        rows = np.repeat(np.arange(len(batch)), np.fromiter(map(len, found), dtype=np.int64, count=len(found)))
        cols = np.fromiter(map(attrgetter("column"), hits), dtype=np.intp, count=len(hits))
        weights = np.fromiter(map(attrgetter("weight"), hits), dtype=float, count=len(hits))
        is_request = np.fromiter(map(attrgetter("request"), hits), dtype=bool, count=len(hits))
        # add.at is unbuffered: a message's weights are summed in match order, as a loop would.
        np.add.at(scores, (rows, cols), weights)
        requests[rows[is_request]] = True
        counts = {name: batch.person[:, k] for name, k in _PERSON_COLUMNS.items()}
        counts["own_health"] = batch.own_health.astype(np.int64)
        counts["second_person"] = counts.pop("second_informal") + counts.pop("second_formal")
        for name, adds in settings["person"].items():
            n = np.minimum(counts[name], adds["cap"]) if "cap" in adds else counts[name]
            for code, weight in adds.items():
                if code != "cap":
                    scores[:, col[code]] += weight * n
        ctx = settings["context"]
        for name, mask in (
            ("thread_start", batch.thread_start),
            ("first_post", batch.first_post),
            ("reply_to_other", batch.reply_to_other),
            ("own_thread_reply", batch.own_thread & ~batch.thread_start),
        ):
            for code, weight in ctx.get(name, {}).items():
                scores[mask, col[code]] += weight
        return scores, requests

    def decide_all(self, scores: np.ndarray, requests: np.ndarray,
                   n_tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """CODEBOOK.md's decision rules on every message at once -> (primary index, secondary bit mask).

        Rules, in order: (5) ``other`` when no stage reaches ``min_score``, when the ``other`` score beats
        every stage that does, or when a marker-free message is shorter than ``short_message_tokens``;
        (1) a request for help with one's own case is ``individual`` unless helping scores higher;
        (2-4) the highest stage, where scores within ``tie_margin`` of it count as equally strong and the
        later stage wins. Secondary: the other stages reaching ``secondary_ratio`` of the primary's score.
        """
        s = self.codebook_.settings
        stage, other = scores[:, :4], scores[:, _OTHER]
        with np.errstate(invalid="ignore"):  # rows without any stage present get -inf: decided 'other' below
            return self._rules(stage, other, requests, n_tokens, s)

    @staticmethod
    def _rules(stage: np.ndarray, other: np.ndarray, requests: np.ndarray, n_tokens: np.ndarray,
               s: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        present = stage >= s["min_score"]
        any_present = present.any(axis=1)
        best = np.where(present, stage, -np.inf).max(axis=1)
        marker_free = ~any_present & (other == 0)
        is_other = ~any_present | (other > best) | (marker_free & (n_tokens < s["short_message_tokens"]))
        rule1 = requests & present[:, 0] & (stage[:, 0] >= stage[:, 2])
        strong = present & (stage >= (best * (1 - s["tie_margin"]))[:, None])
        latest = 3 - np.argmax(strong[:, ::-1], axis=1)  # the later stage wins among the equally strong
        primary = np.where(rule1, 0, latest)
        rows = np.arange(len(stage))
        floor = np.maximum(s["secondary_ratio"] * stage[rows, np.minimum(primary, 3)], s["min_score"])
        secondary = present & (stage >= floor[:, None])
        secondary[rows, np.minimum(primary, 3)] = False
        masks = secondary @ (1 << np.arange(4))
        primary = np.where(is_other, _OTHER, primary)
        masks = np.where(is_other, 0, masks)
        return primary, masks

    def decide(self, scores: np.ndarray, request: bool, n_tokens: int) -> tuple[str, tuple[str, ...]]:
        """Apply CODEBOOK.md's decision rules to one message's stage scores -> (primary, secondary)."""
        primary, masks = self.decide_all(np.asarray(scores, dtype=float)[None, :], np.array([request]),
                                         np.array([n_tokens]))  # fmt: skip
        return CODES[int(primary[0])], _SECONDARY[int(masks[0])]

    def _code_batch(self, batch: Batch) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]:
        scores, requests = self.raw_scores(batch)
        primary, masks = self.decide_all(scores, requests, batch.n_tokens)
        # Scores normalised to sum 1; the decided primary is lifted to the top so argmax == primary.
        adj = scores + 0.1
        rows = np.arange(len(adj))
        adj[rows, primary] = np.maximum(adj[rows, primary], adj.max(axis=1) + 0.1)
        proba = adj / adj.sum(axis=1, keepdims=True)
        return proba, primary, [_SECONDARY[m] for m in masks.tolist()]

    def explain(self, text: str, lang: str | None = None) -> pd.DataFrame:
        """The markers found in one text: code, group, lemmas and weight (for reviewers and debugging)."""
        from chrysalide.coding.base import prepare

        self._ensure_fitted()
        batch = prepare(pd.DataFrame({"text": [text], "lang": [lang]}))
        found = self.matcher(batch.langs[0]).find(batch.lemmas[0], batch.tokens[0])
        rows = [(p.code, p.group, " ".join(p.lemmas), p.weight) for p in found]
        return pd.DataFrame(rows, columns=["code", "group", "marker", "weight"])
