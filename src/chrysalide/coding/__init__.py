"""Coding stage: each message gets an empowerment stage (individual, community, collaborative, societal, other).

>>> from chrysalide.coding import LexiconCoder
>>> LexiconCoder().fit().predict(["Merci à toutes, je me sens moins seule sur ce forum !"])[0]
'community'
"""

from chrysalide.coding.base import StageCoder
from chrysalide.coding.codebook import CODES, Codebook, copy_codebook, load_codebook
from chrysalide.coding.evaluation import agreement, evaluate
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.coding.metrics import classification_report, cohen_kappa, krippendorff_alpha
from chrysalide.coding.model import ModelCoder
from chrysalide.coding.registry import coder_kinds, make_coder, register_coder
from chrysalide.coding.run import CodeParams, CodeStep, apply, code
from chrysalide.coding.training import train

__all__ = [
    "CODES",
    "CodeParams",
    "CodeStep",
    "Codebook",
    "LexiconCoder",
    "ModelCoder",
    "StageCoder",
    "agreement",
    "apply",
    "classification_report",
    "code",
    "coder_kinds",
    "cohen_kappa",
    "copy_codebook",
    "evaluate",
    "krippendorff_alpha",
    "load_codebook",
    "make_coder",
    "register_coder",
    "train",
]
