"""Codebook markers compiled for matching: longest-match-first, non-overlapping lemma sequences.

A marker is a sequence of lemmas (its expression lemmatised by the text layer, as messages are); a
trailing ``*`` makes the last element a prefix of the word as written. Matching visits only the
*candidate* positions of a message, where a marker can start: the lemma begins some marker, or the
token begins with a prefix marker. Both tests are dictionary look-ups mapped over the message (C loops);
on forum text only a few positions in a hundred are candidates, and the rules below run only there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, compress, islice
from operator import or_

from chrysalide.text import lemmatize, normalize, tokenize

_CACHE_MAX = 1_000_000  # bound on the token -> "starts with a prefix marker" cache (hostile input)


@dataclass(frozen=True)
class Pattern:
    """One marker: its lemmas, whether the last one is a prefix, and what a match adds."""

    lemmas: tuple[str, ...]
    prefix_last: bool  # the last element matches any token starting with it ("levothyrox*")
    code: str
    group: str
    weight: float
    column: int = 0  # position of ``code`` in CODES
    request: bool = False  # a request for help with one's own case (decision rule 1)


def compile_marker(expr: str, lang: str, code: str, group: str, weight: float, *, column: int = 0,
                   request: bool = False) -> Pattern | None:  # fmt: skip
    """The pattern of one codebook expression in ``lang`` (None when it has no token)."""
    prefix = expr.endswith("*")
    tokens = tokenize(normalize(expr.rstrip("*")), lang)
    if not tokens:
        return None
    lemmas = tuple(lemmatize(tokens, lang))
    if prefix:  # a prefix is matched on the word as written, not on a lemma of a truncated word
        lemmas = (*lemmas[:-1], tokens[-1])
    return Pattern(lemmas, prefix, code, group, weight, column, request)


class Matcher:
    """The markers of one language, indexed by their first lemma (prefix-only markers apart).

    For each first lemma, the markers are grouped by length, longest first; a group is a dict from the
    lemma tuple to the first marker (codebook order) with those lemmas, plus the markers whose last element
    is a prefix. At a position, the first group with a match wins; within a group the earliest marker in
    codebook order wins, as a scan of the markers sorted by decreasing length would give.
    """

    def __init__(self, patterns: list[Pattern]) -> None:
        grouped: dict[str, dict[int, tuple[dict[tuple[str, ...], tuple[int, Pattern]], list[tuple[int, Pattern]]]]]
        grouped = defaultdict(dict)
        self.prefixed: list[Pattern] = []  # single-element prefix patterns
        for order, p in enumerate(patterns):
            if p.prefix_last and len(p.lemmas) == 1:
                self.prefixed.append(p)
                continue
            exact, prefix = grouped[p.lemmas[0]].setdefault(len(p.lemmas), ({}, []))
            if p.prefix_last:
                prefix.append((order, p))
            else:
                exact.setdefault(p.lemmas, (order, p))
        self.groups = {first: sorted(((k, *g) for k, g in by_len.items()), key=lambda g: -g[0])
                       for first, by_len in grouped.items()}  # fmt: skip
        self.prefixes = tuple(p.lemmas[0] for p in self.prefixed)  # str.startswith takes a tuple: one C call
        self._prefix_hit: dict[str, bool] = {}
        # Where no longer marker can start, the answer is the one-lemma marker, if any: a plain look-up.
        self.single = {first: exact[(first,)][1] for first, groups in self.groups.items()
                       for k, exact, _ in groups if k == 1 and (first,) in exact}  # fmt: skip
        # A longer marker can only start where the next lemma is its second one (a prefix as second element:
        # wherever its first lemma is).
        self.pairs = {
            p.lemmas[:2] for p in patterns if len(p.lemmas) > 1 and not (p.prefix_last and len(p.lemmas) == 2)
        }
        self.loose = {p.lemmas[0] for p in patterns if p.prefix_last and len(p.lemmas) == 2}

    def _prefix_flags(self, tokens: list[str]) -> list[bool]:
        """Whether each token starts with a prefix marker (memoised per distinct token)."""
        cache = self._prefix_hit
        try:
            return list(map(cache.__getitem__, tokens))
        except KeyError:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            prefixes = self.prefixes
            for token in tokens:
                if token not in cache:
                    cache[token] = token.startswith(prefixes)
            return list(map(cache.__getitem__, tokens))

    def _at(self, i: int, lemmas: list[str], tokens: list[str]) -> Pattern | None:
        """The marker starting at position ``i``, if any (longest first, then codebook order)."""
        n = len(lemmas)
        for k, exact, prefix in self.groups.get(lemmas[i], ()):
            if i + k > n:
                continue
            hit = exact.get(tuple(lemmas[i : i + k])) if k > 1 else exact.get((lemmas[i],))
            for order, p in prefix:
                if hit is not None and hit[0] < order:
                    break
                if tuple(lemmas[i : i + k - 1]) == p.lemmas[:-1] and tokens[i + k - 1].startswith(p.lemmas[-1]):
                    hit = (order, p)
                    break
            if hit is not None:
                return hit[1]
        if self.prefixes and tokens[i].startswith(self.prefixes):
            return next(p for p in self.prefixed if tokens[i].startswith(p.lemmas[0]))
        return None

    def find(self, lemmas: list[str], tokens: list[str]) -> list[Pattern]:
        """Markers found in one message, left to right: at each position the longest marker that matches,
        else the first prefix marker; a match covers its positions (no overlap).

        One-lemma markers come from one mapped look-up; the full rules run only at the positions where a
        longer or a prefix marker may start (a known first pair of lemmas, a prefix-marker token).
        """
        n = len(lemmas)
        hits = list(map(self.single.get, lemmas))
        complex_: Iterator[bool] = chain(
            map(self.pairs.__contains__, zip(lemmas, islice(lemmas, 1, None), strict=False)), (False,)
        )
        if self.loose:
            complex_ = map(or_, complex_, map(self.loose.__contains__, lemmas))
        if self.prefixes:
            complex_ = map(or_, complex_, self._prefix_flags(tokens))
        free = 0  # first position not covered by an earlier longer match
        for i in compress(range(n), complex_):
            if i < free:
                continue
            hit = hits[i] = self._at(i, lemmas, tokens)
            if hit is not None and len(hit.lemmas) > 1:
                free = i + len(hit.lemmas)
                hits[i + 1 : free] = [None] * (free - i - 1)
        return list(filter(None, hits))
