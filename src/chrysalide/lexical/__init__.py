"""Lexical classification (Reinert / Alceste) and lexical statistics on sparse segment x term matrices."""

from chrysalide.lexical.ca import ca_map, correspondence_analysis
from chrysalide.lexical.double import DoubleReinertClassifier
from chrysalide.lexical.keyness import class_terms, crosstab, specificities, token_keyness, typical_segments
from chrysalide.lexical.matrix import build_matrix
from chrysalide.lexical.merge import merge_segments
from chrysalide.lexical.reinert import ReinertClassifier
from chrysalide.lexical.step import LexicalParams, LexicalStep, final_classes, language_runs, lexical

__all__ = [
    "LexicalParams",
    "LexicalStep",
    "DoubleReinertClassifier",
    "ReinertClassifier",
    "build_matrix",
    "ca_map",
    "class_terms",
    "correspondence_analysis",
    "crosstab",
    "final_classes",
    "language_runs",
    "lexical",
    "merge_segments",
    "specificities",
    "token_keyness",
    "typical_segments",
]
