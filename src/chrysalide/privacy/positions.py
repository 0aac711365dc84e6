"""Where a word stands as a name: a greeting, an @mention, a quote attribution, a signature.

A member named like a word of the text's language ("Elle", "Nous", "Hope") is replaced only there, so that
the pronoun "elle" stays a pronoun while "Bonjour Elle," loses the name. The cues are the ways forum members
address or sign (in French, English and German, with a few Spanish and Italian ones):

- a greeting or thanks at the start of a line or sentence, right before the name or before a list of names
  that ends in "and": "Bonjour Elle,", "Thanks Angela, Bob and Elle!", "Hallo BuzPapa";
- an @mention or a Reddit mention: "@Elle", "u/Nous";
- a vocative: the name opens a line, then a comma, colon or exclamation mark ("Sam, have you tried...");
- a quote attribution: "Elle wrote:", "Nous a écrit :", "Runde schrieb:";
- a signature: the name at the end of the message, on its own line or after a sentence end, with or without
  a closing formula ("Bises,\\nElle", "Thanks. best wishes Margaret", "... gedreht. LG Runde"), after some
  words (a message of one word signs nothing: "Nice", "[deleted]") and not itself a closing formula or a
  greeting ("... inspiring.\\n\\nBest.").
"""

from __future__ import annotations

import re

_WINDOW = 80
#: How far from the end of a message a signature may stand (in characters).
SIGNATURE_REACH = _WINDOW
#: The greetings, thanks and forms of address that stand right before a name ("Bonjour Elle", "Thanks Angela",
#: "Liebe Runde"), per language: a closed list. Glued to a name by an export that ran lines together
#: ("BonjourPaquerette"), they are read by :mod:`chrysalide.privacy.glued`.
GREETING_WORDS = {
    "en": ("hi", "hello", "hey", "hiya", "dear", "thanks", "thank you", "thx", "ty", "cheers", "welcome", "morning"),
    "fr": (
        "bonjour", "bonsoir", "salut", "coucou", "hello", "merci", "cher", "chère", "chers", "chères", "courage",
        "bravo", "félicitations", "bienvenue", "re",
    ),
    "de": ("hallo", "hallöchen", "hi", "liebe", "lieber", "liebes", "danke", "servus", "moin", "willkommen"),
    "es": ("hola", "gracias"),
    "it": ("ciao", "grazie", "salve"),
}  # fmt: skip
GREETINGS = tuple(dict.fromkeys(w for words in GREETING_WORDS.values() for w in words))
CLOSINGS = (
    "bises", "bisous", "biz", "bizz", "amitiés", "amicalement", "cordialement", "courage", "bon courage",
    "à bientôt", "a bientot", "merci", "cheers", "thanks", "love", "regards", "best", "best wishes",
    "kind regards", "take care", "hugs", "xx", "xxx", "lg", "liebe grüße", "liebe grüsse", "viele grüße",
    "viele grüsse", "grüße", "grüsse", "gruß", "gruss", "lieben gruß", "alles gute", "ciao", "saludos",
)  # fmt: skip
ATTRIBUTIONS = ("wrote", "said", "writes", "a écrit", "écrit", "a dit", "schrieb", "hat geschrieben", "escribió")


def alternation(words: tuple[str, ...], *, loose_apostrophe: bool = False) -> str:
    """A regex alternation of ``words``, longest first, any run of spaces between their words; with
    ``loose_apostrophe`` an apostrophe may also be written ’, followed by spaces, or be a space ("je m apelle")."""
    apostrophe = r"(?:['’]\s*|\s+)" if loose_apostrophe else "'"
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+").replace("'", apostrophe) for w in sorted(set(words), key=len, reverse=True)
    )


