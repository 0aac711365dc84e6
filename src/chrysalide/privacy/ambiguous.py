"""Whether a member's name that is also a word is used as a name where it stands, and the tally of such names.

A name that is also a word of the message's language (language of the message by
:func:`chrysalide.text.language.detect`) is replaced: a function word only where it stands as a name
(:mod:`chrysalide.privacy.positions`); a common word there and where it is written with a capital, except in
German, where every noun has one, and for a first name after a French article or possessive ("ma Maman"). A
*piece* of a user name (a first name, a word of it, a part of a display name) that is a word, an abbreviation or a place name is
replaced only where it is written with a capital and stands as a name, or after @; a word in capitals is
shouted, not a name. These names are reported as ambiguous (:attr:`AmbiguousNames.tally`).
"""

from __future__ import annotations

from chrysalide.privacy.names import (
    FIRST_NAME,
    FUNCTION_LANGS,
    NAME_PART,
    USER_NAME,
    WordClasses,
    function_languages,
    is_place,
)
from chrysalide.privacy.occurrences import LETTERS_ONLY, Entry
from chrysalide.privacy.positions import (
    after_french_determiner,
    at_name_position,
    at_sentence_start,
    capitalised,
    in_capital_run,
    piece_at_name_position,
)
from chrysalide.privacy.pseudonyms import PSEUDONYM_RE

#: Languages whose dictionaries tell a first name from a word when a message's language is undetermined.
TEXT_LANGS = ("fr", "en", "de")


def stands_as_name(entry: Entry, text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands where a name stands: a whole user name in a name position, a piece of
    one (a first name, a part) under the stricter cues of :func:`piece_at_name_position`."""
    if entry.form == USER_NAME:
        return at_name_position(text, start, end)
    return piece_at_name_position(text, start, end, name_upper=entry.upper)


class AmbiguousNames:
    """Decides for the names that may be words of a source in ``languages`` (its messages', each one detected
    per message when empty), and tallies the decisions.

    ``tally`` maps (pseudonym, form kind, word class, language) to [occurrences replaced as a name, occurrences
    left as a word].
    """

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.classes = WordClasses()
        self.tally: dict[tuple[str, str, str, str], list[int]] = {}

    def as_name(self, entry: Entry, word: str, text: str, start: int, end: int, lang: list[str]) -> bool:
        """Whether a form that may be a word of the message's language is used as a name here.

        | form          | not a word          | common word                                             | function word |
        | user name     | everywhere          | with a capital, or as a name                            | as a name     |
        | first name    | everywhere          | with a capital mid-sentence, or as a piece              | as a piece    |
        | name part     | with a capital      | as a piece                                              | as a piece    |

        The words of user names and quoted names are looked for only where names stand (the scrubber's
        ``_slot_names``).

        "As a name": in a name position (:func:`at_name_position`); "as a piece": :func:`piece_at_name_position`. A
        capital counts except in a German source, where every noun has one, and except in a word in capitals
        ("HATE", "PEACE": shouted) or, for a first name, in a run of capitalised words ("Reddit Help Page") or, in
        French, after an article or a possessive: French may write a noun for a person with a capital ("ma
        Maman", "les Girls"), a first name used as one stands without ("Bizzz, Mimi", "Claire ici").
        Function words include months, days, abbreviations ("idk") and the text layer's health words, and for
        a piece, place names. The dictionaries are read only for a form that neither a capital nor a position
        decides, and only such forms and function words are counted as ambiguous.
        """
        from chrysalide.text.language import UNDETERMINED

        form = entry.form
        if form == NAME_PART and not word[:1].isupper():
            return False
        # The cheap tests first, the dictionaries (and the message's language) only when they must decide.
        functional, kind = function_languages(word), "function word"
        if not functional and form != USER_NAME and is_place(word):
            functional, kind = frozenset(FUNCTION_LANGS), "place name"
        if functional:
            code = self.language(word, text, lang, functional=True)
            if code == UNDETERMINED or code in functional:
                as_name = stands_as_name(entry, text, start, end)
                self.count(entry, kind, code if code in functional else "/".join(sorted(functional)), as_name)
                return as_name
        # A user name keeps its capital in capitals too: only the pieces of one can be shouted words.
        capital = (
            word[:1].isupper() if form == USER_NAME else capitalised(word, name_upper=entry.upper)
        ) and "de" not in self.languages
        if capital and not (
            form == FIRST_NAME
            and (
                at_sentence_start(text, start)
                or in_capital_run(text, start, end)
                or (after_french_determiner(text, start) and self.message_language(text, lang) == "fr")
            )
        ):
            return True  # a capital away from a sentence start marks a name, whatever the word is
        if stands_as_name(entry, text, start, end):
            return True
        code = self.language(word, text, lang)
        if code == UNDETERMINED:
            common = form == NAME_PART and any(self.classes.is_common_word(word, c) for c in TEXT_LANGS)
        else:
            common = self.classes.is_common_word(word, code)
        if common:
            self.count(entry, "common word", code, False)
        return not common

    def is_word(self, word: str, text: str, lang: list[str]) -> bool:
        """Whether ``word`` is a function or common word of the message's language (of any of TEXT_LANGS when
        its language is unknown) or a place name."""
        from chrysalide.text.language import UNDETERMINED

        if function_languages(word) or is_place(word):
            return True
        code = self.language(word, text, lang)
        if code == UNDETERMINED:
            return any(self.classes.is_common_word(word, c) for c in TEXT_LANGS)
        return self.classes.is_common_word(word, code)

    def any_word(self, form: str) -> bool:
        """Whether ``form``, made of letters only, is a function word, a place name or a common word of the
        source's languages (of TEXT_LANGS when they are unknown: each dictionary takes a fraction of a second
        to load)."""
        if LETTERS_ONLY.fullmatch(form) is None:
            return False
        langs = self.languages or TEXT_LANGS
        return (
            bool(function_languages(form))
            or is_place(form)
            or any(self.classes.is_common_word(form, lang) for lang in langs)
        )

    def language(self, word: str, text: str, lang: list[str], *, functional: bool = False) -> str:
        """The language whose words decide for ``word`` in this message (``functional``: as a function word).

        A source in one language (``languages``, from a sample of its messages) needs no detection; a source
        in several has its message detected only when the word's class differs between them.
        """
        if len(self.languages) > 1:
            if functional:
                classes = {self.classes.is_function_word(word, c) for c in self.languages}
            else:
                classes = {self.classes.is_common_word(word, c) for c in self.languages}
            if len(classes) == 1:
                return self.languages[0]
        return self.message_language(text, lang)

    def message_language(self, text: str, lang: list[str]) -> str:
        """The language of the message: the source's when it has one, else detected once (kept in ``lang``)."""
        from chrysalide.text.language import UNDETERMINED, detect

        if len(self.languages) == 1:
            return self.languages[0]
        if not lang:
            lang.append(detect(PSEUDONYM_RE.sub(" ", text)) if text else UNDETERMINED)  # pseudonyms' hex is no word
        return lang[0]

    def count(self, entry: Entry, kind: str, lang: str, replaced: bool) -> None:
        """Add one occurrence of a doubtful name, replaced or left as a word, to :attr:`tally`."""
        key = (entry.pseudonym, entry.form, kind, lang)
        self.tally.setdefault(key, [0, 0])[0 if replaced else 1] += 1
