"""A seeded synthetic thyroid patient forum with the shape of the study's (Fayn et al. 2021).

>>> from chrysalide.demo import generate, PRESETS
>>> generate("demo.jsonl", **PRESETS["demo"])          # doctest: +SKIP

The corpus has heavy-tailed member activity, long worried first posts, replies within hours,
members moving from asking to helping, a reformulated-drug crisis from ``CRISIS_START`` peaking in
August-September 2017, and the nuisances real exports carry (HTML and script injection, huge posts,
emoji, typos, member names in greetings). Every sentence comes from templates written for Chrysalide.
"""

from chrysalide.demo.clock import CRISIS_PEAK, CRISIS_START, WINDOW_END, WINDOW_START
from chrysalide.demo.compose import HOSTILE
from chrysalide.demo.writer import COLUMNS, PRESETS, STUDY_SIZE, generate, generate_frame, iter_messages

__all__ = [
    "COLUMNS",
    "CRISIS_PEAK",
    "CRISIS_START",
    "HOSTILE",
    "PRESETS",
    "STUDY_SIZE",
    "WINDOW_END",
    "WINDOW_START",
    "generate",
    "generate_frame",
    "iter_messages",
]
