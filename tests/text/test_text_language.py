"""detect: fr / en / de on short and long texts, und when too short or ambiguous."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.text import detect, language

LONG_FR = (
    "Bonjour à toutes et à tous, je suis nouvelle sur le forum. On m'a découvert des nodules à la "
    "thyroïde l'an dernier et mon endocrinologue veut refaire une échographie. Est-ce que vous avez "
    "déjà eu une cytoponction ? Je suis un peu inquiète, merci de vos réponses."
)
LONG_EN = (
    "Hi everyone, I was diagnosed with Hashimoto's last year and my doctor has just raised my dose of "
    "levothyroxine. I still feel tired all the time. Has anyone else had this? Thanks for reading."
)
LONG_DE = (
    "Hallo zusammen, ich nehme seit drei Jahren ein Antidepressivum und möchte es jetzt langsam "
    "absetzen. Mein Arzt sagt, dass das kein Problem ist, aber ich habe Angst vor den Nebenwirkungen."
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (LONG_FR, "fr"),
        (LONG_EN, "en"),
        (LONG_DE, "de"),
        ("Merci beaucoup pour vos réponses", "fr"),
        ("j'ai une question", "fr"),
        ("thanks a lot", "en"),
        ("I feel the same", "en"),
        ("Danke schön", "de"),
        ("ich auch", "de"),
        ("gracias, tengo una pregunta", "es"),
    ],
)
def test_detects(text, lang):
    assert detect(text) == lang


@pytest.mark.parametrize("text", ["", "ok", "😀👍", "TSH 4.5", "_url_", "la", "die", "j'ai mal"])
def test_too_short_or_ambiguous_is_und(text):
    assert detect(text) == "und"


def test_long_text_reads_only_the_head():
    assert detect(LONG_EN * 6 + " " + LONG_FR * 200) == "en"


def reference_scores(text: str) -> dict[str, float]:
    """The definition, read directly: regexes over the lower-cased head, per-language set sizes."""
    head = text[: language._HEAD].lower().replace("\u2019", "'")
    words = set(language._WORD_RE.findall(head)) | set(language._ELIDED_RE.findall(head))
    out = {}
    for lang, stop in language._SETS.items():
        score = len(words & stop) + 0.5 * sum(ch in head for ch in language._LETTERS.get(lang, ""))
        if score:
            out[lang] = score
    return out


_PIECES = st.sampled_from(["je", "the", "der", "l'hôpital", "J'ai", "c’est", "ça", "über", "año", "x1", "é", ".", ","])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=120).map(" ".join))
def test_piece_cache_equals_definition(text):
    assert language.scores(text) == reference_scores(text)
