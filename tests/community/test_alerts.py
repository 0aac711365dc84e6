"""Kleinberg bursts: an injected burst of known dates is found; a quiet corpus gives no alert."""

import numpy as np
import pandas as pd
import pytest
from forum_builder import Forum
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.community import BurstDetector, alerts, stored_alerts
from chrysalide.community.alerts import AlertsParams, detect, few_threads, weekly_volume
from chrysalide.errors import ConfigError

START = pd.Timestamp("2021-01-04")  # a Monday


def test_detector_finds_injected_poisson_burst():
    r = np.random.default_rng(1).poisson(20, 100)
    r[40:46] = 80
    det = BurstDetector(model="poisson").fit(r)
    assert [(b.start, b.end) for b in det.bursts_] == [(40, 45)]
    assert det.bursts_[0].observed == 480 and det.bursts_[0].weight > 0


@pytest.mark.parametrize(
    "options",
    [{"s": 1.0}, {"s": 1e308}, {"s": float("inf")}, {"s": float("nan")}, {"gamma": -1.0}, {"gamma": 1e308},
     {"gamma": float("inf")}, {"gamma": float("nan")}],
)  # fmt: skip
def test_params_refuse_values_past_their_bounds_inf_and_nan(options):
    """inf and 1e308 overflowed with numpy warnings (gamma ln(weeks), s times the rate); nan passed every check."""
    with pytest.raises(ConfigError, match="--s must be above 1.*1,000,000.*--gamma"):
        AlertsParams(**options)


@pytest.mark.parametrize(
    "options",
    [{"s": 1.0}, {"s": float("inf")}, {"s": float("nan")}, {"gamma": -1.0}, {"gamma": float("inf")},
     {"gamma": float("nan")}, {"gamma": 1e308}],
)  # fmt: skip
def test_the_detector_refuses_the_same_values(options):
    """The library's own detector, not only the step's parameters: gamma inf ran with numpy overflow warnings."""
    with pytest.raises(ValueError, match="must be above 1 and at most 1,000,000, and gamma from 0 to 1,000,000"):
        BurstDetector(**options).fit(np.array([1.0, 2.0, 8.0, 1.0]), np.array([10.0, 10.0, 10.0, 10.0]))


@pytest.mark.parametrize("seed", range(5))
def test_quiet_series_has_no_burst(seed):
    """At the alerts' gamma = 2 (Kleinberg's gamma = 1 lets one-week outliers through)."""
    rng = np.random.default_rng(seed)
    d = rng.poisson(50, 120) + 1
    assert BurstDetector(model="poisson", gamma=2).fit(d).bursts_ == []
    assert BurstDetector(model="binomial", gamma=2).fit(rng.binomial(d, 0.05), d).bursts_ == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=60))
def test_states_are_runs_of_bursts(counts):
    det = BurstDetector(model="poisson").fit(np.array(counts))
    assert det.states_.sum() == sum(b.end - b.start + 1 for b in det.bursts_)
    assert all(b.start <= b.peak <= b.end for b in det.bursts_)


def _forum(store, burst: bool):
    """60 weeks, 6 messages a week; with ``burst``, weeks 30-32 add 6 'Levothyrox nouvelle formule' messages a day."""
    f = Forum(store)
    for m in range(1, 21):
        f.member(m)
    rng = np.random.default_rng(0)
    thread = 0
    words = ["thyroid", "dose", "doctor", "tired", "nodule", "scan", "results", "sleep"]
    for week in range(60):
        for k in range(6):
            thread += 1
            f.thread(thread)
            at = START + pd.Timedelta(days=7 * week + k, hours=10)
            f.post(int(rng.integers(1, 21)), thread, at, " ".join(rng.choice(words, 8)), code="individual")
        if burst and week in (30, 31, 32):
            for day in range(7):
                for k in range(6):
                    thread += 1
                    f.thread(thread)
                    at = START + pd.Timedelta(days=7 * week + day, hours=11 + k)
                    f.post(int(rng.integers(1, 21)), thread, at, "Levothyrox nouvelle formule: vertiges et crampes",
                           code="societal")  # fmt: skip
    return f.save()


