"""Kleinberg's two-state burst automaton on batched counts (Kleinberg 2002, "Bursty and hierarchical
structure in streams", KDD; J. Data Mining Knowl. Discovery 7:373-397, 2003, section 4).

The stream is cut into batches (weeks). A hidden automaton is in a base state (rate p0) or a burst
state (rate s * p0); entering the burst state costs gamma * ln(n) (n = number of batches), leaving it
is free. The optimal state sequence minimises the sum of transition costs and of the negative
log-likelihood of each batch, found by dynamic programming (Viterbi).

Two emission models:
- ``binomial`` (Kleinberg's section 4): r_t relevant messages out of d_t messages in batch t,
  p0 = sum r / sum d; for a watch term or a stage, relevance is "matches" or "has that code";
- ``poisson``: r_t messages in batch t with base rate lambda0 = mean r; for the message volume
  itself, where there is no total to share against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

#: A burst longer than a year is a change of level, not an event. A crisis in the study's sense lasts months: the
#: Levothyrox new formula came out in March 2017 and the forum was 'overwhelmed' from August to the autumn (Fayn et
#: al. 2021); the demo forum, built on that account, has a 33-week volume burst. Because the base rate is the mean
#: of the whole series, a lasting change of level (a scraper that kept more recent messages, a forum that grew)
#: becomes one burst as long as the level lasts: 140 and 167 weeks on the r/covidlonghaulers and patient.info
#: exports.
LEVEL_WEEKS = 52


def level_change(weeks: int, span: int) -> bool:
    """Whether a burst of ``weeks`` batches, in a series of ``span`` batches (weeks), reads as a change of level
    rather than an event: it lasts more than :data:`LEVEL_WEEKS`, or more than half the series (the "usual"
    level would then be the exception)."""
    return weeks > LEVEL_WEEKS or 2 * weeks > span


#: Upper bounds of ``s`` and ``gamma`` (BurstDetector, AlertsParams, ``chrysalide alerts --s``/``--gamma``; docs/community.md,
#: "Crisis alerts"): a burst state a million times the usual weekly rate, or a cost of entering it of a million times
#: ln(weeks) (2 by default, Kleinberg's 1), is far past any value that flags a crisis; near 1e308, s times the usual
#: rate overflows, which makes the Poisson likelihoods NaN, and gamma ln(weeks) overflows (numpy warnings).
S_MAX = GAMMA_MAX = 1e6


@dataclass(frozen=True)
class Burst:
    """One maximal run of batches in the burst state (indices into the series, end inclusive)."""

    start: int
    end: int
    peak: int
    observed: float
    expected: float
    weight: float  # Kleinberg's weight: cost saved by the burst state over the base state in the run


class BurstDetector:
    """Two-state Kleinberg automaton; ``fit(r, d)`` sets ``states_`` (0/1 per batch) and ``bursts_``."""

    def __init__(self, *, s: float = 2.0, gamma: float = 1.0, model: str = "binomial") -> None:
        self.s = s
        self.gamma = gamma
        self.model = model

    def fit(self, r: np.ndarray, d: np.ndarray | None = None) -> BurstDetector:
        if self.model not in ("binomial", "poisson"):
            raise ValueError(f"model must be 'binomial' or 'poisson', not {self.model!r}")
        if not (1 < self.s <= S_MAX and 0 <= self.gamma <= GAMMA_MAX):  # nan too: every comparison with it is false
            raise ValueError(
                f"s (the burst rate multiplier) must be above 1 and at most {S_MAX:,.0f}, and gamma from 0 to "
                f"{GAMMA_MAX:,.0f}; got {self.s} and {self.gamma}"
            )
        r = np.asarray(r, dtype=float)
        n = len(r)
        self.states_ = np.zeros(n, dtype=int)
        self.bursts_: list[Burst] = []
        if n == 0 or r.sum() == 0:
            self.cost_ = np.zeros((n, 2))
            self.expected_ = np.zeros(n)
            return self
        if self.model == "binomial":
            if d is None:
                raise ValueError("the binomial model needs the batch totals d")
            d = np.asarray(d, dtype=float)
            if np.any(r > d):
                raise ValueError("relevant counts r must not exceed totals d")
            p0 = r.sum() / d.sum()
            p1 = min(self.s * p0, 1 - 1e-9)
            if p0 >= p1:  # relevant everywhere: no rate can be a burst above it
                self.cost_ = np.zeros((n, 2))
                self.expected_ = d * p0
                return self
            cost = -np.column_stack([stats.binom.logpmf(r, d, p0), stats.binom.logpmf(r, d, p1)])
            self.expected_ = d * p0
        else:
            lam0 = r.mean()
            cost = -np.column_stack([stats.poisson.logpmf(r, lam0), stats.poisson.logpmf(r, self.s * lam0)])
            self.expected_ = np.full(n, lam0)
        self.cost_ = cost
        self.states_ = self._viterbi(cost, self.gamma * np.log(n) if n > 1 else self.gamma)
        self.bursts_ = self._runs(r, cost)
        return self

    @staticmethod
    def _viterbi(cost: np.ndarray, up: float) -> np.ndarray:
        n = len(cost)
        total = np.empty((n, 2))
        back = np.zeros((n, 2), dtype=int)
        # The automaton starts in the base state (Kleinberg: q0), so a burst from batch 0 pays "up".
        total[0] = cost[0] + [0.0, up]
        for t in range(1, n):
            stay0, from1 = total[t - 1, 0], total[t - 1, 1]
            back[t, 0] = 0 if stay0 <= from1 else 1
            total[t, 0] = min(stay0, from1) + cost[t, 0]
            go1, stay1 = total[t - 1, 0] + up, total[t - 1, 1]
            back[t, 1] = 1 if stay1 <= go1 else 0
            total[t, 1] = min(go1, stay1) + cost[t, 1]
        states = np.zeros(n, dtype=int)
        states[-1] = int(np.argmin(total[-1]))
        for t in range(n - 1, 0, -1):
            states[t - 1] = back[t, states[t]]
        return states

    def _runs(self, r: np.ndarray, cost: np.ndarray) -> list[Burst]:
        bursts = []
        edges = np.diff(np.concatenate([[0], self.states_, [0]]))
        for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            excess = r[start:stop] - self.expected_[start:stop]
            bursts.append(
                Burst(
                    start=int(start),
                    end=int(stop - 1),
                    peak=int(start + np.argmax(excess)),
                    observed=float(r[start:stop].sum()),
                    expected=float(self.expected_[start:stop].sum()),
                    weight=float((cost[start:stop, 0] - cost[start:stop, 1]).sum()),
                )
            )
        return bursts