# Before the name: a line or sentence start, a greeting, then maybe other names ending in "and": "Hi A, B and ".
_LIST = r"(?:(?:[\w.\-]+\s*,\s*){0,3}[\w.\-]+\s+(?:and|et|und|y|e|&)\s+)?\Z"
_GREETING = re.compile(rf"[\n.!?:;]\W*(?:{alternation(GREETINGS)})\b[\s,]*{_LIST}", re.I)
# The same with the name right after the greeting word, and what ends a name set apart by a comma after the
# greeting ("Thank you,\n\nAngela\n", "Bonjour, Elle !"): :func:`at_name_position`'s ``greeting_comma``.
_GREETING_CLOSE = re.compile(rf"[\n.!?:;]\W*(?:{alternation(GREETINGS)})\s+{_LIST}", re.I)
_NAME_END = re.compile(r"[ \t]*(?:[,.!?:;\n]|\Z)")
_MENTION = re.compile(r"(?:@|\bu/)\Z")
# A vocative: the name opens a line or the message and a comma, colon or exclamation mark follows it.
_LINE_START = re.compile(r"\n[ \t>*_\-]*\Z")
_VOCATIVE = re.compile(r"[ \t]*[,:!]")
_ATTRIBUTION = re.compile(rf"\s*(?:\(\w+\)\s*)?(?:{alternation(ATTRIBUTIONS)})\s*:", re.I)
# After a signature: only punctuation, symbols, emoji or spaces until the end of the message.
_REST = re.compile(r"[\W_]*\Z")
_WORD = re.compile(r"\w")
# Closing formulas and greetings of one word: themselves, not names, where a signature stands.
_FORMULAS = frozenset(w for w in (*CLOSINGS, *GREETINGS) if " " not in w)
_CLOSING = re.compile(rf"(?:\A|(?<=\n)|[.!?])[\W_]*(?:(?:{alternation(CLOSINGS)})\b[\W_]*)?\Z", re.I)
# A signature on its own line, or after a closing formula that opens a line or a sentence.
_OWN_LINE = re.compile(rf"(?:\A|(?<=\n))[\W_]*\Z|(?:\A|(?<=\n)|[.!?])[\W_]*(?:{alternation(CLOSINGS)})\b[\W_]*\Z", re.I)


# Nothing but spaces and opening marks between a sentence end (or the text's start) and a point; an opening
# quotation mark starts one too (quoted speech: 'say "Stop crying"').
_SENTENCE_START = re.compile(r"(?:\A|[.!?:\n])[\s\"'«»“”‘’„(\[*_-]*\Z|(?<!\w)[\"“«„‘]\s*\Z")
# A word (its first letter) right before or after a point, with only spaces, hyphens or slashes between
# ("Getting-Help-Paying", "Person-Centred"), a possessive too ("Mother's Day").
_WORD_BEFORE = re.compile(r"[^\W\d_][\w'’]*[ \t/\-]+\Z")
_WORD_AFTER = re.compile(r"(?:['’]s)?[ \t/\-]+[^\W\d_]")
# A French article, possessive or demonstrative right before a point: what follows is a noun ("ma Maman", "les
# Girls", "Clinique du Val"), which French may write with a capital for a person or a place; a first name used
# as one stands without ("Bizzz, Mimi", "Claire ici").
_FR_DETERMINER = re.compile(
    r"(?<![^\W\d_])(?:le|la|les|l['’]|un|une|des|du|au|aux|ma|ta|sa|mon|ton|son|mes|tes|ses|notre|votre|nos|vos"
    r"|leur|leurs|ce|cet|cette|ces)[ \t]*\Z",
    re.I,
)


def after_mention(text: str, start: int) -> bool:
    """Whether an @ or u/ stands right before ``text[start:]`` ("@Elle", "u/Nous")."""
    return _MENTION.search(text, max(0, start - 2), start) is not None


def at_sentence_start(text: str, start: int) -> bool:
    """Whether ``text[start:]`` opens the text, a line, a sentence or a quotation."""
    return _SENTENCE_START.search(text, max(0, start - 40), start) is not None


def shouted(word: str, *, name_upper: bool = False) -> bool:
    """Whether ``word`` is written in capitals ("HATE", "PEACE") and the name (``name_upper``) is not."""
    return word.isupper() and len(word) > 1 and not name_upper