def test_injected_crisis_is_alerted(store):
    _forum(store, burst=True)
    out = alerts(store, watch=["levothyrox", "Nouvelle formule"])
    stored = stored_alerts(store, out.run_id)
    found = {(a["kind"], a["target"]): a for a in stored}
    week30 = (START + pd.Timedelta(weeks=30)).date()
    end32 = (START + pd.Timedelta(weeks=32, days=6)).date()
    for key in (("volume", "messages"), ("term", "levothyrox"), ("term", "Nouvelle formule"), ("stage", "societal")):
        assert found[key]["start_at"] == week30 and found[key]["end_at"] == end32, key
    term = found[("term", "levothyrox")]
    assert term["observed"] == 126 and term["magnitude"] > 1
    assert {"levothyrox", "vertiges"} <= set(term["top_terms"])
    assert len(term["sample_message_ids"]) == 5
    assert store.count("alerts") == len(stored) == out.summary["alerts"]


def test_quiet_corpus_has_no_alert(store):
    _forum(store, burst=False)
    out = alerts(store, watch=["levothyrox"])
    assert stored_alerts(store, out.run_id) == [] and out.summary["alerts"] == 0


def test_empty_store_has_no_alert(store):
    assert stored_alerts(store, alerts(store, watch=["x"]).run_id) == []


def test_unchanged_data_returns_the_stored_alerts(store):
    _forum(store, burst=True)
    first = alerts(store, watch=["levothyrox"])
    again = alerts(store, watch=["levothyrox"])
    assert again.run_id == first.run_id and again.up_to_date and first.summary["alerts"] >= 3
    assert again.summary == first.summary


def _bot_forum(store, *, member_weeks: dict[int, int], bot_weeks: dict[int, int]):
    """60 weeks of members' messages (6 a week, else ``member_weeks[week]``) and of a bot account's signed ones
    (``bot_weeks[week]`` a week), each in a thread of its own, the bot's first in its week."""
    f = Forum(store)
    for m in (1, 2, 3, 9):
        f.member(m)
    thread = 0
    for week in range(60):
        for author, n in ((9, bot_weeks.get(week, 0)), (1, member_weeks.get(week, 6))):
            for k in range(n):
                thread += 1
                f.thread(thread)
                at = START + pd.Timedelta(days=7 * week, hours=0 if author == 9 else 12, minutes=k)
                f.post(author, thread, at, "weekly thread" if author == 9 else "hello there",
                       left_out="bot" if author == 9 else None)  # fmt: skip
    return f.save()


def test_a_bot_spree_makes_no_volume_burst(store):
    """Members post 6 messages every week; the bot posts 30 a week in weeks 30-32. Counted, weeks 30-32 hold 36
    messages where 7.5 are usual: a burst. Members' messages alone are flat: no volume alert."""
    _bot_forum(store, member_weeks={}, bot_weeks={30: 30, 31: 30, 32: 30})
    assert detect(store).query("kind == 'volume'").empty


def test_a_bot_weekly_thread_masks_no_members_burst(store):
    """Members post 6 messages a week, 18 in weeks 30-32; the bot posts 60 every week. Counted, 78 against a usual
    66.6 is no burst (Poisson, burst rate twice the mean); members' alone, 18 against 6.6 over three weeks is: the
    alert runs from week 30's Monday to week 32's Sunday, 54 members' messages, none of its samples a bot's."""
    _bot_forum(store, member_weeks={30: 18, 31: 18, 32: 18}, bot_weeks=dict.fromkeys(range(60), 60))
    (alert,) = detect(store).query("kind == 'volume'").to_dict("records")
    assert (alert["start_at"], alert["end_at"]) == ((START + pd.Timedelta(weeks=30)).date(),
                                                  (START + pd.Timedelta(weeks=32, days=6)).date())  # fmt: skip
    assert alert["observed"] == 54
    bots = {m for (m,) in store.con.execute("SELECT message_id FROM messages WHERE member_id = 9").fetchall()}
    assert alert["sample_message_ids"] and not set(alert["sample_message_ids"]) & bots
    weekly = weekly_volume(store.con)
    assert len(weekly) == 60 and weekly["messages"].sum() == 57 * 6 + 3 * 18


