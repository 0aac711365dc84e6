import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.privacy import NameScrubber, Pseudonymiser, load_key, pseudonyms


def test_key_created_once_and_private(tmp_path):
    path = tmp_path / "db.key"
    key = load_key(path)
    assert load_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600


def test_pseudonyms_are_stable_and_keyed():
    a = Pseudonymiser(b"k" * 32)
    b = Pseudonymiser(b"j" * 32)
    assert a.pseudonym("src\x1fid:42") == a.pseudonym("src\x1fid:42")
    assert a.pseudonym("src\x1fid:42") != b.pseudonym("src\x1fid:42")
    assert a.pseudonym("src\x1fid:42").startswith("M-")
    assert Pseudonymiser(b"k" * 32, keep_names=True).pseudonym("x", "Alice") == "Alice"


def test_scrubber_replaces_names_mentions_and_multiword_names():
    scrub = NameScrubber([("Sophie_T", "M-1"), ("marc75", "M-2"), ("Jean Luc", "M-3"), ("Bob", "M-4")])
    text = "Merci sophie_t ! @marc75 et Jean Luc ont raison, Bob aussi; bobine reste."
    assert scrub.scrub(text) == "Merci M-1 ! @M-2 et M-3 ont raison, M-4 aussi; bobine reste."


def test_short_names_need_exact_case_and_tiny_names_are_ignored():
    scrub = NameScrubber([("Bob", "M-4"), ("Al", "M-5")])
    assert scrub.scrub("bob et Al") == "bob et Al"


def test_text_without_names_is_returned_unchanged():
    scrub = NameScrubber([("Alice", "M-1")])
    text = "Rien à voir <script>x</script>"
    assert scrub.scrub(text) is text


def test_parts_of_multiword_names_are_scrubbed_where_capitalised():
    scrub = NameScrubber([("Claire Dupont", "M-7")])
    assert scrub.scrub("Courage Claire ! Dupont a raison, c'est claire.") == "Courage M-7 ! M-7 a raison, c'est claire."
    assert scrub.scrub("Merci Claire Dupont") == "Merci M-7"


# --- the fast scrubber replaces exactly what the word-by-word substitution it replaced did -----------------

_REF_WORD = re.compile(r"@?[\w][\w.\-]*[\w]|@?\w")
_REF_BARE = re.compile(r"[\w][\w.\-]*[\w]|\w")


def reference_scrub(scrub: NameScrubber, text: str) -> str:
    """The scrubber before its speed-up: an alternation for multi-word names, then a callback per word."""
    if not text or not scrub:
        return text
    if scrub._multi_re is not None:
        text = scrub._multi_re.sub(lambda m: scrub._multi[m.group(0).casefold()], text)
    if scrub._folded_set.isdisjoint(_REF_BARE.findall(text.casefold())) and (
        not scrub._exact_set or scrub._exact_set.isdisjoint(_REF_BARE.findall(text))
    ):
        return text

    def word(match: re.Match[str]) -> str:
        found = match.group(0)
        at = found.startswith("@")
        bare = found[1:] if at else found
        hit = scrub._exact.get(bare) or scrub._folded.get(bare.casefold())
        return found if hit is None else ("@" if at else "") + hit

    return _REF_WORD.sub(word, text)


NAMES = [("Sophie_T", "M-1"), ("marc75", "M-2"), ("Jean Luc", "M-3"), ("Bob", "M-4"), ("Straße", "M-5"),
         ("o'brien & co", "M-6"), ("İlke", "M-7"), ("zoé.m", "M-8"), ("<b>lili</b>", "M-9")]  # fmt: skip
PIECES = [n for n, _ in NAMES] + ["sophie_t", "STRASSE", "strasse", "@", ".", "-", " ", "\u0345", "ß", "İ",
          "é", "!", "'", "&", "O'BRIEN & CO", "jean luc", "bob", "x", "🦋", "\n", "marc75.", "-Bob-"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=25))
def test_scrub_matches_the_reference(pieces):
    scrub = NameScrubber(NAMES)
    text = "".join(pieces)
    assert scrub.scrub(text) == reference_scrub(scrub, text)


def test_caseless_hints_match_only_themselves():
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    for c in pseudonyms.CASELESS:
        assert re.findall(re.escape(c), every, re.I) == [c]


@pytest.mark.parametrize("many", [False, True])
def test_exact_case_names_found_with_or_without_substring_tests(many):
    extra = [(f"N{i:02d}", f"M-x{i}") for i in range(pseudonyms.MAX_SUBSTRING_TESTS + 1)] if many else []
    scrub = NameScrubber([("Bob", "M-4"), *extra])
    assert scrub.scrub("Salut Bob, bob et Bobby") == "Salut M-4, bob et Bobby"
