"""Pieces of the demo generator: templates, clock, thread plan, and small-size properties."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.demo import clock, compose, iter_messages, phrases_en, phrases_fr
from chrysalide.demo.plan import plan_threads


def test_every_template_renders_in_both_languages() -> None:
    for lang, phrases in (("fr", phrases_fr), ("en", phrases_en)):
        writer = compose.Composer(lang, random.Random(0))
        for kind, parts in phrases.KINDS.items():
            for part, _, _ in parts:
                assert part in phrases.PARTS, (lang, kind, part)
        ctx = {"name": "marc75", "name_or_all": "marc75", "short": "Marc"}
        for compiled in [c for pool in writer.parts.values() for c in pool]:
            text = writer._render(compiled, ctx)
            assert "{" not in text and "%s" not in text, (lang, compiled)
        for pool in writer.titles.values():
            for compiled in pool:
                assert writer._render(compiled, {})


def test_french_numbers_use_a_decimal_comma() -> None:
    fr, en = compose.Composer("fr", random.Random(1)), compose.Composer("en", random.Random(1))
    assert all("." not in fr.value("tsh", {}) for _ in range(50))
    assert all("," not in en.value("tsh", {}) for _ in range(50))


def test_paris_offsets_follow_summer_time() -> None:
    winter = datetime(2017, 1, 15, 12, tzinfo=UTC).timestamp()
    summer = datetime(2017, 8, 15, 12, tzinfo=UTC).timestamp()
    switch = datetime(2017, 3, 26, 1, tzinfo=UTC).timestamp()  # last Sunday of March, 01:00 UTC
    assert clock.iso_paris(winter) == "2017-01-15T13:00:00+01:00"
    assert clock.iso_paris(summer) == "2017-08-15T14:00:00+02:00"
    assert clock.iso_paris(switch - 1).endswith("01:59:59+01:00")
    assert clock.iso_paris(switch) == "2017-03-26T03:00:00+02:00"


def test_crisis_level_is_zero_before_and_peaks_in_august_september() -> None:
    day = lambda d: (d - clock.WINDOW_START).days  # noqa: E731
    levels = clock.crisis_level(np.arange(clock.n_days()))
    assert levels[: day(clock.CRISIS_START)].max() == 0
    peak_day = int(np.argmax(levels))
    assert day(clock.CRISIS_PEAK[0]) <= peak_day < day(clock.CRISIS_PEAK[1])


def test_thread_plan_sizes_sum_exactly() -> None:
    plan = plan_threads(np.random.default_rng(0), 10_000, 1_100, (0.7, 0.3), ("fr", "en"))
    assert int(plan.size.sum()) == 10_000 and (plan.size >= 1).all()
    assert (np.diff(plan.start) >= 0).all()


def test_hostile_injection_keeps_the_text_and_adds_the_snippet() -> None:
    rng = random.Random(0)
    for k, snippet in enumerate(compose.HOSTILE):
        out = compose.inject("Bonjour à tous, ma TSH est haute.", rng, k)
        assert snippet in out and "TSH" in out


@given(st.text(min_size=0, max_size=60), st.integers(0, 10_000))
def test_typo_changes_at_most_one_character(text: str, seed: int) -> None:
    out = compose.typo(text, random.Random(seed))
    assert abs(len(out) - len(text)) <= 1
    assert sorted(out) == sorted(text) or len(out) != len(text)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 150), st.data(), st.integers(0, 2**16))
def test_any_small_size_is_exact_and_well_linked(messages: int, data: st.DataObject, seed: int) -> None:
    threads = data.draw(st.integers(1, messages))
    seen: dict[str, tuple[str, float]] = {}
    for m in iter_messages(messages, threads=threads, seed=seed):
        if m.reply_to is not None:
            thread, t = seen[m.reply_to]
            assert thread == m.thread_id and t < m.posted_at
        seen[m.message_id] = (m.thread_id, m.posted_at)
    assert len(seen) == messages
    assert len({tid for tid, _ in seen.values()}) == threads
