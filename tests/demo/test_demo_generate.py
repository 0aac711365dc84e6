"""The demo forum generator: format, determinism, and the study's shape (Fayn et al. 2021)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from chrysalide.demo import (
    COLUMNS,
    CRISIS_PEAK,
    CRISIS_START,
    HOSTILE,
    PRESETS,
    STUDY_SIZE,
    WINDOW_END,
    WINDOW_START,
    generate,
    generate_frame,
)
from chrysalide.errors import ConfigError


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The default demo corpus with its generator-side truth, read back from the JSONL file."""
    out = generate(tmp_path_factory.mktemp("demo") / "forum.jsonl", truth=True, **PRESETS["demo"])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    df = pd.DataFrame(rows)
    truth = pd.read_csv(out.with_suffix(".truth.csv"))
    df = df.merge(truth, on="message_id", how="left", validate="one_to_one")
    df["t"] = pd.to_datetime(df["posted_at"], utc=True, format="ISO8601")
    return df


def test_presets_and_study_size() -> None:
    assert STUDY_SIZE == {"messages": 485_000, "threads": 54_305}
    assert PRESETS["study"] == STUDY_SIZE
    assert PRESETS["demo"]["messages"] <= 10_000


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = generate(tmp_path / "a.jsonl", messages=800, seed=3, truth=True)
    b = generate(tmp_path / "b.jsonl", messages=800, seed=3, truth=True)
    c = generate(tmp_path / "c.jsonl", messages=800, seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".truth.csv").read_bytes() == b.with_suffix(".truth.csv").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_exact_sizes_and_columns(demo: pd.DataFrame) -> None:
    assert len(demo) == PRESETS["demo"]["messages"]
    assert demo["thread_id"].nunique() == PRESETS["demo"]["threads"]
    assert list(demo.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert demo["message_id"].is_unique
    assert set(demo["author_role"]) == {"member", "moderator", "admin"}
    assert set(demo["lang"]) == {"fr", "en"}
    for col in ("message_id", "thread_id", "author", "posted_at", "text", "board"):
        assert demo[col].map(lambda v: isinstance(v, str) and v != "").all(), col


def test_csv_holds_the_same_corpus_as_jsonl(tmp_path: Path) -> None:
    j = generate(tmp_path / "f.jsonl", messages=500, seed=11)
    c = generate(tmp_path / "f.csv", messages=500, seed=11, fmt="csv")
    from_json = pd.read_json(j, lines=True, dtype=False).fillna("")
    from_csv = pd.read_csv(c, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(from_json[list(COLUMNS)], from_csv[list(COLUMNS)])


def test_frame_matches_file(tmp_path: Path) -> None:
    out = generate(tmp_path / "g.jsonl", messages=400, seed=5)
    frame = generate_frame(400, seed=5)
    from_file = pd.read_json(out, lines=True, dtype=False)
    assert frame["text"].tolist() == from_file["text"].tolist()
    assert frame["reply_to"].fillna("").tolist() == from_file["reply_to"].fillna("").tolist()


def test_timestamps_are_iso_with_zone_inside_the_window(demo: pd.DataFrame) -> None:
    parsed = demo["posted_at"].map(datetime.fromisoformat)
    assert parsed.map(lambda d: d.utcoffset() in (timedelta(hours=1), timedelta(hours=2))).all()
    assert demo["t"].min() >= WINDOW_START
    assert demo["t"].max() < WINDOW_END + timedelta(days=400)
    summer = demo[demo["t"].dt.month == 7]["posted_at"]
    assert summer.str.endswith("+02:00").all()


def test_reply_to_names_an_earlier_message_of_the_same_thread(demo: pd.DataFrame) -> None:
    by_id = demo.set_index("message_id")
    line = pd.Series(range(len(demo)), index=demo["message_id"])
    replies = demo[demo["reply_to"].notna()]
    target = by_id.loc[replies["reply_to"]]
    assert (target["thread_id"].to_numpy() == replies["thread_id"].to_numpy()).all()
    assert (target["t"].to_numpy() < replies["t"].to_numpy()).all()
    assert (line[replies["reply_to"]].to_numpy() < line[replies["message_id"]].to_numpy()).all()


def test_thread_starts_have_titles_and_no_parent(demo: pd.DataFrame) -> None:
    starts = demo[demo["reply_to"].isna()]
    assert starts["thread_id"].is_unique and len(starts) == demo["thread_id"].nunique()
    assert starts["title"].map(lambda s: isinstance(s, str) and len(s) > 3).all()
    assert demo.loc[demo["reply_to"].notna(), "title"].isna().all()


def test_member_activity_is_heavy_tailed(demo: pd.DataFrame) -> None:
    counts = demo["author"].value_counts()
    assert 0.03 < counts.iloc[0] / len(demo) < 0.09  # the pillar: ~5.5%, like 26,478 of 485,000
    assert (counts <= 3).mean() > 0.7  # most members come, ask, thank and leave
    assert counts.iloc[0] > 50 * counts.median()


def test_first_replies_come_within_hours(demo: pd.DataFrame) -> None:
    start = demo[demo["reply_to"].isna()].set_index("thread_id")["t"]
    answers = demo[demo["reply_to"].notna() & (demo["kind"] != "bump")]
    first = answers.groupby("thread_id")["t"].min()
    hours = (first - start.reindex(first.index)).dt.total_seconds() / 3600
    assert 0.5 < hours.median() < 3.0
    assert hours.quantile(0.95) > 12  # a long tail of late answers
    unanswered = 1 - demo.groupby("thread_id").size().gt(1).mean()
    assert 0.02 < unanswered < 0.15


def test_crisis_burst_in_monthly_counts(demo: pd.DataFrame) -> None:
    monthly = demo.set_index("t").resample("MS").size()
    peak = monthly[CRISIS_PEAK[0] : CRISIS_PEAK[1] - timedelta(days=1)].mean()
    before = monthly["2016-01-01":"2016-12-31"].median()
    assert peak > 2.5 * before
    crisis_board = demo[demo["board"].str.contains("formul", case=False)]
    assert len(crisis_board) > 0 and crisis_board["t"].min() >= CRISIS_START
    mentions = demo["text"].str.contains("nouvelle formule|new formula", case=False)
    assert demo.loc[mentions, "t"].min() >= CRISIS_START


def test_first_posts_are_long_and_worried(demo: pd.DataFrame) -> None:
    first = demo[demo["kind"] == "first_post"]
    others = demo[demo["reply_to"].notna()]
    assert first["text"].str.len().median() > 3 * others["text"].str.len().median()
    fr = first[first["lang"] == "fr"]["text"].str.lower()
    assert fr.str.contains(r"\bje\b|\bj'").mean() > 0.95
    assert fr.str.contains(r"\bvous\b").mean() > 0.8


def _rate(df: pd.DataFrame, stage: str, pattern: str, lang: str = "fr") -> float:
    texts = df[(df["intended_stage"] == stage) & (df["lang"] == lang)]["text"].str.lower()
    return float(texts.str.contains(pattern, regex=True).mean())


def test_each_stage_speaks_its_reference_words(demo: pd.DataFrame) -> None:
    tu, vous, we = r"\b(?:tu|te|toi|ton|ta|tes)\b", r"\b(?:vous|votre|vos)\b", r"\b(?:nous|notre|nos|on)\b"
    assert _rate(demo, "individual", vous) > _rate(demo, "collaborative", vous)
    assert _rate(demo, "collaborative", tu) > _rate(demo, "individual", tu)
    assert _rate(demo, "community", r"merci") > 1.3 * _rate(demo, "individual", r"merci")
    assert _rate(demo, "community", we) > _rate(demo, "individual", we)
    assert _rate(demo, "collaborative", r"courage|prends (?:bien )?soin de toi") > 0.15
    assert _rate(demo, "societal", r"levo|formule|pétition|pharmacovigilance") > 0.7
    assert _rate(demo, "societal", r"formula|petition|report", lang="en") > 0.5
    assert set(demo["intended_stage"]) == {"individual", "community", "collaborative", "societal", "other"}


def test_members_move_from_asking_to_helping(demo: pd.DataFrame) -> None:
    regular = demo[demo["author_role"] == "member"]
    counts = regular["author"].value_counts()
    active = regular[regular["author"].isin(counts[counts >= 15].index)].sort_values("t")
    assert active["author"].nunique() >= 5
    pos = active.groupby("author").cumcount() / active["author"].map(counts)
    means = pos.groupby(active["intended_stage"]).mean()
    assert means["individual"] < means["community"] < means["collaborative"]


def test_about_seventy_percent_french_and_english_only_option(demo: pd.DataFrame) -> None:
    assert 0.62 < (demo["lang"] == "fr").mean() < 0.8
    assert not set(demo[demo["lang"] == "fr"]["board"]) & set(demo[demo["lang"] == "en"]["board"])
    en = generate_frame(300, seed=2, languages=("en",))
    assert set(en["lang"]) == {"en"}


def test_hostile_and_messy_content_is_present(demo: pd.DataFrame) -> None:
    text = demo["text"]
    for snippet in HOSTILE:
        assert text.str.contains(snippet, regex=False).any(), snippet
    assert text.str.len().max() > 100_000
    assert (text.str.len() > 8_000).sum() >= 2
    assert text.str.contains("🦋|😊|💪|🙏").any()
    assert text.str.contains("@").any()
    named = demo.dropna(subset=["reply_to"]).merge(
        demo[["message_id", "author"]], left_on="reply_to", right_on="message_id", suffixes=("", "_parent")
    )
    mentions = [p in t for p, t in zip(named["author_parent"], named["text"], strict=True)]
    assert 0.1 < sum(mentions) / len(named) < 0.8


def test_no_identical_messages_except_by_design(demo: pd.DataFrame) -> None:
    free = demo[~demo["kind"].isin(["bump", "short", "moderation"])]
    assert free["text"].duplicated().mean() < 0.005


def test_bad_parameters_raise_config_errors(tmp_path: Path) -> None:
    for kwargs in ({"messages": 0}, {"messages": 10, "threads": 11}, {"languages": ("de",)}, {"fmt": "xml"}):
        with pytest.raises(ConfigError, match=re.escape(next(iter(kwargs)))):
            generate(tmp_path / "x.jsonl", **kwargs)
