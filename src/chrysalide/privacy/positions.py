"""Where a word stands as a name: a greeting, an @mention, a quote attribution, a signature.

A member named like a word of the text's language ("Elle", "Nous", "Hope") is replaced only there, so that
the pronoun "elle" stays a pronoun while "Bonjour Elle," loses the name. The cues are the ways forum members
address or sign (in French, English and German, with a few Spanish and Italian ones):

- a greeting or thanks at the start of a line or sentence, right before the name or before a list of names
  that ends in "and": "Bonjour Elle,", "Thanks Angela, Bob and Elle!", "Hallo BamPapa";
- an @mention or a Reddit mention: "@Elle", "u/Nous";
- a vocative: the name opens a line, then a comma, colon or exclamation mark ("Sam, have you tried...");
- a quote attribution: "Elle wrote:", "Nous a écrit :", "Runde schrieb:";
- a signature: the name at the end of the message, on its own line or after a sentence end, with or without
  a closing formula ("Bises,\\nElle", "Thanks. best wishes Margaret", "... gedreht. LG Runde").
"""

from __future__ import annotations

import re

_WINDOW = 80
#: How far from the end of a message a signature may stand (in characters).
SIGNATURE_REACH = _WINDOW
GREETINGS = (
    "hi", "hello", "hey", "hiya", "dear", "thanks", "thank you", "thx", "ty", "cheers", "welcome", "morning",
    "bonjour", "bonsoir", "salut", "coucou", "hello", "merci", "cher", "chère", "chers", "chères", "courage",
    "bravo", "félicitations", "bienvenue", "re", "hallo", "hallöchen", "hi", "liebe", "lieber", "liebes",
    "danke", "servus", "moin", "willkommen", "hola", "gracias", "ciao", "grazie", "salve",
)  # fmt: skip
CLOSINGS = (
    "bises", "bisous", "biz", "bizz", "amitiés", "amicalement", "cordialement", "courage", "bon courage",
    "à bientôt", "a bientot", "merci", "cheers", "thanks", "love", "regards", "best", "best wishes",
    "kind regards", "take care", "hugs", "xx", "xxx", "lg", "liebe grüße", "liebe grüsse", "viele grüße",
    "viele grüsse", "grüße", "grüsse", "gruß", "gruss", "lieben gruß", "alles gute", "ciao", "saludos",
)  # fmt: skip
ATTRIBUTIONS = ("wrote", "said", "writes", "a écrit", "écrit", "a dit", "schrieb", "hat geschrieben", "escribió")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


# Before the name: a line or sentence start, a greeting, then maybe other names ending in "and": "Hi A, B and ".
_GREETING = re.compile(
    rf"[\n.!?:;]\W*(?:{_alternation(GREETINGS)})\b[\s,]*"
    r"(?:(?:[\w.\-]+\s*,\s*){0,3}[\w.\-]+\s+(?:and|et|und|y|e|&)\s+)?\Z",
    re.I,
)
_MENTION = re.compile(r"(?:@|\bu/)\Z")
# A vocative: the name opens a line or the message and a comma, colon or exclamation mark follows it.
_LINE_START = re.compile(r"\n[ \t>*_\-]*\Z")
_VOCATIVE = re.compile(r"[ \t]*[,:!]")
_ATTRIBUTION = re.compile(rf"\s*(?:\(\w+\)\s*)?(?:{_alternation(ATTRIBUTIONS)})\s*:", re.I)
# After a signature: only punctuation, symbols, emoji or spaces until the end of the message.
_REST = re.compile(r"[\W_]*\Z")
_CLOSING = re.compile(rf"(?:\A|(?<=\n)|[.!?])[\W_]*(?:(?:{_alternation(CLOSINGS)})\b[\W_]*)?\Z", re.I)


def at_name_position(text: str, start: int, end: int, *, vocative: bool = True) -> bool:
    """Whether ``text[start:end]`` stands where a name stands (see the module docstring).

    ``vocative=False`` leaves out the weakest cue, for words that are seldom names ("Hashi, Tirosint 62.5
    every morning" opens a signature with a disease, not a name).
    """
    low = max(0, start - _WINDOW)
    # A window cut mid-line must not look like a line start: the text's real start counts as one.
    before = ("\n" if low == 0 else "") + text[low:start]
    if _MENTION.search(before) or _GREETING.search(before):
        return True
    if _ATTRIBUTION.match(text, end):
        return True
    if vocative and _LINE_START.search(before) and _VOCATIVE.match(text, end):
        return True
    if len(text) - end <= SIGNATURE_REACH and _REST.match(text, end):
        # On its own line, or after a sentence end and an optional closing formula on the same line.
        return _CLOSING.search(text, text.rfind("\n", 0, start) + 1, start) is not None
    return False
