"""split_segments: rainette's worked examples (REINERT.md 2.1) and invariants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.text import split_segments
from chrysalide.text.segments import split_segments_reference


def sizes(segments: list[str]) -> list[int]:
    return [len(s.split(" ")) for s in segments]


def test_100_words_without_punctuation():
    assert sizes(split_segments(" ".join(f"w{i}" for i in range(100)))) == [40, 40, 20]


def test_full_stop_at_word_31_of_111():
    words = [f"w{i}" for i in range(111)]
    words[30] += "."
    assert sizes(split_segments(" ".join(words))) == [31, 40, 40]


def test_short_text_is_one_segment():
    assert split_segments("a b  c") == ["a b c"]
    assert split_segments("") == [] and split_segments("   ") == []


def test_only_single_spaces_separate_words():
    text = " ".join(["x"] * 39) + " end.\nNext"
    assert split_segments(text) == [text]  # 40 words: "end.\nNext" is one word


def test_weights_prefer_stronger_punctuation_near_the_target():
    words = [f"w{i}" for i in range(100)]
    words[37] += ","  # weight 1 at distance 3 -> 0.25
    words[43] += ";"  # weight 4 at distance 4 -> 0.8
    assert sizes(split_segments(" ".join(words)))[0] == 44


def test_custom_size_and_window():
    words = " ".join(f"w{i}" for i in range(30))
    assert sizes(split_segments(words, segment_size=10, window=0)) == [10, 10, 10]
    with pytest.raises(ValueError):
        split_segments(words, segment_size=0)


@given(st.lists(st.sampled_from(["a", "b.", "c,", "d;", "e:", "f?", "g"]), max_size=400), st.integers(5, 60))
def test_segments_partition_the_words(words, size):
    segments = split_segments(" ".join(words), segment_size=size)
    assert " ".join(segments).split(" ") == (words or [""]) or not words
    assert all(n <= size + int(0.4 * size) for n in sizes(segments))


@given(
    st.lists(st.sampled_from(["a", "b.", "c,", "d;", "e:", "f?", "g!", "h\u2026", "i"]), max_size=300),
    st.integers(1, 60),
    st.one_of(st.none(), st.integers(-70, 40), st.floats(-10, 30, allow_nan=False)),
)
def test_fast_cut_equals_rainette_loop(words, size, window):
    text = " ".join(words)
    assert split_segments(text, size, window) == split_segments_reference(text, size, window)
