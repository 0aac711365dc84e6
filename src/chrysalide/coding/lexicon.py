"""Lexicon coder: codebook markers matched on lemmas, pronoun and context features, then decision rules.

Nothing is learned (``fit`` only compiles the codebook), but the coder has the estimator interface of
:class:`~chrysalide.coding.base.StageCoder`. The markers are the reference words of Fayn et al. (2021) plus
the richer expressions of the codebook; the decision rules are those of CODEBOOK.md, in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chrysalide.coding.base import Batch, StageCoder
from chrysalide.coding.codebook import CODES, STAGE_ORDER, Codebook, load_codebook
from chrysalide.text import Analysis, lemmatize, normalize, tokenize

_STAGES = CODES[:4]  # individual .. societal; 'other' is the fallback


@dataclass(frozen=True)
class _Pattern:
    lemmas: tuple[str, ...]
    prefix_last: bool  # the last element matches any lemma starting with it ("levothyrox*")
    code: str
    group: str
    weight: float


def _compile(expr: str, lang: str, code: str, group: str, weight: float) -> _Pattern | None:
    prefix = expr.endswith("*")
    tokens = tokenize(normalize(expr.rstrip("*")), lang)
    if not tokens:
        return None
    lemmas = tuple(lemmatize(tokens, lang))
    if prefix:  # a prefix is matched on the word as written, not on a lemma of a truncated word
        lemmas = (*lemmas[:-1], tokens[-1])
    return _Pattern(lemmas, prefix, code, group, weight)


class _Matcher:
    """Longest-match-first, non-overlapping matching of lemma sequences (one index per language)."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        self.by_first: dict[str, list[_Pattern]] = defaultdict(list)
        self.prefixed: list[_Pattern] = []  # single-element prefix patterns
        for p in patterns:
            if p.prefix_last and len(p.lemmas) == 1:
                self.prefixed.append(p)
            else:
                self.by_first[p.lemmas[0]].append(p)
        for bucket in self.by_first.values():
            bucket.sort(key=lambda p: -len(p.lemmas))
        self.prefixes = tuple(p.lemmas[0] for p in self.prefixed)  # str.startswith takes a tuple: one C call

    def find(self, lemmas: list[str], tokens: list[str]) -> list[_Pattern]:
        found: list[_Pattern] = []
        by_first, prefixes, n = self.by_first, self.prefixes, len(lemmas)
        free = 0  # first position not covered by an earlier match
        for i, lemma in enumerate(lemmas):
            if i < free:
                continue
            hit = None
            for p in by_first.get(lemma, ()):
                k = len(p.lemmas)
                if i + k > n:
                    continue
                if p.prefix_last:
                    ok = tuple(lemmas[i : i + k - 1]) == p.lemmas[:-1] and tokens[i + k - 1].startswith(p.lemmas[-1])
                else:
                    ok = k == 1 or tuple(lemmas[i : i + k]) == p.lemmas
                if ok:
                    hit = p
                    break
            if hit is None and prefixes and tokens[i].startswith(prefixes):
                hit = next(p for p in self.prefixed if tokens[i].startswith(p.lemmas[0]))
            if hit is not None:
                found.append(hit)
                free = i + len(hit.lemmas)
        return found


