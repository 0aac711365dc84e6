"""Which words an output may show: nothing derived from withheld text leaves the machine.

A lemma in a class's characteristic terms, a term of a CA map or the top words of an alert are derived
from messages. Under ``--quotes consented`` a word is shown only when it occurs in the text of a member
who allows quoting (as a word of a message, or as a lemma of one of its segments): a word that only
withheld members wrote, a rare drug name or a place, would otherwise leave the tool in a term list
although their messages do not. Under ``all-pseudonymised`` every word is shown except those only
excluded members wrote. ``--quotes none`` (report) gates words as ``consented`` does.

The test is on words, not on counts: frequencies, chi-squares and shares are aggregates that name
nothing. A word may be a lemma the quotable text only holds in another form ("cat" from "cats"): the
lemma is derived from quotable text, which is what the rule asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chrysalide.privacy.consent import ConsentMap, load_consent

if TYPE_CHECKING:
    from chrysalide.store import Store

# The words of a text as the alert step finds them (letters), plus digits and '_' as segment terms keep them.
_SPLIT = re.compile(r"[^\w]+")
# DuckDB regular expressions (RE2): every run of letters, digits or '_' of the lower-cased text.
_WORD_SQL = r"[\p{L}\p{N}_]+"


@dataclass(frozen=True)
class Vocabulary:
    """A test of whether a word may be shown: ``allowed`` (when not None) lists every word that may,
    ``forbidden`` every word that may not."""

    allowed: frozenset[str] | None = None
    forbidden: frozenset[str] = frozenset()

    def allows(self, term: object) -> bool:
        """True when every word of ``term`` (split at spaces and punctuation) may be shown."""
        if not isinstance(term, str):
            return True
        words = [w for w in _SPLIT.split(term.lower()) if w]
        if self.allowed is not None and any(w not in self.allowed for w in words):
            return False
        return not any(w in self.forbidden for w in words)

    def keep(self, terms: Iterable[str]) -> list[str]:
        """The terms that may be shown, in their order."""
        return [t for t in terms if self.allows(t)]

    @property
    def gates(self) -> bool:
        """Whether any word is withheld at all."""
        return self.allowed is not None or bool(self.forbidden)


def _word_rows(store: Store) -> str:
    """SQL of (word, member_id) rows: the words of every message and the lemmas of its segments."""
    sql = f"SELECT unnest(regexp_extract_all(lower(text), '{_WORD_SQL}')) AS w, member_id FROM messages"
    if store.has_table("segments"):  # an optional step's table: tolerated when absent
        sql += (
            " UNION ALL SELECT unnest(string_split(s.terms, ' ')) AS w, m.member_id"
            " FROM segments s JOIN messages m USING (message_id)"
        )
    return sql


def _words(store: Store, member_ids: set[int]) -> set[str]:
    """Lower-cased words of the members' own text and lemmas of their segments."""
    if not member_ids:
        return set()
    rows = store.con.execute(
        f"SELECT DISTINCT w FROM ({_word_rows(store)}) WHERE w <> '' AND member_id IN (SELECT unnest(?::BIGINT[]))",
        [sorted(member_ids)],
    ).fetchall()
    return {w for (w,) in rows}


def _only_excluded_words(store: Store, excluded: set[int]) -> set[str]:
    """Words that only excluded members wrote (in text or segment lemmas)."""
    if not excluded:
        return set()
    rows = store.con.execute(
        f"SELECT w FROM ({_word_rows(store)}) WHERE w <> '' GROUP BY w"
        " HAVING bool_and(coalesce(member_id IN (SELECT unnest(?::BIGINT[])), false))",
        [sorted(excluded)],
    ).fetchall()
    return {w for (w,) in rows}


def shown_vocabulary(store: Store, quotes: str, consent: ConsentMap | None = None) -> Vocabulary:
    """The words an output under ``quotes`` may show (see the module docstring)."""
    consent = consent if consent is not None else load_consent(store)
    if quotes == "all-pseudonymised":
        return Vocabulary(forbidden=frozenset(_only_excluded_words(store, consent.excluded_ids())))
    return Vocabulary(allowed=frozenset(_words(store, consent.quotable_ids())))
