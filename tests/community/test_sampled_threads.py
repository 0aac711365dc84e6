"""A source declared a selection of threads (``--sampled-threads``, migration 0031): a member's first message there
need not be their first on the forum, so it is not their arrival.

ADFD's export is a selection of topics for the forum's knowledge base (824 posts whose ids span 239 to 112,789): the
burn-in, which sees left truncation in time only, counted 105 of its 108 members as newcomers.

By hand, two sources in one store. 'whole' starts on 2020-01-01 10:00 with member 1 (registered at that post: a
newcomer); 2, without a registration date, first posts there on 2020-04-15 (105 days on: a newcomer); 6, registered
at her first post, first posts there on 2020-07-01, then in 'sample' (a newcomer: her first message is in 'whole').
'sample', declared, starts on 2020-05-01 with 5 (no registration date: the burn-in, if undeclared); 3 (registered at
her first post) posts there on 2020-06-01; 4 (no date) on 2021-01-01, 245 days into it; 7 (no date) on 2020-09-01,
123 days into it, then in 'whole'. Declared: 3, 4, 5 and 7 are first seen in the selection, no newcomers; newcomers
1, 2, 6; none in the burn-in. Undeclared: 3 registered, 4 and 7 after the burn-in, 5 in it; newcomers 1, 2, 3, 4, 6,
7.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from forum_builder import Forum

from chrysalide.community import community
from chrysalide.errors import ConfigError
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys, survival
from chrysalide.journeys.decentering import arrival_unseen_text
from chrysalide.report.html.context import Context
from chrysalide.report.html.sections import section_summary
from chrysalide.report.html.sections.community import burn_in_left_out
from chrysalide.store import Store
from chrysalide.web.app import create_app

PHPBB = Path(__file__).resolve().parents[1] / "data" / "phpbb"

#: member -> (source, first post, registered at it, later post in the other source or None)
MEMBERS = {
    1: ("whole", "2020-01-01 10:00", True, None),
    2: ("whole", "2020-04-15 10:00", False, None),
    3: ("sample", "2020-06-01 10:00", True, None),
    4: ("sample", "2021-01-01 10:00", False, None),
    5: ("sample", "2020-05-01 10:00", False, None),
    6: ("whole", "2020-07-01 10:00", True, "2020-08-01 10:00"),
    7: ("sample", "2020-09-01 10:00", False, "2020-10-01 10:00"),
}
#: each member's first message's code, their later one coded community
CODES = {1: "individual", 2: "collaborative", 3: "collaborative", 4: "individual", 5: "collaborative",
         6: "individual", 7: "collaborative"}  # fmt: skip


def forum(store: Store, declared: bool = True) -> Store:
    """The two sources of the module docstring, 'sample' declared a selection of threads when ``declared``; each
    post opens a thread of its own."""
    sources = {"whole": Forum(store, "whole", first_id=1, options={}),
               "sample": Forum(store, "sample", first_id=100, options={"sampled_threads": declared})}  # fmt: skip
    posts = []
    for member, (source, at, registered, then) in MEMBERS.items():
        sources[source].member(member, registered_at="first post" if registered else None)
        posts.append((at, source, member, CODES[member]))
        if then:
            posts.append((then, "sample" if source == "whole" else "whole", member, "community"))
    for thread, (at, source, member, code) in enumerate(sorted(posts), 1):
        sources[source].thread(thread)
        sources[source].post(member, thread, at, code=code)
    sources["whole"].save()
    return sources["sample"].save()


def _arrivals(store: Store) -> dict[int, str]:
    return dict(store.con.execute("SELECT member_id, arrival FROM member_arrivals ORDER BY 1").fetchall())


def _newcomers(store: Store) -> list[int]:
    return [m for (m,) in store.con.execute("SELECT member_id FROM newcomers ORDER BY 1").fetchall()]


def test_members_first_seen_in_a_declared_selection_are_no_newcomers(store: Store) -> None:
    forum(store)
    assert _arrivals(store) == {1: "registered", 2: "after_burn_in", 3: "sampled", 4: "sampled", 5: "sampled",
                                6: "registered", 7: "sampled"}  # fmt: skip
    assert _newcomers(store) == [1, 2, 6]


def test_the_same_sources_undeclared(store: Store) -> None:
    """The control: nothing declared, the burn-in alone decides."""
    forum(store, declared=False)
    assert _arrivals(store) == {1: "registered", 2: "after_burn_in", 3: "registered", 4: "after_burn_in",
                                5: "burn_in", 6: "registered", 7: "after_burn_in"}  # fmt: skip
    assert _newcomers(store) == [1, 2, 3, 4, 6, 7]


#: What every account of the members left out says of the 4 first seen in 'sample', after "4 members first seen in".
WHY = ": their first message there need not be their first on the forum"
SAMPLED = "4 members first seen in source 'sample', declared a selection of threads (--sampled-threads), are "


def test_the_community_run_counts_them_and_says_why(store: Store) -> None:
    forum(store)
    s = community(store).summary
    assert (s["newcomers"], s["first_seen_in_sampled_threads"], s["first_seen_in_burn_in"]) == (3, 4, 0)
    assert (s["sources"]["sample"]["sampled_threads"], s["sources"]["whole"]["sampled_threads"]) == (True, False)
    assert burn_in_left_out(s) == f"{SAMPLED}not counted as newcomers{WHY}."
    assert s["warnings"] == [f"{SAMPLED}not counted as newcomers{WHY}"]
    (finding,) = [r[1] for r in section_summary(Context(store)).tables[0].rows if r[0] == "response to newcomers"]
    assert f"{SAMPLED}not counted as newcomers{WHY}" in str(finding)


def test_the_dashboard_says_why(store: Store, tmp_path: Path) -> None:
    forum(store)
    community(store)
    store.close()
    page = TestClient(create_app(tmp_path / "test.duckdb"), base_url="http://127.0.0.1").get("/community").text
    assert f"{SAMPLED}not counted as newcomers{WHY}".replace("'", "&#39;") in page


def test_the_journeys_leave_their_arrival_out(store: Store) -> None:
    """By hand: 7 members coded; 3, 4, 5 and 7 left out. Of 1, 2 and 6, 2 arrived helping (1 of 3), 1 and 6 are at
    risk. Undeclared (below), 5 alone is left out (the burn-in): 2, 3 and 7 arrived helping, 3 of 6."""
    forum(store)
    for s in (journeys(store, permutations=0).summary, survival(store).summary):
        assert (s["members_coded"], s["members_arrival_unseen"], s["members_first_seen_in_sampled_threads"]) == (
            7,
            4,
            4,
        )
        assert (s["arrived_helping"], s["at_risk"], s["arrived_helping_share"]) == (1, 2, pytest.approx(1 / 3))
        assert arrival_unseen_text(s) == (
            f"{SAMPLED}left out of arrived helping, the time at risk and decentering{WHY}"
        )


def test_the_journeys_undeclared(store: Store) -> None:
    forum(store, declared=False)
    s = journeys(store, permutations=0).summary
    assert (s["members_arrival_unseen"], s["members_first_seen_in_sampled_threads"]) == (1, 0)
    assert (s["arrived_helping"], s["arrived_helping_share"]) == (3, pytest.approx(1 / 2))
    assert arrival_unseen_text(s).startswith("1 member whose arrival the record does not show is left out")


def test_members_left_out_for_both_reasons_are_told_apart() -> None:
    summary = {"members_arrival_unseen": 3, "members_first_seen_in_sampled_threads": 1, "burn_in_days": 90,
               "sources": {"s": {"sampled_threads": True}, "t": {"sampled_threads": False}}}  # fmt: skip
    assert arrival_unseen_text(summary) == (
        "2 members whose arrival the record does not show are left out of arrived helping, the time at risk and "
        "decentering (first seen less than 90 days after the start of their record, or registered before it): their "
        "first recorded message may come years into their membership, as for the newcomers; 1 member first seen in "
        "source 's', declared a selection of threads (--sampled-threads), is left out of arrived helping, the time at "
        f"risk and decentering too{WHY}"
    )


def _export(root: Path, ids: list[int]) -> Path:
    """A phpBB export folder (``<topic>/<post>-<slug>.bb`` + ``.meta``): one topic, one post per id, by member
    ``u<id>`` on the id-th day of 2010."""
    topic = root / "export" / "5"
    topic.mkdir(parents=True)
    for day, post in enumerate(ids, 1):
        (topic / f"{post}-post.bb").write_text(f"Beitrag {post} zum Absetzen.", encoding="utf-8")
        (topic / f"{post}-post.meta").write_text(
            f".. author: u{post}\n.. authorId: {post + 1}\n.. postDate: {day:02d}.01.2010\n.. postId: {post}\n"
            ".. topicId: 5\n.. title: Absetzen\n",
            encoding="utf-8",
        )
    return topic.parent


def test_a_source_is_added_to_only_as_it_was_declared(store: Store, tmp_path: Path) -> None:
    path = _export(tmp_path, [10, 11, 12])
    ingest(store, path, sampled_threads=True)
    assert store.con.execute("SELECT options->>'sampled_threads' FROM sources").fetchone() == ("true",)
    with pytest.raises(ConfigError, match="source 'export' was imported with --sampled-threads; re-import it the same"):
        ingest(store, path)
    other = _export(tmp_path / "other", [20, 21])  # other posts: the same would be refused as held already
    ingest(store, other, source_name="whole")
    with pytest.raises(ConfigError, match="source 'whole' was imported without --sampled-threads"):
        ingest(store, other, source_name="whole", sampled_threads=True)
    assert ingest(store, path, sampled_threads=True).duplicates == 3


def test_the_command_line_declares_the_selection(tmp_path: Path) -> None:
    path = _export(tmp_path, [10, 11, 12])
    done = subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", "ingest", str(path), "--sampled-threads",
         "--keep-names", "--db", str(tmp_path / "c.duckdb")],
        capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "200"}, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Store(tmp_path / "c.duckdb") as store:
        assert store.con.execute("SELECT options->>'sampled_threads' FROM sources").fetchone() == ("true",)
        assert store.con.execute("SELECT count(*) FILTER (arrival = 'sampled') FROM member_arrivals").fetchone() == (3,)


def _sparse(report_warnings: list[str]) -> list[str]:
    return [w for w in report_warnings if "of the post ids from" in w]


def test_a_phpbb_export_holding_few_of_its_post_ids_warns(store: Store, tmp_path: Path) -> None:
    """Posts 10, 20, 30 and 40: 4 of the 31 ids from 10 to 40, 12.9%, fewer than half."""
    report = ingest(store, _export(tmp_path, [10, 20, 30, 40]))
    assert report.warnings[0] == (
        "the 4 posts hold 13% of the post ids from 10 to 40: the export may be a selection of topics or of boards, "
        "which the ids cannot tell apart (the forum numbers its posts across boards). If it is a selection of topics, "
        "import it with --sampled-threads (into a new database), so that members' first messages there do not count "
        "as their arrivals"
    )
    assert _sparse(ingest(store, _export(tmp_path / "declared", [110, 120, 130, 140]), sampled_threads=True,
                          source_name="declared").warnings) == []  # fmt: skip


def test_the_community_run_finds_the_sparse_ids_in_the_store(store: Store, tmp_path: Path) -> None:
    """The same export: the run names it with its ids (tests/community/test_undeclared_selection.py: the sizes), and
    says it beside the newcomers, unless it was declared."""
    ids = [10, 20, 30, 40]
    ingest(store, _export(tmp_path, ids))
    run = community(store)
    assert run.summary["undeclared_selections"] == {
        "export": {"sparse_ids": {"held": len(ids), "low": min(ids), "high": max(ids)}}
    }
    (warning,) = [w for w in run.summary["warnings"] if "not declared" in w]
    assert warning.startswith("source 'export' was not declared a selection of threads at import but looks like one "
                              "(the 4 posts hold 13% of the post ids from 10 to 40, as in a selection of topics or "
                              "of boards)")  # fmt: skip
    with Store(tmp_path / "declared.duckdb") as declared:
        ingest(declared, _export(tmp_path / "d", ids), sampled_threads=True)
        assert community(declared).summary["undeclared_selections"] == {}


@pytest.mark.parametrize(("ids", "warns"), [([1, 2, 3, 4, 10], False), ([1, 2, 3, 4, 11], True), ([7, 8], False)])
def test_half_of_the_ids_is_dense(store: Store, tmp_path: Path, ids: list[int], warns: bool) -> None:
    """5 of the 10 ids from 1 to 10 are half: no warning; 5 of 11 are fewer."""
    assert bool(_sparse(ingest(store, _export(tmp_path, ids)).warnings)) is warns


def test_a_phpbb_dump_holding_few_of_its_post_ids_warns(store: Store, tmp_path: Path) -> None:
    """The dump of tests/data/phpbb/forum_columns.sql stores posts 100, 101 and 103 (102 awaits approval): 3 of 4
    ids, dense. With 103 renumbered 9103: 3 of the 9,004 ids from 100 to 9,103, 0.03%."""
    dump = (PHPBB / "forum_columns.sql").read_text(encoding="utf-8")
    assert _sparse(ingest(store, PHPBB / "forum_columns.sql").warnings) == []
    sparse = tmp_path / "sparse.sql"
    sparse.write_text(dump.replace("(103, 10,", "(9103, 10,").replace("Fatigue", "Müdigkeit"), encoding="utf-8")
    (warning,) = _sparse(ingest(store, sparse).warnings)
    assert warning.startswith("the 3 posts hold <0.1% of the post ids from 100 to 9,103: the export may be")


def _adfd_meta(corpora: Path) -> list[dict[str, str]]:
    """The .meta files of ADFD's export, read in plain Python."""
    metas = []
    for path in sorted((corpora / "adfd_phpbb_antidepressant_de" / "content" / "imported").glob("*/*.meta")):
        metas.append(dict(re.findall(r"^\.\. (\w+): ?(.*)$", path.read_text("utf-8"), re.M)))
    return metas


