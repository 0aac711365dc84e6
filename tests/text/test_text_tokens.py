"""tokenize: elision, hyphens, clitics, contractions, emoji, smileys, placeholders; fast path == regex."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.text import normalize, tokenize
from chrysalide.text.tokens import tokenize_regex


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("J'ai mal", ["j'", "ai", "mal"]),
        ("l'hôpital", ["l'", "hôpital"]),
        ("qu'il", ["qu'", "il"]),
        ("Jusqu'à aujourd'hui", ["jusqu'", "à", "aujourd'hui"]),
        ("quelqu'un d'autre", ["quelqu'un", "d'", "autre"]),
        ("C’est l’endocrino", ["c'", "est", "l'", "endocrino"]),  # typographic apostrophes
        ("peut-être levothyrox-like", ["peut-être", "levothyrox-like"]),
        ("Va-t-il venir ? A-t-elle", ["va", "il", "venir", "a", "elle"]),
        ("Pensez-vous que oui ? Dis-moi.", ["pensez", "vous", "que", "oui", "dis", "moi"]),
        ("un rendez-vous chez l'endocrino", ["un", "rendez-vous", "chez", "l'", "endocrino"]),
        ("Qu'est-ce que c'est", ["qu'", "est", "ce", "que", "c'", "est"]),
        ("merci 😀👍🏽 !!", ["merci", "😀", "👍🏽"]),
        ("TSH à _num_ voir _url_", ["tsh", "à", "_num_", "voir", "_url_"]),
        ("(thyroïde),« nodules »", ["thyroïde", "nodules"]),
    ],
)
def test_french(text, tokens):
    assert tokenize(text, "fr") == tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "I'm sure my doctor's right, don't you think?",
            ["i'm", "sure", "my", "doctor's", "right", "don't", "you", "think"],
        ),
        ("Well-being matters.", ["well-being", "matters"]),
        ("l'hôpital", ["l'hôpital"]),  # no French elision outside French
    ],
)
def test_english(text, tokens):
    assert tokenize(text, "en") == tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Danke :hug: :group:", ["danke", ":hug:", ":group:"]),
        (
            "Toll:wink:und :party2: :slightly_smiling_face:",
            ["toll", ":wink:", "und", ":party2:", ":slightly_smiling_face:"],
        ),
        ("(:shock:) :Evil:!", [":shock:", ":evil:"]),
        ("um 10:30: Uhr, Frage: a: b", ["um", "10", "30", "uhr", "frage", "a", "b"]),  # no smiley: a time, one letter
        ("super :) ;-) ^^ :D", ["super", "d"]),  # punctuation emoticons stay punctuation
    ],
)
@pytest.mark.parametrize("lang", ["de", "fr"])
def test_smiley_shortcodes_are_one_token(text, tokens, lang):
    assert tokenize(text, lang) == tokens == tokenize_regex(text, lang)


def test_german_lowercased():
    assert tokenize("Ich habe Schmerzen, geht's?", "de") == ["ich", "habe", "schmerzen", "geht's"]


def test_empty():
    assert tokenize("", "fr") == [] and tokenize("... !!", "en") == []


@given(st.text(max_size=200), st.sampled_from(["fr", "en", "de", "und"]))
def test_fast_path_equals_regex(text, lang):
    for candidate in (text, normalize(text)):
        assert tokenize(candidate, lang) == tokenize_regex(candidate, lang)


@given(st.text(max_size=200))
def test_tokens_have_no_whitespace(text):
    assert all(token and not any(ch.isspace() for ch in token) for token in tokenize(text, "fr"))


def test_a_pseudonym_is_one_placeholder_token_whatever_the_key() -> None:
    from chrysalide.text import normalize, tokenize

    one = normalize("Merci à toi M-4ad38f7d0b, et @M-0123456789 aussi (2 fois) !")
    other = normalize("Merci à toi M-ffffffffff, et @M-a1b2c3d4e5 aussi (2 fois) !")
    assert one == other == "Merci à toi _member_, et _member_ aussi (_num_ fois) !"
    assert tokenize(one, "fr").count("_member_") == 2
    # not a pseudonym: too short, glued to a word, or not hexadecimal
    assert normalize("M-12 xM-0123456789 M-0123456789z M-ghijklmnop") == "M-_num_ xM-_num_ M-_num_ z M-ghijklmnop"
