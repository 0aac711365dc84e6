"""The member a reply opens by addressing: a name of an earlier author of its thread, whatever its case.

Why: an audit of the stored texts (7 December 2026) found replies that open by naming the member they answer in a
form the other rules leave, because it is a common word or written in lower case: patient.info's user names are a
first name and digits (made up here: ``robin5531``), and "Thanks robin,\\n\\nwould i get...", "Hi hazel \\r\\n",
"Hello willow this is...", "Yes Rusty,C-Diff is...", "Sandy, Well, join the boat!!!", "Dusty thank you for
responding" kept the names; ADFD greeted a user name of digits ("Hallo 48213") or a German word. Each time the
member so named had written earlier in the same thread. A name there is no guess: at the opening of a reply, a word
that is a name of somebody who wrote before in the thread addresses them.

The rule (:meth:`Addressees.find`): the message's first word, or the word right after an opening greeting or thanks
(:data:`OPENERS`), is replaced by a member's pseudonym when it equals, ignoring case, one of that member's forms
(:meth:`Addressees.__init__`: the whole user name, digits only too; the first name and name parts of three letters
or more that :func:`chrysalide.privacy.names.variants` gives) and the member wrote an earlier message of the
thread (the caller's ``earlier``: :mod:`chrysalide.ingest.threads`). A first word without a greeting must be
followed by a mark of address: a comma, "!", a line break, the end of the message, or a thanks ("Dusty thank
you"). A form that is not a whole user name is no name where it is a function word, a discourse word ("Sure, ...",
"Well, ..."), a chat abbreviation or a form of address naming no one ("Hi everyone"). A thread's first message
has no earlier author, so it keeps its words; a name mid-sentence ("I told robin that") or later in the message is
left to the other rules. Where those replace the name a reply opens with themselves, a first name two members share
("Hi Robin,"), they give it to either member whatever the thread: the scrubber then gives it the pseudonym that
:meth:`Addressees.find` names, of the member who wrote before
(:meth:`chrysalide.privacy.scrubber.NameScrubber._addressed`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable

from chrysalide.privacy.names import (
    CHAT_WORDS,
    FIRST_NAME,
    MIN_NAME_LEN,
    NAME_PART,
    discourse_word,
    function_languages,
    variants,
)
from chrysalide.privacy.persons import ADDRESSEES
from chrysalide.privacy.positions import GREETINGS, alternation

#: The words after which the next word of a reply's opening is read as the member it addresses: the greetings and
#: thanks of the name positions (:data:`chrysalide.privacy.positions.GREETINGS`: "hi", "hello", "hey", "dear",
#: "thanks", "thank you", "thx", "bonjour", "salut", "coucou", "merci", "hallo", "liebe", "lieber", "danke",
#: "servus", "moin"...) and the answers that open a reply to someone ("Yes Rusty,").
OPENERS = (*GREETINGS, "yes", "yeah", "oui", "ja")
#: A thanks right after a name that opens a reply ("Dusty thank you for responding").
_THANKS = ("thanks", "thank you", "thx", "ty", "merci", "danke", "gracias", "grazie")
_OPENING = re.compile(
    rf"\A[\s>*_\"'“«„-]*(?:(?P<opener>{alternation(OPENERS)})(?!\w)[\s,]*)?(?P<name>\w+)"
    rf"(?P<mark>[ \t]*(?:[,!]|\r?\n|\Z|(?:{alternation(_THANKS)})(?!\w)))?",
    re.I,
)
#: The forms of a member's name read at a reply's opening, besides the whole user name.
_FORMS = (FIRST_NAME, NAME_PART)


class Addressees:
    """The forms of members' names a reply may open with, each with the pseudonyms of the members it names."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """``names``: (user name, pseudonym) of every member of the source (of earlier imports too)."""
        forms: dict[str, set[str]] = {}
        self._whole: set[str] = set()
        for name, pseudonym in names:
            folded = name.strip().casefold()
            if len(folded) >= MIN_NAME_LEN and re.fullmatch(r"\w+", folded):
                forms.setdefault(folded, set()).add(pseudonym)
                self._whole.add(folded)
            for v in variants(name, pseudonym):
                if v.form in _FORMS and len(v.text) >= MIN_NAME_LEN and not v.respaced:
                    forms.setdefault(v.text.casefold(), set()).add(pseudonym)
        # Sorted: which of two members sharing a form, both earlier authors, is named is the same every time.
        self._forms = {form: sorted(pseudonyms) for form, pseudonyms in forms.items()}

    def __bool__(self) -> bool:
        return bool(self._forms)

    def find(self, text: str, earlier: Container[str]) -> tuple[int, int, str] | None:
        """The span of the name a reply opens with and the pseudonym of the earlier author it names, or None.

        ``earlier``: the pseudonyms of the members who wrote an earlier message of the message's thread.
        """
        match = _OPENING.match(text)
        if match is None or (match.group("opener") is None and match.group("mark") is None):
            return None
        word = match.group("name")
        folded = word.casefold()
        pseudonyms = self._forms.get(folded)
        if not pseudonyms:
            return None
        if folded not in self._whole and _no_name(folded):
            return None
        for pseudonym in pseudonyms:
            if pseudonym in earlier:
                return match.start("name"), match.end("name"), pseudonym
        return None

    def replace(self, text: str, earlier: Container[str], counts: Counter[str]) -> str:
        """``text`` with the name it opens with replaced (:meth:`find`), counted as ``addressees``."""
        found = self.find(text, earlier)
        if found is None:
            return text
        start, end, pseudonym = found
        counts["addressees"] += 1
        return text[:start] + pseudonym + text[end:]


def _no_name(word: str) -> bool:
    """Whether a piece of a user name, opening a reply, is rather a word that opens sentences or names no one."""
    return bool(function_languages(word)) or discourse_word(word) or word in CHAT_WORDS or word in ADDRESSEES
