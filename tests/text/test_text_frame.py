"""process_frame's per-word tables give what the public functions give on the whole text."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.text import full_words, lemmatize, normalize, person_features, process_frame, split_segments, tokenize
from chrysalide.text.lemmas import tool_lemmas

WORDS = st.sampled_from(
    ["J'ai", "des", "nodules", "Thyroïde.", "mon", "endo,", "Vous", "tu", "I", "my", "thyroid", "Ich", "habe",
     "Schmerzen", "Sie", "pensez-vous", "aujourd'hui", "12,5mg", "😀👍🏽", "https://x.org/a", "!", "x" * 70 + "é"]
)  # fmt: skip


def written(text: str, segments: list[str]) -> list[str]:
    """The written words of each normalised segment: each goes to the segment holding its first normalised piece.

    A segment made only of the tail of a split word (``12,5mg`` -> ``_num_ mg``) shows that word.
    """
    words = text.split()
    owners = [i for i, word in enumerate(words) for _ in normalize(word).split(" ")]
    first_piece = {i: owners.index(i) for i in range(len(words))}
    out, start = [], 0
    for seg in segments:
        end = start + len(seg.split(" "))
        mine = [w for i, w in enumerate(words) if start <= first_piece[i] < end]
        out.append(" ".join(mine) if mine else words[owners[start]])
        start = end
    return out


def expected(text: str, lang: str) -> tuple[tuple, list[tuple[str, str, str]]]:
    norm = normalize(text)
    segments = split_segments(norm, 40)
    tokens = tokenize(norm, lang)
    p = person_features(tokens, lang, text=norm)
    feats = (len(tokens), p.first_singular, p.first_plural, p.second_informal, p.second_formal, p.own_health)
    lemmas = [lemmatize(tokenize(s, lang), lang) for s in segments]
    segs = [
        (shown, " ".join(full_words(lem, lang)), " ".join(tool_lemmas(lem, lang)))
        for shown, lem in zip(written(text, segments), lemmas, strict=True)
    ]
    return feats, segs


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(WORDS, max_size=120).map(" ".join), st.sampled_from(["fr", "en", "de", "und"])), max_size=5
    )
)
def test_frame_equals_public_functions(messages):
    frame = pd.DataFrame({"message_id": range(len(messages)), "text": [t for t, _ in messages],
                          "lang": [lang for _, lang in messages]})  # fmt: skip
    feats, segs = process_frame(frame)
    for i, (text, lang) in enumerate(messages):
        want_feats, want_segs = expected(text, lang)
        row = feats.iloc[i]
        got = (
            row.n_tokens,
            row.first_singular,
            row.first_plural,
            row.second_informal,
            row.second_formal,
            row.own_health,
        )
        assert got == want_feats
        mine = segs[segs.message_id == i].sort_values("seq")
        assert list(zip(mine.text, mine.terms, mine.tool_terms, strict=True)) == want_segs


def test_hostile_long_words_are_not_cached_but_counted():
    giant = "a" * 100_000
    frame = pd.DataFrame({"message_id": [1, 2], "text": [f"je {giant} thyroïde", giant], "lang": ["fr", None]})
    feats, segs = process_frame(frame)
    assert feats.n_tokens.tolist() == [3, 1] and feats.own_health.tolist() == [True, False]
    assert segs.terms.tolist()[0] == f"{giant} thyroïde"
