"""Render demo messages from templates: slot filling, writing styles, typos and hostile content.

Templates are compiled once (``str.format`` field names parsed at import); rendering a message is a
handful of ``random.Random`` draws and one ``format_map`` per sentence, which keeps the study-size
corpus (485,000 messages) within seconds.
"""

from __future__ import annotations

import random
from string import Formatter
from typing import Any

from chrysalide.demo import phrases_en, phrases_fr, vocab_en, vocab_fr

Compiled = tuple[str, tuple[str, ...]]

# Writing styles of a member (bit flags), applied to every message they write.
NO_ACCENTS = 1
LOWERCASE = 2
TEXTSPEAK = 4
SHOUTY = 8
SIGNATURE = 16

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert('x')\">cliquez ici</a>",
    "[b]IMPORTANT[/b] [url=http://example.invalid/promo]offre[/url]",
    "'; DROP TABLE messages; --",
    '<iframe src="http://example.invalid"></iframe>',
    "\u202eevil-rtl-override\u202c",
    "zero\u200bwidth\u200bspaces\u200bhere",
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">x</div>',
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "http://example.invalid/" + "a" * 3000,
    "👩‍👩‍👧‍👦🏳️‍🌈🦋" * 20,
)

_MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")  # fmt: skip
_INT_SLOTS = {"size": (4, 48), "age": (18, 76), "n": (2, 12), "kids": (1, 4), "weeks": (2, 20),
              "year": (1998, 2011), "day": (1, 28)}  # fmt: skip
_DOSES = (25, 37.5, 50, 62.5, 75, 88, 100, 112, 125, 137, 150, 175, 200)
# str.translate with a dict table is slow on non-ASCII text; a chain of C-level replaces is not.
_ACCENTS = tuple(zip("éèêëàâäîïôöùûüçÉÈÊÀÂÎÔÙÛÇœ", "eeeeaaaiioouuucEEEAAIOUUCo", strict=True))
_TEXTSPEAK = {
    "fr": (("beaucoup", "bcp"), ("quelque", "qq"), ("pourquoi", "pk"), ("rendez-vous", "rdv"),
           ("aujourd'hui", "auj"), ("s'il vous plaît", "svp"), ("toujours", "tjs"), ("c'est", "c")),
    "en": ((" you ", " u "), ("please", "pls"), ("thanks", "thx"), ("because", "cos"), ("tonight", "2nite"),
           (" are ", " r ")),
}  # fmt: skip


def _compile(templates: tuple[str, ...]) -> tuple[Compiled, ...]:
    """Turn ``{slot}`` templates into ``%s`` templates plus the slot names in order (faster to fill)."""
    out = []
    for tpl in templates:
        pieces, names = [], []
        for literal, field, _, _ in Formatter().parse(tpl):
            pieces.append(literal.replace("%", "%%"))
            if field:
                pieces.append("%s")
                names.append(field)
        out.append(("".join(pieces), tuple(names)))
    return tuple(out)


