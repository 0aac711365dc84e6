"""Real corpus: r/covidlonghaulers imported with ``--boards covidlonghaulers`` holds 86 members' histories for years
and, from Sunday 2026-03-29, whole conversations of its scraped threads. The 18-week volume burst ends in their first
full week: at an edge of the collected conversations (it was not flagged while only a burst's first week was compared
with the start of collected replies)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from chrysalide.community import alerts, stored_alerts
from chrysalide.community.alerts import edge_days
from chrysalide.ingest import ingest

pytestmark = [pytest.mark.corpora, pytest.mark.slow]

COVID = "reddit_covidlonghaulers_userhistories_en"


def _raw(root: Path) -> tuple[pd.Series, pd.Timestamp]:
    """The dates (UTC) of every r/covidlonghaulers item of the files, each id once, and the first of the thread
    files' (their posts and comments), read with json and pandas only."""
    items: dict[str, str] = {}
    for name in ("output", "reddit_sample_data"):
        for post in json.loads((root / name / "subreddit_posts.json").read_text(encoding="utf-8")):
            items[post["post_id"]] = post["created_utc"]
            items.update({c["comment_id"]: c["created_utc"] for c in post["comments"]})
    threads = pd.to_datetime(pd.Series(list(items.values())), utc=True, format="mixed").min()
    for path in sorted((root / "reddit_sample_data" / "users").glob("*.json")):
        history = json.loads(path.read_text(encoding="utf-8"))
        for kind, key in (("posts", "post_id"), ("comments", "comment_id")):
            for item in history[kind]:
                if item["subreddit"].casefold() == "covidlonghaulers":
                    items.setdefault(item[key], item["created_utc"])
    at = pd.to_datetime(pd.Series(list(items.values())), utc=True, format="mixed").dt.tz_convert(None)
    return at, threads.tz_convert(None)


def test_covid_volume_burst_ending_with_the_scraped_threads_is_flagged(store, corpora: Path) -> None:
    root = corpora / COVID
    ingest(store, root, format="reddit", keep_names=True, boards=["covidlonghaulers"])
    at, threads = _raw(root)
    first_day = threads.normalize()
    assert first_day == pd.Timestamp("2026-03-29")  # a Sunday: the threads' first full week is that of 03-30
    # The only edge: the threads' start (the records of their members without a history, and the first day whose
    # replies were collected); the histories' start lies in the series' first week, the source's end in its last.
    assert edge_days(store.con).values.tolist() == [[first_day, "start"]]
    out = alerts(store)
    (burst,) = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume" and a["weeks"] == 18]
    start, end = pd.Timestamp(burst["start_at"]), pd.Timestamp(burst["end_at"])
    weeks = at.dt.to_period("W-SUN").dt.start_time
    span = (weeks.max() - weeks.min()).days // 7 + 1
    inside = int(((weeks >= start) & (weeks <= end)).sum())
    # Its observed messages and its ratio to the mean week, counted from the files (no bot account posts here).
    assert (str(start.date()), str(end.date()), burst["observed"]) == ("2025-12-01", "2026-04-05", inside)
    assert burst["magnitude"] == pytest.approx(inside / (18 * len(at) / span), rel=1e-9) and burst["magnitude"] > 5
    # Its last week (2026-03-30 to 04-05) shares 6 days with the threads' first 7 (03-29 to 04-04): flagged.
    assert (end - pd.Timedelta(days=6) - first_day).days == 1
    assert burst["collection_edge"] and out.summary["collection_edge"] == [burst["alert_id"]]
