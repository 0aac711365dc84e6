"""lemmatize and is_full_word on hand-written French, English and German sentences."""

import pytest

from chrysalide.text import full_words, is_full_word, lemmatize, tokenize


@pytest.mark.parametrize(
    ("sentence", "lang", "lemmas"),
    [
        (
            "J'ai des nodules et mes analyses sont élevées",
            "fr",
            ["je", "avoir", "un", "nodule", "et", "mon", "analyse", "être", "élevé"],
        ),
        ("Nous sommes allés chez les médecins", "fr", ["nous", "être", "aller", "chez", "le", "médecin"]),
        ("Prends soin de toi", "fr", ["prendre", "soin", "de", "toi"]),
        # simplemma reads these as other verbs: priser, fausser, voiler, copiner (lemma_overrides_fr.txt)
        (
            "Voila, une prise de sang après ma fausse couche, ma copine est prête",
            "fr",
            ["voilà", "un", "prise", "de", "sang", "après", "mon", "faux", "couche", "mon", "copine", "être", "prêt"],
        ),
        ("I was diagnosed with nodules", "en", ["i", "be", "diagnose", "with", "nodule"]),
        ("My doctor's children went home", "en", ["my", "doctor", "child", "go", "home"]),
        # Acronyms of conditions are no plurals: POTS was "pot", EDS "ed" (lemma_overrides_en.txt)
        (
            "My POTS and EDS are back, my pots too",
            "en",
            ["my", "pots", "and", "eds", "be", "back", "my", "pots", "too"],
        ),
        # simplemma's English dictionary gives words that do not exist ("thinke", "gan", "playe", "develope",
        # "fixe", "cancell") or other words ("tire", "wee", "wrong"); fixed in lemma_overrides_en.txt
        (
            "I was thinking she had gone playing and developed it",
            "en",
            ["i", "be", "think", "she", "have", "go", "play", "and", "develop", "it"],
        ),
        ("They fixed it then cancelled, panicking", "en", ["they", "fix", "it", "then", "cancel", "panic"]),
        ("So tired and stuck, weed made it worse", "en", ["so", "tired", "and", "stuck", "weed", "make", "it", "bad"]),
        ("Y'all, social media kms", "en", ["y'all", "social", "media", "kms"]),
        # prednisone, as members shorten it: simplemma's dictionary gave "pre"
        ("Pred Forte, then pred and preds", "en", ["pred", "forte", "then", "pred", "and", "pred"]),
        ("Ich ging mit den Kindern zum Arzt", "de", ["ich", "gehen", "mit", "der", "kind", "zum", "arzt"]),
        # Nouns that simplemma read, lower-cased, as verbs: "tagen", "schwindeln", "buchen", "grüßen", "servieren"
        # (lemma_overrides_de.txt)
        (
            "Seit drei Tagen jeden Tag Schwindel, im Buch von Servier, viele Grüße",
            "de",
            ["seit", "drei", "tag", "jeder", "tag", "schwindel", "im", "buch", "von", "servier", "viel", "gruß"],
        ),
        # The reflexive "sich", retried capitalised as German nouns are, was simplemma's "er|es|sie": a full word,
        # active in 7 of ADFD's lexical classes
        ("Er freut sich, sie fühlt sich besser", "de", ["er", "freuen", "sich", "sie", "fühlen", "sich", "gut"]),
    ],
)
def test_lemmas(sentence, lang, lemmas):
    assert lemmatize(tokenize(sentence, lang), lang) == lemmas


def test_lemmas_of_unknown_language_are_tokens():
    assert lemmatize(["xyz", "😀", "_num_"], "und") == ["xyz", "😀", "_num_"]


def test_cache_returns_same_result_twice():
    tokens = tokenize("Les thyroïdes opérées", "fr")
    assert lemmatize(tokens, "fr") == lemmatize(tokens, "fr") == ["le", "thyroïde", "opéré"]


@pytest.mark.parametrize(
    ("lemma", "lang", "full"),
    [
        ("nodule", "fr", True),
        ("prendre", "fr", True),
        ("normal", "fr", True),
        ("souvent", "fr", True),
        ("je", "fr", False),
        ("le", "fr", False),
        ("avoir", "fr", False),
        ("être", "fr", False),
        ("avec", "fr", False),
        ("parce", "fr", False),
        ("thyroid", "en", True),
        ("take", "en", True),
        ("the", "en", False),
        ("be", "en", False),
        ("would", "en", False),
        ("schilddrüse", "de", True),
        ("und", "de", False),
        ("werden", "de", False),
        ("_num_", "fr", False),
        ("😀", "fr", False),
        ("x", "en", False),
        ("cosa", "it", True),  # no list for Italian: every word with letters is full
        (":hug:", "de", False),  # smileys are no words, in any language
        (":slightly_smiling_face:", "it", False),
        ("xd", "fr", False),
        ("xdd", "en", False),
    ],
)
def test_is_full_word(lemma, lang, full):
    assert is_full_word(lemma, lang) is full


def test_full_words_keep_order():
    lemmas = lemmatize(tokenize("Mon endocrino m'a prescrit du Levothyrox, merci à vous", "fr"), "fr")
    assert full_words(lemmas, "fr") == ["endocrino", "prescrire", "levothyrox", "merci"]


def test_phpbb_smilies_are_no_terms():
    # Regression: ADFD's smilies (kept as their code) became the terms "hug", "group" and "winken".
    tokens = tokenize("Danke für eure Hilfe :hug: :group: liebe Grüße:wink: xD", "de")
    lemmas = lemmatize(tokens, "de")
    assert lemmas[4:6] == [":hug:", ":group:"] and ":wink:" in lemmas
    assert full_words(lemmas, "de") == ["danken", "hilfe", "lieben", "gruß"]  # "Grüße", greetings, not "grüßen"
