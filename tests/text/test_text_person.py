"""person_features: pronoun counts, we_ratio and own_health (CODEBOOK.md message-level flags)."""

import pytest

from chrysalide.text import analyze, person_features, tokenize
from chrysalide.text.person import PersonFeatures


def features(text: str, lang: str) -> PersonFeatures:
    return person_features(tokenize(text, lang), lang, text=text)


def test_french_counts():
    f = features("Je pense que mon médecin m'a mal conseillée, et toi, tu en penses quoi ? Merci à vous", "fr")
    assert (f.first_singular, f.first_plural, f.second_informal, f.second_formal) == (3, 0, 2, 1)


def test_french_we_and_on():
    f = features("Nous sommes là, on se soutient, notre forum et nos échanges. J'y crois.", "fr")
    assert (f.first_singular, f.first_plural) == (1, 4)
    assert f.we_ratio == pytest.approx(0.8)


def test_french_clitics_count():
    f = features("Pensez-vous que je dois arrêter ? Dis-moi", "fr")
    assert (f.first_singular, f.second_formal) == (2, 1)


def test_english_counts_you_as_formal():
    f = features("I think my endo is right. We all feel it; you should ask your doctor. I'm sure.", "en")
    assert (f.first_singular, f.first_plural, f.second_informal, f.second_formal) == (3, 1, 0, 2)


def test_german_counts_and_formal_sie():
    f = features(
        "Ich habe meine Tabletten. Haben Sie Erfahrung? Du bist nicht allein, wir helfen dir. Sie kommt.", "de"
    )
    assert (f.first_singular, f.first_plural, f.second_informal, f.second_formal) == (2, 1, 2, 1)


def test_we_ratio_none_without_first_person():
    assert features("Prends soin de toi", "fr").we_ratio is None


@pytest.mark.parametrize(
    ("text", "lang", "own"),
    [
        ("J'ai des nodules à la thyroïde", "fr", True),
        ("Mon traitement me fatigue", "fr", True),
        ("Ma TSH est à _num_", "fr", True),
        ("I was diagnosed last year", "en", True),
        ("My thyroid is enlarged", "en", True),
        ("Ich habe Schmerzen", "de", True),
        ("Ton traitement doit être ajusté, courage", "fr", False),  # someone else's health
        ("Je te remercie pour ta gentillesse", "fr", False),  # first person, no health
        ("Your doctor should check your thyroid", "en", False),
        ("I think that, after a long long walk, the doctor", "en", False),  # too far apart
    ],
)
def test_own_health(text, lang, own):
    assert features(text, lang).own_health is own


def test_analyze_one_pass():
    a = analyze("Bonjour, j'ai des nodules à la thyroïde. Merci à vous !")
    assert a.lang == "fr"
    assert a.tokens[:3] == ["bonjour", "j'", "ai"]
    assert a.full_words == ["bonjour", "nodule", "thyroïde", "merci"]
    assert a.person.first_singular == 1 and a.person.second_formal == 1 and a.person.own_health
