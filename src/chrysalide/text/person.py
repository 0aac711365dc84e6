"""Person features of a message: pronoun counts, the I -> we ratio, and "talks about own health".

Definitions follow CODEBOOK.md (message-level flags). Counts are over tokens from ``tokenize``:

* first singular: FR je j' me m' moi mon ma mes moi-même; EN I me my mine myself and the
  contractions i'm i've i'd i'll; DE ich mich mir mein*.
* first plural: FR nous notre nos on nous-mêmes (``on`` counted as "we", its usual sense in forum
  French); EN we us our ours ourselves we're we've we'd we'll let's; DE wir uns unser*.
* second informal: FR tu te t' toi ton ta tes toi-même; DE du dich dir dein* and plural euch euer
  eure* (``ihr`` is left out: it is also "her"/"their"); EN 0.
* second formal: FR vous votre vos vous-même(s); EN you your yours yourself yourselves and
  contractions (English has no T/V distinction, so every "you" counts here); DE Sie Ihnen Ihr* only
  when capitalised inside a sentence, which needs the original text (``text=``): lower-cased
  tokens cannot tell formal "Sie" from "sie" (she/they).
* own_health: a first-singular token followed within ``HEALTH_WINDOW`` tokens by a health word of
  ``data/health_words_<lang>.txt`` ("my thyroid", "j'ai des nodules", "I was diagnosed", "I take 30mg"), with
  no second-person pronoun between them: "I think your doctor", "je vous conseille un médecin" speak of the
  reader's health, not the author's. The word lists cover general health (conditions, symptoms, body parts,
  treatments and drug classes, tests, care, dose units), not one disease.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from functools import cache

from chrysalide.text.lemmas import _data_lines

HEALTH_WINDOW = 5

_DE_POSS = ("", "e", "en", "em", "er", "es")
_PRONOUNS: dict[str, tuple[frozenset[str], ...]] = {
    # (first_singular, first_plural, second_informal, second_formal)
    "fr": (
        frozenset("je j' me m' moi mon ma mes moi-même".split()),
        frozenset("nous notre nos on nous-mêmes nous-même".split()),
        frozenset("tu te t' toi ton ta tes toi-même".split()),
        frozenset("vous votre vos vous-même vous-mêmes".split()),
    ),
    "en": (
        frozenset("i me my mine myself i'm i've i'd i'll".split()),
        frozenset("we us our ours ourselves we're we've we'd we'll let's".split()),
        frozenset(),
        frozenset("you your yours yourself yourselves you're you've you'd you'll y'all".split()),
    ),
    "de": (
        frozenset(["ich", "mich", "mir"] + [f"mein{s}" for s in _DE_POSS]),
        frozenset(["wir", "uns"] + [f"unser{s}" for s in _DE_POSS] + [f"unsr{s}" for s in _DE_POSS[1:]]),
        frozenset(
            ["du", "dich", "dir", "euch", "euer"] + [f"dein{s}" for s in _DE_POSS] + [f"eur{s}" for s in _DE_POSS[1:]]
        ),
        frozenset(),
    ),
}
_NONE: tuple[frozenset[str], ...] = (frozenset(),) * 4
# Capitalised formal address inside a sentence (not after . ! ? : or at the start).
_DE_FORMAL_RE = re.compile(r"(?<![.!?:\"»«])\s+(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")


@dataclass(frozen=True)
class PersonFeatures:
    """Pronoun counts and the own-health flag of one message."""

    first_singular: int = 0
    first_plural: int = 0
    second_informal: int = 0
    second_formal: int = 0
    own_health: bool = False

    @property
    def we_ratio(self) -> float | None:
        """first_plural / (first_singular + first_plural), None when the message has neither."""
        total = self.first_singular + self.first_plural
        return self.first_plural / total if total else None

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


@cache
def _health_lexicon(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    words = [w for line in _data_lines(f"health_words_{lang}.txt") for w in line.split()]
    exact = frozenset(w for w in words if not w.endswith("*"))
    prefixes = tuple(w[:-1] for w in words if w.endswith("*"))
    return exact, prefixes


@cache
def health_words_digest() -> str:
    """A short digest of every language's health word list: the coders read the own-health flag (a feature, and
    the ``decentered`` flag of each code), so other lists code differently and name another coder."""
    digest = hashlib.sha256()
    for lang in sorted(_PRONOUNS):
        digest.update("\n".join(_data_lines(f"health_words_{lang}.txt")).encode())
    return digest.hexdigest()[:8]


def is_health_word(token: str, lang: str) -> bool:
    """True if ``token`` is in the health lexicon of ``lang`` (exact form or listed prefix)."""
    exact, prefixes = _health_lexicon(lang)
    return token in exact or (bool(prefixes) and token.startswith(prefixes))


# Each token maps to one code character, so that a message's pronoun counts are ``str.count`` on
# the string of its codes and own_health is one regular-expression search on it (C loops, no
# per-token Python). First singular wins over health (as the definition reads: a health word
# *after* the first-person form); another pronoun that is also a health word gets a lower-case code.
FIRST_SINGULAR, FIRST_PLURAL, SECOND_INFORMAL, SECOND_FORMAL, HEALTH, OTHER = "F", "P", "I", "V", "H", "."
_PRONOUN_CODES = (FIRST_SINGULAR, FIRST_PLURAL, SECOND_INFORMAL, SECOND_FORMAL)
# A first-singular code followed within HEALTH_WINDOW tokens by a health code (H, or p/i/v), no second-person
# pronoun (I V i v) between them.
_OWN_HEALTH_RE = re.compile(f"F[^IViv]{{0,{HEALTH_WINDOW - 1}}}[Hpiv]")
_CODE_MAX = 1_000_000
_CODES: dict[str, dict[str, str]] = {}


def token_code(token: str, lang: str) -> str:
    """The one-character person code of ``token`` (F P I V for pronouns, H health word, . other)."""
    sets = _PRONOUNS.get(lang, _NONE)
    for code, words in zip(_PRONOUN_CODES, sets, strict=True):
        if token in words:
            if code != FIRST_SINGULAR and is_health_word(token, lang):
                return code.lower()
            return code
    return HEALTH if is_health_word(token, lang) else OTHER


def code_cache(lang: str) -> dict[str, str]:
    """The per-language cache ``token -> code`` (restarted when full, to bound memory)."""
    cache = _CODES.get(lang)
    if cache is None or len(cache) > _CODE_MAX:
        cache = _CODES[lang] = {}
    return cache


def token_codes(tokens: list[str], lang: str) -> str:
    """The codes of ``tokens``, one character per token."""
    cache = code_cache(lang)
    try:
        return "".join(map(cache.__getitem__, tokens))
    except KeyError:
        for token in tokens:
            if token not in cache:
                cache[token] = token_code(token, lang)
        return "".join(map(cache.__getitem__, tokens))


def counts_from_codes(codes: str, lang: str, text: str | None = None) -> tuple[int, int, int, int, bool]:
    """(first_singular, first_plural, second_informal, second_formal, own_health) from token codes."""
    count = codes.count
    fs = count("F")
    fp = count("P") + count("p")
    si = count("I") + count("i")
    sf = count("V") + count("v")
    if lang == "de" and text:
        # the regex is slow on long texts (a lookbehind at every space): run it only when it can match
        sf = len(_DE_FORMAL_RE.findall(text)) if "Sie" in text or "Ih" in text else 0
    own = fs > 0 and _OWN_HEALTH_RE.search(codes) is not None
    return fs, fp, si, sf, own


def person_features(tokens: list[str], lang: str, *, text: str | None = None) -> PersonFeatures:
    """Pronoun counts and own-health flag of one message's tokens (see the module docstring).

    ``text`` (the message as written) is only read for German formal address.
    """
    return PersonFeatures(*counts_from_codes(token_codes(tokens, lang), lang, text))
