"""Per-word tables of the text stage: each distinct word is tokenised and lemmatised once.

A message's normalised text is its words separated by single spaces, and tokens never cross a
space (``tokenize``), so everything the stage derives from tokens is a concatenation over words.
For each language the stage keeps two tables keyed by the word as written:

* ``codes``: the person codes of the word's tokens (``person.token_code``, one character per token),
  so a message's pronoun counts, own-health flag and token count come from one string;
* ``terms``: the word's full-word lemmas, each followed by a space (``""`` when it has none), so a
  segment's ``terms`` is ``"".join(map(terms, words))`` without its final space;
* ``tools``: the same for its tool-word lemmas (a segment's ``tool_terms``, the supplementary forms).

Both lookups are ``map`` over a dict's ``__getitem__``: C loops, no Python code per word once the
vocabulary has been seen (Zipf's law makes that most words after a few thousand messages). The
results are those of ``tokenize`` + ``lemmatize`` + ``full_words`` / ``tool_lemmas`` + ``person_features``
on the whole text; the tests compare both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from chrysalide.text.lemmas import full_words, lemmatize, tool_lemmas
from chrysalide.text.person import token_codes
from chrysalide.text.tokens import tokenize

# Bounds against hostile input: longer words are not kept, and a full table is restarted.
_WORD_MAX_CHARS = 64
_TABLE_MAX = 1_000_000

Lookup = Callable[[str], str]


class Lookups(NamedTuple):
    """Per-word look-ups of one batch of words: person codes, full-word lemmas, tool-word lemmas."""

    codes: Lookup
    terms: Lookup
    tools: Lookup


@dataclass
class WordTable:
    """The ``codes``, ``terms`` and ``tools`` tables of one language."""

    lang: str
    codes: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)
    shared: Lookups = field(init=False, repr=False)  # the look-ups of the three tables above

    def __post_init__(self) -> None:
        self.shared = Lookups(self.codes.__getitem__, self.terms.__getitem__, self.tools.__getitem__)

    def learn(self, words: list[str]) -> Lookups:
        """Add the unseen ``words``; return the ``codes``, ``terms`` and ``tools`` look-ups covering all of them.

        Words too long to keep go into tables local to this call instead.
        """
        tables = (self.codes, self.terms, self.tools)
        local: tuple[dict[str, str], dict[str, str], dict[str, str]] | None = None
        for word in words:
            if word in self.codes or (local is not None and word in local[0]):
                continue
            tokens = tokenize(word, self.lang)
            lemmas = lemmatize(tokens, self.lang)
            entry = (
                token_codes(tokens, self.lang),
                "".join(lemma + " " for lemma in full_words(lemmas, self.lang)),
                "".join(lemma + " " for lemma in tool_lemmas(lemmas, self.lang)),
            )
            if len(word) <= _WORD_MAX_CHARS:
                target = tables
            else:
                target = local = local if local is not None else ({}, {}, {})
            for table, value in zip(target, entry, strict=True):
                table[word] = value
        if local is None:
            return self.shared
        for table, shared in zip(local, tables, strict=True):
            table.update((w, shared[w]) for w in words if w not in table)
        return Lookups(local[0].__getitem__, local[1].__getitem__, local[2].__getitem__)


_TABLES: dict[str, WordTable] = {}


def word_table(lang: str) -> WordTable:
    """The table of ``lang``, restarted when it outgrows its bound."""
    table = _TABLES.get(lang)
    if table is None or len(table.codes) > _TABLE_MAX:
        table = _TABLES[lang] = WordTable(lang)
    return table


def word_lookups(words: list[str], lang: str) -> Lookups:
    """The look-ups covering every word of ``words`` (learning the unseen ones)."""
    table = word_table(lang)
    if all(map(table.codes.__contains__, words)):
        return table.shared
    return table.learn(words)


def word_codes(words: list[str], lang: str) -> tuple[str, Lookups]:
    """The person codes of all tokens of ``words`` (one string) and the look-ups for them."""
    table = word_table(lang)
    try:
        return "".join(map(table.codes.__getitem__, words)), table.shared
    except KeyError:  # some word not seen yet
        lookups = table.learn(words)
        return "".join(map(lookups.codes, words)), lookups


def segment_terms(words: list[str], terms: Lookup) -> str:
    """The full-word (or, with the ``tools`` look-up, tool-word) lemmas of ``words``, in order, joined by spaces."""
    return "".join(map(terms, words))[:-1]  # every non-empty entry ends with a space
