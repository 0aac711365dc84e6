"""other_language: a segment written in another language than its message's, told only on clear evidence;
clue_pattern: the quick search such segments are found by (tests/lexical/test_lexical_segment_language.py checks
that it finds every one, in DuckDB)."""

from __future__ import annotations

import re

import pytest

from chrysalide.text.language import clue_pattern, other_language

# (message language, segment, the language it is written in when not its message's): decided by reading them.
SEGMENTS = [
    # an FDA statement and an abstract quoted in German posts (ADFD's kind)
    (
        "de",
        "The FDA today proposed that makers of all antidepressant medications update the existing black box"
        " warning on their products to include warnings about increased risks of suicidal thinking.",
        "en",
    ),
    (
        "de",
        "Conclusions: our study suggests that antipsychotics have a subtle but measurable influence on brain"
        " tissue loss over time, and the risk should be weighed against the benefit.",
        "en",
    ),
    # a German lead-in, then the quotation: most of the segment is English
    (
        "de",
        "Im Abstract steht: the results suggest that patients who stopped were at higher risk of relapse than"
        " those who continued their treatment.",
        "en",
    ),
    # German that names English drugs, an English book, an English title, English references: German
    (
        "de",
        "Ich nehme seit drei Wochen Wellbutrin XL und Seroquel Prolong, und mein Arzt meint, dass die"
        " Nebenwirkungen bald nachlassen werden.",
        None,
    ),
    (
        "de",
        "Er hat auch das Buch Let Them Eat Prozac geschrieben, das ich sehr empfehlen kann, weil es die Studien"
        " gut erklärt.",
        None,
    ),
    (
        "de",
        "Hier der Guide to Stopping Antidepressants seiner Website, interessant ist auch sein Artikel So Long and"
        " Thanks for all the Serotonin.",
        None,
    ),
    (
        "de",
        "Kirsch I, et al. Prevention & Treatment 2002; 5: Article 23. Moncrieff J, et al. BMJ 2005; 331: 155-157.",
        None,
    ),
    # a French post quoting an English study; French with English words
    (
        "fr",
        "L’étude conclut ainsi : « the patients who stopped their treatment were at a higher risk of relapse than"
        " those who continued it ».",
        "en",
    ),
    (
        "fr",
        "J'ai lu un article sur le burn-out et le coping, c'est très intéressant et ça m'a aidée à mieux comprendre"
        " mon stress.",
        None,
    ),
    # an English post quoting a French doctor; English with a French phrase
    (
        "en",
        "She wrote: « je pense que vous devez arrêter le traitement et revenir me voir dans un mois, mais il faut le"
        " faire doucement ».",
        "fr",
    ),
    (
        "en",
        "We had a real joie de vivre moment at the clinic when the results came back normal, and my doctor was as"
        " relieved as I was.",
        None,
    ),
]


@pytest.mark.parametrize(("lang", "text", "written_in"), SEGMENTS)
def test_a_segment_in_another_language_is_told_on_clear_evidence(lang: str, text: str, written_in: str | None):
    assert other_language(text, lang) == written_in


def test_a_short_english_segment_is_not_evidence_enough():
    # three English function words and no German: too little to leave a segment out
    assert other_language("Google it and see what comes up.", "de") is None


def _lowered(text: str) -> str:
    return text.lower().replace("\u2019", "'")


@pytest.mark.parametrize(("lang", "text", "written_in"), SEGMENTS)
def test_the_clue_pattern_finds_the_hand_written_segments(lang: str, text: str, written_in: str | None):
    if written_in:
        assert re.search(clue_pattern(lang), _lowered(text))


def test_the_clue_pattern_leaves_plain_segments_of_the_language_out():
    plain = {
        "en": "I have been taking it for months and my doctor says that I should not stop.",
        "fr": "Je prends ce traitement depuis des mois et mon médecin dit que je ne dois pas arrêter.",
        "de": "Ich nehme es seit Monaten und mein Arzt sagt, dass ich nicht aufhören soll.",
    }
    for lang, text in plain.items():
        assert not re.search(clue_pattern(lang), _lowered(text)), lang
