"""Text layer: normalisation, language, tokens, lemmas, person features and Reinert segments.

>>> from chrysalide.text import analyze
>>> a = analyze("J'ai des nodules à la thyroïde, merci à vous !")
>>> a.lang, a.person.first_singular, a.person.own_health
('fr', 1, True)
"""

from chrysalide.text.analysis import Analysis, analyze
from chrysalide.text.frame import process_frame
from chrysalide.text.language import detect
from chrysalide.text.lemmas import full_words, is_full_word, lemmatize
from chrysalide.text.normalize import normalize
from chrysalide.text.person import PersonFeatures, person_features
from chrysalide.text.segments import split_segments
from chrysalide.text.step import TextParams, TextStep, process
from chrysalide.text.tokens import tokenize

__all__ = [
    "Analysis",
    "PersonFeatures",
    "TextParams",
    "TextStep",
    "analyze",
    "detect",
    "full_words",
    "is_full_word",
    "lemmatize",
    "normalize",
    "person_features",
    "process",
    "process_frame",
    "split_segments",
    "tokenize",
]