def test_no_sample_of_an_alert_is_a_removed_body(store):
    """Regression: r/breastcancer's volume alert showed three '[removed]' posts as its samples. Member 1 posts 6
    messages a week, 18 in weeks 30-32, where member 2's 6 '[removed]' posts (the text step's left_out) come first
    each week: the samples are member 1's messages."""
    f = Forum(store)
    f.member(1), f.member(2)
    thread = 0
    for week in range(60):
        posts = [(2, "[removed]", "removed")] * (6 if 30 <= week <= 32 else 0)
        posts += [(1, "hello there", None)] * (18 if 30 <= week <= 32 else 6)
        for k, (author, text, left_out) in enumerate(posts):
            thread += 1
            f.thread(thread)
            f.post(author, thread, START + pd.Timedelta(days=7 * week, minutes=k), text, left_out=left_out)
    f.save()
    (alert,) = detect(store).query("kind == 'volume'").to_dict("records")
    authors = store.con.execute(
        "SELECT DISTINCT member_id FROM messages WHERE message_id IN (SELECT unnest(?::BIGINT[]))",
        [alert["sample_message_ids"]],
    ).fetchall()
    assert len(alert["sample_message_ids"]) == 5 and authors == [(1,)]


def test_samples_of_an_alert_are_each_members_first(store):
    """Regression: patient.info's volume alert showed one member's two posts (the same text in two threads) as its
    two samples. In the burst weeks 30-32 member 1 posts 16 messages each Monday from 10:00, then members 2 and 3
    one each at 12:00 and 13:00; 6 a week by member 4 otherwise. The peak week is week 30 (the first of equal
    weeks): its samples are member 1's, 2's and 3's first messages, then member 1's second and third."""
    f = Forum(store)
    for m in range(1, 5):
        f.member(m)
    thread, ids = 0, {}
    for week in range(60):
        monday = START + pd.Timedelta(days=7 * week)
        if 30 <= week <= 32:
            posts = [(1, monday + pd.Timedelta(hours=10, minutes=k)) for k in range(16)]
            posts += [(2, monday + pd.Timedelta(hours=12)), (3, monday + pd.Timedelta(hours=13))]
        else:
            posts = [(4, monday + pd.Timedelta(hours=10, minutes=k)) for k in range(6)]
        for k, (author, at) in enumerate(posts):
            thread += 1
            f.thread(thread)
            ids[(week, author, k)] = f.post(author, thread, at, f"message {k} of member {author}")
    f.save()
    (alert,) = detect(store).query("kind == 'volume'").to_dict("records")
    assert alert["peak_at"] == (START + pd.Timedelta(weeks=30)).date()
    assert list(alert["sample_message_ids"]) == [ids[(30, 1, 0)], ids[(30, 2, 16)], ids[(30, 3, 17)],
                                                 ids[(30, 1, 1)], ids[(30, 1, 2)]]  # fmt: skip


