"""Per-word tables of the text stage: each distinct word is tokenised and lemmatised once.

A message's normalised text is its words separated by single spaces, and tokens never cross a
space (``tokenize``), so everything the stage derives from tokens is a concatenation over words.
For each language the stage keeps two tables keyed by the word as written:

* ``codes``: the person codes of the word's tokens (``person.token_code``, one character per token),
  so a message's pronoun counts, own-health flag and token count come from one string;
* ``terms``: the word's full-word lemmas, each followed by a space (``""`` when it has none), so a
  segment's ``terms`` is ``"".join(map(terms, words))`` without its final space.

Both lookups are ``map`` over a dict's ``__getitem__``: C loops, no Python code per word once the
vocabulary has been seen (Zipf's law makes that most words after a few thousand messages). The
results are those of ``tokenize`` + ``lemmatize`` + ``full_words`` + ``person_features`` on the
whole text; the tests compare both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chrysalide.text.lemmas import full_words, lemmatize
from chrysalide.text.person import token_codes
from chrysalide.text.tokens import tokenize

# Bounds against hostile input: longer words are not kept, and a full table is restarted.
_WORD_MAX_CHARS = 64
_TABLE_MAX = 1_000_000

Lookup = Callable[[str], str]


@dataclass
class WordTable:
    """The ``codes`` and ``terms`` tables of one language."""

    lang: str
    codes: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)

    def learn(self, words: list[str]) -> tuple[Lookup, Lookup]:
        """Add the unseen ``words``; return the ``codes`` and ``terms`` look-ups covering all of them.

        Words too long to keep go into a table local to this call instead.
        """
        codes, terms = self.codes, self.terms
        local_codes: dict[str, str] | None = None
        local_terms: dict[str, str] = {}
        for word in words:
            if word in codes or word in local_terms:
                continue
            tokens = tokenize(word, self.lang)
            code = token_codes(tokens, self.lang)
            term = "".join(lemma + " " for lemma in full_words(lemmatize(tokens, self.lang), self.lang))
            if len(word) <= _WORD_MAX_CHARS:
                codes[word], terms[word] = code, term
            else:
                local_codes = local_codes if local_codes is not None else {}
                local_codes[word], local_terms[word] = code, term
        if local_codes is None:
            return codes.__getitem__, terms.__getitem__
        local_codes.update((w, codes[w]) for w in words if w not in local_codes)
        local_terms.update((w, terms[w]) for w in words if w not in local_terms)
        return local_codes.__getitem__, local_terms.__getitem__


_TABLES: dict[str, WordTable] = {}


def word_table(lang: str) -> WordTable:
    """The table of ``lang``, restarted when it outgrows its bound."""
    table = _TABLES.get(lang)
    if table is None or len(table.codes) > _TABLE_MAX:
        table = _TABLES[lang] = WordTable(lang)
    return table


def word_codes(words: list[str], lang: str) -> tuple[str, Lookup]:
    """The person codes of all tokens of ``words`` (one string) and the ``terms`` look-up for them."""
    table = word_table(lang)
    try:
        return "".join(map(table.codes.__getitem__, words)), table.terms.__getitem__
    except KeyError:  # some word not seen yet
        codes, terms = table.learn(words)
        return "".join(map(codes, words)), terms


def segment_terms(words: list[str], terms: Lookup) -> str:
    """The full-word lemmas of ``words``, in order, joined by single spaces."""
    return "".join(map(terms, words))[:-1]  # every non-empty entry ends with a space
