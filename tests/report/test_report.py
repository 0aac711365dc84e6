"""The HTML report: builds on empty and tiny stores, is self-contained, escapes forum strings, gates quotes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from report_forum import AUTHORS, HOSTILE_BOARD, HOSTILE_TITLE, LEXICAL, SECRET_TEXT

from chrysalide.errors import ConfigError
from chrysalide.privacy.quotes import WITHHELD
from chrysalide.report.html import render, report
from chrysalide.report.html import step as step_module
from chrysalide.report.html.step import report_step
from chrysalide.store import Store

HEADINGS = [
    "Contents", "Key findings", "Corpus overview", "Stage mix over time", "Newcomer response times", "Core members and reply network",
    "Journeys: from asking to helping", "Timelines of the panel members", "Lexical classes (Reinert method)",
    "Reference words by stage", "Alerts timeline", "References",
]  # fmt: skip


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]


def assert_self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    # xmlns="http://www.w3.org/2000/svg" names a namespace, it loads nothing; nothing else may point outside.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)


def test_empty_store_report_says_what_to_run(store: Store, tmp_path: Path) -> None:
    path = report(store, tmp_path / "empty.html")
    html = path.read_text(encoding="utf-8")
    assert headings(html) == HEADINGS
    assert "this section failed" not in html
    assert html.count('class="missing"') == len(HEADINGS) - 2  # every section but contents and references
    assert "<code>chrysalide ingest FILE</code>" in html
    assert_self_contained(html)


@pytest.fixture(scope="module")
def tiny_html(tiny: Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The tiny store's report, written once, with a hostile title."""
    return report(tiny, tmp_path_factory.mktemp("out") / "r.html", title=HOSTILE_TITLE).read_text(encoding="utf-8")


def test_tiny_store_report_has_every_section_filled(tiny_html: str) -> None:
    html = tiny_html
    assert headings(html) == HEADINGS
    assert "this section failed" not in html
    missing = re.findall(r'<section id="(\w+)">\s*<h2>[^<]*</h2>\s*<p class="missing">', html)
    assert missing == []
    # Five members: fewer than 10 at risk, so the Kaplan-Meier curve is not drawn, and the report says why.
    assert html.count("<svg") >= 8
    assert "The Kaplan-Meier curve is not drawn: fewer than 10 members were at risk from the start" in html
    assert_self_contained(html)
    # Every cited reference is listed, numbered in order of first citation.
    cited = re.findall(r'<a href="#ref-(\w+)">\[(\d+)\]</a>', html)
    listed = re.findall(r'<li id="ref-(\w+)">', html)
    assert listed and [k for k, _ in dict.fromkeys(cited)] == listed[: len(dict.fromkeys(cited))]


def test_forum_strings_are_escaped(tiny_html: str) -> None:
    html = tiny_html
    for hostile in (HOSTILE_TITLE, HOSTILE_BOARD, "<script>", "<svg onload", "<3 à toi", "<img"):
        assert hostile not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html  # the title, as text
    assert "onerror=alert(&#39;board&#39;)" in html  # the board name in the boards table, inert
    assert_self_contained(html)


def test_hostile_text_in_a_figure_is_escaped_by_the_svg_renderer() -> None:
    import altair as alt
    import pandas as pd

    from chrysalide.report.html.figures import render_svg

    chart = alt.Chart(pd.DataFrame({"term": [HOSTILE_TITLE, HOSTILE_BOARD], "n": [1, 2]})).mark_bar().encode(
        x="n:Q", y="term:N")  # fmt: skip
    svg = render_svg(chart, "figX")
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg
    assert all(i.startswith("figX-") for i in re.findall(r'\sid="([^"]+)"', svg))


def test_quotes_only_from_consenting_members(tiny: Store, tiny_html: str) -> None:
    html = tiny_html
    assert WITHHELD in html  # message 9's author gave no consent
    assert SECRET_TEXT not in html
    assert "Courage &lt;3 à toi, prends soin de toi &lt;svg onload=" in html  # the consenting member, escaped
    none = render(tiny, quotes="none")
    assert "<blockquote" not in none and WITHHELD not in none and "prends soin de toi &lt;svg" not in none
    everyone = render(tiny, quotes="all-pseudonymised")
    assert "Texte privé d&#39;un membre sans consentement" in everyone and WITHHELD not in everyone