def test_adfd_warns_and_declared_has_no_newcomer(store: Store, corpora: Path, tmp_path: Path) -> None:
    """ADFD's export is a selection of topics (PROVENANCE.md). Its 824 .meta files give post ids from 239 to 112,789:
    0.73% of the range. Its members are its registered authors (authorId other than phpBB's anonymous 1) and its
    named guests; declared a selection, each is first seen there and none is a newcomer."""
    metas = _adfd_meta(corpora)
    ids = {int(m["postId"]) for m in metas}
    low, high = min(ids), max(ids)
    members = {m["authorId"] for m in metas if m["authorId"] != "1"} | {
        f"guest {m['author']}" for m in metas if m["authorId"] == "1"}  # fmt: skip
    assert (len(ids), low, high, len(members)) == (824, 239, 112789, 108)
    report = ingest(store, corpora / "adfd_phpbb_antidepressant_de")
    (warning,) = _sparse(report.warnings)
    assert warning.startswith(f"the {len(ids)} posts hold {100 * len(ids) / (high - low + 1):.1f}% of the post ids "
                              f"from {low:,} to {high:,}: the export may be a selection of topics or of boards")  # fmt: skip
    assert community(store).summary["newcomers"] == 105  # the burn-in alone: 3 first seen in its first 90 days
    with Store(tmp_path / "declared.duckdb") as declared:
        report = ingest(declared, corpora / "adfd_phpbb_antidepressant_de", sampled_threads=True)
        assert _sparse(report.warnings) == []
        s = community(declared).summary
        assert (s["newcomers"], s["first_seen_in_sampled_threads"], s["first_seen_in_burn_in"]) == (0, len(members), 0)


