"""One message through the whole text layer: normalise, detect, tokenise, lemmatise, count."""

from __future__ import annotations

from dataclasses import dataclass

from chrysalide.text.language import detect
from chrysalide.text.lemmas import full_words, lemmatize
from chrysalide.text.normalize import normalize
from chrysalide.text.person import PersonFeatures, person_features
from chrysalide.text.tokens import tokenize


@dataclass(frozen=True)
class Analysis:
    """Everything the text layer derives from one message."""

    text: str  # normalised
    lang: str
    tokens: list[str]
    lemmas: list[str]
    full_words: list[str]  # full-word lemmas, in order
    person: PersonFeatures


def analyze(text: str, lang: str | None = None) -> Analysis:
    """Analyse one message; ``lang`` (ISO 639-1) skips detection when the source already knows it."""
    norm = normalize(text)
    lang = lang or detect(norm)
    tokens = tokenize(norm, lang)
    lemmas = lemmatize(tokens, lang)
    return Analysis(
        text=norm,
        lang=lang,
        tokens=tokens,
        lemmas=lemmas,
        full_words=full_words(lemmas, lang),
        person=person_features(tokens, lang, text=norm),
    )
