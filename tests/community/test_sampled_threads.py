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
import subprocess
import sys
from pathlib import Path

import pytest
from forum_builder import Forum

from chrysalide.errors import ConfigError
from chrysalide.ingest import ingest
from chrysalide.store import Store

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
