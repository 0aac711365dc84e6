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


def test_top_terms_leave_out_words_of_a_few_messages(store) -> None:
    """Regression (Doctissimo's IVG burst): ranked by log-ratio alone, a word of 3 burst messages and none outside
    came before the burst's topic. Weeks 30-32 hold 144 messages, 126 of them 'la nouvelle formule donne des
    vertiges'; the 342 messages of the other weeks hold 'formule' once a week in every other week (28 times):
    log-ratio of 'rebelote' (3 burst messages) log2((3.5 / 145) / (0.5 / 343)) = 4.0, of 'formule' (128) about
    log2((128.5 / 145) / (28.5 / 343)) = 3.4. 'rebelote' is under the 5-message floor; the words of the burst's
    messages only come first, then 'formule'; words under-represented in the burst ('dose') are not terms of it."""
    f = Forum(store)
    for m in range(1, 7):
        f.member(m)
    thread = 0
    for week in range(60):
        for k in range(6):
            thread += 1
            f.thread(thread)
            body = "formule dose doctor" if week % 2 == 0 and k == 0 else "thyroid dose doctor tired results"
            f.post(1 + k, thread, START + pd.Timedelta(days=7 * week + k), body, lang="en")
        if week in (30, 31, 32):
            for day in range(7):
                for k in range(6):
                    thread += 1
                    f.thread(thread)
                    rare = " rebelote" if week == 31 and day == 0 and k < 3 else ""
                    f.post(1 + k, thread, START + pd.Timedelta(days=7 * week + day, hours=9 + k),
                           f"la nouvelle formule donne des vertiges{rare}", lang="fr")  # fmt: skip
    f.save()
    out = alerts(store)
    volume = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume"]
    assert [(str(a["start_at"]), a["weeks"]) for a in volume] == [("2021-08-02", 3)]
    assert volume[0]["top_terms"] == ["des", "donne", "nouvelle", "vertiges", "formule"]
