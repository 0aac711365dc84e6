"""Members' names misspelt or cut short in others' messages are replaced by the member's pseudonym.

Regression: patient.info's report showed "Hi Cornishma," (for the member Cornishmaid86) in a typical segment of
its lexical classes; the same import left "Hello CarlyDate1944" (CarlyDale1944), "Peters01292 you seem"
(peter01292), "with vincentword" (Vincentworld), "Hi rhiannon_5" (Rhiannon_5000), "Hey chucch11" (Chuuch11) and
"Hi HopeforReA" (HopedforReA) in the stored text.
"""

from __future__ import annotations

import json
import re

import pytest

from chrysalide.ingest import ingest
from chrysalide.privacy.nearnames import NEAR_LEN
from chrysalide.privacy.scrubber import NameScrubber
from chrysalide.store import Store

MEMBERS = ["Cornishmaid86", "CarlyDale1944", "peter01292", "peter54087", "Vincentworld", "wonderfull77", "annie_57",
           "seulementlaverite", "coloradodreaming", "elizabeth", "copinette"]  # fmt: skip


@pytest.fixture(scope="module")
def scrubber() -> NameScrubber:
    return NameScrubber([(name, f"M-{name}") for name in MEMBERS], languages=["en"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi Cornishma,\n\nI started weekly injections", "Hi M-Cornishmaid86,\n\nI started weekly injections"),
        ("Hello CarlyDate1944, sorry to hear", "Hello M-CarlyDale1944, sorry to hear"),  # a letter changed
        ("so painful.\r\n CarlyDate, I truly hope", "so painful.\r\n M-CarlyDale1944, I truly hope"),  # first name
        ("Peters01292 you seem to have faith", "M-peter01292 you seem to have faith"),  # a letter added, not peter54087
        ("Thanks vincentword!", "Thanks M-Vincentworld!"),  # a letter left out
    ],
)
def test_misspelt_or_cut_short_name_is_replaced(scrubber, text, expected):
    assert scrubber.scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "What a wonderful day",  # one letter from the first name "wonderfull", but a word
        "Hi Anni, thanks",  # one letter from "annie", shorter than NEAR_LEN
        "My inflammation markers",  # near no name
        "a similar story with vincentword . Although",  # letters only, where no name stands
        "si seulement je pouvais",  # a word a name glued together begins with
        "I moved to Colorado last year",
        "ask Elisabeth at the desk",  # one letter from another name
        "coucou mes copinettes",  # a plural
    ],
)
def test_words_and_short_names_stay(scrubber, text):
    assert scrubber.scrub(text) == text


def test_counted_apart(scrubber):
    scrubber.counts.clear()
    scrubber.scrub("Hi Cornishma and Peters01292, hello Cornishmaid86")
    assert (scrubber.counts["misspelt_names"], scrubber.counts["names"]) == (2, 1)


@pytest.mark.corpora
@pytest.mark.slow
def test_patientinfo_keeps_no_misspelt_name(tmp_path, corpora):
    path = corpora / "patientinfo_inflammation_en" / "forum_extraction_scripts" / "patient-info_forums.json"
    posts: list[str] = []

    def walk(node: dict) -> None:
        posts.append(node["post"])
        for reply in node.get("replies") or []:
            walk(reply)

    for threads in json.loads(path.read_text(encoding="utf-8")).values():
        for thread in threads:
            walk(thread)
    # Read in the raw posts: how members wrote other members' names wrong (Cornishmaid86, CarlyDale1944,
    # peter01292, Vincentworld, Rhiannon_5000, Chuuch11, HopedforReA), 10 times. Eight stand where a name
    # stands or hold a digit or an underscore ("Hi Cornishma," twice, "Hello CarlyDate1944,", "\r\n CarlyDate,",
    # "Peters01292", "Hi rhiannon_5,", "Hey chucch11", "Hi HopeforReA and"); two are of letters only mid-sentence
    # and stay ("with vincentword .", "notified of HopeforReA’s comment").
    misspelt = ["Cornishma", "CarlyDate1944", "CarlyDate", "Peters01292", "vincentword", "rhiannon_5", "chucch11",
                "HopeforReA"]  # fmt: skip
    assert all(len(word) >= NEAR_LEN for word in misspelt)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(misspelt) + r")(?![\w])", re.I)
    assert sum(len(pattern.findall(post)) for post in posts) == 10
    with Store(tmp_path / "db.duckdb") as store:
        report = ingest(store, path, format="patientinfo", source_name="pinfo")
        texts = [t for (t,) in store.con.execute("SELECT text FROM messages").fetchall()]
    assert sorted(m for text in texts for m in pattern.findall(text)) == ["HopeforReA", "vincentword"]
    assert report.scrubbed["misspelt_names"] == 8
