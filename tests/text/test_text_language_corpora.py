"""Language detection on real English forums (../shared/corpora; skipped without them)."""

import csv
from collections import Counter

import pytest

from chrysalide.text import detect
from chrysalide.text.language import dominant
from chrysalide.text.normalize import normalize

# The EPITOME posts (seekers' and responders' Reddit messages) that the lists before called German or Dutch on
# English words (im, man, die, in, op), read by hand.
CALLED_GERMAN_OR_DUTCH = (
    "Birthaday. Im just turning",
    "Lol. Im gonna die alone and",
    "&gt;_num_ days?! &gt; &gt;Im gonna need",
    "Aaaaaaand..... ... im crying in school again",
    "Same AF. Good luck OP!",
)


@pytest.fixture(scope="module")
def epitome_posts(corpora):
    """Each distinct post of the three EPITOME files once (a seeker post recurs beside each of its responses)."""
    folder = corpora / "epitome_reddit_empathy_en" / "dataset"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    posts = {}
    for path in sorted(folder.glob("*-reddit.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                posts[("seeker", row["sp_id"])] = row["seeker_post"]
                posts[("response", row["rp_id"])] = row["response_post"]
    return [normalize(text) for text in posts.values()]


def test_epitome_has_no_german_or_dutch_post(epitome_posts):
    alone = Counter(detect(text) for text in epitome_posts)
    context = dominant(alone)
    assert context == "en"
    found = Counter(detect(text, context) for text in epitome_posts)
    assert not {"de", "nl"} & set(found), found
    assert sum(found.values()) == len(epitome_posts)
    for start in CALLED_GERMAN_OR_DUTCH:
        hits = [text for text in epitome_posts if text.startswith(start)]
        assert hits, start
        assert {detect(text, context) for text in hits} == {"en"}, start
