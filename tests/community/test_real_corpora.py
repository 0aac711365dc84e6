"""Real corpus: reply times and first-post dates against values computed from the source file here."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from forum_builder import register_at_first_post

from chrysalide.community import community, newcomer_responses, thread_responses
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys, member_table
from chrysalide.store.bots import bot_accounts
from chrysalide.text import process

pytestmark = pytest.mark.corpora

MAPPING = {"message_id": "comment_id", "thread_id": "post_id", "author": "author", "posted_at": "created_utc",
           "text": "body"}  # fmt: skip
# Accounts that are not members (Reddit's deleted accounts; see the loader's rules).
NOT_MEMBERS = {"none", "[deleted]", "deleted", "[removed]", "null", "guest", "anonymous"}


@pytest.fixture
def reddit(corpora, store):
    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    ingest(store, path, format="csv", mapping=MAPPING, keep_names=True)
    register_at_first_post(store)  # every poster a newcomer: the burn-in is tested apart
    source = pd.read_csv(path, dtype={"author": str}, keep_default_na=False)
    source["row"] = np.arange(len(source))
    source["at"] = pd.to_datetime(source["created_utc"].astype(float), unit="s")
    source["member"] = ~source["author"].str.casefold().isin(NOT_MEMBERS)
    return store, source


def _expected_threads(source: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for post_id, part in source.sort_values(["at", "row"]).groupby("post_id", sort=False):
        starter = part.iloc[0]
        later = part.iloc[1:]
        # Anyone but the author answers: another member, or a non-member when the author is a member.
        if starter["member"]:
            repliers = later[~later["member"] | (later["author"] != starter["author"])]
        else:
            repliers = later[later["member"]]
        hours = (repliers["at"].iloc[0] - starter["at"]) / pd.Timedelta(hours=1) if len(repliers) else np.nan
        rows.append((post_id, starter["at"], hours))
    return pd.DataFrame(rows, columns=["native_id", "started_at", "hours"]).set_index("native_id")


def _judged(source: pd.DataFrame, threads: pd.DataFrame, at: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whether messages posted at ``at`` are judged answered or not, and answered within 3 hours or not, at the end
    of the collection: the follow-up window is the 95th percentile (linear) of the first answers' delays to the
    thread starts (``threads``, at least 20 of them), counted back from the source's last message."""
    delays = threads["hours"].dropna()
    window = np.quantile(delays, 0.95) if len(delays) >= 20 else 0.0
    before_end = (source["at"].max() - at) / pd.Timedelta(hours=1)
    return before_end >= window, before_end >= 3


def test_thread_reply_times_match_source(reddit):
    store, source = reddit
    got = thread_responses(store).merge(store.con.execute("SELECT thread_id, native_id FROM threads").df())
    got = got.set_index("native_id")
    want = _expected_threads(source)
    assert len(got) == len(want) == 1000
    assert (got["started_at"] == want.loc[got.index, "started_at"]).all()
    np.testing.assert_allclose(got["first_reply_hours"], want.loc[got.index, "hours"], atol=1e-6)
    summary = community(store).summary
    judged, known_3h = _judged(source, want, want["started_at"])
    assert 0 < (~judged).sum() < len(want)  # the scrape ends within the window of some threads, not of all
    assert summary["threads_near_end"] == (~judged).sum()
    assert summary["thread_first_reply_median_hours"] == pytest.approx(want.loc[judged, "hours"].median())
    assert summary["thread_answered_within_3h_share"] == pytest.approx((want.loc[known_3h, "hours"] <= 3).mean())
    assert summary["threads_unanswered_share"] == pytest.approx(want.loc[judged, "hours"].isna().mean())


def test_first_posts_and_newcomer_answers_match_source(reddit):
    store, source = reddit
    members = source[source["member"]].sort_values(["at", "row"])
    first = members.groupby("author").first()
    result = journeys(store, permutations=0)
    got = member_table(store, result.run_id).merge(store.con.execute("SELECT member_id, pseudonym FROM members").df())
    got = got.set_index("pseudonym")
    assert len(got) == len(first)
    assert (got["first_post_at"] == first.loc[got.index, "at"]).all()
    assert (got["n_messages"] == members.groupby("author").size().loc[got.index]).all()
    # The newcomer's first message is answered when a later message by anyone else is in its thread (flat source);
    # not judged (None) when posted within the follow-up window before the end of the collection.
    judged, _ = _judged(source, _expected_threads(source), first["at"])
    ordered = source.sort_values(["at", "row"]).reset_index(drop=True)
    ordered["pos"] = ordered.groupby("post_id").cumcount()
    pos_of = ordered.set_index("row")["pos"]
    threads = dict(tuple(ordered.groupby("post_id")))
    answered = {}
    for author, row in first.iterrows():
        thread = threads[row["post_id"]]
        later = thread[thread["pos"] > pos_of[row["row"]]]
        answered[author] = bool((~later["member"] | (later["author"] != author)).any()) if judged[author] else None
    newcomers = newcomer_responses(store).merge(store.con.execute("SELECT member_id, pseudonym FROM members").df())
    assert newcomers.set_index("pseudonym")["answered"].to_dict() == answered


def test_bot_accounts_match_source(reddit):
    """AutoModerator signs its 400 comments; hotlinehelpbot signs none of its 11, the same 40-word list of suicide
    hotlines each time (migration 0024). Here: authors of at least 5 comments, 90% of them signed as a bot or one
    same body of at least 20 words."""
    store, source = reddit
    signed = source["body"].str.contains(r"\bI(?: am|'m|’m) an? (?:friendly |helpful )?bot\b", case=False)
    want = set()
    for author, part in source[source["member"]].assign(signed=signed).groupby("author"):
        long = Counter(b for b in part["body"] if len(b.split()) >= 20)
        top = max(long.values(), default=0)
        if len(part) >= 5 and (part["signed"].sum() >= 0.9 * len(part) or top >= 0.9 * len(part)):
            want.add(author)
    assert want == {"AutoModerator", "hotlinehelpbot"}
    process(store)
    ids = bot_accounts(store)
    got = store.con.execute("SELECT pseudonym FROM members WHERE member_id IN (SELECT unnest(?::BIGINT[]))", [ids])
    assert {p for (p,) in got.fetchall()} == want
