"""The compiled marker matcher finds exactly what the straightforward scan finds (the pre-optimisation code)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.coding import LexiconCoder
from chrysalide.coding.markers import Matcher, Pattern


def reference_find(patterns: list[Pattern], lemmas: list[str], tokens: list[str]) -> list[Pattern]:
    """The original algorithm: at each free position, markers by decreasing length, then prefix markers."""
    by_first: dict[str, list[Pattern]] = {}
    prefixed = [p for p in patterns if p.prefix_last and len(p.lemmas) == 1]
    for p in patterns:
        if not (p.prefix_last and len(p.lemmas) == 1):
            by_first.setdefault(p.lemmas[0], []).append(p)
    for bucket in by_first.values():
        bucket.sort(key=lambda p: -len(p.lemmas))
    found, free, n = [], 0, len(lemmas)
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
        if hit is None:
            hit = next((p for p in prefixed if tokens[i].startswith(p.lemmas[0])), None)
        if hit is not None:
            found.append(hit)
            free = i + len(hit.lemmas)
    return found


WORDS = ["a", "b", "c", "ab", "abc", "b c"]  # "b c": a lemma holding a space
pattern = st.builds(
    lambda lemmas, prefix, w: Pattern(tuple(lemmas), prefix, "individual", f"g{w}", float(w)),
    st.lists(st.sampled_from(WORDS[:5]), min_size=1, max_size=3),
    st.booleans(),
    st.integers(0, 9),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(pattern, max_size=8), st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)), max_size=12))
def test_matcher_equals_reference_scan(patterns: list[Pattern], pairs: list[tuple[str, str]]) -> None:
    lemmas = [lemma for lemma, _ in pairs]
    tokens = [token for _, token in pairs]
    assert Matcher(patterns).find(lemmas, tokens) == reference_find(patterns, lemmas, tokens)


def test_codebook_matchers_equal_reference_on_messages() -> None:
    lexicon = LexiconCoder().fit()
    texts = {
        "fr": "Merci à toutes, prends soin de toi ! Le levothyrox nouvelle formule, je suis sous lévothyrox depuis "
              "2 ans et mon médecin ne m'écoute pas. Signez la pétition, courage à vous.",
        "en": "Thanks so much everyone, take care of yourself. My doctor says my TSH is normal but I feel awful on "
              "the new formula of levothyroxine; please sign the petition to the MHRA.",
        "de": "Danke euch allen, passt gut auf euch auf! Mein Psychiater sagt, die Absetzsymptome seien normal, "
              "aber ich habe Angst. Die Pharmakonzerne verharmlosen das: meldet eure Nebenwirkungen beim BfArM.",
    }  # fmt: skip
    from chrysalide.coding.base import prepare

    for lang, text in texts.items():
        batch = prepare([text])
        matcher = lexicon.matcher(lang)
        patterns = [p for group in matcher.groups.values() for _, exact, prefix in group
                    for p in [q for _, q in exact.values()] + [q for _, q in prefix]] + matcher.prefixed  # fmt: skip
        found = matcher.find(batch.lemmas[0], batch.tokens[0])
        assert found  # the sentences hold markers
        # order of the codebook matters for ties; the reference gets the patterns in the same first-seen order
        assert [p.lemmas for p in found] == [p.lemmas for p in reference_find(patterns, batch.lemmas[0],
                                                                              batch.tokens[0])]  # fmt: skip
