"""Alerts' top terms never hold a pseudonym or a fragment of one, with or without the text step."""

import re

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide import text
from chrysalide.community import alerts, stored_alerts

START = pd.Timestamp("2021-01-04")  # a Monday
PSEUDONYMS = ["M-4ad38f7d0b", "M-0cabbccbdb", "M-adefd01234", "M-ccbdbcc999"]


def _forum(store) -> None:
    """60 quiet weeks; weeks 30-32 add 42 messages a week thanking members by pseudonym about a new formula."""
    f = Forum(store)
    for m in range(1, 11):
        f.member(m)
    thread = 0
    for week in range(60):
        for k in range(6):
            thread += 1
            f.thread(thread)
            f.post(
                1 + k, thread, START + pd.Timedelta(days=7 * week + k), "thyroid dose doctor tired results", lang="en"
            )
        if week in (30, 31, 32):
            for day in range(7):
                for k in range(6):
                    thread += 1
                    f.thread(thread)
                    who = PSEUDONYMS[(day + k) % len(PSEUDONYMS)]
                    body = f"Thanks {who} and @{who}, u/{who}: the new formula gives dizziness https://x.org/{who}"
                    f.post(1 + k, thread, START + pd.Timedelta(days=7 * week + day, hours=9 + k), body, lang="en")
    f.save()


def _fragments(terms: list[str]) -> list[str]:
    hexes = {p[2:] for p in PSEUDONYMS}
    return [t for t in terms if re.fullmatch(r"[0-9a-f]+", t) and any(t in h for h in hexes)]


@pytest.mark.parametrize("processed", [False, True])
def test_no_pseudonym_fragment_among_top_terms(store, processed: bool) -> None:
    _forum(store)
    if processed:
        text.process(store)
    out = alerts(store, watch=["formula"])
    terms = {a["target"]: a["top_terms"] for a in stored_alerts(store, out.run_id) if a["kind"] == "term"}["formula"]
    assert terms and not _fragments(terms)
    assert not any(t.startswith("m-") or t in ("org", "https", "member") for t in terms)
    # the text layer's terms are lemmas ("gives" -> "give"); raw text gives the words as written
    assert ("give" in terms) if processed else ("gives" in terms)
