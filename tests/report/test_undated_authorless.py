"""A table without dates or authors (Doctissimo's annotated posts: 161 posts, only ids and sentences) is coded, but
journeys and community runs store nothing: the report and the dashboard say why, instead of asking to run the
steps that ran ("Member journeys are not computed yet: run `chrysalide journeys`"), and the stage mix over time
is not said to lack codes ("No coded messages yet")."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chrysalide.coding import code
from chrysalide.community import alerts, community
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys, survival
from chrysalide.lexical import lexical
from chrysalide.report.html import render
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import (
    section_journeys,
    section_reinert,
    section_responses,
    section_stage_mix,
    section_summary,
    section_timelines,
)
from chrysalide.store import Store
from chrysalide.text import process
from chrysalide.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_fixtures import BASE  # noqa: E402

TEXTS = [
    "Bonjour, je suis enceinte de 6 semaines et je ne sais pas quoi faire, des conseils ?",
    "Courage à toi, tu n'es pas seule, parles-en à ton médecin.",
    "Nous sommes nombreuses ici à être passées par là.",
    "Merci à toutes pour vos messages.",
]


def _corpus(store: Store, tmp_path: Path, *, run_steps: bool = True) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("text\n" + "".join(f'"{t}"\n' for t in TEXTS), encoding="utf-8")
    ingest(store, path)
    code(store, ["lexicon"])
    if run_steps:
        journeys(store, permutations=0)
        survival(store)
        community(store)
        alerts(store)


def _finding(ctx: Context, topic: str) -> str:
    (row,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == topic]
    return str(row[1])


def test_the_report_says_why_steps_that_ran_measured_nothing(store: Store, tmp_path: Path) -> None:
    _corpus(store, tmp_path)
    ctx = Context(store)
    run = {step: store.latest(step) for step in ("journeys", "community")}
    lacks = f"none of the corpus' {len(TEXTS)} messages is dated or by a member"
    assert section_journeys(ctx).missing == f"`chrysalide journeys` ran (run {run['journeys']}) but had nothing to " \
                                           f"measure: {lacks}."  # fmt: skip
    assert section_timelines(ctx).missing == section_journeys(ctx).missing
    assert section_responses(ctx).missing == f"`chrysalide community` ran (run {run['community']}) but had nothing " \
                                             f"to measure: {lacks}."  # fmt: skip
    assert section_stage_mix(ctx).missing == (f"No stage mix over time: none of the corpus' {len(TEXTS)} messages is "
                                              "dated. The key findings give the stage mix of the whole corpus.")  # fmt: skip
    for topic in ("response to newcomers", "decentering", "from I to we"):
        assert _finding(ctx, topic) == f"not measurable ({lacks})"
    assert _finding(ctx, "crisis") == f"not measurable (none of the corpus' {len(TEXTS)} messages is dated)"


def test_steps_not_run_are_still_asked_for(store: Store, tmp_path: Path) -> None:
    _corpus(store, tmp_path, run_steps=False)
    ctx = Context(store)
    assert section_journeys(ctx).missing == (
        "Member journeys are not computed yet: run `chrysalide journeys` (after `chrysalide code`)."
    )
    assert _finding(ctx, "decentering") == "not computed: run `chrysalide journeys`"
    assert _finding(ctx, "crisis") == "not computed: run `chrysalide alerts`"


def test_the_dashboard_community_page_says_why(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        _corpus(store, tmp_path)
        run_id = store.latest("community")
    client = TestClient(create_app(tmp_path / "d.duckdb"), base_url=BASE)
    page = client.get("/community").text
    assert "No message is coded yet" not in page and "not computed yet" not in page
    assert f"No stage mix over time: none of the corpus&#39; {len(TEXTS)} messages is dated." in page
    assert f"<code>chrysalide community</code> ran (run {run_id}) but had nothing to measure" in page
    twin = json.loads(client.get("/community.json").text)
    assert twin["undated"] == f"none of the corpus' {len(TEXTS)} messages is dated"


def test_the_panel_command_says_why_it_ranks_no_member(tmp_path: Path) -> None:
    with Store(tmp_path / "p.duckdb") as store:
        _corpus(store, tmp_path)
        run_id = store.latest("journeys")
    out = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "panel", "--db", str(tmp_path / "p.duckdb")],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == (f"panel (journeys run {run_id}): no member to rank: none of the corpus' {len(TEXTS)} "
                           "messages is by a member")  # fmt: skip


def test_the_dashboard_says_the_corpus_is_undated_and_names_no_thread(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        _corpus(store, tmp_path)
    client = TestClient(create_app(tmp_path / "d.duckdb"), base_url=BASE)
    undated = f"none of the corpus&#39; {len(TEXTS)} messages is dated"
    overview = client.get("/").text
    assert f"Dates: {undated}." in overview and "From  to" not in overview
    alerts_page = client.get("/alerts").text
    assert f"No weekly series: {undated}." in alerts_page and "No burst was found" not in alerts_page
    review = client.get("/review").text
    assert "Its source names no thread (a table without thread ids)" in review
    assert "Opens the thread." not in review and "message 1 of 1" not in review


@pytest.mark.corpora
def test_doctissimo_posts_lexical_classes_have_no_member_writer(corpora: Path, tmp_path: Path) -> None:
    """Doctissimo's annotated posts have no author: a class's writers are no member, not '0 writers; the most
    prolific wrote 0% of the segments'."""
    path = corpora / "doctissimo_intentions_fr" / "data" / "reconstructed_posts_final.json"
    with Store(tmp_path / "dt.duckdb") as store:
        ingest(store, path, mapping={"message_id": "post_id", "text": "sentences"})
        process(store)
        run_id = lexical(store, k=4).run_id
        classes = store.con.execute("SELECT count(*) FROM lexical_classes WHERE run_id = ?", [run_id]).fetchone()[0]
        table = section_reinert(Context(store)).tables[0]
        page = " ".join(render(store).split())
    assert classes and {row[-1] for row in table.rows} == {"no member"}
    # No author of theirs can grant quoting: their words are withheld, and the report says why in those words.
    assert "only messages whose authors may not be quoted use them (members who have not granted quoting; guests, " \
           "deleted accounts and unknown authors, who cannot grant it" in html.unescape(page)  # fmt: skip
    page = TestClient(create_app(tmp_path / "dt.duckdb"), base_url=BASE).get("/lexical").text
    assert "No member wrote its segments" in page and " 0 writers" not in page


