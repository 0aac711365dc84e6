"""Plan the demo forum's threads before writing them: start times, sub-forum, crisis topic, size.

Drawn with numpy in one go (a few arrays of ``threads`` values), so the message writer can stream.
Thread sizes are lognormal (forum thread lengths are heavy-tailed: Kumar, Mahdian & McGlohon 2010,
"Dynamics of conversations"), a share of threads is never answered, crisis threads draw more replies,
and sizes are rescaled so the corpus has exactly the requested number of messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chrysalide.demo import clock

UNANSWERED = 0.07
"""Share of threads whose first message gets no reply."""


@dataclass(slots=True)
class ThreadPlan:
    """Per-thread arrays, sorted by start time."""

    start: np.ndarray  # epoch seconds
    lang: np.ndarray  # index into the languages tuple
    crisis: np.ndarray  # bool: the thread is about the reformulated drug
    size: np.ndarray  # messages in the thread, >= 1


def _start_times(rng: np.random.Generator, threads: int, weights: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    days = clock.n_days()
    intensity = np.concatenate(weights)
    counts = rng.multinomial(threads, intensity / intensity.sum())
    cell = np.repeat(np.arange(counts.size), counts)
    lang, day = np.divmod(cell, days)
    day_start = clock.ts(clock.WINDOW_START) + day * clock.DAY
    local_hour = rng.choice(24, size=threads, p=clock.HOUR_WEIGHTS)
    noon = clock.ts(clock.WINDOW_START) + (np.arange(days) + 0.5) * clock.DAY
    offset = np.array([clock.paris_offset_hours(x) for x in noon])[day]
    start = day_start + (local_hour + rng.random(threads) - offset) * clock.HOUR
    start = np.maximum(start, clock.ts(clock.WINDOW_START))
    order = np.argsort(start, kind="stable")
    return start[order], lang[order]


def plan_threads(
    rng: np.random.Generator, messages: int, threads: int, lang_shares: tuple[float, ...], langs: tuple[str, ...]
) -> ThreadPlan:
    """Start times, language, crisis topic and size of every thread, summing to ``messages``."""
    weights = []
    for code, share in zip(langs, lang_shares, strict=True):
        w = clock.daily_intensity(code)
        weights.append(share * w / w.sum())
    start, lang = _start_times(rng, threads, weights)
    day = ((start - clock.ts(clock.WINDOW_START)) // clock.DAY).astype(int)
    level = clock.crisis_level(day)
    echo = np.array([1.0 if langs[i] == "fr" else 0.08 for i in range(len(langs))])[lang]
    # A thread is "about the crisis" with the share of activity the crisis adds that day.
    crisis = rng.random(threads) < 0.9 * (echo * level) / (1.0 + echo * level)
    raw = rng.lognormal(1.4, 1.15, threads) * np.where(crisis, 1.8, 1.0)
    answered = rng.random(threads) >= UNANSWERED
    replies = messages - threads
    n_answered = int(answered.sum())
    if replies and not n_answered:  # every thread drew "unanswered" but replies must go somewhere
        answered[int(np.argmax(raw))] = True
        n_answered = 1
    if replies < n_answered:  # tiny corpora: answer only as many threads as there are replies
        keep = np.flatnonzero(answered)[:replies]
        answered[:] = False
        answered[keep] = True
        n_answered = replies
    size = np.ones(threads, dtype=np.int64)
    if n_answered:
        extra = replies - n_answered
        scaled = raw[answered] * extra / raw[answered].sum()
        base = np.floor(scaled).astype(np.int64)
        rest = extra - int(base.sum())
        # Hand out the rounding remainder to the threads with the largest fractional parts.
        base[np.argsort(-(scaled - base), kind="stable")[:rest]] += 1
        size[answered] += 1 + base
    return ThreadPlan(start=start, lang=lang, crisis=crisis, size=size)
