"""Members' names misspelt or cut short in others' messages: "Hi Cumbriala," for ``Cumbrialass86``, "Hello
MollyVale1952" for ``MollyVane1952``, "Peters03486 you seem" for ``peter03486``.

Members address each other by a user name typed from memory. A word of the message is taken for a member's
user name or first name (:mod:`chrysalide.privacy.names`) of :data:`NEAR_LEN` characters or more when it is
that name cut short (at least :data:`NEAR_LEN` characters of it kept) or one edit away from it (a character
changed, added or left out: Levenshtein 1966), and is itself no word of the source's languages nor another
form of a name. A word with a digit or an underscore ("Peters03486", "bronwen_7") is such a name wherever it
stands; a word of letters only only where a name stands (the scrubber checks the position:
:func:`chrysalide.privacy.positions.at_name_position`), since names glued together begin with words and
names ("toujours" of ``toujourslespoir``, "Florida" of ``floridadreaming``) and one letter from a name is
often another one ("Elisabeth" of ``elizabeth``) or a plural ("copinettes" of ``copinette``). Shorter names
and names that are words are left: one letter from "Sarah" is "Sara", another person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chrysalide.privacy.occurrences import LETTERS_ONLY, Entry

#: Names (and the words taken for them) shorter than this are never looked for misspelt or cut short.
NEAR_LEN = 8
#: The form of a word taken for a misspelt or cut-short name (counted as ``misspelt_names``).
NEAR_NAME = "misspelt name"
#: How many words found near no name (or too short) are remembered, so that a word met again costs nothing.
FAR_WORDS_KEPT = 300_000


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one character changed, added or left out."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    rest = a[i + 1 :] if len(a) == len(b) else a[i:]
    return b[i + 1 :] == rest


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class NearNames:
    """The names that may be found misspelt or cut short, and the words of a message taken for them.

    ``names``: (casefolded name, entry) of user names and first names, the most likely owner first (a name
    already seen keeps its first entry); ``is_word``: whether a word is a word of the source's languages,
    asked about names of letters only and about the few words found near a name.
    """

    def __init__(self, names: Iterable[tuple[str, Entry]], is_word: Callable[[str], bool]) -> None:
        self._given = [(n, e) for n, e in names if len(n) >= NEAR_LEN]
        self._is_word = is_word
        self._built = False
        self._names: dict[str, Entry] = {}
        self._prefixes: dict[str, Entry] = {}  # a name cut short -> its entry
        self._deleted: dict[str, list[str]] = {}  # a name without one of its characters -> the names
        self._far: set[str] = set()  # words found near no name, or too short for one

    def __bool__(self) -> bool:
        return bool(self._given)

    def _build(self) -> None:
        # Built at the first message with a word of no name: the dictionaries are read only then.
        self._built = True
        for name, entry in self._given:
            if name in self._names or self._is_word(name):
                continue
            self._names[name] = entry
            for end in range(NEAR_LEN, len(name)):
                self._prefixes.setdefault(name[:end], entry)
            for deleted in _deletions(name):
                self._deleted.setdefault(deleted, []).append(name)

    def find(self, words: set[str], known: frozenset[str]) -> dict[str, Entry]:
        """The ``words`` of a message (casefolded) taken for a misspelt or cut-short name, each with the entry of
        the name, as a :data:`NEAR_NAME` (``alphabetic``: a name only where names stand); ``known``: the forms of
        names, which stand for themselves."""
        if not self._given:
            return {}
        unknown = words - known - self._far  # C set operations: most words were met before
        if not unknown:
            return {}
        if not self._built:
            self._build()
        found: dict[str, Entry] = {}
        for word in unknown:
            entry = self._near(word) if len(word) >= NEAR_LEN else None
            if entry is not None and not self._is_word(word):
                found[word] = Entry(entry.pseudonym, NEAR_NAME, LETTERS_ONLY.fullmatch(word) is not None, entry.upper)
            elif len(self._far) < FAR_WORDS_KEPT:
                self._far.add(word)
        return found

    def _near(self, word: str) -> Entry | None:
        entry = self._prefixes.get(word)
        if entry is not None:
            return entry
        names = list(self._deleted.get(word, ()))  # a character left out
        for deleted in _deletions(word):
            if deleted in self._names:  # a character added
                names.append(deleted)
            names += [n for n in self._deleted.get(deleted, ()) if _one_edit(word, n)]  # a character changed
        return min((self._names[n] for n in names), key=lambda e: e.pseudonym, default=None)