def test_the_pipeline_command_says_once_what_the_corpus_lacks(tmp_path: Path) -> None:
    with Store(tmp_path / "q.duckdb") as store:
        _corpus(store, tmp_path, run_steps=False)
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "pipeline", "--db", str(tmp_path / "q.duckdb"),
         "--step", "journeys", "--step", "community"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"}, check=True,
    )  # fmt: skip
    assert done.stderr.count("note: ") == 1
    assert (f"note: none of the corpus' {len(TEXTS)} messages is dated or by a member: the figures that need dates and "
            "members (member journeys, newcomers, bursts) have nothing to measure (docs/report.md)") in done.stderr  # fmt: skip


def test_the_step_commands_say_what_the_corpus_lacks(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        _corpus(store, tmp_path, run_steps=False)

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from chrysalide.cli.main import run; run()", command, "--db", str(tmp_path / "s.duckdb")],
            capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"}, check=True,
        )  # fmt: skip

    note = (f"note: none of the corpus' {len(TEXTS)} messages is dated or by a member: the figures that need dates "
            "and members (member journeys, newcomers, bursts) have nothing to measure (docs/report.md)")  # fmt: skip
    assert note in run("journeys").stderr
    assert note in run("community").stderr
    assert f"no weekly series: none of the corpus' {len(TEXTS)} messages is dated" in run("alerts").stdout