def test_a_burst_one_member_wrote_most_of_is_named_their_voice(store):
    """20 members post 6 messages a week at random; in weeks 30-32 member 1 alone adds 30 a week. The volume burst's
    top writer's share is counted here from the messages written (by week), and the run names the burst as one
    member's voice (more than a third: ``lexical.writers.ONE_VOICE``); the crisis of ``_forum``, written by all 20,
    is no one's voice."""
    f = Forum(store)
    for m in range(1, 21):
        f.member(m)
    rng = np.random.default_rng(1)
    written: list[tuple[int, int]] = []  # (week, member)
    thread = 0
    for week in range(60):
        authors = [int(rng.integers(1, 21)) for _ in range(6)] + ([1] * 30 if week in (30, 31, 32) else [])
        for k, author in enumerate(authors):
            thread += 1
            f.thread(thread)
            f.post(author, thread, START + pd.Timedelta(days=7 * week + k % 7, hours=k // 7), "hello there")
            written.append((week, author))
    f.save()
    out = alerts(store)
    (burst,) = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume"]
    first = (pd.Timestamp(burst["start_at"]) - START).days // 7
    last = (pd.Timestamp(burst["end_at"]) - START).days // 7
    inside = [member for week, member in written if first <= week <= last]
    share = max(inside.count(m) for m in set(inside)) / len(inside)
    assert share > 1 / 3 and burst["one_voice"] == pytest.approx(share, abs=1e-4)
    assert out.summary["one_voice"] == {str(burst["alert_id"]): pytest.approx(share, abs=1e-4)}


def test_a_crisis_the_forum_wrote_is_no_ones_voice(store):
    _forum(store, burst=True)
    out = alerts(store, watch=["levothyrox"])
    assert out.summary["one_voice"] == {}
    assert all(a["one_voice"] is None for a in stored_alerts(store, out.run_id))


@pytest.mark.parametrize(
    ("threads", "unthreaded", "top", "few"),
    [
        (19, 0, 0.1, True),  # fewer than 20 threads
        (20, 0, 0.1, False),
        (20, 0, 0.34, True),  # one thread holds more than a third
        (20, 0, 1 / 3, False),
        (0, 34, 0.0, True),  # a table without thread ids: the 34 messages could be one conversation
        (19, 5, 0.1, False),  # at least 19 named threads and one more
        (18, 5, 0.1, True),
    ],
)
def test_few_threads_is_fewer_than_twenty_or_one_holding_more_than_a_third(threads, unthreaded, top, few):
    assert few_threads({"threads": threads, "unthreaded": unthreaded, "top_thread_share": top}) is few


def _threaded_forum(store, burst_threads: int) -> list[tuple[int, int]]:
    """60 weeks of 6 messages, each opening its thread, by 20 members at random; weeks 30-32 add 30 messages a week
    spread over ``burst_threads`` threads, by the 20 members in turn (no one's voice). Returns (week, thread) of
    every message."""
    f = Forum(store)
    for m in range(1, 21):
        f.member(m)
    rng = np.random.default_rng(2)
    written: list[tuple[int, int]] = []
    thread = 0
    burst = list(range(1001, 1001 + burst_threads))
    for t in burst:
        f.thread(t)
    for week in range(60):
        for k in range(6):
            thread += 1
            f.thread(thread)
            f.post(int(rng.integers(1, 21)), thread, START + pd.Timedelta(days=7 * week + k, hours=9), "hello there")
            written.append((week, thread))
        if week in (30, 31, 32):
            for k in range(30):
                t = burst[k % burst_threads]
                f.post(1 + k % 20, t, START + pd.Timedelta(days=7 * week + k % 7, hours=10 + k // 7), "so tired")
                written.append((week, t))
    f.save()
    return written


@pytest.mark.parametrize("burst_threads", [2, 30])
def test_a_burst_resting_on_a_few_threads_is_named_so(store, burst_threads):
    """With 2 threads the burst's 108 messages lie in 20 threads (the 18 of the usual messages and the 2), one of
    them holding 45: named, with the threads counted here from the messages written; spread over 30 they lie in 48,
    none holding more than 3: not named."""
    written = _threaded_forum(store, burst_threads)
    out = alerts(store)
    (burst,) = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume"]
    first = (pd.Timestamp(burst["start_at"]) - START).days // 7
    last = (pd.Timestamp(burst["end_at"]) - START).days // 7
    inside = [t for week, t in written if first <= week <= last]
    threads, top = len(set(inside)), max(inside.count(t) for t in set(inside)) / len(inside)
    named = threads < 20 or top > 1 / 3
    assert named is (burst_threads == 2)
    expected = {"threads": threads, "unthreaded": 0, "top_thread_share": pytest.approx(top, abs=1e-4)}
    assert burst["few_threads"] == (expected if named else None)
    assert out.summary["few_threads"] == ({str(burst["alert_id"]): expected} if named else {})


def test_a_burst_in_a_table_without_thread_ids_cannot_count_its_threads(store, tmp_path):
    """A CSV without thread ids stores each message as a thread of its own: how many conversations a burst of it
    rests on cannot be told, and it is named with its messages."""
    from chrysalide.ingest import ingest

    rows = ["message_id,author,posted_at,text"]
    per_week = {week: 12 if week in (30, 31, 32) else 1 for week in range(60)}
    for week, n in per_week.items():
        rows += [f"m{week}-{k},a{k % 5},{(START + pd.Timedelta(days=7 * week, hours=k)).isoformat()},word {k}"
                 for k in range(n)]  # fmt: skip
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest(store, tmp_path / "t.csv")
    out = alerts(store)
    (burst,) = [a for a in stored_alerts(store, out.run_id) if a["kind"] == "volume"]
    first = (pd.Timestamp(burst["start_at"]) - START).days // 7
    last = (pd.Timestamp(burst["end_at"]) - START).days // 7
    messages = sum(n for week, n in per_week.items() if first <= week <= last)
    assert burst["few_threads"] == {"threads": 0, "unthreaded": messages, "top_thread_share": 0.0}


def test_the_command_line_names_a_burst_of_a_few_threads_within_80_columns(store, tmp_path):
    """At 80 columns every row of the table is one line of at most 80 characters (the threads written out in their own
    column wrapped every cell to a few letters a line): the burst of 2 threads is marked ``T`` and its threads, counted
    here from the messages written, are given under the table with what they mean."""
    import os
    import re
    import subprocess
    import sys

    written = _threaded_forum(store, 2)
    store.close()
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "alerts", "--db", str(tmp_path / "test.duckdb")],
        capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "80"}, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("┏")) :]
    table = table[: next(i for i, line in enumerate(table) if line.startswith("└")) + 1]
    assert max(len(line) for line in table) <= 80
    body = table[table.index(next(line for line in table if line.startswith("┡"))) + 1 : -1]
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in body]
    assert body and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[2]) for row in rows)  # no cell wrapped to a 2nd line
    (volume,) = [row for row in rows if row[0] == "volume"]
    assert volume[6] == "T"
    first = (pd.Timestamp(volume[2]) - START).days // 7
    last = (pd.Timestamp(volume[3]) - START).days // 7
    inside = [t for week, t in written if first <= week <= last]
    top = max(inside.count(t) for t in set(inside)) / len(inside)
    weeks = last - first + 1
    threads = f"{len(set(inside))} threads, the largest holding {top:.0%} of its messages"
    said = " ".join(done.stdout.split("┘")[-1].split())
    assert said.startswith(
        "few threads (T): the threads of a burst whose messages lie in fewer than 20 threads (or may, in a table without "
        "thread ids), or more than a third of whose messages one thread holds: a few conversations (or ones that "
        f"cannot be counted) rather than the forum (volume, {volume[2]} to {volume[3]} ({weeks} weeks): {threads}"
    )