def _capped(report_warnings: list[str]) -> list[str]:
    return [w for w in report_warnings if "messages a thread" in w]


def _threads_csv(path: Path, sizes: list[int]) -> Path:
    rows = ["message_id,thread_id,author,posted_at,text"]
    for t, size in enumerate(sizes):
        rows += [f"m{t}-{i},t{t},a{i},2021-01-{1 + i:02d} 10:00,message {i} of thread {t}" for i in range(size)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("sizes", "warns"),
    [
        ([10] * 15 + [4, 7, 2, 9, 10], True),  # 16 of 20 threads at the largest size, 10
        ([10] * 10 + [4, 7, 2, 9, 3, 5, 6, 8, 2, 3], True),  # half
        ([10] * 9 + [4, 7, 2, 9, 3, 5, 6, 8, 2, 3, 4], False),  # fewer than half
        ([10] * 15 + [4, 7, 2, 9, 11], False),  # one thread holds more: no cut at 10
        ([5] * 19, False),  # too few threads to tell
        ([1] * 30, False),  # single messages: no conversation cut
    ],
)
def test_threads_cut_at_one_size_warn(store: Store, tmp_path: Path, sizes: list[int], warns: bool) -> None:
    """A scraper that kept 10 comments a thread (r/mentalhealth's table: 964 of its 1,000 threads hold exactly 10,
    none more) leaves most threads at the largest size; a forum's sizes spread out."""
    assert bool(_capped(ingest(store, _threads_csv(tmp_path / "t.csv", sizes)).warnings)) is warns


