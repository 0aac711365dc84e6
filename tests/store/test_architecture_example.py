"""The worked example of a step in docs/architecture.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path

from chrysalide.store import Store

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_the_documented_step_runs_records_and_stands(store: Store) -> None:
    source = re.search(r"### A worked example.*?```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert source is not None, "docs/architecture.md lost its worked example"
    namespace: dict = {}
    exec(compile(source.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    store.con.execute("CREATE TABLE board_newcomers (run_id BIGINT, board VARCHAR, newcomers BIGINT)")
    store.con.execute(  # registered when they first post: newcomers however short the record (migration 0023)
        "INSERT INTO members (member_id, source_id, pseudonym, registered_at)"
        " VALUES (1, 's', 'M-1', '2020-01-01'), (2, 's', 'M-2', '2020-01-02')"
    )
    store.con.execute("INSERT INTO threads (thread_id, source_id, native_id, board) VALUES (10, 's', 't', 'thyroid')")
    store.con.execute(
        "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, posted_at, text, content_hash)"
        " VALUES (1, 's', 'a', 10, 1, '2020-01-01', 'help', 'h1'), (2, 's', 'b', 10, 2, '2020-01-02', 'here', 'h2')"
    )
    first = namespace["boards"](store, min_messages=1)
    assert first.table(store, "board_newcomers").values.tolist() == [["thyroid", 1]]  # only member 1 opened it
    assert first.summary["boards"] == 1 and not first.up_to_date
    again = namespace["boards"](store, min_messages=1)
    assert again.up_to_date and again.run_id == first.run_id