def test_key_findings_come_from_the_stored_runs(tiny_html: str) -> None:
    from datetime import datetime

    from markupsafe import escape
    from report_forum import STAGES, rows

    section = tiny_html[tiny_html.index('<section id="summary">') : tiny_html.index('<section id="overview">')]
    # Every thread's second message comes from another member: the first reply's delay, from the CSV itself.
    by_thread: dict[str, list[datetime]] = {}
    for row in rows():
        by_thread.setdefault(row["thread_id"], []).append(datetime.fromisoformat(row["posted_at"]))
    delays = sorted((sorted(d)[1] - sorted(d)[0]).total_seconds() / 3600 for d in by_thread.values())
    within = sum(d <= 3 for d in delays) / len(delays)
    assert f"{within:.0%} of threads were answered within 3 hours" in section
    # Requests: the authors' first messages that open a thread and are coded individual (report_forum.code: the
    # i-th message by date gets STAGES[min(3, i * 4 // n + i % 2)]), answered by the thread's next message
    # (another author in these threads).
    by_date = sorted(rows(), key=lambda r: r["posted_at"])
    stage = {r["message_id"]: STAGES[min(3, i * 4 // len(by_date) + i % 2)] for i, r in enumerate(by_date)}
    first: dict[str, dict] = {}
    for row in by_date:
        first.setdefault(row["author"], row)
    starts = {t: min(d) for t, d in by_thread.items()}
    requests = [r for r in first.values() if datetime.fromisoformat(r["posted_at"]) == starts[r["thread_id"]]
                and stage[r["message_id"]] == "individual"]  # fmt: skip
    assert requests  # the forum has one: Alice's first message
    hours = [(sorted(by_thread[r["thread_id"]])[1] - starts[r["thread_id"]]).total_seconds() / 3600 for r in requests]
    share = sum(h <= 3 for h in hours) / len(requests)
    assert (
        str(
            escape(
                f"{share:.0%} of {len(requests)} newcomers' requests (first messages opening a thread to ask for help)"
            )
        )
        in section
    )
    # A CSV of threads records no reply target: its answer is a later message of the thread, and said so.
    said = f"{share:.0%} of newcomers' requests got an answer (a later message of its thread by someone else: source"
    assert str(escape(said)) in section and "which does not record whom a message answers) within 3 hours" in section
    assert "usually in less than 3 hours" in section  # the study's claim beside it
    assert f"{len(rows()):,} messages in {len(by_thread)} threads by 5 members, 2017" in section
    burst = section.split("heaviest burst of volume 2017-01-02 to 2017-01-15 (2 weeks), ")[1]
    assert " in the other weeks (4.0 times the average week)" in burst.split(";")[0]


def test_durations_use_the_unit_a_reader_expects() -> None:
    from chrysalide.report.html.context import duration

    assert [duration(h) for h in (None, 0.0, 0.0569, 2.5, 25.0, 24 * 10.2, 24 * 100, 24 * 800)] == [
        "-", "0 min", "3 min", "2.5 h", "25.0 h", "10 days", "3.3 months", "2.2 years"]  # fmt: skip


def test_no_author_names_or_native_ids(tiny: Store, tiny_html: str) -> None:
    html = tiny_html
    for name in AUTHORS:
        assert name not in html
    pseudonyms = [r[0] for r in tiny.con.execute("SELECT pseudonym FROM members").fetchall()]
    assert any(p in html for p in pseudonyms)  # members are named by their pseudonyms


def test_excluded_members_leave_the_member_tables(tiny: Store, tiny_html: str) -> None:
    top = tiny.con.execute(
        "SELECT member_id, pseudonym FROM members ORDER BY member_id LIMIT 1").fetchone()  # fmt: skip
    assert top[1] in tiny_html  # the member is in the panel, the core table or a quote label
    tiny.con.execute("INSERT OR REPLACE INTO consent VALUES (?, 'refused', NULL, 'exclude')", [top[0]])
    try:
        html = render(tiny)
    finally:
        tiny.con.execute("DELETE FROM consent WHERE member_id = ? AND scope = 'exclude'", [top[0]])
    assert top[1] not in html


def test_bad_options_are_user_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--quotes"):
        report(store, tmp_path / "r.html", quotes="all")
    with pytest.raises(ConfigError, match="does not exist"):
        report(store, tmp_path / "nowhere" / "r.html")


def test_cli_writes_the_report(store: Store, tmp_path: Path) -> None:
    db = store.path
    store.close()
    out = tmp_path / "cli.html"
    cmd = [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "report", "--db", db, "--out", str(out),
           "--title", "CLI report", "--quotes", "none"]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "<title>CLI report</title>" in out.read_text(encoding="utf-8")
    bad = subprocess.run(cmd[:-1] + ["everything"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--quotes" in bad.stderr and "Traceback" not in bad.stderr


def test_reinert_section_reads_the_stored_lexical_run(tiny: Store) -> None:
    from chrysalide.lexical import lexical

    run = lexical(tiny, **LEXICAL).to_dict()
    html = render(tiny)
    section = html[html.index('<section id="reinert">') : html.index('<section id="reference_words">')]
    assert f"From run {run['run_id']}: lexical" in section
    assert "Characteristic terms of each class" in section and "<svg" in section
    assert "writers (the most prolific" in section
    assert "this section failed" not in html
    # One member writing every message: each class is that member's voice, and the section says so.
    authors = tiny.con.execute("SELECT message_id, member_id FROM messages").df()
    try:
        tiny.con.execute("UPDATE messages SET member_id = (SELECT min(member_id) FROM messages)")
        html = render(tiny)
    finally:
        tiny.register("chrys_authors", authors)
        tiny.con.execute("UPDATE messages m SET member_id = a.member_id FROM chrys_authors a"
                         " WHERE a.message_id = m.message_id")  # fmt: skip
    section = html[html.index('<section id="reinert">') : html.index('<section id="reference_words">')]
    assert "of the segments of class 1 (100%), class 2 (100%), class 3 (100%):" in section


def test_stage_mix_uses_the_corrected_estimate_and_says_which_languages_the_model_did_not_learn(
    store: Store, tmp_path: Path
) -> None:
    # Regression: ADFD's key findings gave raw counts ("collaborative 63%") where the stage table gave the
    # corrected estimate (56.3%), and neither said that 779 of its codes await review for their language.
    from chrysalide.coding.review import decide
    from chrysalide.ingest import ingest
    from chrysalide.report.html.context import Context
    from chrysalide.report.html.sections import section_stage_mix, section_summary

    path = tmp_path / "f.csv"
    path.write_text("message_id,thread_id,author,posted_at,text\n" + "".join(
        f"{i},t,A{i},2017-01-0{i},message {i}\n" for i in range(1, 5)), encoding="utf-8")  # fmt: skip
    ingest(store, path)
    ids = [r[0] for r in store.con.execute("SELECT message_id FROM messages ORDER BY native_id").fetchall()]
    # (primary, individual, community, collaborative, societal, other, needs_review, coded_lang, lang_learned)
    codes = [("collaborative", 0.3, 0.0, 0.6, 0.0, 0.1, True, "de", False),
             ("collaborative", 0.1, 0.3, 0.6, 0.0, 0.0, True, "de", False),
             ("collaborative", 0.5, 0.0, 0.5, 0.0, 0.0, True, "fr", True),
             ("community", 0.0, 0.9, 0.1, 0.0, 0.0, False, "fr", True)]  # fmt: skip
    with store.run("coding", "test", {}) as run:
        for message_id, (primary, *scores, review, lang, learned) in zip(ids, codes, strict=True):
            store.con.execute(
                "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, score_individual,"
                " score_community, score_collaborative, score_societal, score_other, confidence, origin, coder,"
                " decided_at, needs_review, lang_supported, coded_lang, lang_learned)"
                " VALUES (?, ?, ?, [], false, ?, ?, ?, ?, ?, 0.5, 'model', 'm', now()::TIMESTAMP, ?, true, ?, ?)",
                [run.run_id, message_id, primary, *scores, review, lang, learned],
            )
    # By hand: collaborative (0.6 + 0.6 + 0.5 + 0.1) / 4 = 45.0% against 3 of 4 primary codes (75%);
    # community (0 + 0.3 + 0 + 0.9) / 4 = 30.0%; individual (0.3 + 0.1 + 0.5) / 4 = 22.5%; other 2.5%.
    ctx = Context(store)
    summary = section_summary(ctx)
    assert "The largest stage is collaborative (an estimated 45.0%" in summary.paragraphs[0]  # not "mostly": < 50%
    assert "mostly" not in summary.paragraphs[0] and "'other'" not in summary.paragraphs[0]  # other: 2.5%, 0 codes
    assert "75%" not in summary.paragraphs[0]
    row = next(r for r in summary.tables[0].rows if r[0] == "stage mix")
    assert row[1].startswith("collaborative 45.0% (3), community 30.0% (1), individual 22.5% (0), other 2.5% (0)")
    assert "2 of the 4 coded messages (50%) are in a language the model did not learn (de 2)" in summary.paragraphs[0]
    # The French collaborative code awaits review for its confidence alone: 1 of 4.
    unsure = "1 of the 4 coded messages (25%) have a confidence below the model's review threshold and await review"
    assert unsure in summary.paragraphs[0]
    assert "; 1 (25%) below the model's confidence threshold, awaiting review" in row[1]
    mix = section_stage_mix(ctx)
    assert ["collaborative", 3, "45.0%"] in mix.tables[0].rows
    facts = dict(mix.facts)
    assert facts["confident codes / awaiting review"] == "1 / 3"
    assert facts["awaiting review: a language the model did not learn"] == "2 (de 2)"
    assert facts["awaiting review: confidence below the threshold"] == "1"
    assert any("(de 2)" in p and "await review" in p for p in mix.paragraphs)
    assert any(p.startswith(unsure) for p in mix.paragraphs)
    assert facts["reviewers against the automatic codes"].startswith("no decision yet (`chrysalide review --n 0")
    # A reviewer's random audit of two codes (one kept) and a least certain code corrected: each part stated apart.
    for message_id, code, sample in zip(
        ids[:3], ("collaborative", "other", "individual"), ("audit", "audit", "uncertain"), strict=True
    ):
        decide(store, message_id, code, reviewer="ana", sample=sample)
    audit = "random audit: 2 code(s) reviewed, 50% kept (kappa from 20 decisions)"
    summary = section_summary(Context(store))
    assert f"The coder measured on this corpus by the reviewers' {audit}." in summary.paragraphs[0]
    assert next(r for r in summary.tables[0].rows if r[0] == "stage mix")[1].endswith(f"; the reviewers' {audit}")
    facts = [f for f in section_stage_mix(Context(store)).facts if f[0] == "reviewers against the automatic codes"]
    assert [f[1] for f in facts] == [
        "random audit: 2 code(s) reviewed, 50% kept (kappa from 20 decisions)",
        "least certain codes: 1 code(s) reviewed, 0% kept",
    ]
    store.con.execute("DELETE FROM codes WHERE origin = 'human'")
    # A store coded before codes kept their language: the reason is not recorded, and the split says so.
    store.con.execute("UPDATE codes SET coded_lang = NULL, lang_learned = NULL")
    facts = dict(section_stage_mix(Context(store)).facts)
    assert facts["awaiting review: reason not recorded (coded before the store kept each code's language)"] == "3"
    assert "awaiting review: confidence below the threshold" not in facts


def test_report_step_writes_again_when_the_code_that_reads_the_runs_changed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.html"
    assert not report_step(store, out=out).up_to_date
    assert report_step(store, out=out).up_to_date  # unchanged data, unchanged code: the stored run stands
    monkeypatch.setattr(step_module, "source_digest", lambda: "another-code")
    again = report_step(store, out=out)
    assert not again.up_to_date  # same data and version (0.1.0), another reading of it: written again
    assert store.con.execute("SELECT count(*) FROM runs WHERE stage = 'report'").fetchone()[0] == 2