def test_threads_cut_at_one_size_warn_unless_declared(store: Store, tmp_path: Path) -> None:
    (warning,) = _capped(ingest(store, _threads_csv(tmp_path / "t.csv", [3] * 25)).warnings)
    assert warning.startswith("25 of the 25 threads (100%) hold exactly 3 messages and none holds more: the export "
                              "looks cut at 3 messages a thread")  # fmt: skip
    with Store(tmp_path / "declared.duckdb") as declared:
        report = ingest(declared, _threads_csv(tmp_path / "d.csv", [3] * 25), sampled_threads=True)
        assert _capped(report.warnings) == []


def test_the_mentalhealth_comment_table_is_cut_at_ten_comments_a_thread(store: Store, corpora: Path) -> None:
    """Counted over the raw CSV: comments per post_id; most posts have exactly the largest number."""
    import csv
    from collections import Counter

    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    with path.open(encoding="utf-8", newline="") as f:
        sizes = Counter(row["post_id"] for row in csv.DictReader(f))
    largest = max(sizes.values())
    at_largest = sum(n == largest for n in sizes.values())
    (warning,) = _capped(ingest(store, path).warnings)
    assert warning.startswith(f"{at_largest:,} of the {len(sizes):,} threads ({100 * at_largest / len(sizes):.0f}%) "
                              f"hold exactly {largest} messages")  # fmt: skip