def test_the_command_line_gives_the_share_of_one_voice_under_the_table(store, wide_console):
    """60 weeks of 6 messages, each opening its thread, by 20 members at random; weeks 30-32 add 30 messages a week,
    each in a thread of its own (90 threads: not few), all by member 1: the burst is marked ``V`` and the share member 1
    wrote, counted here from the messages written over the burst's weeks, is given under the table (the table gave it
    in a column of its own)."""
    f = Forum(store)
    for m in range(1, 21):
        f.member(m)
    rng = np.random.default_rng(3)
    written: list[tuple[int, int]] = []  # (week, member)
    thread = 0
    for week in range(60):
        for k in range(36 if week in (30, 31, 32) else 6):
            thread += 1
            member = 1 if k >= 6 else int(rng.integers(1, 21))
            f.thread(thread)
            f.post(member, thread, START + pd.Timedelta(days=7 * week + k % 7, hours=9 + k // 7), "so tired")
            written.append((week, member))
    f.save()
    store.close()
    printed = CliRunner().invoke(app, ["alerts", "--db", str(store.path)])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    (row,) = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if line.startswith("│ volume")]
    first = (pd.Timestamp(row[2]) - START).days // 7
    last = (pd.Timestamp(row[3]) - START).days // 7
    inside = [member for week, member in written if first <= week <= last]
    share = inside.count(1) / len(inside)
    assert share > 1 / 3 and row[6] == "V"
    said = " ".join(printed.output.split("┘")[-1].split())
    assert said.startswith(
        "one voice (V): the share of the burst's messages one member wrote, more than a third: one member's spell of "
        f"posting rather than the forum's (volume, {row[2]} to {row[3]} ({last - first + 1} weeks): {share:.0%})."
    )