class LexiconCoder(StageCoder):
    """Rule-based coder from a codebook (the packaged default when ``codebook`` is None)."""

    name = "lexicon"

    def __init__(self, *, codebook: str | Path | Codebook | None = None) -> None:
        self.codebook = codebook

    def fit(self, X: Any = None, y: Sequence[str] | None = None) -> LexiconCoder:
        """Compile the codebook's markers for each language (nothing is learned from X and y)."""
        self.codebook_ = load_codebook(self.codebook)
        self.matchers_: dict[str, _Matcher] = {}
        self.request_groups_ = frozenset(self.codebook_.settings["request_groups"])
        ref_weight = float(self.codebook_.settings["reference_weight"])
        for lang in self.codebook_.languages:
            patterns = []
            for g in self.codebook_.groups:
                for expr in g.expressions.get(lang, ()):
                    patterns.append(_compile(expr, lang, g.code, g.name, g.weight))
            for code, per_lang in self.codebook_.reference_words.items():
                for expr in per_lang.get(lang, ()):
                    patterns.append(_compile(expr, lang, code, "reference", ref_weight))
            self.matchers_[lang] = _Matcher([p for p in patterns if p is not None])
        return self

    def _ensure_fitted(self) -> None:
        if not hasattr(self, "matchers_"):
            self.fit()

    def raw_scores(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Stage scores (n x 5, sums of weights) and, per message, whether a request marker was found."""
        self._ensure_fitted()
        settings = self.codebook_.settings
        col = {c: i for i, c in enumerate(CODES)}
        scores = np.zeros((len(batch), len(CODES)))
        requests = np.zeros(len(batch), dtype=bool)
        fallback = self.matchers_.get("en") or next(iter(self.matchers_.values()))
        for row, a in enumerate(batch.analyses):
            matcher = self.matchers_.get(a.lang, fallback)
            for p in matcher.find(a.lemmas, a.tokens):
                scores[row, col[p.code]] += p.weight
                requests[row] |= f"{p.code}.{p.group}" in self.request_groups_
            self._add_person(scores[row], a, settings["person"], col)
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

    @staticmethod
    def _add_person(row: np.ndarray, a: Analysis, person: dict[str, Any], col: dict[str, int]) -> None:
        p = a.person
        counts = {
            "first_singular": p.first_singular,
            "own_health": int(p.own_health),
            "second_person": p.second_informal + p.second_formal,
            "first_plural": p.first_plural,
        }
        for name, adds in person.items():
            n = min(counts[name], adds.get("cap", counts[name]))
            for code, weight in adds.items():
                if code != "cap":
                    row[col[code]] += weight * n

    def decide(self, scores: np.ndarray, request: bool, n_tokens: int) -> tuple[str, tuple[str, ...]]:
        """Apply CODEBOOK.md's decision rules to one message's stage scores -> (primary, secondary)."""
        s = self.codebook_.settings
        stage = dict(zip(CODES, scores, strict=True))
        present = {c: v for c, v in stage.items() if c in _STAGES and v >= s["min_score"]}
        marker_free = not present and stage["other"] == 0
        if (
            not present
            or stage["other"] > max(present.values())
            or (marker_free and n_tokens < s["short_message_tokens"])
        ):
            return "other", ()
        best = max(present.values())
        # Rule 1: a request for help with one's own case is individual, unless helping others clearly dominates.
        if request and "individual" in present and present["individual"] >= stage["collaborative"]:
            primary = "individual"
        else:  # Rules 2-4 with the tie rule: among the equally strong, the later stage wins.
            strong = [c for c, v in present.items() if v >= best * (1 - s["tie_margin"])]
            primary = max(strong, key=lambda c: STAGE_ORDER[c])
        floor = s["secondary_ratio"] * present[primary]
        secondary = tuple(c for c in _STAGES if c != primary and present.get(c, 0.0) >= max(floor, s["min_score"]))
        return primary, secondary

    def _code_batch(self, batch: Batch) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        scores, requests = self.raw_scores(batch)
        proba = np.zeros_like(scores)
        secondary: list[tuple[str, ...]] = []
        for i, a in enumerate(batch.analyses):
            primary, sec = self.decide(scores[i], bool(requests[i]), len(a.tokens))
            secondary.append(sec)
            # Scores normalised to sum 1; the decided primary is lifted to the top so argmax == primary.
            adj = scores[i] + 0.1
            j = CODES.index(primary)
            adj[j] = max(adj[j], adj.max() + 0.1)
            proba[i] = adj / adj.sum()
        return proba, secondary

    def explain(self, text: str, lang: str | None = None) -> pd.DataFrame:
        """The markers found in one text: code, group, lemmas and weight (for reviewers and debugging)."""
        from chrysalide.coding.base import prepare

        self._ensure_fitted()
        a = prepare(pd.DataFrame({"text": [text], "lang": [lang]})).analyses[0]
        matcher = self.matchers_.get(a.lang) or next(iter(self.matchers_.values()))
        rows = [(p.code, p.group, " ".join(p.lemmas), p.weight) for p in matcher.find(a.lemmas, a.tokens)]
        return pd.DataFrame(rows, columns=["code", "group", "marker", "weight"])
