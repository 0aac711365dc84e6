"""Decentering on real corpora coded by the coder: invariants, and the definition recomputed from the stored codes.

The codes come from the coder, so the figures are not known in advance; what must hold whatever the codes: the
definition read again in plain Python from the stored codes gives the same members, starts and events; journeys,
survival and their summaries agree; nobody who arrived helping is at risk; and with timestamps to the second no
member decenters at the instant their time at risk starts (the issue's "day 0" artefact).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from chrysalide.ingest import ingest
from chrysalide.journeys import entry_table, member_table
from chrysalide.pipeline import pipeline

pytestmark = pytest.mark.corpora

CORPORA = {
    "patientinfo": "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json",
    "covid_week": "reddit_covidlonghaulers_userhistories_en/output/subreddit_posts.json",
}


def _bots(store) -> set[int]:
    """Bot accounts, by their rule read in pandas: 5 or more messages read by the text step, 90% signed by a bot."""
    read = store.con.execute(
        "SELECT m.member_id, f.left_out = 'bot' AS signed FROM messages m JOIN text_features f USING (message_id)"
        " WHERE m.member_id IS NOT NULL"
    ).df()
    per = read.groupby("member_id")["signed"].agg(["size", "mean"])
    return set(per.index[(per["size"] >= 5) & (per["mean"] >= 0.9)])


def _unreadable(store) -> set[int]:
    """Messages the text step left out whole, except a thread's first message whose body is removed or too short
    and whose thread has a title (coded on its title), by that rule read in pandas."""
    m = store.con.execute(
        "SELECT m.message_id, m.thread_id, m.posted_at, m.record_no, m.native_id, m.text,"
        " coalesce(m.title, t.title) AS title, f.left_out"
        " FROM messages m LEFT JOIN threads t USING (thread_id) LEFT JOIN text_features f USING (message_id)"
    ).df()
    m = m.sort_values(["thread_id", "posted_at", "record_no", "native_id", "message_id"], na_position="last")
    first = ~m["thread_id"].duplicated()
    body = m["text"].str.strip()
    on_title = first & m["title"].notna() & ((body.str.len() < 3) | body.str.lower().isin(["[removed]", "[deleted]"]))
    return set(m.loc[m["left_out"].notna() & ~on_title, "message_id"])


def _arrival_shown(store) -> set[int]:
    """Members the record shows arriving, by the rule of docs/community.md read in pandas: registered on or after the
    start of their record (``members.meta.record_start``, else their source's first message), or, without a
    registration date, a first message at least 90 days after it."""
    m = store.con.execute(
        "SELECT m.member_id, m.source_id, m.posted_at, m.record_no, m.native_id, m.message_id, mb.registered_at,"
        " json_extract_string(mb.meta, '$.record_start') AS record_start"
        " FROM messages m LEFT JOIN members mb USING (member_id)"
    ).df()
    source_start = m.groupby("source_id")["posted_at"].transform("min")
    m["start"] = pd.to_datetime(m["record_start"]).fillna(source_start)
    firsts = (
        m[m["member_id"].notna()]
        .sort_values(["member_id", "posted_at", "record_no", "native_id", "message_id"], na_position="last")
        .drop_duplicates("member_id")
    )
    registered = firsts["registered_at"].notna()
    shown = (registered & (firsts["registered_at"] >= firsts["start"])) | (
        ~registered & (firsts["posted_at"] >= firsts["start"] + pd.Timedelta(days=90))
    )
    return set(firsts.loc[shown, "member_id"].astype(int))


def _by_hand(store) -> pd.DataFrame:
    """The definition in pandas over the stored messages and current codes (coded, dated member messages that
    hold words of their author, of members who are not bot accounts), for the members whose arrival the record
    shows (:func:`_arrival_shown`)."""
    rows = store.con.execute(
        "SELECT m.member_id, m.message_id, m.posted_at, m.record_no, m.native_id, c.primary_code, c.decentered"
        " FROM messages m JOIN current_codes c USING (message_id)"
        " WHERE m.member_id IS NOT NULL AND m.posted_at IS NOT NULL"
    ).df()
    rows = rows[
        ~rows["member_id"].isin(_bots(store))
        & ~rows["message_id"].isin(_unreadable(store))
        & rows["member_id"].isin(_arrival_shown(store))
    ]
    rows = rows.sort_values(["member_id", "posted_at", "record_no", "native_id", "message_id"])
    out = {}
    for member, msgs in rows.groupby("member_id", sort=True):
        codes, dates, flags = list(msgs["primary_code"]), list(msgs["posted_at"]), list(msgs["decentered"])
        if codes[0] == "collaborative":
            out[member] = (True, None, None)
            continue
        start = codes.index("individual") if "individual" in codes else 0
        later = [i for i in range(start + 1, len(codes)) if flags[i]]
        out[member] = (False, dates[start], dates[later[0]] if later else None)
    return pd.DataFrame(list(out.values()), index=list(out), columns=["arrived_helping", "since", "decentered_at"])


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_definition_and_agreement_on_real_corpus(store, corpora: Path, name: str) -> None:
    ingest(store, corpora / CORPORA[name], keep_names=True)
    done = {t.name: t.result for t in pipeline(store, steps=["text", "code", "journeys", "survival"])}
    want = _by_hand(store)
    j = member_table(store, done["journeys"].run_id).set_index("member_id")
    assert _bots(store).isdisjoint(j.index)  # a bot account has no journey
    coded = j.loc[want.index]
    assert (coded["arrived_helping"].astype(bool) == want["arrived_helping"]).all()
    assert j.drop(want.index)["arrived_helping"].isna().all()  # without a coded message, or their arrival unseen
    at_risk = want[~want["arrived_helping"].astype(bool)]
    assert (coded.loc[at_risk.index, "at_risk_since"] == at_risk["since"]).all()
    reached = at_risk.dropna(subset=["decentered_at"])
    assert (coded.loc[reached.index, "first_decentered_at"] == reached["decentered_at"]).all()
    assert coded.loc[at_risk.index.difference(reached.index), "first_decentered_at"].isna().all()
    assert coded.loc[want.index[want["arrived_helping"].astype(bool)], "first_decentered_at"].isna().all()

    table = entry_table(store).set_index("member_id")
    assert sorted(table.index) == sorted(at_risk.index)
    assert set(table.index[table["event"]]) == set(reached.index)
    events = table[table["event"]]
    assert (events["days"] > 0).all(), "decentered at the instant the time at risk starts"
    js, ss = done["journeys"].summary, done["survival"].summary
    for key in (
        "members_coded",
        "members_arrival_unseen",
        "arrived_helping",
        "at_risk",
        "decentered",
        "at_risk_without_request",
    ):
        assert js[key] == ss[key], key
    assert js["arrived_helping"] + js["at_risk"] == js["members_coded"] - js["members_arrival_unseen"] == len(want)
    assert js["reached_decentered"] == js["decentered"] == len(reached)
    assert js["median_days_to_decentered"] == pytest.approx(ss["median_days_among_decentered"])
    if name == "covid_week":  # one scraped week: nobody is first seen 90 days after the record starts
        assert len(want) == 0 and js["members_arrival_unseen"] == js["members_coded"] > 0
    else:
        assert 0 < js["arrived_helping_share"] < 1