class Composer:
    """Writes the text of one kind of message in one language with a shared random stream."""

    def __init__(self, lang: str, rng: random.Random) -> None:
        phrases, vocab = (phrases_fr, vocab_fr) if lang == "fr" else (phrases_en, vocab_en)
        self.lang = lang
        self.rng = rng
        self.slots = vocab.SLOTS
        self._words: dict[str, tuple[str, ...]] = dict(vocab.SLOTS)
        self.parts = {k: _compile(v) for k, v in phrases.PARTS.items()}
        self.titles = {k: _compile(v) for k, v in phrases.TITLES.items()}
        self.kinds = phrases.KINDS
        self._side = ("droit", "gauche") if lang == "fr" else ("right", "left")

    def value(self, name: str, ctx: dict[str, Any]) -> str:
        """One filler for slot ``name``; the context (thread, replied-to member) wins over chance."""
        v = ctx.get(name)
        if v is not None:
            return v
        words = self._words.get(name)
        if words is not None:
            return words[int(self.rng.random() * len(words))]
        return self._special(name)

    def _special(self, name: str) -> str:
        r = self.rng
        base = name if name in ("ft3", "ft4") else name.rstrip("0123456789")
        words = self.slots.get(base)
        if words is not None:
            self._words[name] = words  # "symptom2" draws from "symptom": remember the alias
            return words[int(r.random() * len(words))]
        if base == "tsh":
            v = f"{min(max(r.lognormvariate(0.8, 1.1), 0.01), 95.0):.2f}"
        elif base == "ft4":
            v = f"{5.0 + 29.0 * r.random():.1f}"
        elif base == "ft3":
            v = f"{2.0 + 7.5 * r.random():.1f}"
        elif base == "dose":
            v = f"{_DOSES[int(r.random() * len(_DOSES))]:g}"
        else:
            return self._number(base, r)
        return v.replace(".", ",") if self.lang == "fr" else v

    def _number(self, base: str, r: random.Random) -> str:
        span = _INT_SLOTS.get(base)
        if span is not None:
            return str(span[0] + int(r.random() * (span[1] - span[0] + 1)))
        if base == "tpo":
            return str(int(r.lognormvariate(5.0, 1.2)) + 5)
        if base == "month":
            return _MONTHS_FR[8 + int(r.random() * 4)]
        if base == "side":
            return self._side[int(r.random() * 2)]
        if base == "hi_lower":
            return self.slots["hi"][int(r.random() * len(self.slots["hi"]))].lower()
        if base == "name_or_all":
            return "à tous" if self.lang == "fr" else "all"
        if base == "short":
            return "x"
        raise KeyError(f"demo template slot without filler: {base}")

    def _render(self, compiled: Compiled, ctx: dict[str, Any]) -> str:
        tpl, names = compiled
        if not names:
            return tpl
        words, rand, vals = self._words, self.rng.random, []
        for n in names:
            v = ctx.get(n)
            if v is None:
                w = words.get(n)
                v = w[int(rand() * len(w))] if w is not None else self._special(n)
            vals.append(v)
        return tpl % tuple(vals)

    def text(self, kind: str, ctx: dict[str, Any], paragraphs: bool = False) -> str:
        """The body of a message of ``kind`` (a key of ``KINDS``); ``paragraphs`` breaks parts into lines."""
        rand = self.rng.random
        named = "name" in ctx
        chunks: list[str] = []
        for part, lo, hi in self.kinds[kind]:
            count = lo if lo == hi else lo + int(rand() * (hi - lo + 1))
            if not count:
                continue
            if named and part == "greet" and rand() < 0.6:
                part = "greet_named"
            pool = self.parts[part]
            n = len(pool)
            i = int(rand() * n)
            if count == 1:
                chunks.append(self._render(pool[i], ctx))
            else:
                # Distinct sentences: a run of neighbours from a random start (cheaper than sample()).
                chunks.append(" ".join(self._render(pool[(i + j) % n], ctx) for j in range(min(count, n))))
        if paragraphs:
            return "".join(c + ("\n\n" if rand() < 0.4 else " ") for c in chunks).rstrip()
        return " ".join(chunks)

    def title(self, kind: str, ctx: dict[str, Any]) -> str:
        """A thread title for a thread whose first message is of ``kind``."""
        pool = self.titles.get(kind) or self.titles["first_post"]
        return self._render(pool[int(self.rng.random() * len(pool))], ctx)

    def diary(self, target_chars: int, ctx: dict[str, Any]) -> str:
        """A very long post (a member's whole history, day by day) of at least ``target_chars``."""
        r = self.rng
        day_word = "Jour" if self.lang == "fr" else "Day"
        out: list[str] = []
        size, day = 0, 1
        while size < target_chars:
            para = f"{day_word} {day} : " + " ".join(
                self._render(c, ctx)
                for part in ("story", "symptoms", "results", "treatment", "worry")
                for c in r.sample(self.parts[part], 1)
            )
            out.append(para)
            size += len(para) + 2
            day += r.randint(1, 9)
        return "\n\n".join(out)


def restyle(text: str, style: int, lang: str, rng: random.Random) -> str:
    """Apply a member's writing habits: no accents, all lowercase, textspeak, shouting."""
    if style & TEXTSPEAK:
        for old, new in _TEXTSPEAK[lang]:
            text = text.replace(old, new)
    if style & NO_ACCENTS:
        for old, new in _ACCENTS:
            text = text.replace(old, new)
    if style & LOWERCASE:
        text = text.lower()
    if style & SHOUTY:
        text = text.replace("!", "!!!").replace("?", " ???")
    return text


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: two letters swapped, one dropped or one doubled, at a random letter."""
    if len(text) < 8:
        return text
    i = rng.randint(1, len(text) - 3)
    if not text[i].isalpha():
        return text
    op = rng.random()
    if op < 0.4:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if op < 0.7:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def inject(text: str, rng: random.Random, k: int) -> str:
    """Insert the ``k``-th hostile snippet (HTML, script, BBCode, SQL, bidi control, huge token).

    Snippets are used in turn rather than at random, so any corpus with a dozen injections has them all.
    """
    snippet = HOSTILE[k % len(HOSTILE)]
    cut = text.rfind(" ", 0, rng.randint(0, len(text))) + 1
    return f"{text[:cut]}{snippet} {text[cut:]}"