def capitalised(word: str, *, name_upper: bool = False) -> bool:
    """Whether ``word`` has a capital that may mark a name: an initial one, not a shouted word's."""
    return word[:1].isupper() and not shouted(word, name_upper=name_upper)


def after_french_determiner(text: str, start: int) -> bool:
    """Whether a French article, possessive or demonstrative stands right before ``text[start:]`` ("ma Maman", "les
    Girls", "du Val"): a noun follows, not a name."""
    return _FR_DETERMINER.search(text, max(0, start - 12), start) is not None


def in_capital_run(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word stands right before or after ``text[start:end]``: a title or a proper noun
    ("Reddit Help Page", "Rest In Peace", "Mother Nature", "Mother's Day"), rather than a member's first name."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end)
    return (before is not None and before.group()[:1].isupper()) or (after is not None and after.group()[-1].isupper())


def written_as_name(phrase: str) -> bool:
    """Every word of ``phrase`` with a capital, not all in capitals: "Fat Fingers", not "All the time" nor
    "ALL THE TIME"."""
    return all(w[:1].isupper() for w in re.findall(r"\w+", phrase)) and not phrase.isupper()


def at_name_position(
    text: str,
    start: int,
    end: int,
    *,
    vocative: bool = True,
    sentence_signature: bool = True,
    greeting_comma: bool = True,
) -> bool:
    """Whether ``text[start:end]`` stands where a name stands (see the module docstring).

    ``vocative=False`` leaves out the weakest cue, for words that are seldom names ("Hashi, Tirosint 62.5
    every morning" opens a signature with a disease, not a name); ``sentence_signature=False`` the next
    weakest, a signature after a sentence end on the same line, for words of the language: a last sentence
    of one word is a word more often than a name ("Yes. All the time.", "Awful.", "... RIP.").
    ``greeting_comma=False`` wants the name right after the greeting, or ending a phrase: after "Bonjour," a
    word opens the sentence more often than it names somebody ("Bonjour, Moi 29 ans", "Bonjour, Petite mise en
    situation"; not "Thank you,\\n\\nAngela\\n").
    """
    low = max(0, start - _WINDOW)
    # A window cut mid-line must not look like a line start: the text's real start counts as one.
    before = ("\n" if low == 0 else "") + text[low:start]
    if _MENTION.search(before):
        return True
    if _GREETING.search(before) and (greeting_comma or _GREETING_CLOSE.search(before) or _NAME_END.match(text, end)):
        return True
    if _ATTRIBUTION.match(text, end):
        return True
    if vocative and _LINE_START.search(before) and _VOCATIVE.match(text, end):
        return True
    if len(text) - end <= SIGNATURE_REACH and _REST.match(text, end) and _WORD.search(text, 0, start):
        if text[start:end].casefold() in _FORMULAS:
            return False
        # On its own line, or after a sentence end and an optional closing formula on the same line.
        closing = _CLOSING if sentence_signature else _OWN_LINE
        return closing.search(text, text.rfind("\n", 0, start) + 1, start) is not None
    return False


def piece_at_name_position(text: str, start: int, end: int, *, name_upper: bool = False) -> bool:
    """Whether a piece of a user name that is a word, an abbreviation or a place ("Sammy" of Windy_Sammy, "Runde"
    of Die-kleine-Runde, "Berlin" of Berlin-1988) stands as a name at ``text[start:end]``.

    After @ or u/; else only written with a capital (not shouted: ``name_upper`` says the name is written in
    capitals) at the strong cues: right after a greeting, before an attribution, or as a signature on its own
    line or after a closing formula ("Hey Sammy", "LG Runde"; not "Thanks mom", "Hey, nobody", "Bonjour, Moi 29
    ans", "I HATE", "... Awful.", nor a message "Nice" or "[deleted]").
    """
    if after_mention(text, start):
        return True
    return capitalised(text[start:end], name_upper=name_upper) and at_name_position(
        text, start, end, vocative=False, sentence_signature=False, greeting_comma=False
    )
