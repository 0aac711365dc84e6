"""The Cox model's year of the first request is not read where the record's volume changed between its years.

Regression: r/BPD's export holds 14.6 messages a day in 2023 and 320 in 2024 (eight subreddits scraped over windows
from five days to years), and its Cox model read "year of the first request: per year later" at a hazard ratio of
3.04 (95% CI 1.77-5.20) as members who "decentre sooner": a member who asked in 2023 has most of their later
messages outside the record.
"""

from __future__ import annotations

import pandas as pd
import pytest
from forum_builder import Forum

from chrysalide.journeys.cox_year import COLLECTION_READING, volume_change, volume_change_text, year_volumes
from chrysalide.journeys.survival_text import cox_notes, cox_rows

COX = pd.DataFrame({
    "covariate": ["year", "replies_first_week"], "coef": [1.1, 0.0], "hazard_ratio": [3.04, 1.01],
    "ci_lower": [1.77, 0.93], "ci_upper": [5.20, 1.09], "p": [0.0001, 0.8],
})  # fmt: skip


def _summary(volume: dict[str, tuple[int, float]]) -> dict:
    return {"cox_year_volume": {y: {"members": n, "messages_per_day": r} for y, (n, r) in volume.items()}}


def test_year_volumes_counts_messages_over_the_days_of_each_year_the_record_spans(store):
    """By hand: 10 messages in 2020 from 2020-01-01 (366 days to 2021-01-01), 100 in 2021 up to 2021-03-02
    (60 days from 2021-01-01); a bot's message is not counted."""
    f = Forum(store)
    f.member(1), f.member(2)
    f.thread(1)
    for day in range(10):
        f.post(1, 1, pd.Timestamp("2020-01-01") + pd.Timedelta(days=day * 30), "hello")
    for i in range(99):
        f.post(2, 1, pd.Timestamp("2021-01-01") + pd.Timedelta(hours=i * 12), "hello")
    f.post(2, 1, "2021-03-02 00:00", "hello")
    f.save()
    volumes = year_volumes(store, {2020: 4, 2021: 6, 2019: 1})
    assert volumes == {
        "2019": {"members": 1, "messages_per_day": 0.0},
        "2020": {"members": 4, "messages_per_day": pytest.approx(10 / 366)},
        "2021": {"members": 6, "messages_per_day": pytest.approx(100 / 60)},
    }


def test_a_change_of_volume_between_the_main_years_withholds_the_years_reading():
    # r/BPD's figures: 2021 and 2022 hold fewer than 10% of the model's 207 members and are not compared.
    s = _summary({"2021": (5, 0.14), "2022": (11, 0.50), "2023": (92, 14.59), "2024": (99, 319.87)})
    assert volume_change(s) == ("2023", 14.59, "2024", 319.87)
    rows = cox_rows(COX, s).set_index("covariate")
    assert rows.loc["year", "reading"] == COLLECTION_READING
    assert rows.loc["replies_first_week", "reading"] == "no clear difference"
    assert volume_change_text(s).startswith(
        "The year of the first request is not read: the record holds 14.6 messages a day in 2023 and 319.9 in 2024 "
        "(22 times as many)"
    )
    assert volume_change_text(s) in cox_notes(s)


def test_a_crisis_year_of_the_demo_forum_is_read():
    # The demo's years of the Cox model's members (2017, the Levothyrox crisis, at 2.8 times 2015's volume).
    s = _summary({"2013": (6, 0.98), "2014": (20, 1.93), "2015": (20, 1.48), "2016": (19, 1.77),
                  "2017": (54, 4.16), "2018": (30, 3.52)})  # fmt: skip
    assert volume_change(s) is None and volume_change_text(s) == ""
    assert cox_rows(COX, s).set_index("covariate").loc["year", "reading"] == "decentre sooner"
    assert volume_change({}) is None  # a run made before the key
