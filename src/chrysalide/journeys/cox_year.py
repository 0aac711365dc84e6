"""Whether the Cox model's year of the first request can be read as a change in the members, or is one of collection.

The Cox model of the time to decentering (:class:`chrysalide.journeys.survival_model.ProgressionSurvival`) has the year of
a member's first request among its covariates: "per year later, members decentre sooner" would say the community
changed. On an export whose volume changes from year to year by an order of magnitude the year says first what was
collected: r/BPD's holds 14.6 messages a day in 2023 and 320 in 2024 (eight subreddits scraped over windows from five
days to years, most of them in April and May 2024), so a member who asked in 2023 has most of their later messages
outside the record, and "decentre sooner" (hazard ratio 3.04 per year, 95% CI 1.77-5.20) is the collection's. A
forum that grows that much changes too (more members to help, more to answer), so the year's ratio does not say
that the members changed either. The rule is a plain reading of the record, in the spirit of the time-period
confounding of cohort studies (Rothman, Greenland & Lash 2008, *Modern Epidemiology*, 3rd ed., ch. 9): where the
corpus's messages a day differ more than :data:`YEAR_VOLUME_RATIO` times between the years of most of the model's
first requests, the year's hazard ratio is shown and not read.
"""

from __future__ import annotations

from typing import Any

from chrysalide.store import Store
from chrysalide.store.bots import not_bot

#: Messages a day in one year of the model's first requests against another's, above which the year's hazard ratio
#: is not read: above the demo forum's crisis year against its quietest (2.8 times: the 2017 Levothyrox crisis the
#: study saw the forum through, a change of the community the year should show), far below a scrape's (r/BPD: 22
#: times). Of the real corpora we ran, only r/BPD's Cox model is fitted (the others have too few events).
YEAR_VOLUME_RATIO = 5.0
#: Share of the Cox model's members a year needs for its volume to be compared (a year of a few stray requests,
#: r/BPD's 2019, weighs nothing in the ratio).
YEAR_MIN_SHARE = 0.1
#: The reading of the year's hazard ratio when collection changed between its years.
COLLECTION_READING = "not read: the record's volume changed"

# Messages of members and guests (bots left out) per year, and the days of that year the corpus spans.
_VOLUME = f"""
WITH span AS (SELECT min(posted_at) AS first, max(posted_at) AS last FROM messages WHERE posted_at IS NOT NULL)
SELECT year(m.posted_at) AS year, count(*) AS messages,
       greatest(1, date_diff('day', greatest(any_value(s.first), make_date(year(m.posted_at), 1, 1)::TIMESTAMP),
                least(any_value(s.last), make_date(year(m.posted_at) + 1, 1, 1)::TIMESTAMP))) AS days
FROM messages m, span s
WHERE m.posted_at IS NOT NULL AND {not_bot()}
GROUP BY 1
"""


def year_volumes(store: Store, members_by_year: dict[int, int]) -> dict[str, dict[str, float]]:
    """For each year of the Cox model's first requests (``members_by_year``: its members per year), the members and
    the corpus's messages a day that year (its messages over the days of the year the corpus spans), keyed by the
    year as text (the run's summary is JSON)."""
    rows = {int(y): (int(n), int(d)) for y, n, d in store.con.execute(_VOLUME).fetchall()}
    out = {}
    for year, members in sorted(members_by_year.items()):
        messages, days = rows.get(int(year), (0, 1))
        out[str(year)] = {"members": int(members), "messages_per_day": messages / days}
    return out


def volume_change(summary: dict[str, Any]) -> tuple[str, float, str, float] | None:
    """The quietest and busiest years (year, messages a day) of a survival run's Cox model (its summary's
    ``cox_year_volume``) among the years of at least :data:`YEAR_MIN_SHARE` of its members, when the busiest holds
    more than :data:`YEAR_VOLUME_RATIO` times the quietest's messages a day; None otherwise (or for a run made before
    the key)."""
    years = summary.get("cox_year_volume") or {}
    total = sum(int(v["members"]) for v in years.values())
    weighed = [
        (y, float(v["messages_per_day"])) for y, v in years.items() if total and v["members"] >= YEAR_MIN_SHARE * total
    ]
    if len(weighed) < 2:
        return None
    (low, low_rate), (high, high_rate) = min(weighed, key=lambda x: x[1]), max(weighed, key=lambda x: x[1])
    if low_rate <= 0 or high_rate / low_rate <= YEAR_VOLUME_RATIO:
        return None
    return low, low_rate, high, high_rate


def volume_change_text(summary: dict[str, Any]) -> str:
    """The sentence saying why the year's hazard ratio of a survival run (its ``summary``) is not read
    (:func:`volume_change`); '' when it is."""
    change = volume_change(summary)
    if change is None:
        return ""
    low, low_rate, high, high_rate = change
    return (f"The year of the first request is not read: the record holds {low_rate:,.1f} messages a day in {low} and "
            f"{high_rate:,.1f} in {high} ({high_rate / low_rate:.0f} times as many), years of the model's first "
            "requests, so its hazard ratio says what was collected (a member who asked in a thinly collected year "
            "has most of their later messages outside the record) or how much the forum grew, not that its members "
            "changed.")  # fmt: skip
